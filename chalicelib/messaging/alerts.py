"""The delivery-failures queue: a message that needs a person (config, funds, retries spent,
an ambiguous send) is parked here by key. The queue has an alarm on its depth (infra); the
outbox item keeps the whole message, so replaying means re-queueing it by id
(docs/reference/security.md#t-c19).
"""

from __future__ import annotations

import functools
import json
from typing import Any

from chalicelib.core.observability import logger


class SqsAlerts:
    """:class:`~chalicelib.messaging.sender.Alerts` on SQS: one small JSON body per alert."""

    def __init__(self, queue_name: str, client: Any | None = None) -> None:
        self._queue_name = queue_name
        self._client = client

    @functools.cached_property
    def _sqs(self) -> Any:
        if self._client is not None:
            return self._client
        import boto3  # first use only: most invocations never alert

        return boto3.client("sqs")

    @functools.cached_property
    def _queue_url(self) -> str:
        return str(self._sqs.get_queue_url(QueueName=self._queue_name)["QueueUrl"])

    def alert(self, message_id: str, reason: str, state: str) -> None:
        logger.error(
            "message needs attention",
            extra={"message_id": message_id, "reason": reason, "state": state},
        )
        body = {"message_id": message_id, "reason": reason, "state": state}
        self._sqs.send_message(QueueUrl=self._queue_url, MessageBody=json.dumps(body))
