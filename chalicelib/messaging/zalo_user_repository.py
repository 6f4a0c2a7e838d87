"""Zalo users who shared their phone with the OA: the number a chat activation is made for."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pynamodb.exceptions import DoesNotExist

from chalicelib.core.phone import phone_key
from chalicelib.messaging.tables import ZaloUserRecord


@dataclass(frozen=True)
class ZaloUser:
    """What one Zalo user shared with the OA: ``phone`` in E.164, ``name`` possibly ``""``."""

    user_id: str
    phone: str
    name: str
    shared_at: datetime


class ZaloUserRepository:
    def __init__(self, pepper: bytes) -> None:
        self._pepper = pepper

    def find(self, user_id: str) -> ZaloUser | None:
        """The user's shared phone and name (a consistent read: the share may have arrived a
        moment before the chat message), or ``None`` when they never shared one."""
        try:
            record = ZaloUserRecord.get(user_id, consistent_read=True)
        except DoesNotExist:
            return None
        return ZaloUser(
            user_id=record.user_id,
            phone=record.phone,
            name=record.name or "",
            shared_at=record.shared_at,
        )

    def save(self, user_id: str, *, phone: str, name: str, shared_at: datetime) -> None:
        """Store a share, replacing any earlier one (the latest share is the user's number)."""
        key = phone_key(self._pepper, phone)
        ZaloUserRecord(user_id, phone=phone, name=name, shared_at=shared_at, phone_key=key).save()
