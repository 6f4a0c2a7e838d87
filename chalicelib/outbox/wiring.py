"""The outbox's store, built on first use (it loads with the first message, not at import)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalicelib.platform.cache import once_per_container

if TYPE_CHECKING:
    from chalicelib.outbox.repository import NotificationRepository


@once_per_container
def notification_repository() -> NotificationRepository:
    from chalicelib.outbox.repository import NotificationRepository

    return NotificationRepository()
