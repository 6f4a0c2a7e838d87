"""Dealers' use cases for staff: create, edit, status changes, the list and one dealer with the
dealers it supplies. Ports are parameters; every change is an audit entry (entity ``dealer``)
with the contact phone masked."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from chalicelib.audit.model import AuditEntry
from chalicelib.core.errors import Conflict, NotFound
from chalicelib.core.phone import mask_phone
from chalicelib.dealers.model import (
    Dealer,
    DealerDetails,
    DealerStatus,
    change_status,
    check_parent,
    edit,
    new_dealer,
    new_dealer_id,
)

DEALER_ID = re.compile(r"d_[0-9a-hjkmnp-tv-z]{26}")


class DealerReader(Protocol):
    def get(self, dealer_id: str) -> Dealer | None: ...


class DealerStore(DealerReader, Protocol):
    def create(self, dealer: Dealer) -> None: ...
    def save_details(self, before: Dealer, after: Dealer, by: str) -> None: ...
    def save_status(self, before: Dealer, after: Dealer) -> None: ...
    def page(
        self, *, prefix: str, status: DealerStatus | None, limit: int, after: dict[str, Any] | None
    ) -> tuple[list[Dealer], dict[str, Any] | None]: ...
    def children(self, parent_id: str) -> list[Dealer]: ...


class Trail(Protocol):
    def record(self, entry: AuditEntry) -> bool: ...


@dataclass(frozen=True)
class Change:
    """Who acts (a staff username), when, and the request it came from."""

    actor: str
    at: datetime
    source: str


@dataclass(frozen=True)
class DealerPage:
    dealers: list[Dealer]
    after: dict[str, Any] | None  # where the next page starts; ``None``: the last page


@dataclass(frozen=True)
class DealerDetail:
    dealer: Dealer
    parent: Dealer | None
    dealers: list[Dealer]  # the dealers it supplies (a distributor's), in code order


def audit_view(dealer: Dealer) -> dict[str, Any]:
    """A dealer as the audit trail keeps it (the contact phone masked)."""
    details = dealer.details
    return {
        "code": details.code,
        "name": details.name,
        "tax_code": details.tax_code,
        "province": details.province,
        "address": details.address,
        "contact_phone": mask_phone(details.contact_phone) if details.contact_phone else None,
        "parent_id": details.parent_id,
        "status": dealer.status.value,
    }


def _entry(change: Change, action: str, dealer: Dealer, **sides: Any) -> AuditEntry:
    return AuditEntry(
        at=change.at,
        actor=change.actor,
        action=action,
        entity="dealer",
        entity_id=dealer.dealer_id,
        source=change.source,
        before=sides.get("before"),
        after=sides.get("after"),
        note=sides.get("note") or None,
    )


def get(dealer_id: str, *, dealers: DealerReader) -> Dealer:
    """The dealer; ``NotFound("dealer_not_found")``, without a read for an id that cannot be
    one (``d_`` + 26 base32 characters)."""
    dealer = dealers.get(dealer_id) if DEALER_ID.fullmatch(dealer_id) else None
    if dealer is None:
        raise NotFound("dealer_not_found")
    return dealer


def _parent(dealer_id: str, parent_id: str | None, dealers: DealerReader) -> None:
    if parent_id is None:
        return
    found = dealers.get(parent_id) if DEALER_ID.fullmatch(parent_id) else None
    check_parent(dealer_id, found, parent_id)


def create(
    details: DealerDetails, note: str, change: Change, *, dealers: DealerStore, trail: Trail
) -> Dealer:
    """A new ``active`` dealer; ``Conflict("dealer_code_taken")`` when the code is another's,
    ``Invalid`` on ``parent_id`` for a distributor that is not one."""
    dealer_id = new_dealer_id(change.at)
    _parent(dealer_id, details.parent_id, dealers)
    dealer = new_dealer(details, by=change.actor, at=change.at, note=note, dealer_id=dealer_id)
    dealers.create(dealer)
    trail.record(_entry(change, "dealer_created", dealer, after=audit_view(dealer), note=note))
    return dealer


def update(
    dealer_id: str,
    details: DealerDetails,
    version: int,
    change: Change,
    *,
    dealers: DealerStore,
    trail: Trail,
) -> Dealer:
    """New details for the dealer, if ``version`` is the one stored
    (``Conflict("dealer_changed")`` otherwise: someone else saved first). No change, no
    write and no entry."""
    before = get(dealer_id, dealers=dealers)
    if before.version != version:
        raise Conflict("dealer_changed")
    if details == before.details:
        return before
    _parent(dealer_id, details.parent_id, dealers)
    after = edit(before, details, at=change.at)
    dealers.save_details(before, after, change.actor)
    old, new = audit_view(before), audit_view(after)
    changed = sorted(key for key in new if old[key] != new[key])
    trail.record(
        _entry(
            change,
            "dealer_edited",
            after,
            before={key: old[key] for key in changed},
            after={key: new[key] for key in changed},
        )
    )
    return after


def set_status(
    dealer_id: str,
    to: DealerStatus,
    note: str,
    change: Change,
    *,
    dealers: DealerStore,
    trail: Trail,
) -> Dealer:
    """Suspend (its users are refused at once: each request reads the status), reinstate, or
    close for good; a note is required to suspend or close."""
    before = get(dealer_id, dealers=dealers)
    after = change_status(before, to, note=note, by=change.actor, at=change.at)
    dealers.save_status(before, after)
    reinstated = before.status is DealerStatus.SUSPENDED and to is DealerStatus.ACTIVE
    trail.record(
        _entry(
            change,
            "dealer_reinstated" if reinstated else f"dealer_{to.value}",
            after,
            before={"status": before.status.value},
            after={"status": after.status.value},
            note=after.history[-1].note,
        )
    )
    return after


def list_dealers(
    prefix: str,
    status: DealerStatus | None,
    *,
    limit: int,
    after: dict[str, Any] | None,
    dealers: DealerStore,
) -> DealerPage:
    """Dealers in code order whose code starts with ``prefix`` (already normalised)."""
    found, last = dealers.page(prefix=prefix, status=status, limit=limit, after=after)
    return DealerPage(found, last)


def detail(dealer_id: str, *, dealers: DealerStore) -> DealerDetail:
    """The dealer, its distributor, and the dealers it supplies."""
    dealer = get(dealer_id, dealers=dealers)
    parent_id = dealer.details.parent_id
    parent = dealers.get(parent_id) if parent_id else None
    return DealerDetail(dealer, parent, dealers.children(dealer_id))
