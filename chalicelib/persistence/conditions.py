"""Translating DynamoDB's condition failures, the one AWS error the domain cares about."""

from __future__ import annotations

from pynamodb.exceptions import PynamoDBException

CONDITION_FAILED = "ConditionalCheckFailedException"
# A transaction's cancellation reasons name the same failure without the suffix.
ITEM_CONDITION_FAILED = "ConditionalCheckFailed"


def is_condition_failure(exc: PynamoDBException) -> bool:
    return exc.cause_response_code == CONDITION_FAILED
