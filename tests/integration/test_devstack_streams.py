"""The devstack's stream poller against a real moto server and a small Chalice app.

Each test creates its own table (with a stream) and a tiny app whose handler records what it
received; the poller is driven with ``poll_until_idle`` so nothing depends on timing, except
in the one test of pollers on their own threads (a long job beside the sender), which waits on
events with generous deadlines.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from chalice.app import Chalice, DynamoDBEvent, DynamoDBEventConfig
from moto.server import ThreadedMotoServer

from devstack.deadletters import DeadLetterStore, replay
from devstack.streams import Nudge, StreamPoller, pollers_for, to_lambda_records

REGION = "ap-southeast-1"


@pytest.fixture(scope="module")
def emulator_url() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def dynamodb(emulator_url: str) -> Any:
    return boto3.client("dynamodb", endpoint_url=emulator_url, region_name=REGION)


@pytest.fixture
def streams(emulator_url: str) -> Any:
    return boto3.client("dynamodbstreams", endpoint_url=emulator_url, region_name=REGION)


@pytest.fixture
def table(dynamodb: Any) -> str:
    name = f"orders-{uuid.uuid4().hex[:8]}"
    dynamodb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    )
    return name


@pytest.fixture
def dead_letters(tmp_path: Path) -> DeadLetterStore:
    return DeadLetterStore(tmp_path / "dead-letters.jsonl")


def placeholder_arn(table: str) -> str:
    """What the app's settings give Chalice at import: only the table name is real."""
    return f"arn:aws:dynamodb:{REGION}:000000000000:table/{table}/stream/placeholder"


@dataclass
class OrderHandler:
    """The test app's stream handler: records deliveries, fails on ``poison`` keys.

    ``mode="report"`` answers with ``batchItemFailures`` for each poison record (Powertools
    style); ``mode="raise"`` raises at the first poison record (a whole-batch failure).
    ``fail_times`` limits how often a poison key fails (then it is "fixed").
    """

    poison: set[str] = field(default_factory=set)
    mode: str = "report"
    fail_times: int | None = None
    deliveries: list[list[str]] = field(default_factory=list)
    succeeded: list[list[str]] = field(default_factory=list)
    records: list[Any] = field(default_factory=list)
    contexts: list[Any] = field(default_factory=list)
    _failures: dict[str, int] = field(default_factory=dict)

    def _fails(self, key: str) -> bool:
        if key not in self.poison:
            return False
        if self.fail_times is not None and self._failures.get(key, 0) >= self.fail_times:
            return False
        self._failures[key] = self._failures.get(key, 0) + 1
        return True

    def __call__(self, event: DynamoDBEvent) -> dict[str, Any]:
        batch = list(event)
        keys = [record.keys["id"]["S"] for record in batch]
        self.deliveries.append(keys)
        self.records.extend(batch)
        self.contexts.append(event.context)
        failures = []
        for record, key in zip(batch, keys, strict=True):
            if self._fails(key):
                if self.mode == "raise":
                    raise RuntimeError(f"cannot handle order {key}")
                failures.append({"itemIdentifier": record.sequence_number})
        if not failures:
            self.succeeded.append(keys)
        return {"batchItemFailures": failures}


def make_app(table: str, handler: OrderHandler, batch_size: int = 10) -> Chalice:
    app = Chalice(app_name="devstack-test")

    @app.on_dynamodb_record(stream_arn=placeholder_arn(table), batch_size=batch_size)
    def on_order_change(event: DynamoDBEvent) -> dict[str, Any]:
        return handler(event)

    return app


def put_orders(dynamodb: Any, table: str, keys: list[str]) -> None:
    for key in keys:
        dynamodb.put_item(TableName=table, Item={"id": {"S": key}, "total": {"N": "10"}})


PollerFactory = Callable[..., StreamPoller]


@pytest.fixture
def make_poller(dynamodb: Any, streams: Any, dead_letters: DeadLetterStore) -> PollerFactory:
    def build(
        app: Chalice, max_retries: int = 2, start_position: str = "TRIM_HORIZON"
    ) -> StreamPoller:
        (source,) = [s for s in app.event_sources if isinstance(s, DynamoDBEventConfig)]
        poller = StreamPoller(
            app,
            source,
            dynamodb=dynamodb,
            streams=streams,
            region=REGION,
            dead_letters=dead_letters,
            max_retries=max_retries,
            start_position=start_position,
            retry_backoff_seconds=0.01,
            max_backoff_seconds=0.02,
        )
        poller.prepare()
        return poller

    return build


def test_converter_fixes_the_four_fields_moto_gets_wrong(
    dynamodb: Any, streams: Any, table: str
) -> None:
    # Given a record read from the emulator's stream
    dynamodb.put_item(TableName=table, Item={"id": {"S": "o1"}, "photo": {"B": b"\x00\x01"}})
    stream_arn = dynamodb.describe_table(TableName=table)["Table"]["LatestStreamArn"]
    shard = streams.describe_stream(StreamArn=stream_arn)["StreamDescription"]["Shards"][0]
    iterator = streams.get_shard_iterator(
        StreamArn=stream_arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
    )["ShardIterator"]
    raw = streams.get_records(ShardIterator=iterator)["Records"]
    assert "eventSourceARN" not in raw[0]  # the moto gap this converter exists for

    # When it is converted
    (record,) = to_lambda_records(raw, stream_arn, REGION)

    # Then it reads as Lambda would deliver it
    assert record["eventSourceARN"] == stream_arn
    assert record["awsRegion"] == REGION
    assert record["eventVersion"] == "1.1"
    created = record["dynamodb"]["ApproximateCreationDateTime"]
    assert isinstance(created, int)
    assert abs(created - datetime.now().timestamp()) < 120
    assert record["dynamodb"]["NewImage"]["photo"] == {"B": "AAE="}
    assert isinstance(raw[0]["dynamodb"]["ApproximateCreationDateTime"], datetime)  # not mutated


def test_handler_receives_a_dynamodb_event_with_images_and_the_real_stream_arn(
    dynamodb: Any, table: str, make_poller: PollerFactory
) -> None:
    handler = OrderHandler()
    poller = make_poller(make_app(table, handler))

    dynamodb.put_item(TableName=table, Item={"id": {"S": "o1"}, "total": {"N": "10"}})
    dynamodb.put_item(TableName=table, Item={"id": {"S": "o1"}, "total": {"N": "12"}})
    poller.poll_until_idle()

    insert, modify = handler.records
    assert (insert.event_name, modify.event_name) == ("INSERT", "MODIFY")
    assert modify.new_image["total"] == {"N": "12"}
    assert modify.old_image["total"] == {"N": "10"}
    assert modify.event_source_arn == poller.stream_arn
    assert "placeholder" not in poller.stream_arn
    assert modify.table_name == table
    assert modify.aws_region == REGION
    assert modify.timestamp.year >= 2024
    context = handler.contexts[0]
    assert context.function_name == "devstack-test-local-on_order_change"
    assert context.invoked_function_arn.endswith(":function:devstack-test-local-on_order_change")
    assert context.get_remaining_time_in_millis() > 0
    assert context.aws_request_id


def test_poller_redelivers_from_the_failed_record_after_a_partial_batch_failure(
    dynamodb: Any, table: str, make_poller: PollerFactory
) -> None:
    # Given a handler that fails o3 once
    handler = OrderHandler(poison={"o3"}, fail_times=1)
    poller = make_poller(make_app(table, handler))

    # When five records arrive in one batch
    put_orders(dynamodb, table, ["o1", "o2", "o3", "o4", "o5"])
    poller.poll_until_idle()

    # Then o1 and o2 are done; o3 and everything after it come again
    assert handler.deliveries == [["o1", "o2", "o3", "o4", "o5"], ["o3", "o4", "o5"]]


def test_poller_honours_the_batch_size(
    dynamodb: Any, table: str, make_poller: PollerFactory
) -> None:
    handler = OrderHandler()
    poller = make_poller(make_app(table, handler, batch_size=2))

    put_orders(dynamodb, table, ["o1", "o2", "o3", "o4", "o5"])
    poller.poll_until_idle()

    assert handler.deliveries == [["o1", "o2"], ["o3", "o4"], ["o5"]]


def test_poller_parks_a_poison_record_after_max_retries_and_continues(
    dynamodb: Any, table: str, make_poller: PollerFactory, dead_letters: DeadLetterStore
) -> None:
    # Given a handler that always fails o2, and at most 2 retries
    handler = OrderHandler(poison={"o2"})
    poller = make_poller(make_app(table, handler), max_retries=2)

    put_orders(dynamodb, table, ["o1", "o2", "o3", "o4"])
    poller.poll_until_idle()

    # Then o2 was delivered 1 + 2 times, then parked, and the records after it went through
    assert handler.deliveries == [
        ["o1", "o2", "o3", "o4"],
        ["o2", "o3", "o4"],
        ["o2", "o3", "o4"],
        ["o3", "o4"],
    ]
    (letter,) = dead_letters.list()
    assert letter.handler == "on_order_change"
    assert letter.table == table
    assert letter.attempts == 3
    assert letter.record["dynamodb"]["Keys"] == {"id": {"S": "o2"}}
    assert letter.record["eventSourceARN"] == poller.stream_arn
    assert "batchItemFailures" in letter.error
    assert letter.parked_at


def test_replaying_a_parked_record_after_the_fix_succeeds_and_removes_it(
    dynamodb: Any, table: str, make_poller: PollerFactory, dead_letters: DeadLetterStore
) -> None:
    handler = OrderHandler(poison={"o2"}, mode="raise")
    app = make_app(table, handler)
    poller = make_poller(app, max_retries=0)
    put_orders(dynamodb, table, ["o1", "o2"])
    poller.poll_until_idle()
    (letter,) = dead_letters.list()

    # A replay before the fix fails and keeps the record, counting the attempt
    (still_failing,) = replay(dead_letters, app, [letter.id], region=REGION)
    assert not still_failing.succeeded
    assert "RuntimeError" in still_failing.error
    assert dead_letters.list()[0].attempts == letter.attempts + 1

    # When the handler is fixed and the record replayed
    handler.poison.clear()
    (result,) = replay(dead_letters, app, [letter.id], region=REGION)

    # Then it was delivered alone and the store is empty
    assert result.succeeded
    assert handler.deliveries[-1] == ["o2"]
    assert dead_letters.list() == []


def test_replay_all_reports_an_unknown_id_without_raising(
    dead_letters: DeadLetterStore, table: str
) -> None:
    app = make_app(table, OrderHandler())
    (result,) = replay(dead_letters, app, ["nope"], region=REGION)
    assert not result.succeeded
    assert replay(dead_letters, app, None, region=REGION) == []


def test_a_whole_batch_exception_is_bisected_until_the_poison_record_is_alone(
    dynamodb: Any, table: str, make_poller: PollerFactory, dead_letters: DeadLetterStore
) -> None:
    # Given a handler that raises whenever o6 is in its batch
    handler = OrderHandler(poison={"o6"}, mode="raise")
    poller = make_poller(make_app(table, handler, batch_size=8), max_retries=1)
    keys = [f"o{i}" for i in range(1, 9)]

    put_orders(dynamodb, table, keys)
    poller.poll_until_idle()

    # Then the halves were tried until o6 failed alone (1 + 1 retry), then it was parked
    assert handler.deliveries == [
        keys,
        ["o1", "o2", "o3", "o4"],
        ["o5", "o6", "o7", "o8"],
        ["o5", "o6"],
        ["o5"],
        ["o6"],
        ["o6"],
        ["o7"],
        ["o8"],
    ]
    assert sorted(k for batch in handler.succeeded for k in batch) == sorted(set(keys) - {"o6"})
    (letter,) = dead_letters.list()
    assert letter.record["dynamodb"]["Keys"] == {"id": {"S": "o6"}}
    assert letter.attempts == 2
    assert letter.error.startswith("RuntimeError: cannot handle order o6")
    assert "Traceback" in letter.traceback

    # And the next batch is full size again
    put_orders(dynamodb, table, ["p1", "p2", "p3"])
    poller.poll_until_idle()
    assert handler.deliveries[-1] == ["p1", "p2", "p3"]


def test_a_poller_started_at_latest_skips_records_written_before_it(
    dynamodb: Any, table: str, make_poller: PollerFactory
) -> None:
    # Given records already in the stream (as after restoring saved tables)
    put_orders(dynamodb, table, ["restored1", "restored2"])
    handler = OrderHandler()
    poller = make_poller(make_app(table, handler), start_position="LATEST")

    # When a new record is written after the poller took its iterators
    put_orders(dynamodb, table, ["new1"])
    poller.poll_until_idle()

    # Then only the new record is delivered
    assert handler.deliveries == [["new1"]]


def test_an_unusable_failure_answer_counts_as_a_whole_batch_failure(
    dynamodb: Any, table: str, make_poller: PollerFactory, dead_letters: DeadLetterStore
) -> None:
    app = Chalice(app_name="devstack-test")
    calls: list[int] = []

    @app.on_dynamodb_record(stream_arn=placeholder_arn(table), batch_size=10)
    def on_order_change(event: DynamoDBEvent) -> dict[str, Any]:
        calls.append(len(list(event)))
        return {"batchItemFailures": [{"itemIdentifier": ""}]}

    poller = make_poller(app, max_retries=0)
    put_orders(dynamodb, table, ["o1", "o2"])
    poller.poll_until_idle()

    assert calls == [2, 1, 1]  # bisected, then each record failed alone and was parked
    assert len(dead_letters.list()) == 2


# moto keeps one open shard per stream for ever: shard splits and expired iterators are
# reproduced with a small stand-in for the DynamoDB Streams API (not our code).


def raw_record(key: str, sequence: int) -> dict[str, Any]:
    return {
        "eventID": f"e{sequence}",
        "eventName": "INSERT",
        "eventVersion": "1.0",
        "eventSource": "aws:dynamodb",
        "awsRegion": "us-east-1",
        "dynamodb": {
            "ApproximateCreationDateTime": datetime(2026, 5, 1, tzinfo=UTC),
            "Keys": {"id": {"S": key}},
            "NewImage": {"id": {"S": key}},
            "SequenceNumber": str(sequence),
            "SizeBytes": 10,
            "StreamViewType": "NEW_AND_OLD_IMAGES",
        },
    }


@dataclass
class FakeShard:
    records: list[dict[str, Any]]
    parent: str | None = None
    closed: bool = False


class FakeStreamsApi:
    """``describe_table`` + the DynamoDB Streams calls the poller makes, over in-memory shards."""

    stream_arn = f"arn:aws:dynamodb:{REGION}:123456789012:table/orders/stream/2026-05-01"

    def __init__(self, shards: dict[str, FakeShard]) -> None:
        self.shards = shards
        self.expire_next_get_records = False

    def describe_table(self, **call: Any) -> dict[str, Any]:
        return {"Table": {"TableName": call["TableName"], "LatestStreamArn": self.stream_arn}}

    def describe_stream(self, **call: Any) -> dict[str, Any]:
        shards = []
        for shard_id, shard in self.shards.items():
            numbers = {"StartingSequenceNumber": "0"}
            if shard.closed:
                numbers["EndingSequenceNumber"] = "999"
            described: dict[str, Any] = {"ShardId": shard_id, "SequenceNumberRange": numbers}
            if shard.parent:
                described["ParentShardId"] = shard.parent
            shards.append(described)
        return {"StreamDescription": {"StreamArn": call["StreamArn"], "Shards": shards}}

    def get_shard_iterator(self, **call: Any) -> dict[str, Any]:
        shard_id, kind = call["ShardId"], call["ShardIteratorType"]
        records = self.shards[shard_id].records
        if kind == "TRIM_HORIZON":
            position = 0
        elif kind == "AFTER_SEQUENCE_NUMBER":
            sequences = [r["dynamodb"]["SequenceNumber"] for r in records]
            position = sequences.index(call["SequenceNumber"]) + 1
        else:
            position = len(records)
        return {"ShardIterator": f"{shard_id}|{position}"}

    def get_records(self, **call: Any) -> dict[str, Any]:
        if self.expire_next_get_records:
            self.expire_next_get_records = False
            raise ClientError(
                {"Error": {"Code": "ExpiredIteratorException", "Message": "expired"}},
                "GetRecords",
            )
        shard_id, position_text = call["ShardIterator"].split("|")
        shard, position = self.shards[shard_id], int(position_text)
        batch = shard.records[position : position + call["Limit"]]
        end = position + len(batch)
        response: dict[str, Any] = {"Records": batch}
        if not (shard.closed and end >= len(shard.records)):
            response["NextShardIterator"] = f"{shard_id}|{end}"
        return response


def fake_poller(api: FakeStreamsApi, app: Chalice, dead_letters: DeadLetterStore) -> StreamPoller:
    (source,) = [s for s in app.event_sources if isinstance(s, DynamoDBEventConfig)]
    poller = StreamPoller(
        app,
        source,
        dynamodb=api,
        streams=api,
        region=REGION,
        dead_letters=dead_letters,
        max_retries=1,
        start_position="TRIM_HORIZON",
    )
    poller.prepare()
    return poller


def test_a_child_shard_is_read_after_its_closed_parent(dead_letters: DeadLetterStore) -> None:
    # Given a parent shard that was split after two records, its child listed first
    api = FakeStreamsApi(
        {
            "child": FakeShard([raw_record("o3", 3)], parent="parent"),
            "parent": FakeShard([raw_record("o1", 1), raw_record("o2", 2)], closed=True),
        }
    )
    handler = OrderHandler()
    poller = fake_poller(api, make_app("orders", handler, batch_size=1), dead_letters)

    poller.poll_until_idle()

    # Then the parent's records come first, and the finished parent is dropped
    assert handler.deliveries == [["o1"], ["o2"], ["o3"]]
    assert handler.records[0].event_source_arn == api.stream_arn

    # And a shard born later (a new split) is found and read from its start
    api.shards["child"].closed = True
    api.shards["grandchild"] = FakeShard([raw_record("o4", 4)], parent="child")
    poller.poll_until_idle()
    assert handler.deliveries[-1] == ["o4"]


def test_an_expired_iterator_is_renewed_after_the_last_record_read(
    dead_letters: DeadLetterStore,
) -> None:
    api = FakeStreamsApi({"only": FakeShard([raw_record("o1", 1)])})
    handler = OrderHandler()
    poller = fake_poller(api, make_app("orders", handler), dead_letters)
    poller.poll_until_idle()

    # When the iterator expires (AWS: after 15 minutes) while new records arrive
    api.shards["only"].records.append(raw_record("o2", 2))
    api.expire_next_get_records = True
    poller.poll_until_idle()

    # Then nothing is lost and nothing is delivered twice
    assert handler.deliveries == [["o1"], ["o2"]]


# -- long-running handlers (label jobs) ---------------------------------------------------------


def test_the_label_job_handler_gets_its_15_minutes_locally_as_in_aws() -> None:
    # The stack gives each poller (and each dlq replay) the limits Chalice gives the function
    # on stage local, from .chalice/config.json's per-function settings.
    import app as application
    from devstack.config import REPO_ROOT, load_chalice_config
    from devstack.server import chalice_config
    from devstack.stack import function_limits

    data = load_chalice_config(REPO_ROOT / ".chalice" / "config.json")
    config = chalice_config(application.app, data, REPO_ROOT)

    assert function_limits(config, "on_label_job_change") == (900, 3538)
    assert function_limits(config, "on_export_change") == (900, 1024)
    assert function_limits(config, "on_notification_change") == (10, 512)


def test_a_long_handler_is_delivered_once_while_another_poller_keeps_delivering(
    dynamodb: Any, streams: Any, dead_letters: DeadLetterStore
) -> None:
    # Given two stream handlers, each with its own poller on its own thread (as the stack runs
    # them), the first busy for as long as the test says, with Lambda's 15 minutes
    jobs_table, orders_table = (f"{name}-{uuid.uuid4().hex[:8]}" for name in ("jobs", "orders"))
    for name in (jobs_table, orders_table):
        dynamodb.create_table(
            TableName=name,
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
            StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"},
        )
    started, release = threading.Event(), threading.Event()
    job_runs: list[tuple[str, int]] = []
    orders = OrderHandler()
    app = Chalice(app_name="devstack-test")

    @app.on_dynamodb_record(stream_arn=placeholder_arn(jobs_table), batch_size=1)
    def on_job_change(event: DynamoDBEvent) -> dict[str, Any]:
        for record in event:
            job_runs.append((record.keys["id"]["S"], event.context.get_remaining_time_in_millis()))
        started.set()
        assert release.wait(20), "the test never released the job"
        return {"batchItemFailures": []}

    @app.on_dynamodb_record(stream_arn=placeholder_arn(orders_table), batch_size=10)
    def on_order_change(event: DynamoDBEvent) -> dict[str, Any]:
        return orders(event)

    pollers = pollers_for(
        app,
        dynamodb=dynamodb,
        streams=streams,
        region=REGION,
        dead_letters=dead_letters,
        max_retries=2,
        start_position="TRIM_HORIZON",
    )
    for poller in pollers:
        if poller.handler_name == "on_job_change":
            poller.timeout_seconds = 900
        poller.poll_interval_seconds = 0.02
        poller.prepare()
    stop = threading.Event()
    threads = [threading.Thread(target=p.run, args=(stop,), daemon=True) for p in pollers]
    for thread in threads:
        thread.start()
    try:
        # When a job starts and, while it runs, an order is written
        put_orders(dynamodb, jobs_table, ["job-1"])
        assert started.wait(10)
        put_orders(dynamodb, orders_table, ["o1"])

        # Then the order is delivered while the job still runs
        deadline = time.monotonic() + 10
        while not orders.succeeded and time.monotonic() < deadline:
            time.sleep(0.02)
        assert orders.succeeded == [["o1"]]
        assert not release.is_set()

        # And the job, once it finishes, was delivered once, told it had its 900 s
        time.sleep(0.3)  # the job's poller had every chance to deliver it again meanwhile
        release.set()
        time.sleep(0.3)
    finally:
        release.set()
        stop.set()
        for thread in threads:
            thread.join(timeout=5)
    assert [job for job, _ in job_runs] == ["job-1"]
    assert job_runs[0][1] > 890_000
    assert dead_letters.list() == []


def test_a_replay_gives_each_handler_its_own_limits(
    dynamodb: Any, table: str, make_poller: PollerFactory, dead_letters: DeadLetterStore
) -> None:
    handler = OrderHandler(poison={"o1"}, fail_times=1)
    app = make_app(table, handler)
    poller = make_poller(app, max_retries=0)
    put_orders(dynamodb, table, ["o1"])
    poller.poll_until_idle()
    (letter,) = dead_letters.list()

    (result,) = replay(
        dead_letters, app, [letter.id], region=REGION, limits=lambda name: (900, 2048)
    )

    assert result.succeeded
    assert handler.contexts[-1].memory_limit_in_mb == 2048
    assert handler.contexts[-1].get_remaining_time_in_millis() > 890_000


@contextmanager
def nudged_run(poller: StreamPoller) -> Iterator[tuple[Nudge, threading.Thread]]:
    """``poller`` running in a thread with a nudge, as the stack runs it; stopped as the stack
    stops it (the stop, then a nudge: an idle poller wakes and sees the stop)."""
    nudge, stop = Nudge(), threading.Event()
    thread = threading.Thread(target=poller.run, args=(stop, nudge), daemon=True)
    thread.start()
    try:
        yield nudge, thread
    finally:
        stop.set()
        nudge()
        thread.join(timeout=5)


def test_a_nudged_poller_delivers_at_once_and_an_idle_one_waits_its_interval(
    dynamodb: Any, table: str, make_poller: PollerFactory
) -> None:
    # Given a poller that, idle, would look again only after a minute, running in a thread
    # with the stack's nudge, and an order it has already delivered
    orders = OrderHandler()
    poller = make_poller(make_app(table, orders))
    poller.poll_interval_seconds = 60.0
    put_orders(dynamodb, table, ["o1"])
    with nudged_run(poller) as (nudge, thread):
        deadline = time.monotonic() + 10
        while orders.succeeded != [["o1"]] and time.monotonic() < deadline:
            time.sleep(0.01)
        assert orders.succeeded == [["o1"]]
        time.sleep(0.3)  # its next pass finds nothing: it is idle now

        # When another order is written and nobody nudges, it waits (the poller is idle)
        put_orders(dynamodb, table, ["o2"])
        time.sleep(0.5)
        assert orders.succeeded == [["o1"]]

        # Then a nudge delivers it at once
        nudged = time.monotonic()
        nudge()
        while len(orders.succeeded) < 2 and time.monotonic() < nudged + 10:
            time.sleep(0.01)
        assert orders.succeeded == [["o1"], ["o2"]]
        assert time.monotonic() - nudged < 2.0
    assert not thread.is_alive()


def test_a_retry_backoff_is_not_stretched_to_the_idle_interval(
    dynamodb: Any, table: str, make_poller: PollerFactory
) -> None:
    # Given a poller idle for a minute between nudges, and an order that fails twice
    orders = OrderHandler(poison={"o1"}, fail_times=2)
    poller = make_poller(make_app(table, orders), max_retries=3)
    poller.poll_interval_seconds = 60.0
    put_orders(dynamodb, table, ["o1"])
    with nudged_run(poller):
        # Then its retries come after their backoff (milliseconds here), not after a minute
        deadline = time.monotonic() + 10
        while not orders.succeeded and time.monotonic() < deadline:
            time.sleep(0.01)
        assert orders.succeeded == [["o1"]]
        assert orders.deliveries == [["o1"]] * 3
