"""The outbox's store, built on first use (it loads with the first message, not at import)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalicelib.platform.cache import once_per_container

if TYPE_CHECKING:
    from chalicelib.core.personal_data import Expiring, PersonalData
    from chalicelib.outbox.repository import NotificationRepository


@once_per_container
def notification_repository() -> NotificationRepository:
    from chalicelib.outbox.repository import NotificationRepository

    return NotificationRepository()


def personal_data() -> list[PersonalData]:
    """The messages sent to a person (``core.personal_data``)."""
    from chalicelib.outbox.personal_data_repository import MessageData

    return [MessageData()]


def expiring() -> list[Expiring]:
    """What outlives its retention period (``core.personal_data.Expiring``)."""
    from chalicelib.core.settings import get_settings
    from chalicelib.outbox.personal_data_repository import MessageRetention

    return [MessageRetention(get_settings().brand_id)]
