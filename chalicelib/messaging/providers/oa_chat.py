"""Replies in the Zalo OA chat: a text, or the card that asks the user to share their phone.

Both are one ``POST {base_url}/v3.0/oa/message/cs`` (Zalo OA API v3, "customer service"
message) with the OA's ``access_token`` header, the token ZNS uses
(:class:`~chalicelib.messaging.providers.zns.AccessTokens`). The body shape and the
``request_user_info`` template are **[3P]**: eSMS's ``SendZaloFollowerMessage_V5`` docs, which
forward the same ``Payload`` to Zalo, and public OA clients. Zalo answers
``{"error": 0, "message": "Success", "data": {"message_id": "…", "user_id": "…"}}``.

Like :class:`~chalicelib.messaging.providers.zns.ZnsSender`: one attempt (no urllib3 retries),
plus exactly one token refresh and one more attempt when Zalo says the token is invalid
(``-124``, ``-216``, ``-220``, docs/reference/zalo.md#zns-error-codes). Zalo's other OA codes are
not the ZNS table's, so they are reported ``UNKNOWN`` with the code. Nothing raises for Zalo's
answer, a transport failure or a missing token, and no log line holds the text, a name or a phone.

>>> message_body("246845883529197922", {"text": "Chào bạn"}).decode()
'{"recipient": {"user_id": "246845883529197922"}, "message": {"text": "Chào bạn"}}'
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import urllib3

from chalicelib.core.observability import logger
from chalicelib.messaging.provider_errors import ErrorClass, classify_zns
from chalicelib.messaging.providers.http import DEFAULT_TIMEOUT, json_object, post_once
from chalicelib.messaging.providers.port import SendResult
from chalicelib.messaging.providers.zns import AccessTokens, send_with_token

OA_URL = "https://openapi.zalo.me"
MESSAGE_PATH = "/v3.0/oa/message/cs"
# Inline replies: the webhook must answer Zalo within 2 s (zalo.md#webhooks), so a slow Zalo costs
# a reply,
# never the hook.
REPLY_TIMEOUT = urllib3.Timeout(connect=0.5, read=1.0)
TEXT_MAX = 2000  # characters of a text message [3P]
TITLE_MAX = 100  # request_user_info: title and subtitle limits per eSMS's docs [VEN]
SUBTITLE_MAX = 500


def message_body(user_id: str, message: Mapping[str, Any]) -> bytes:
    """The JSON body of one OA message to ``user_id`` (UTF-8, Vietnamese kept as is)."""
    body = {"recipient": {"user_id": user_id}, "message": message}
    return json.dumps(body, ensure_ascii=False).encode()


class OaChat:
    """Sends messages to users who wrote to the OA."""

    name = "zalo_oa"

    def __init__(
        self,
        tokens: AccessTokens,
        pool: urllib3.PoolManager,
        *,
        base_url: str = OA_URL,
        timeout: urllib3.Timeout = DEFAULT_TIMEOUT,
    ) -> None:
        self._tokens = tokens
        self._pool = pool
        self._url = base_url.rstrip("/") + MESSAGE_PATH
        self._timeout = timeout

    def send_text(self, user_id: str, text: str) -> SendResult:
        """A text message (cut to :data:`TEXT_MAX` characters)."""
        return self._send("text", user_id, {"text": text[:TEXT_MAX]})

    def request_user_info(
        self, user_id: str, title: str, subtitle: str, image_url: str = ""
    ) -> SendResult:
        """The card with Zalo's "share my info" button: a tap sends us ``user_submit_info``
        with the phone and name of the user's Zalo account. **[3P]** shape; eSMS lists
        ``image_url`` (PNG or JPG) as required, so an OA that Zalo refuses without one needs
        a brand image here."""
        element = {
            "title": title[:TITLE_MAX],
            "subtitle": subtitle[:SUBTITLE_MAX],
            "image_url": image_url,
        }
        payload = {"template_type": "request_user_info", "elements": [element]}
        message = {"attachment": {"type": "template", "payload": payload}}
        return self._send("request_user_info", user_id, message)

    def _send(self, kind: str, user_id: str, message: Mapping[str, Any]) -> SendResult:
        body = message_body(user_id, message)
        result = send_with_token(
            self._tokens,
            lambda token: self._post(body, token),
            provider=self.name,
            context={"kind": kind},
        )
        self._log(kind, result)
        return result

    def _post(self, body: bytes, token: str) -> SendResult:
        return post_once(
            self.name,
            self._pool,
            self._url,
            body=body,
            headers={"Content-Type": "application/json", "access_token": token},
            timeout=self._timeout,
            classify=self._result,
        )

    def _result(self, status: int, data: bytes) -> SendResult:
        answer = json_object(data) or {}
        code = answer.get("error")
        if status == 200 and isinstance(code, int | str) and not isinstance(code, bool):
            error_class = classify_zns(code)
            if error_class not in (ErrorClass.OK, ErrorClass.TOKEN_INVALID):
                # the OA API's own codes: not zalo.md#zns-error-codes's classes
                error_class = ErrorClass.UNKNOWN
            message_id = _message_id(answer) if error_class is ErrorClass.OK else None
            return SendResult(self.name, error_class, message_id, str(code))
        if status == 200:  # an answer we cannot read to a request Zalo received
            return SendResult(self.name, ErrorClass.UNKNOWN, error_code="http_200", ambiguous=True)
        if status >= 500:
            return SendResult(self.name, ErrorClass.TRANSIENT, error_code=f"http_{status}")
        return SendResult(self.name, ErrorClass.UNKNOWN, error_code=f"http_{status}")

    def _log(self, kind: str, result: SendResult) -> None:
        extra = {
            "provider": self.name,
            "kind": kind,
            "error_class": result.error_class.value,
            "error_code": result.error_code,
            "ambiguous": result.ambiguous,
        }
        if result.accepted:
            logger.info("zalo oa message accepted", extra=extra)
        else:
            logger.warning("zalo oa message not accepted", extra=extra)


def _message_id(answer: Mapping[str, Any]) -> str | None:
    data = answer.get("data")
    found = data.get("message_id") if isinstance(data, dict) else None
    return found if isinstance(found, str) and found else None
