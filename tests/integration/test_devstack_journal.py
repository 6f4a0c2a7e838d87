"""The emulator's journal (devstack.journal): every answered write survives a killed emulator,
replay puts the last state of each item back, the streams are numbered from the journal, and a
snapshot compacts only what both it and every stream handler have finished."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from devstack.emulator import Emulator, free_port
from devstack.journal import (
    Checkpoints,
    Compaction,
    backlog,
    next_sequence,
    read_entries,
    replay,
    segment_paths,
)
from devstack.state import save_tables

REGION = "ap-southeast-1"
TABLE = "journal-things"


def _start(tmp_path: Path, journal: Path) -> Emulator:
    emulator = Emulator(free_port(), tmp_path / "emulator.log", journal_dir=journal)
    emulator.start()
    return emulator


def _dynamodb(emulator: Emulator) -> Any:
    return boto3.client(
        "dynamodb",
        endpoint_url=emulator.url,
        region_name=REGION,
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )


def _create(dynamodb: Any, stream: bool = True) -> None:
    dynamodb.create_table(
        TableName=TABLE,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": stream, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    )


def _kill(emulator: Emulator) -> None:
    process = emulator._process
    assert process is not None
    process.kill()  # SIGKILL of our own child: no save, no clean close of the journal
    process.wait(timeout=10)
    emulator.stop()


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path / "journal"


def test_answered_writes_survive_a_killed_emulator_and_replay_keeps_the_last_state(
    tmp_path: Path, journal: Path
) -> None:
    # Given an emulator journaling puts, a conditional update, a transaction and a delete
    emulator = _start(tmp_path, journal)
    dynamodb = _dynamodb(emulator)
    _create(dynamodb)
    emulator.journal("open", next_seq=next_sequence(journal))
    for n in range(5):
        dynamodb.put_item(TableName=TABLE, Item={"pk": {"S": f"u{n}"}, "v": {"N": str(n)}})
    dynamodb.update_item(
        TableName=TABLE,
        Key={"pk": {"S": "u1"}},
        UpdateExpression="SET v = :v",
        ConditionExpression="v = :old",
        ExpressionAttributeValues={":v": {"N": "100"}, ":old": {"N": "1"}},
    )
    dynamodb.transact_write_items(
        TransactItems=[
            {"Put": {"TableName": TABLE, "Item": {"pk": {"S": "t1"}, "b": {"B": b"\x00\xff"}}}},
            {"Delete": {"TableName": TABLE, "Key": {"pk": {"S": "u2"}}}},
        ]
    )
    # When the emulator is killed and a new one replays the journal on an empty table
    _kill(emulator)
    again = _start(tmp_path, journal)
    try:
        fresh = _dynamodb(again)
        _create(fresh)
        replay(fresh, journal, {TABLE})
        items = {i["pk"]["S"]: i for i in fresh.scan(TableName=TABLE, ConsistentRead=True)["Items"]}
    finally:
        again.stop()
    # Then every answered write is there, as last written
    assert sorted(items) == ["t1", "u0", "u1", "u3", "u4"]
    assert items["u1"]["v"] == {"N": "100"}
    assert items["t1"]["b"] == {"B": b"\x00\xff"}


def test_stream_records_carry_the_journal_s_sequence_numbers_across_a_restart(
    tmp_path: Path, journal: Path
) -> None:
    # Given a first run that wrote two items, and a second run that opened the journal after it
    first = _start(tmp_path, journal)
    dynamodb = _dynamodb(first)
    _create(dynamodb)
    first.journal("open", next_seq=next_sequence(journal))
    for n in range(2):
        dynamodb.put_item(TableName=TABLE, Item={"pk": {"S": f"a{n}"}})
    first.stop()
    second = _start(tmp_path, journal)
    try:
        dynamodb = _dynamodb(second)
        _create(dynamodb)
        second.journal("open", next_seq=next_sequence(journal))
        streams = boto3.client(
            "dynamodbstreams",
            endpoint_url=second.url,
            region_name=REGION,
            aws_access_key_id="test",
            aws_secret_access_key="test",
        )
        arn = dynamodb.describe_table(TableName=TABLE)["Table"]["LatestStreamArn"]
        shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]
        latest = streams.get_shard_iterator(
            StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="LATEST"
        )["ShardIterator"]
        dynamodb.put_item(TableName=TABLE, Item={"pk": {"S": "b0"}})
        records = streams.get_records(ShardIterator=latest)["Records"]
    finally:
        second.stop()
    journaled = [int(e["seq"]) for e in read_entries(journal)]
    # Then the second run's record continues the first run's numbering
    assert journaled == [1, 2, 3]
    assert [r["dynamodb"]["SequenceNumber"] for r in records] == ["3"]
    assert [r["dynamodb"]["NewImage"]["pk"]["S"] for r in backlog(journal, TABLE, after=1)] == [
        "a1",
        "b0",
    ]


def test_a_snapshot_deletes_a_segment_only_once_every_handler_has_finished_it(
    tmp_path: Path, journal: Path
) -> None:
    emulator = _start(tmp_path, journal)
    try:
        dynamodb = _dynamodb(emulator)
        _create(dynamodb)
        emulator.journal("open", next_seq=next_sequence(journal))
        dynamodb.put_item(TableName=TABLE, Item={"pk": {"S": "x"}})  # seq 1
        checkpoints = Checkpoints(tmp_path / "checkpoints.json")
        compaction = Compaction(journal, checkpoints, {"on_thing": TABLE})
        # When a snapshot runs while the handler has not finished record 1
        emulator.journal("rotate")
        save_tables(dynamodb, tmp_path / "tables", [TABLE])
        kept = compaction.run()
        # and again once it has
        checkpoints.advance("on_thing", 1)
        emulator.journal("rotate")
        deleted = compaction.run()
    finally:
        emulator.stop()
    assert (kept, deleted) == (0, 1)
    assert len(segment_paths(journal)) == 1  # the open one
    assert json.loads((tmp_path / "checkpoints.json").read_text()) == {"on_thing": 1}


def test_a_torn_last_line_is_skipped(tmp_path: Path) -> None:
    journal = tmp_path / "journal"
    journal.mkdir()
    line = {"seq": 1, "table": TABLE, "keys": {"pk": {"S": "a"}}, "new": {"pk": {"S": "a"}}}
    (journal / f"{1:016d}.jsonl").write_text(json.dumps(line) + '\n{"seq": 2, "tab')
    assert [e["seq"] for e in read_entries(journal)] == [1]
    assert next_sequence(journal) == 2


def test_a_handler_that_finished_nothing_before_a_stop_gets_its_whole_backlog(
    tmp_path: Path,
) -> None:
    # Given a fresh data dir, where every handler starts at the live stream (sequence 0)
    path = tmp_path / "checkpoints.json"
    Checkpoints(path).advance("on_thing", 0)
    # When the stack stops before that handler finished any record, and starts again
    after_restart = Checkpoints(path).get("on_thing")
    # Then it is a known handler at 0, so it is given every journaled record (None would mean
    # "a new handler: start now", and the records written before the stop would be skipped)
    assert after_restart == 0


def test_the_long_poll_answers_at_the_next_stream_record_or_after_its_timeout(
    tmp_path: Path, journal: Path
) -> None:
    # Given an emulator journaling a streamed table, one record already written
    emulator = _start(tmp_path, journal)
    try:
        dynamodb = _dynamodb(emulator)
        _create(dynamodb)
        emulator.journal("open", next_seq=1)
        dynamodb.put_item(TableName=TABLE, Item={"pk": {"S": "a0"}})

        # When the stack asks to wait past what it has seen already: answered at once
        assert emulator.journal("wait", next_seq=1, timeout=5) == {
            "next_seq": 2,
            "tables": [TABLE],
        }

        # When nothing is written: answered after the timeout, with the same number
        started = time.monotonic()
        assert emulator.journal("wait", next_seq=2, timeout=0.3) == {"next_seq": 2, "tables": []}
        assert time.monotonic() - started >= 0.25

        # When a write comes while it waits (a write is not held up by the wait): answered then
        writer = threading.Timer(
            0.2, lambda: dynamodb.put_item(TableName=TABLE, Item={"pk": {"S": "a1"}})
        )
        started = time.monotonic()
        writer.start()
        assert emulator.journal("wait", next_seq=2, timeout=10) == {
            "next_seq": 3,
            "tables": [TABLE],
        }
        assert time.monotonic() - started < 5
        writer.join()
    finally:
        emulator.stop()
