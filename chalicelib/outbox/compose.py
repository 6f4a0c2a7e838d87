"""The outbox: what to tell whom (rendered from the catalogue) and its delivery."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol

from chalicelib.catalog.model import ProductModel, Unit
from chalicelib.core.i18n import text
from chalicelib.core.observability import logger
from chalicelib.core.phone import phone_key
from chalicelib.messaging.policy import DeliveryState
from chalicelib.outbox.kinds import message_id_for, message_type, render_text
from chalicelib.outbox.model import OutboundMessage

OTP_MESSAGE_LIFETIME = timedelta(minutes=10)


class Outbox(Protocol):
    def add(self, message: OutboundMessage) -> bool: ...
    def list_for_recipient(self, recipient_key: str, now: datetime) -> list[OutboundMessage]: ...


def format_day(day: date, language: str) -> str:
    return day.strftime("%d/%m/%Y") if language == "vi" else day.strftime("%d %b %Y")


@dataclass(frozen=True)
class ConfirmationContext:
    hotline: str
    certificate_url: str


def new_message(
    kind: str,
    *,
    business_key: tuple[str, ...],
    brand_id: str,
    phone: str,
    language: str,
    fields: dict[str, str],
    subject: str,
    now: datetime,
    pepper: bytes,
    expires_at: datetime | None = None,
) -> OutboundMessage:
    """A queued message of ``kind`` whose id is deterministic in ``business_key``."""
    return OutboundMessage(
        message_id=message_id_for(kind, *business_key),
        brand_id=brand_id,
        recipient_key=phone_key(pepper, phone),
        recipient_phone=phone,
        channel="",
        template=kind,
        language=language,
        urgency=message_type(kind).urgency,
        fields=fields,
        text=render_text(kind, language, fields),
        subject=subject,
        status=DeliveryState.QUEUED,
        created_at=now,
        updated_at=now,
        expires_at=expires_at,
    )


def activation_confirmation(
    unit: Unit, model: ProductModel, context: ConfirmationContext, pepper: bytes, brand_id: str
) -> OutboundMessage:
    """The confirmation message for an activated unit, in the customer's language."""
    activation = unit.activation
    if activation is None:
        raise ValueError("the unit is not activated")
    language = activation.language
    return new_message(
        "activation_confirmed",
        business_key=(unit.serial, activation.activated_at.isoformat()),
        brand_id=brand_id,
        phone=activation.owner.phone,
        language=language,
        fields={
            # an owner who activated by SMS has no name on record: ZNS needs a value
            "customer_name": activation.owner.name or text("customer_fallback_name", language),
            "model": model.name,
            "serial": unit.serial,
            "warranty_end": format_day(activation.warranty_end, language),
            "certificate_url": context.certificate_url,
            "hotline": context.hotline,
        },
        subject=unit.serial,
        now=activation.activated_at,
        pepper=pepper,
    )


def otp_message(
    phone: str, code: str, language: str, now: datetime, pepper: bytes, brand_id: str = ""
) -> OutboundMessage:
    key = phone_key(pepper, phone)
    return new_message(
        "lookup_code",
        business_key=(key, f"{now.timestamp():.6f}"),
        brand_id=brand_id,
        phone=phone,
        language=language,
        fields={"code": code},
        subject="lookup",
        now=now,
        pepper=pepper,
        expires_at=now + OTP_MESSAGE_LIFETIME,
    )


def queue_activation_confirmation(
    unit: Unit,
    model: ProductModel,
    context: ConfirmationContext,
    *,
    pepper: bytes,
    brand_id: str,
    outbox: Outbox,
) -> bool:
    """Queue the confirmation once: ``False`` when this activation's message already exists
    (the stream delivered the same record again)."""
    message = activation_confirmation(unit, model, context, pepper, brand_id)
    queued = outbox.add(message)
    logger.info(
        "activation confirmation queued" if queued else "activation confirmation already queued",
        extra={"serial": unit.serial, "message_id": message.message_id},
    )
    return queued


def inbox(phone: str, *, now: datetime, pepper: bytes, outbox: Outbox) -> list[OutboundMessage]:
    """Messages sent to ``phone``, newest first."""
    return outbox.list_for_recipient(phone_key(pepper, phone), now)
