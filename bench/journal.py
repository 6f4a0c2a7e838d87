"""What the devstack's journal costs a write: the same conditional puts and updates against
three emulators started side by side (no journal, the journal with one write per change, the
journal with an fsync per change), interleaved in rounds so the machine's load hits all alike.
The figure is the ratio of the median milliseconds per write with and without the journal."""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import boto3

from devstack.emulator import Emulator, free_port
from devstack.journal import next_sequence

WRITES = 200
ROUNDS = 5
TABLE = "bench-journal"


def _client(emulator: Emulator) -> Any:
    return boto3.client(
        "dynamodb",
        endpoint_url=emulator.url,
        region_name="ap-southeast-1",
        aws_access_key_id="bench",
        aws_secret_access_key="bench",
    )


def _prepare(emulator: Emulator) -> Any:
    dynamodb = _client(emulator)
    dynamodb.create_table(
        TableName=TABLE,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    )
    if emulator.journal_dir is not None:
        emulator.journal("open", next_seq=next_sequence(emulator.journal_dir))
    return dynamodb


def _round(dynamodb: Any, round_no: int) -> float:
    """Milliseconds per write: half conditional puts (an activation's shape), half updates."""
    started = time.perf_counter()
    for n in range(WRITES // 2):
        key = {"pk": {"S": f"r{round_no}-{n}"}}
        dynamodb.put_item(
            TableName=TABLE,
            Item={**key, "status": {"S": "registered"}},
            ConditionExpression="attribute_not_exists(pk)",
        )
        dynamodb.update_item(
            TableName=TABLE,
            Key=key,
            UpdateExpression="SET #s = :a",
            ConditionExpression="#s = :r",
            ExpressionAttributeNames={"#s": "status"},
            ExpressionAttributeValues={":a": {"S": "activated"}, ":r": {"S": "registered"}},
        )
    return (time.perf_counter() - started) * 1000 / WRITES


def run() -> dict[str, object]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        emulators = {
            "none": Emulator(free_port(), root / "none.log"),
            "flush": Emulator(free_port(), root / "flush.log", journal_dir=root / "flush"),
            "fsync": Emulator(
                free_port(), root / "fsync.log", journal_dir=root / "fsync", journal_fsync=True
            ),
        }
        samples: dict[str, list[float]] = {name: [] for name in emulators}
        try:
            for emulator in emulators.values():
                emulator.start()
            clients = {name: _prepare(emulator) for name, emulator in emulators.items()}
            for client in clients.values():  # warm-up round, not counted
                _round(client, -1)
            for round_no in range(ROUNDS):
                for name, client in clients.items():
                    samples[name].append(_round(client, round_no))
        finally:
            for emulator in emulators.values():
                emulator.stop()
    median = {name: statistics.median(values) for name, values in samples.items()}
    return {
        "writes_per_round": WRITES,
        "rounds": ROUNDS,
        "ms_per_write_no_journal": round(median["none"], 2),
        "ms_per_write_journal_flush": round(median["flush"], 2),
        "ms_per_write_journal_fsync": round(median["fsync"], 2),
        "ratio_flush": round(median["flush"] / median["none"], 2),
        "ratio_fsync": round(median["fsync"] / median["none"], 2),
    }
