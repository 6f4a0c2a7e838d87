"""Fake Twilio Messages API over real HTTP (stdlib ``ThreadingHTTPServer`` on 127.0.0.1:0).

Shapes are the reference's (sms.md#twilio): a form-encoded POST to
``/2010-04-01/Accounts/{AccountSid}/Messages.json`` with Basic auth ``AccountSid:AuthToken``,
answered 201 with the Message resource, or Twilio's error body
``{"code": 21211, "message": "…", "more_info": "…", "status": 400}``. Every request is recorded
(method, path, lower-cased headers incl. ``authorization``, raw body and the parsed form).

The fake keeps the rules that matter to the adapter: a wrong account in the path is 20404
(HTTP 404), wrong credentials 20003 (HTTP 401), a ``To`` that is not E.164 21211 (HTTP 400), and a
send without ``MessagingServiceSid``/``From`` or ``Body`` is 21603/21602 (HTTP 400; these two codes
are from Twilio's error catalogue, not the reference: placeholders the adapter does not classify).

Knobs: ``fail_next_sends(code, ...)`` (queued Twilio codes, each with its HTTP status),
``respond_next_send(status, body)`` (a raw answer), ``price``/``price_unit`` (the 201's price
fields), ``latency`` (seconds of sleep before answering: set the client's read timeout below it),
``close_after_body`` (read the body, then drop the connection without an answer). A send held up
by ``latency`` or ``close_after_body`` is still *created* (in ``messages``): the worst case for a
client with no de-dup key, which cannot tell.
"""

from __future__ import annotations

import base64
import json
import re
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, ClassVar
from urllib.parse import parse_qs

from devstack.fakes import http as fake_http
from devstack.fakes.http import Answer, FakeHttp, running

ACCOUNT_SID = "AC0123456789abcdef0123456789abcdef"
AUTH_TOKEN = "twilio-auth-token"
MESSAGING_SERVICE_SID = "MG0123456789abcdef0123456789abcdef"
MESSAGES_PATH = "/2010-04-01/Accounts/{account_sid}/Messages.json"

# Twilio code → the HTTP status Twilio answers it with
ERROR_STATUS = {20003: 401, 20404: 404, 20429: 429, 21211: 400, 21614: 400}
_E164 = re.compile(r"\+[1-9][0-9]{6,14}")


class RecordedRequest(fake_http.RecordedRequest):
    @property
    def form(self) -> dict[str, str]:
        """The form-encoded body, one value per field (a repeated field would fail a test)."""
        parsed = parse_qs(self.body.decode(), keep_blank_values=True, strict_parsing=False)
        assert all(len(values) == 1 for values in parsed.values()), parsed
        return {name: values[0] for name, values in parsed.items()}


def twilio_error(code: int, message: str, status: int | None = None) -> bytes:
    body = {
        "code": code,
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status if status is not None else ERROR_STATUS.get(code, 400),
    }
    return json.dumps(body).encode()


@dataclass
class FakeTwilio(FakeHttp):
    request_type: ClassVar[type[fake_http.RecordedRequest]] = RecordedRequest

    account_sid: str = ACCOUNT_SID
    auth_token: str = AUTH_TOKEN
    price: str | None = None  # Twilio writes a charge as a negative decimal string
    price_unit: str = "USD"
    messages: dict[str, dict[str, str]] = field(default_factory=dict)  # sid → the send's form
    _issued: int = 0

    @property
    def messages_path(self) -> str:
        return MESSAGES_PATH.format(account_sid=self.account_sid)

    def answer(self, request: RecordedRequest) -> Answer:
        if request.method != "POST" or request.path != self.messages_path:
            return 404, twilio_error(20404, "The requested resource was not found")
        raw, forced = self.next_forced()
        if raw is not None:
            return self.held_up(raw)
        expected = "Basic " + base64.b64encode(
            f"{self.account_sid}:{self.auth_token}".encode()
        ).decode("ascii")
        if request.headers.get("authorization") != expected:
            return 401, twilio_error(20003, "Authenticate")
        if forced is not None:
            return self.held_up((ERROR_STATUS.get(forced, 400), twilio_error(forced, "forced")))
        form = request.form
        if not _E164.fullmatch(form.get("To", "")):
            return 400, twilio_error(21211, "Invalid 'To' Phone Number")
        if not (form.get("MessagingServiceSid") or form.get("From")):
            return 400, twilio_error(21603, "The 'From' phone number is required")
        if not form.get("Body"):
            return 400, twilio_error(21602, "Message body is required")
        with self._lock:
            self._issued += 1
            sid = f"SM{self._issued:032x}"
            self.messages[sid] = form
        return self.held_up((201, json.dumps(self._resource(sid, form)).encode()))

    def _resource(self, sid: str, form: dict[str, str]) -> dict[str, Any]:
        return {
            "account_sid": self.account_sid,
            "api_version": "2010-04-01",
            "body": form.get("Body"),
            "date_created": "Thu, 20 Mar 2025 03:00:00 +0000",
            "date_sent": None,
            "date_updated": "Thu, 20 Mar 2025 03:00:00 +0000",
            "direction": "outbound-api",
            "error_code": None,
            "error_message": None,
            "from": None,
            "messaging_service_sid": form.get("MessagingServiceSid"),
            "num_media": "0",
            "num_segments": "1",
            "price": self.price,
            "price_unit": self.price_unit,
            "sid": sid,
            "status": "accepted" if form.get("MessagingServiceSid") else "queued",
            "to": form.get("To"),
            "uri": f"{self.messages_path[:-5]}/{sid}.json",
        }


def running_fake_twilio(**knobs: Any) -> AbstractContextManager[FakeTwilio]:
    return running(FakeTwilio(**knobs))
