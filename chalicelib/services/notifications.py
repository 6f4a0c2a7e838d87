"""The outbox: what to tell whom (rendered from the catalogue) and its delivery."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol

from chalicelib.domain.catalog import ProductModel, Unit
from chalicelib.domain.messages import MessageStatus, OutboundMessage
from chalicelib.domain.phone import log_safe, phone_key
from chalicelib.i18n import text
from chalicelib.observability import logger

OTP_MESSAGE_LIFETIME = timedelta(minutes=10)


class Outbox(Protocol):
    def add(self, message: OutboundMessage) -> bool: ...
    def get(self, message_id: str) -> OutboundMessage: ...
    def mark_delivered(self, message_id: str, provider: str, at: datetime) -> bool: ...
    def list_for_recipient(self, recipient_key: str, now: datetime) -> list[OutboundMessage]: ...


class MessageProvider(Protocol):
    """A channel that can carry a message to a phone (dev inbox today; ZNS and SMS next)."""

    name: str

    def send(self, message: OutboundMessage) -> None: ...


class DevInboxProvider:
    """The local stage's provider: the outbox item itself is the inbox (``GET /dev/inbox``),
    so delivering only marks it delivered. Nothing leaves the machine."""

    name = "dev_inbox"

    def send(self, message: OutboundMessage) -> None:
        logger.info(
            "message delivered to the dev inbox",
            extra={"message_id": message.message_id, "to": log_safe(message.recipient_phone)},
        )


def format_day(day: date, language: str) -> str:
    return day.strftime("%d/%m/%Y") if language == "vi" else day.strftime("%d %b %Y")


@dataclass(frozen=True)
class ConfirmationContext:
    hotline: str
    certificate_url: str


def activation_confirmation(
    unit: Unit, model: ProductModel, context: ConfirmationContext, pepper: bytes
) -> OutboundMessage:
    """The confirmation message for an activated unit, in the customer's language."""
    activation = unit.activation
    if activation is None:
        raise ValueError("the unit is not activated")
    language = activation.language
    body = text(
        "message_activation_confirmed",
        language,
        model=model.name,
        serial=unit.serial,
        warranty_end=format_day(activation.warranty_end, language),
        certificate_url=context.certificate_url,
        hotline=context.hotline,
    )
    return OutboundMessage(
        message_id=f"activation#{unit.serial}#{activation.activated_at.isoformat()}",
        recipient_key=phone_key(pepper, activation.owner.phone),
        recipient_phone=activation.owner.phone,
        channel="sms",
        template="activation_confirmed",
        language=language,
        text=body,
        subject=unit.serial,
        status=MessageStatus.QUEUED,
        created_at=activation.activated_at,
    )


def otp_message(
    phone: str, code: str, language: str, now: datetime, pepper: bytes
) -> OutboundMessage:
    key = phone_key(pepper, phone)
    return OutboundMessage(
        message_id=f"otp#{key[:24]}#{now.timestamp():.6f}",
        recipient_key=key,
        recipient_phone=phone,
        channel="sms",
        template="lookup_code",
        language=language,
        text=text("message_lookup_code", language, code=code),
        subject="lookup",
        status=MessageStatus.QUEUED,
        created_at=now,
        expires_at=now + OTP_MESSAGE_LIFETIME,
    )


def queue_activation_confirmation(
    unit: Unit, model: ProductModel, context: ConfirmationContext, *, pepper: bytes, outbox: Outbox
) -> bool:
    """Queue the confirmation once: ``False`` when this activation's message already exists
    (the stream delivered the same record again)."""
    message = activation_confirmation(unit, model, context, pepper)
    queued = outbox.add(message)
    logger.info(
        "activation confirmation queued" if queued else "activation confirmation already queued",
        extra={"serial": unit.serial, "message_id": message.message_id},
    )
    return queued


def deliver(message_id: str, *, now: datetime, outbox: Outbox, provider: MessageProvider) -> bool:
    """Send a queued message through ``provider``; a message no longer queued is left alone."""
    message = outbox.get(message_id)
    if message.status is not MessageStatus.QUEUED:
        return False
    if message.expires_at is not None and message.expires_at <= now:
        return False  # an OTP nobody can use any more is not worth sending
    provider.send(message)
    return outbox.mark_delivered(message_id, provider.name, now)


def inbox(phone: str, *, now: datetime, pepper: bytes, outbox: Outbox) -> list[OutboundMessage]:
    """Messages sent to ``phone``, newest first."""
    return outbox.list_for_recipient(phone_key(pepper, phone), now)
