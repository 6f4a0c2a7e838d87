"""A Lambda context object for handlers the stack invokes (streams, schedules, replays).

It has the attributes of the Python runtime's ``LambdaContext`` that code reads (Powertools
Logger reads ``function_name``, ``memory_limit_in_mb``, ``invoked_function_arn`` and
``aws_request_id``), named as Lambda would name the deployed function:
``<app>-<stage>-<handler name>``.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

from devstack.config import ACCOUNT_ID, STAGE

DEFAULT_TIMEOUT_SECONDS = 60
DEFAULT_MEMORY_MB = 128


class LambdaContext:
    """One invocation's context; ``get_remaining_time_in_millis`` counts down from creation."""

    def __init__(
        self,
        *,
        app_name: str,
        handler_name: str,
        region: str,
        timeout_seconds: int = DEFAULT_TIMEOUT_SECONDS,
        memory_limit_in_mb: int = DEFAULT_MEMORY_MB,
        stage: str = STAGE,
        account_id: str = ACCOUNT_ID,
    ) -> None:
        self.function_name = f"{app_name}-{stage}-{handler_name}"
        self.function_version = "$LATEST"
        self.invoked_function_arn = (
            f"arn:aws:lambda:{region}:{account_id}:function:{self.function_name}"
        )
        self.memory_limit_in_mb = memory_limit_in_mb
        self.aws_request_id = str(uuid.uuid4())
        self.log_group_name = f"/aws/lambda/{self.function_name}"
        self.log_stream_name = time.strftime("%Y/%m/%d/[$LATEST]") + uuid.uuid4().hex
        self.identity: Any = None
        self.client_context: Any = None
        self._deadline = time.monotonic() + timeout_seconds

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))
