"""Stream events built from the emulator's real DynamoDB stream records, converted by the
devstack's public converter (:func:`devstack.streams.to_lambda_records`), delivered to the
app's handlers as Lambda would (``app.handler_map[name](event, context)``)."""

from __future__ import annotations

import copy
import functools
from typing import Any

from devstack.lambda_context import LambdaContext
from devstack.streams import resolve_stream_arn, to_lambda_records
from tests.support.aws import REGION, Emulator


class StreamReader:
    """Reads one table's stream from its first record; each call returns what is new."""

    def __init__(self, emulator: Emulator, table_name: str) -> None:
        self._streams = emulator.streams
        self.arn = resolve_stream_arn(emulator.dynamodb, table_name)
        self._seen: set[str] = set()

    def _all_raw(self) -> list[dict[str, Any]]:
        shards = self._streams.describe_stream(StreamArn=self.arn)["StreamDescription"]["Shards"]
        raw: list[dict[str, Any]] = []
        for shard in shards:
            iterator = self._streams.get_shard_iterator(
                StreamArn=self.arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
            ).get("ShardIterator")
            while iterator:
                page = self._streams.get_records(ShardIterator=iterator, Limit=1000)
                if not page["Records"]:
                    break
                raw.extend(page["Records"])
                iterator = page.get("NextShardIterator")
        return raw

    def new_records(self) -> list[dict[str, Any]]:
        """Lambda-shaped records written since the previous call."""
        fresh = [r for r in self._all_raw() if r["dynamodb"]["SequenceNumber"] not in self._seen]
        self._seen.update(r["dynamodb"]["SequenceNumber"] for r in fresh)
        return to_lambda_records(fresh, self.arn, REGION)


@functools.cache
def _timeout_seconds(handler_name: str) -> int:
    """The function's timeout on stage local (.chalice/config.json), as the devstack gives it."""
    from app import app
    from devstack.config import REPO_ROOT, load_chalice_config
    from devstack.server import chalice_config
    from devstack.stack import function_limits

    config = chalice_config(
        app, load_chalice_config(REPO_ROOT / ".chalice" / "config.json"), REPO_ROOT
    )
    return function_limits(config, handler_name)[0]


def deliver(handler_name: str, records: list[dict[str, Any]]) -> dict[str, Any]:
    """Call the app's stream handler with ``{"Records": records}``; return its answer."""
    from app import app

    context = LambdaContext(
        app_name=app.app_name,
        handler_name=handler_name,
        region=REGION,
        timeout_seconds=_timeout_seconds(handler_name),
    )
    result: dict[str, Any] = app.handler_map[handler_name](
        {"Records": copy.deepcopy(records)}, context
    )
    return result


def failed_sequence_numbers(result: dict[str, Any]) -> list[str]:
    return [str(f["itemIdentifier"]) for f in result.get("batchItemFailures", [])]
