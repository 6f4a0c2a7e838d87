"""The privacy capability's store and the parts of a person's data every capability holds."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalicelib.platform.cache import once_per_container

if TYPE_CHECKING:
    from chalicelib.core.personal_data import Expiring, PersonalData
    from chalicelib.privacy.repository import PrivacyRequestRepository


@once_per_container
def request_repository() -> PrivacyRequestRepository:
    from chalicelib.privacy.repository import PrivacyRequestRepository

    return PrivacyRequestRepository()


def personal_data() -> list[PersonalData]:
    """Every part, in the order an erasure takes them: the codes, messages and chats first, then
    what is found by the person's serials and phone, the units and the customer item last (where
    the serials and names are learnt, so a run stopped half-way finds them again)."""
    from chalicelib.activation import wiring as activation_wiring
    from chalicelib.audit import wiring as audit_wiring
    from chalicelib.catalog import wiring as catalog_wiring
    from chalicelib.claims import wiring as claims_wiring
    from chalicelib.maintenance import wiring as maintenance_wiring
    from chalicelib.messaging import wiring as messaging_wiring
    from chalicelib.outbox import wiring as outbox_wiring
    from chalicelib.partners import wiring as partners_wiring

    return [
        *activation_wiring.personal_data(),
        *audit_wiring.personal_data(),
        *outbox_wiring.personal_data(),
        *messaging_wiring.personal_data(),
        *partners_wiring.personal_data(),
        *maintenance_wiring.personal_data(),
        *claims_wiring.personal_data(),
        *catalog_wiring.personal_data(),
    ]


def phone_of(owner_key: str) -> str | None:
    """The phone (E.164) a lookup token's key stands for: the customer item's, an owned unit's,
    or a message's sent to it (a person who only made a service request); ``None``: we hold
    nothing of that phone."""
    from datetime import UTC, datetime

    from chalicelib.catalog import wiring as catalog_wiring
    from chalicelib.outbox import wiring as outbox_wiring

    customer = catalog_wiring.customer_repository().get(owner_key)
    if customer is not None:
        return customer.phone
    for unit in catalog_wiring.unit_repository().list_by_owner(owner_key):
        if unit.activation is not None:
            return unit.activation.owner.phone
    messages = outbox_wiring.notification_repository().list_for_recipient(
        owner_key, datetime.now(UTC)
    )
    return messages[0].recipient_phone if messages else None


def expiring() -> list[Expiring]:
    """Every kind with a retention period: messages, service requests, maintenance visits."""
    from chalicelib.claims import wiring as claims_wiring
    from chalicelib.maintenance import wiring as maintenance_wiring
    from chalicelib.outbox import wiring as outbox_wiring

    return [
        *outbox_wiring.expiring(),
        *claims_wiring.expiring(),
        *maintenance_wiring.expiring(),
    ]
