"""Translating DynamoDB's condition failures, the one AWS error the domain cares about."""

from __future__ import annotations

from pynamodb.exceptions import PynamoDBException

CONDITION_FAILED = "ConditionalCheckFailedException"


def is_condition_failure(exc: PynamoDBException) -> bool:
    return exc.cause_response_code == CONDITION_FAILED
