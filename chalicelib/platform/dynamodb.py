"""Translating DynamoDB's condition failures, and retrying transactions that merely collided."""

from __future__ import annotations

import random
import time
from collections.abc import Callable

from pynamodb.connection import Connection
from pynamodb.exceptions import PynamoDBException, TransactWriteError
from pynamodb.transactions import TransactWrite

from chalicelib.core.settings import get_settings

CONDITION_FAILED = "ConditionalCheckFailedException"
# A transaction's cancellation reasons name the same failure without the suffix.
ITEM_CONDITION_FAILED = "ConditionalCheckFailed"
TRANSACTION_CONFLICT = "TransactionConflict"
CONFLICT_RETRIES = 4


class TableMeta:
    """What every table's ``Meta`` shares: the stage's region, on-demand capacity."""

    region = get_settings().region
    billing_mode = "PAY_PER_REQUEST"


def is_condition_failure(exc: PynamoDBException) -> bool:
    return exc.cause_response_code == CONDITION_FAILED


def write_transaction(connection: Connection, build: Callable[[TransactWrite], None]) -> None:
    """Commit the transaction ``build`` describes. DynamoDB cancels a transaction that touches
    an item another transaction is writing (``TransactionConflict``, e.g. two imports bumping
    one model's counter): that alone is retried with jittered backoff. A condition failure is
    an answer, never retried; it is raised for the caller to read."""
    for attempt in range(CONFLICT_RETRIES + 1):
        try:
            with TransactWrite(connection=connection) as tx:
                build(tx)
            return
        except TransactWriteError as exc:
            codes = {reason.code for reason in exc.cancellation_reasons if reason is not None}
            if TRANSACTION_CONFLICT not in codes or ITEM_CONDITION_FAILED in codes:
                raise
            if attempt == CONFLICT_RETRIES:
                raise
            time.sleep(random.uniform(0, 0.05 * 2**attempt))


def item_failed(exc: TransactWriteError, position: int) -> bool:
    """Did the transaction's item at ``position`` (in the order ``build`` added them) fail its
    condition?"""
    reasons = exc.cancellation_reasons or []
    reason = reasons[position] if len(reasons) > position else None
    return reason is not None and reason.code == ITEM_CONDITION_FAILED
