"""The emulator as the tests run it: moto 5.2.5 plus two fixes where it differs from DynamoDB in
ways our tests depend on. Neither touches our code.

1. Transactions cost what they write: :func:`devstack.moto_patches.apply`, the same fix the
   embedded stack runs (moto deep-copies the whole table once per transaction item; a
   10,000-unit import would take hours).
2. Writes are linearisable. moto checks a condition and then writes with nothing in between,
   and the server answers requests in threads, so two conditional writes to one item can both
   pass their check. DynamoDB never allows that and the concurrency tests (parallel
   activations, parallel code verifications) rely on it: every write operation of the backend
   runs under one lock.
"""

from __future__ import annotations

import functools
import threading
from typing import Any

from devstack import moto_patches

_WRITES = ("put_item", "update_item", "delete_item", "batch_write_item", "transact_write_items")
_LOCK = threading.RLock()
_MARK = "_garanti_serialised"


def install() -> None:
    """Apply both fixes to this process's moto (idempotent)."""
    from moto.dynamodb.models import DynamoDBBackend

    moto_patches.apply()  # first: the lock must wrap the fixed transaction code
    for name in _WRITES:
        method = getattr(DynamoDBBackend, name)
        if not getattr(method, _MARK, False):
            setattr(DynamoDBBackend, name, _serialised(method))


def _serialised(method: Any) -> Any:
    @functools.wraps(method)
    def locked(*args: Any, **kwargs: Any) -> Any:
        with _LOCK:
            return method(*args, **kwargs)

    setattr(locked, _MARK, True)
    return locked
