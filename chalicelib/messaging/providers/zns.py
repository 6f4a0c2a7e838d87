"""Zalo ZNS template messages (docs/reference/zalo.md#zns-send to #token-refresh), behind
:class:`MessageSender`.

One ``send`` is one POST to ``/message/template``, plus exactly one refresh and one retry when
Zalo says the access token is invalid. ZNS has no de-duplication key
(reliability.md#exactly-once-notifications), so nothing is ever resent after the body may have
reached Zalo: a read timeout or a dropped connection is reported ``ambiguous`` with class
``UNKNOWN``, for reconciliation through ``tracking_id``. Connection errors before the request was
written are ``TRANSIENT``.

>>> zns_phone("+84912345678")
'84912345678'
>>> tracking_id_for("msg_01HZX3K7Q2")
'msg_01HZX3K7Q2'
>>> len(tracking_id_for("outbox#2024-06-01#" + "x" * 60))
48
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlencode

import urllib3
from urllib3.exceptions import ConnectTimeoutError, HTTPError

from chalicelib.core.errors import NotFound
from chalicelib.core.observability import logger
from chalicelib.messaging.provider_errors import ErrorClass, classify_zns
from chalicelib.messaging.providers.http import (
    DEFAULT_TIMEOUT,
    json_object,
    log_send,
    post_once,
)
from chalicelib.messaging.providers.http import new_pool as new_pool
from chalicelib.messaging.providers.port import SendRequest, SendResult

SEND_URL = "https://business.openapi.zalo.me"
OAUTH_URL = "https://oauth.zaloapp.com"
TRACKING_ID_MAX = 48  # Zalo recommends ≤ 48 characters, no special characters (zalo.md#zns-send)

_TRACKING_ID = re.compile(r"[A-Za-z0-9_-]{1,48}")
_E164 = re.compile(r"\+[1-9][0-9]{6,14}")
_NUMERIC = re.compile(r"[0-9]{1,12}")


class ZaloTokenError(Exception):
    """The OA token could not be refreshed. ``ambiguous``: the refresh request may have reached
    Zalo, so the single-use refresh token may be spent."""

    def __init__(self, reason: str, *, ambiguous: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.ambiguous = ambiguous


@dataclass(frozen=True)
class TokenPair:
    access_token: str = field(repr=False)
    refresh_token: str = field(repr=False)  # single-use: store it before using the access token
    expires_in: int | None  # seconds; None when Zalo's answer does not say


class AccessTokens(Protocol):
    """The OA's current access token, refreshed single-flight (one refresh per stale token)."""

    def current(self) -> str: ...

    def refresh(self, stale: str) -> str:
        """A token newer than ``stale`` (refreshing only if no one else has); raises
        :class:`ZaloTokenError` when none can be had."""
        ...


def send_with_token(
    tokens: AccessTokens,
    post: Callable[[str], SendResult],
    *,
    provider: str,
    context: Mapping[str, str],
) -> SendResult:
    """``post`` with the OA's access token; when Zalo says the token is invalid, one refresh
    (single-flight, :class:`AccessTokens`) and one more ``post``, never more: a second token
    error needs a person (re-consent). No token pair at all is a configuration error."""
    try:
        token = tokens.current()
    except NotFound:  # no pair installed yet: the OA was never consented
        return SendResult(provider, ErrorClass.CONFIG, error_code="no_token")
    result = post(token)
    if result.error_class is not ErrorClass.TOKEN_INVALID:
        return result
    try:
        fresh = tokens.refresh(token)
    except (ZaloTokenError, NotFound) as exc:
        reason = exc.reason if isinstance(exc, ZaloTokenError) else exc.code
        logger.error(f"{provider} token refresh failed", extra={**context, "reason": reason})
        return result
    return post(fresh)


def zns_phone(to_e164: str) -> str:
    """ZNS wants E.164 without the plus sign (phone-numbers.md): ``+84912345678`` →
    ``84912345678``."""
    if not _E164.fullmatch(to_e164):
        raise ValueError("to_e164 must be E.164, e.g. +84912345678")
    return to_e164[1:]


def tracking_id_for(message_id: str) -> str:
    """The outbox id when Zalo accepts it as ``tracking_id``, else a stable 48-character digest."""
    if _TRACKING_ID.fullmatch(message_id):
        return message_id
    digest = hashlib.sha256(message_id.encode()).hexdigest()
    return "h_" + digest[: TRACKING_ID_MAX - 2]


class ZnsSender:
    """:class:`~chalicelib.messaging.providers.port.MessageSender` for Zalo ZNS."""

    name = "zns"

    def __init__(
        self,
        tokens: AccessTokens,
        pool: urllib3.PoolManager,
        *,
        base_url: str = SEND_URL,
        timeout: urllib3.Timeout = DEFAULT_TIMEOUT,
    ) -> None:
        self._tokens = tokens
        self._pool = pool
        self._url = base_url.rstrip("/") + "/message/template"
        self._timeout = timeout

    def send(self, request: SendRequest) -> SendResult:
        """Send once; on a token error refresh once and send once more. Never raises for Zalo's
        answer; raises ``ValueError`` for a request that is not E.164."""
        body = json.dumps(
            {
                "phone": zns_phone(request.to_e164),
                "template_id": request.template_id,
                "template_data": request.template_data,
                "tracking_id": tracking_id_for(request.message_id),
            },
            ensure_ascii=False,
        ).encode()
        result = send_with_token(
            self._tokens,
            lambda token: self._post(body, token),
            provider=self.name,
            context={"message_id": request.message_id},
        )
        self._log(request, result)
        return result

    def _post(self, body: bytes, token: str) -> SendResult:
        # no error codes on a transport failure: ``ambiguous`` says all (tracking_id reconciles)
        return post_once(
            self.name,
            self._pool,
            self._url,
            body=body,
            headers={"Content-Type": "application/json", "access_token": token},
            timeout=self._timeout,
            classify=self._result,
            connect_failed_code=None,
            no_answer_code=None,
        )

    def _result(self, status: int, data: bytes) -> SendResult:
        answer = json_object(data) or {}
        code = answer.get("error")
        if status == 200 and isinstance(code, int | str):
            error_class = classify_zns(code)
            message_id = None
            if error_class is ErrorClass.OK:
                message_id = _text(_mapping(answer, "data").get("msg_id"))
            return SendResult(self.name, error_class, message_id, str(code))
        if status == 200:  # an answer we cannot read to a request Zalo received
            return SendResult(self.name, ErrorClass.UNKNOWN, error_code="http_200", ambiguous=True)
        if isinstance(code, int | str) and classify_zns(code) is not ErrorClass.UNKNOWN:
            return SendResult(self.name, classify_zns(code), error_code=str(code))
        if status == 504:  # the gateway gave up waiting: Zalo may have accepted it
            return SendResult(self.name, ErrorClass.UNKNOWN, error_code="http_504", ambiguous=True)
        if status >= 500:
            return SendResult(self.name, ErrorClass.TRANSIENT, error_code=f"http_{status}")
        if status == 429:
            return SendResult(self.name, ErrorClass.QUOTA, error_code="http_429")
        return SendResult(self.name, ErrorClass.UNKNOWN, error_code=f"http_{status}")

    def _log(self, request: SendRequest, result: SendResult) -> None:
        log_send(
            request,
            result,
            provider=self.name,
            kind="zns",
            fields={"template_id": request.template_id},
        )


def refresh_access_token(
    pool: urllib3.PoolManager,
    app_id: str,
    secret_key: str,
    refresh_token: str,
    oauth_url: str = OAUTH_URL,
    *,
    timeout: urllib3.Timeout = DEFAULT_TIMEOUT,
) -> TokenPair:
    """Exchange the single-use ``refresh_token`` for a new pair (zalo.md#token-refresh).

    Raises :class:`ZaloTokenError` unless the answer holds both tokens: never a half pair.
    """
    try:
        response = pool.request(
            "POST",
            oauth_url.rstrip("/") + "/v4/oa/access_token",
            body=urlencode(
                {"refresh_token": refresh_token, "app_id": app_id, "grant_type": "refresh_token"}
            ),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "secret_key": secret_key,
            },
            timeout=timeout,
            retries=False,
            redirect=False,
        )
    except ConnectTimeoutError as exc:
        raise ZaloTokenError("connection_failed") from exc
    except HTTPError as exc:
        raise ZaloTokenError("no_answer", ambiguous=True) from exc
    answer = json_object(response.data)
    if response.status != 200 or answer is None:
        raise ZaloTokenError(f"http_{response.status}")
    access, refresh = _text(answer.get("access_token")), _text(answer.get("refresh_token"))
    if not access or not refresh:
        # the error shape is unverified (zalo.md#token-refresh): report what is there
        code = answer.get("error")
        raise ZaloTokenError(f"no_token_in_answer error={code!s:.20}")
    return TokenPair(access, refresh, _seconds(answer.get("expires_in")))


def _mapping(value: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    inner = value.get(key)
    return inner if isinstance(inner, Mapping) else {}


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _seconds(value: object) -> int | None:
    """``expires_in`` as Zalo sends it: ``"90000"`` (documented) or ``90000``."""
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    if isinstance(value, str) and _NUMERIC.fullmatch(value.strip()):
        return int(value) or None
    return None
