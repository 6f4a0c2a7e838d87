"""DynamoDB stream handlers: decode each record, call one service, report partial failures."""
