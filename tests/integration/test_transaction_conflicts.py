"""Transactions that merely collided are retried; condition failures are answers.

DynamoDB cancels a transaction that touches an item another transaction is writing
(``TransactionConflict``). moto never does, so this test talks to a small HTTP server that
speaks DynamoDB's wire protocol for ``TransactWriteItems`` and cancels on cue.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from pynamodb.connection import Connection
from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

from chalicelib.catalog.tables import ProductModelRecord
from chalicelib.platform.dynamodb import CONFLICT_RETRIES, write_transaction


class FakeDynamoDB(ThreadingHTTPServer):
    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.answers: list[list[str] | None] = []  # reason codes to cancel with, None = commit
        self.calls = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: FakeDynamoDB

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        assert self.headers["X-Amz-Target"] == "DynamoDB_20120810.TransactWriteItems"
        self.server.calls += 1
        codes = self.server.answers.pop(0) if self.server.answers else None
        if codes is None:
            status, body = 200, {}
        else:
            status = 400
            body = {
                "__type": "com.amazonaws.dynamodb.v20120810#TransactionCanceledException",
                "Message": "Transaction cancelled",
                "CancellationReasons": [{"Code": code} for code in codes],
            }
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/x-amz-json-1.0")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture
def dynamodb() -> Iterator[FakeDynamoDB]:
    server = FakeDynamoDB()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()


def _bump(tx: TransactWrite) -> None:
    tx.update(ProductModelRecord("AC-9"), actions=[ProductModelRecord.unit_count.add(1)])


def test_a_transaction_conflict_is_retried_until_it_commits(dynamodb: FakeDynamoDB) -> None:
    dynamodb.answers = [["TransactionConflict"], ["TransactionConflict"], None]
    write_transaction(Connection(region="ap-southeast-1", host=dynamodb.url), _bump)
    assert dynamodb.calls == 3


def test_a_condition_failure_is_not_retried(dynamodb: FakeDynamoDB) -> None:
    dynamodb.answers = [["ConditionalCheckFailed", "TransactionConflict"]]
    with pytest.raises(TransactWriteError):
        write_transaction(Connection(region="ap-southeast-1", host=dynamodb.url), _bump)
    assert dynamodb.calls == 1


def test_retries_are_bounded(dynamodb: FakeDynamoDB) -> None:
    dynamodb.answers = [["TransactionConflict"]] * (CONFLICT_RETRIES + 5)
    with pytest.raises(TransactWriteError):
        write_transaction(Connection(region="ap-southeast-1", host=dynamodb.url), _bump)
    assert dynamodb.calls == CONFLICT_RETRIES + 1
