"""The outbox: what to tell whom (rendered from the catalogue) and its delivery."""

from __future__ import annotations

from datetime import date, datetime
from typing import Protocol

from chalicelib.core.dates import written_day
from chalicelib.core.phone import phone_key
from chalicelib.outbox.kinds import message_id_for, message_type, render_text
from chalicelib.outbox.model import DeliveryState, OutboundMessage


class Outbox(Protocol):
    def add(self, message: OutboundMessage) -> bool: ...
    def list_for_recipient(self, recipient_key: str, now: datetime) -> list[OutboundMessage]: ...


def format_day(day: date, language: str) -> str:
    """31/05/2025 (vi), 31 May 2025 (en), 10 خرداد 1404 (fa: the Solar Hijri calendar)."""
    if language == "fa":
        return written_day(day, language)
    return day.strftime("%d/%m/%Y") if language == "vi" else day.strftime("%d %b %Y")


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


def inbox(phone: str, *, now: datetime, pepper: bytes, outbox: Outbox) -> list[OutboundMessage]:
    """Messages sent to ``phone``, newest first."""
    return outbox.list_for_recipient(phone_key(pepper, phone), now)
