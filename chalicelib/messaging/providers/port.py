"""The port every outbound message provider implements (ZNS, SMS brandname, dev inbox).

A provider turns one :class:`SendRequest` into one send (ZNS may add one token refresh and one
resend after it) and reports what the provider said, classified
(:mod:`chalicelib.messaging.provider_errors`), never raising for a provider's answer: the sender's
state machine decides what happens next (retry, fallback, reschedule). Only programming errors
raise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

from chalicelib.messaging.provider_errors import ErrorClass


@dataclass(frozen=True)
class SendRequest:
    message_id: str  # the outbox id: the idempotency key where the provider supports one
    to_e164: str  # "+84912345678"; each adapter formats it as its provider wants
    text: str  # SMS body (already rendered, within the channel's length limit)
    template_id: str = ""  # ZNS only
    template_data: dict[str, str] = field(default_factory=dict)  # ZNS only


@dataclass(frozen=True)
class SendResult:
    provider: str
    error_class: ErrorClass  # ErrorClass.OK when the provider accepted the message
    provider_message_id: str | None = None
    error_code: str | None = None  # the provider's own code, as text
    cost: Decimal | None = None  # in VND, when the provider's answer says
    ambiguous: bool = False  # timed out after the request was sent: it may have been accepted

    @property
    def accepted(self) -> bool:
        return self.error_class in (ErrorClass.OK, ErrorClass.DUPLICATE)


class MessageSender(Protocol):
    """One provider. ``send`` sends once (plus, for ZNS, one resend after a token refresh) and
    never raises for the provider's answer."""

    name: str

    def send(self, request: SendRequest) -> SendResult: ...
