"""Translating DynamoDB's condition failures, and retrying transactions that merely collided."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable

import botocore.session
import pynamodb.connection.base
from pynamodb.connection import Connection
from pynamodb.exceptions import PynamoDBException, TransactWriteError
from pynamodb.transactions import TransactWrite

from chalicelib.core.settings import get_settings

CONDITION_FAILED = "ConditionalCheckFailedException"
# A transaction's cancellation reasons name the same failure without the suffix.
ITEM_CONDITION_FAILED = "ConditionalCheckFailed"
TRANSACTION_CONFLICT = "TransactionConflict"
CONFLICT_RETRIES = 4


_thread_sessions = threading.local()


def _thread_session() -> botocore.session.Session:
    """This thread's one botocore session, shared by every table's connection.

    PynamoDB gives each table's connection a session of its own (one per thread, as botocore
    sessions are not thread-safe), and a new session parses DynamoDB's service model again:
    about 170 ms a table on this machine, paid by a cold Lambda for each table it touches and by
    the devstack for all of them (6 s a start). Sharing the thread's session keeps PynamoDB's
    thread rule and parses the model once; each table still has its own client."""
    session = getattr(_thread_sessions, "session", None)
    if session is None:
        session = _thread_sessions.session = botocore.session.get_session()
    return session


# PynamoDB has no setting for this: its ``Connection.session`` calls the module's
# ``get_session``, replaced here once, when the first table's module imports ``TableMeta``.
pynamodb.connection.base.get_session = _thread_session  # type: ignore[attr-defined]


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
