"""DynamoDB Streams → the app's ``on_dynamodb_record`` handlers, as Lambda's event source mapping.

:func:`to_lambda_records` turns records read from the emulator into the records Lambda puts in
an event (tests and benches build stream events with it). :class:`StreamPoller` reads one
handler's stream shard by shard and delivers batches with Lambda's semantics:

- batches of at most the handler's ``batch_size``, in order, per shard (a child shard waits
  for its parent);
- partial batch responses (``batchItemFailures``): the records before the lowest failed one are
  done, that one and the rest are delivered again;
- a whole-batch failure (an exception, or an unusable failure list) halves the batch until the
  failing record is alone (``BisectBatchOnFunctionError``);
- a record that fails alone is retried ``max_retries`` times (so delivered ``1 + max_retries``
  times) with exponential backoff, then parked in the :class:`~devstack.deadletters.
  DeadLetterStore` and the shard moves on (``MaximumRetryAttempts`` + on-failure destination).
"""

from __future__ import annotations

import copy
import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from botocore.exceptions import ClientError
from chalice.app import Chalice, DynamoDBEventConfig

from devstack.deadletters import DeadLetterStore
from devstack.dynamodb_json import to_json_safe
from devstack.invocation import BatchOutcome, invoke_stream_handler

logger = logging.getLogger(__name__)

LAMBDA_EVENT_VERSION = "1.1"
GET_RECORDS_LIMIT = 1000
SHARD_REFRESH_SECONDS = 10.0
BACKLOG_SHARD = "journal-backlog"


def table_name_from_arn(arn: str) -> str:
    """``arn:aws:dynamodb:r:a:table/garanti-local-units/stream/…`` → ``garanti-local-units``."""
    resource = arn.split(":", 5)[-1]
    parts = resource.split("/")
    if len(parts) < 2 or parts[0] != "table" or not parts[1]:
        raise ValueError(f"not a DynamoDB table or stream ARN: {arn!r}")
    return parts[1]


def _epoch_seconds(value: Any) -> int:
    if isinstance(value, datetime):
        return int(value.timestamp())
    if isinstance(value, (int, float, Decimal)):
        return int(value)
    if isinstance(value, str):
        try:
            return int(float(value))
        except ValueError:
            return int(datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp())
    raise TypeError(f"ApproximateCreationDateTime of unexpected type {type(value).__name__}")


def to_lambda_records(
    raw_records: Iterable[Mapping[str, Any]], stream_arn: str, region: str
) -> list[dict[str, Any]]:
    """Records from ``dynamodbstreams.get_records`` as Lambda delivers them to a handler.

    Fixes what moto gets wrong or boto3 changes, and copies everything else:

    - ``eventSourceARN``: set to ``stream_arn`` (moto leaves it out; Chalice reads it);
    - ``dynamodb.ApproximateCreationDateTime``: epoch seconds, a number (boto3 gives a
      datetime; Chalice calls ``utcfromtimestamp`` on it);
    - ``awsRegion``: ``region`` (moto says ``us-east-1``);
    - ``eventVersion``: ``"1.1"`` (moto says ``"1.0"``);
    - binary attribute values: base64 text, as in a Lambda event (boto3 gives bytes).

    >>> raw = {"eventID": "1", "eventName": "INSERT", "eventVersion": "1.0",
    ...        "eventSource": "aws:dynamodb", "awsRegion": "us-east-1",
    ...        "dynamodb": {"ApproximateCreationDateTime": datetime(2026, 1, 1, tzinfo=UTC),
    ...                     "Keys": {"serial": {"S": "A1"}}, "SequenceNumber": "100",
    ...                     "SizeBytes": 12, "StreamViewType": "NEW_AND_OLD_IMAGES"}}
    >>> to_lambda_records([raw], "arn:…/stream/2026", "ap-southeast-1")[0]["dynamodb"][
    ...     "ApproximateCreationDateTime"]
    1767225600
    """
    converted = []
    for raw in raw_records:
        record = copy.deepcopy(dict(raw))
        record["eventSourceARN"] = stream_arn
        record["awsRegion"] = region
        record["eventVersion"] = LAMBDA_EVENT_VERSION
        record.setdefault("eventSource", "aws:dynamodb")
        dynamodb = dict(record.get("dynamodb") or {})
        if "ApproximateCreationDateTime" in dynamodb:
            dynamodb["ApproximateCreationDateTime"] = _epoch_seconds(
                dynamodb["ApproximateCreationDateTime"]
            )
        for image in ("Keys", "NewImage", "OldImage"):
            if isinstance(dynamodb.get(image), Mapping):
                dynamodb[image] = to_json_safe(dynamodb[image])
        record["dynamodb"] = dynamodb
        converted.append(record)
    return converted


def stream_event(
    raw_records: Iterable[Mapping[str, Any]], stream_arn: str, region: str
) -> dict[str, Any]:
    """The Lambda event for ``raw_records``: ``{"Records": to_lambda_records(...)}``."""
    return {"Records": to_lambda_records(raw_records, stream_arn, region)}


def resolve_stream_arn(dynamodb: Any, table_name: str) -> str:
    """The table's ``LatestStreamArn``; raises ``ValueError`` when the table has no stream."""
    table = dynamodb.describe_table(TableName=table_name)["Table"]
    arn = table.get("LatestStreamArn")
    if not arn or not table.get("StreamSpecification", {}).get("StreamEnabled", True):
        raise ValueError(f"table {table_name} has no stream: enable one in its model's Meta")
    return str(arn)


def _error_code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def _sequence(record: Mapping[str, Any]) -> str:
    return str(record["dynamodb"]["SequenceNumber"])


@dataclass
class _Shard:
    shard_id: str
    parent_id: str | None
    iterator_type: str
    iterator: str | None = None
    has_iterator: bool = False
    closed: bool = False
    last_sequence: str | None = None
    pending: list[dict[str, Any]] = field(default_factory=list)
    window: int = 0
    narrow_until: str | None = None
    failures: dict[str, int] = field(default_factory=dict)
    not_before: float = 0.0

    @property
    def finished(self) -> bool:
        return self.closed and not self.pending


class Nudge:
    """Wakes the idle pollers of the tables that changed.

    Each table's nudges count up (a nudge of every table, as on stop, counts for all); a
    poller remembers its table's count before a pass that found nothing and waits until it
    moves or its idle time is over, so a nudge during the pass is never lost."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._every = 0
        self._tables: dict[str, int] = {}

    def generation(self, table: str) -> tuple[int, int]:
        return self._every, self._tables.get(table, 0)

    def __call__(self, tables: Iterable[str] | None = None) -> None:
        """Nudge ``tables`` (``None``: all of them)."""
        with self._changed:
            if tables is None:
                self._every += 1
            else:
                for table in tables:
                    self._tables[table] = self._tables.get(table, 0) + 1
            self._changed.notify_all()

    def wait(self, table: str, seen: tuple[int, int], timeout: float) -> None:
        with self._changed:
            self._changed.wait_for(lambda: self.generation(table) != seen, timeout)


class StreamPoller:
    """Lambda's event source mapping for one ``on_dynamodb_record`` handler (see module doc).

    Call :meth:`prepare` before anything else writes to the table: it takes the shard
    iterators, so ``start_position="LATEST"`` means "records written from now on". Then call
    :meth:`poll_once` repeatedly, or :meth:`run` in a thread until ``stop`` is set.
    """

    def __init__(
        self,
        app: Chalice,
        source: DynamoDBEventConfig,
        *,
        dynamodb: Any,
        streams: Any,
        region: str,
        dead_letters: DeadLetterStore,
        max_retries: int,
        start_position: str = "LATEST",
        retry_backoff_seconds: float = 0.2,
        max_backoff_seconds: float = 2.0,
        poll_interval_seconds: float = 0.25,
        timeout_seconds: int = 60,
        memory_mb: int = 128,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if source.name not in app.handler_map:
            raise ValueError(f"the app has no handler named {source.name!r}")
        self.app = app
        self.handler_name = source.name
        self.batch_size = max(1, int(source.batch_size))
        self.table_name = table_name_from_arn(source.stream_arn)
        self.stream_arn = ""
        self.region = region
        self.max_retries = max_retries
        self.start_position = start_position
        self.retry_backoff_seconds = retry_backoff_seconds
        self.max_backoff_seconds = max_backoff_seconds
        self.poll_interval_seconds = poll_interval_seconds
        self.timeout_seconds = timeout_seconds
        self.memory_mb = memory_mb
        self._dynamodb = dynamodb
        self._streams = streams
        self._dead_letters = dead_letters
        self._clock = clock
        self._shards: dict[str, _Shard] = {}
        self._finished_shards: set[str] = set()
        self._next_refresh = 0.0
        self._backlog: list[dict[str, Any]] = []
        # Called with (handler, sequence number) when records are finished (or parked).
        self.on_checkpoint: Callable[[str, int], None] | None = None

    def resume(self, raw_records: list[dict[str, Any]]) -> None:
        """Deliver ``raw_records`` (the journal's records this handler had not finished before
        the restart) before anything the live stream gives: call before :meth:`prepare`."""
        self._backlog = list(raw_records)

    # -- shards and iterators -------------------------------------------------------------

    def prepare(self) -> None:
        """Resolve the real stream ARN and take an iterator on every open shard, now."""
        self.stream_arn = resolve_stream_arn(self._dynamodb, self.table_name)
        self._shards.clear()
        self._finished_shards.clear()
        self._refresh_shards(iterator_type=self.start_position)
        for shard in self._shards.values():
            self._take_iterator(shard)
        if self._backlog:
            self._add_backlog_shard()
        logger.info(
            "stream poller ready",
            extra={
                "handler": self.handler_name,
                "table": self.table_name,
                "shards": len(self._shards),
                "start": self.start_position,
            },
        )

    def _add_backlog_shard(self) -> None:
        """The backlog as a closed parent shard: the live shards wait until it is finished."""
        backlog = _Shard(
            shard_id=BACKLOG_SHARD,
            parent_id=None,
            iterator_type="",
            has_iterator=True,
            closed=True,
            window=self.batch_size,
        )
        backlog.pending = to_lambda_records(self._backlog, self.stream_arn, self.region)
        for shard in self._shards.values():
            shard.parent_id = shard.parent_id or BACKLOG_SHARD
        self._shards = {BACKLOG_SHARD: backlog, **self._shards}
        logger.info(
            "stream backlog from the journal",
            extra={"handler": self.handler_name, "records": len(self._backlog)},
        )
        self._backlog = []

    def _describe_shards(self) -> list[dict[str, Any]]:
        shards: list[dict[str, Any]] = []
        kwargs: dict[str, Any] = {"StreamArn": self.stream_arn}
        while True:
            description = self._streams.describe_stream(**kwargs)["StreamDescription"]
            shards.extend(description.get("Shards", []))
            last = description.get("LastEvaluatedShardId")
            if not last:
                return shards
            kwargs["ExclusiveStartShardId"] = last

    def _refresh_shards(self, iterator_type: str = "TRIM_HORIZON") -> None:
        """Add shards we have not seen; shards born after ``prepare`` are read from the start."""
        for described in self._describe_shards():
            shard_id = str(described["ShardId"])
            if shard_id in self._shards or shard_id in self._finished_shards:
                continue
            ending = described.get("SequenceNumberRange", {}).get("EndingSequenceNumber")
            if ending and iterator_type == "LATEST":
                # Closed before we started: nothing written from now on can be in it.
                self._finished_shards.add(shard_id)
                continue
            self._shards[shard_id] = _Shard(
                shard_id=shard_id,
                parent_id=described.get("ParentShardId"),
                iterator_type=iterator_type,
                window=self.batch_size,
            )
        self._next_refresh = self._clock() + SHARD_REFRESH_SECONDS

    def _take_iterator(self, shard: _Shard) -> None:
        kwargs: dict[str, Any] = {"StreamArn": self.stream_arn, "ShardId": shard.shard_id}
        if shard.last_sequence is not None:
            kwargs.update(
                ShardIteratorType="AFTER_SEQUENCE_NUMBER", SequenceNumber=shard.last_sequence
            )
        else:
            kwargs["ShardIteratorType"] = shard.iterator_type
        shard.iterator = self._streams.get_shard_iterator(**kwargs).get("ShardIterator")
        shard.has_iterator = True
        shard.closed = shard.iterator is None

    def _fetch(self, shard: _Shard, renew_expired: bool = True) -> int:
        if not shard.has_iterator:
            self._take_iterator(shard)
        if shard.iterator is None:
            shard.closed = True
            return 0
        try:
            response = self._streams.get_records(
                ShardIterator=shard.iterator, Limit=min(GET_RECORDS_LIMIT, self.batch_size)
            )
        except ClientError as exc:
            code = _error_code(exc)
            if code == "ExpiredIteratorException" and renew_expired:
                self._take_iterator(shard)  # after the last record read: nothing lost
                return self._fetch(shard, renew_expired=False)
            if code == "TrimmedDataAccessException":
                logger.warning(
                    "stream records trimmed before they were read",
                    extra={"handler": self.handler_name, "shard": shard.shard_id},
                )
                shard.last_sequence = None
                shard.iterator_type = "TRIM_HORIZON"
                self._take_iterator(shard)
                return 0
            raise
        raw = response.get("Records", [])
        shard.iterator = response.get("NextShardIterator")
        if shard.iterator is None:
            shard.closed = True
        if raw:
            shard.last_sequence = str(raw[-1]["dynamodb"]["SequenceNumber"])
            shard.pending.extend(to_lambda_records(raw, self.stream_arn, self.region))
        return len(raw)

    # -- delivery ---------------------------------------------------------------------------

    def _backoff(self, failures: int) -> float:
        return float(
            min(self.max_backoff_seconds, self.retry_backoff_seconds * 2 ** max(0, failures - 1))
        )

    def _park(self, shard: _Shard, record: dict[str, Any], outcome: BatchOutcome) -> None:
        sequence = _sequence(record)
        attempts = shard.failures.pop(sequence, 0)
        letter = self._dead_letters.park(
            handler=self.handler_name,
            table=self.table_name,
            record=record,
            error=outcome.error,
            attempts=attempts,
            traceback=outcome.traceback,
        )
        logger.warning(
            "record parked in the dead-letter store (make dlq)",
            extra={
                "id": letter.id,
                "handler": self.handler_name,
                "table": self.table_name,
                "sequence": sequence,
                "attempts": attempts,
                "error": outcome.error.split(":", 1)[0],
            },
        )

    def _finish(self, shard: _Shard, count: int) -> None:
        for record in shard.pending[:count]:
            shard.failures.pop(_sequence(record), None)
        if count and self.on_checkpoint is not None:
            last = _sequence(shard.pending[count - 1])
            if last.isdigit():
                self.on_checkpoint(self.handler_name, int(last))
        del shard.pending[:count]
        if shard.narrow_until is not None and all(
            _sequence(record) != shard.narrow_until for record in shard.pending
        ):
            shard.window, shard.narrow_until = self.batch_size, None

    def _record_failure(self, shard: _Shard, index: int, outcome: BatchOutcome) -> None:
        """The record at ``index`` (now first pending) failed alone: retry later or park it."""
        self._finish(shard, index)
        record = shard.pending[0]
        sequence = _sequence(record)
        failures = shard.failures.get(sequence, 0) + 1
        shard.failures[sequence] = failures
        if failures == 1 and outcome.traceback:
            logger.debug("stream handler failed\n%s", outcome.traceback)
        if failures > self.max_retries:
            self._park(shard, record, outcome)
            self._finish(shard, 1)
            return
        delay = self._backoff(failures)
        shard.not_before = self._clock() + delay
        logger.warning(
            "stream record failed, will retry",
            extra={
                "handler": self.handler_name,
                "sequence": sequence,
                "failures": failures,
                "retry_in_s": round(delay, 2),
                "error": outcome.error.split(":", 1)[0],
            },
        )

    def _deliver(self, shard: _Shard) -> None:
        batch = shard.pending[: min(shard.window, self.batch_size)]
        outcome = invoke_stream_handler(
            self.app,
            self.handler_name,
            batch,
            region=self.region,
            timeout_seconds=self.timeout_seconds,
            memory_mb=self.memory_mb,
        )
        if outcome.succeeded:
            self._finish(shard, len(batch))
        elif outcome.whole_batch and len(batch) > 1:
            # BisectBatchOnFunctionError: try each half until the failing record is alone.
            shard.narrow_until = shard.narrow_until or _sequence(batch[-1])
            shard.window = max(1, len(batch) // 2)
            logger.info(
                "stream batch failed, bisecting",
                extra={"handler": self.handler_name, "size": len(batch), "next": shard.window},
            )
        else:
            self._record_failure(shard, outcome.failed_index or 0, outcome)

    def poll_once(self) -> int:
        """One pass over the shards: fetch what is due, deliver one batch per shard.

        Returns how much happened (records fetched + batches delivered); ``0`` means idle.
        """
        if not self.stream_arn:
            self.prepare()
        now = self._clock()
        if now >= self._next_refresh:
            self._refresh_shards()
        activity = 0
        for shard in list(self._shards.values()):
            if shard.parent_id and shard.parent_id in self._shards:
                continue  # the parent's records come first
            if now < shard.not_before:
                continue
            if len(shard.pending) < self.batch_size and not shard.closed:
                activity += self._fetch(shard)
            if shard.pending:
                self._deliver(shard)
                activity += 1
            if shard.finished:
                del self._shards[shard.shard_id]
                self._finished_shards.add(shard.shard_id)
                self._next_refresh = 0.0  # a closed shard has children to pick up
                activity += 1
        return activity

    @property
    def pending_count(self) -> int:
        return sum(len(shard.pending) for shard in self._shards.values())

    def poll_until_idle(self, timeout_seconds: float = 10.0) -> None:
        """Poll until nothing is pending and a pass finds nothing new (for tests and tools)."""
        deadline = time.monotonic() + timeout_seconds
        while time.monotonic() < deadline:
            activity = self.poll_once()
            if activity == 0 and self.pending_count == 0:
                return
            if activity == 0:
                time.sleep(0.01)  # a shard is waiting out a retry backoff
        raise TimeoutError(
            f"stream poller {self.handler_name} still busy after {timeout_seconds} s"
        )

    def _idle_seconds(self) -> float:
        """How long a pass that found nothing waits: the poll interval, or less when a shard's
        retry backoff ends sooner."""
        now = self._clock()
        due = [s.not_before - now for s in self._shards.values() if s.pending]
        return max(0.0, min([self.poll_interval_seconds, *due]))

    def run(self, stop: threading.Event, nudge: Nudge | None = None) -> None:
        """Poll until ``stop`` is set; an error is logged and the loop goes on. With ``nudge``,
        a pass that found nothing waits for the next nudge (at most the poll interval); the
        stack nudges on every stream record the emulator writes, and on stop."""
        while not stop.is_set():
            seen = nudge.generation(self.table_name) if nudge is not None else (0, 0)
            try:
                activity = self.poll_once()
            except ClientError as exc:
                if _error_code(exc) == "ResourceNotFoundException":
                    # The table (so its stream) was deleted and maybe created again: start over
                    # on the new stream from its first record.
                    logger.warning(
                        "stream gone, resolving it again", extra={"table": self.table_name}
                    )
                    self.stream_arn, self.start_position = "", "TRIM_HORIZON"
                else:
                    logger.exception("stream poller error", extra={"handler": self.handler_name})
                stop.wait(2.0)
                continue
            except Exception:
                logger.exception("stream poller error", extra={"handler": self.handler_name})
                stop.wait(2.0)
                continue
            if activity == 0 and nudge is not None:
                nudge.wait(self.table_name, seen, self._idle_seconds())
            elif activity == 0:
                stop.wait(self._idle_seconds())


def pollers_for(
    app: Chalice,
    *,
    dynamodb: Any,
    streams: Any,
    region: str,
    dead_letters: DeadLetterStore,
    max_retries: int,
    start_position: str,
    timeout_seconds: int = 60,
    memory_mb: int = 128,
) -> list[StreamPoller]:
    """One poller per ``on_dynamodb_record`` handler of ``app`` (not yet prepared)."""
    return [
        StreamPoller(
            app,
            source,
            dynamodb=dynamodb,
            streams=streams,
            region=region,
            dead_letters=dead_letters,
            max_retries=max_retries,
            start_position=start_position,
            timeout_seconds=timeout_seconds,
            memory_mb=memory_mb,
        )
        for source in app.event_sources
        if isinstance(source, DynamoDBEventConfig)
    ]
