"""Service centres' use cases for staff: create, edit, status changes, the list and one centre;
its users (a partner company's accounts in the ``service`` group); the active centres for
routing and the public service points. Ports are parameters; every change is an audit entry
(entity ``service_center``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from chalicelib.audit.model import AuditEntry
from chalicelib.core.errors import Conflict, NotFound
from chalicelib.core.lifecycle import Lifecycle
from chalicelib.platform.members import (
    Accounts,
    AddedMember,
    Member,
    MemberStore,
    add_member,
    list_members,
    remove_member,
)
from chalicelib.service_centers.model import (
    CENTER_ID,
    CenterDetails,
    CenterKind,
    ServiceCenter,
    change_status,
    edit,
    new_center,
    new_center_id,
)

GROUP = "service"  # platform.auth.Role.SERVICE (that module loads chalice: not here)
ENTITY = "service_center"


class CenterReader(Protocol):
    def get(self, center_id: str) -> ServiceCenter | None: ...


class CenterStore(CenterReader, Protocol):
    def create(self, center: ServiceCenter) -> None: ...
    def save_details(self, before: ServiceCenter, after: ServiceCenter, by: str) -> None: ...
    def save_status(self, before: ServiceCenter, after: ServiceCenter) -> None: ...
    def page(
        self, *, prefix: str, status: Lifecycle | None, limit: int, after: dict[str, Any] | None
    ) -> tuple[list[ServiceCenter], dict[str, Any] | None]: ...


class Trail(Protocol):
    def record(self, entry: AuditEntry) -> bool: ...


@dataclass(frozen=True)
class Change:
    """Who acts (a staff username), when, and the request it came from."""

    actor: str
    at: datetime
    source: str


@dataclass(frozen=True)
class CenterPage:
    centers: list[ServiceCenter]
    after: dict[str, Any] | None  # where the next page starts; ``None``: the last page


def audit_view(center: ServiceCenter) -> dict[str, Any]:
    """A centre as the audit trail keeps it (its public line is no person's)."""
    details = center.details
    return {
        "code": details.code,
        "name": details.name,
        "kind": details.kind.value,
        "tax_code": details.tax_code,
        "provinces": list(details.provinces),
        "address": details.address,
        "phone": details.phone,
        "hours": details.hours,
        "listed": details.listed,
        "status": center.status.value,
    }


def _entry(change: Change, action: str, center_id: str, **sides: Any) -> AuditEntry:
    return AuditEntry(
        at=change.at,
        actor=change.actor,
        action=action,
        entity=ENTITY,
        entity_id=center_id,
        source=change.source,
        before=sides.get("before"),
        after=sides.get("after"),
        note=sides.get("note") or None,
    )


def get(center_id: str, *, centers: CenterReader) -> ServiceCenter:
    """The centre; ``NotFound("service_center_not_found")``, without a read for an id that
    cannot be one."""
    center = centers.get(center_id) if CENTER_ID.fullmatch(center_id) else None
    if center is None:
        raise NotFound("service_center_not_found")
    return center


def create(
    details: CenterDetails, note: str, change: Change, *, centers: CenterStore, trail: Trail
) -> ServiceCenter:
    """A new ``active`` centre; ``Conflict("center_code_taken")`` when the code is another's."""
    center = new_center(
        details, by=change.actor, at=change.at, note=note, center_id=new_center_id(change.at)
    )
    centers.create(center)
    trail.record(
        _entry(change, "center_created", center.center_id, after=audit_view(center), note=note)
    )
    return center


def update(
    center_id: str,
    details: CenterDetails,
    version: int,
    change: Change,
    *,
    centers: CenterStore,
    trail: Trail,
) -> ServiceCenter:
    """New details, if ``version`` is the one stored (``Conflict("center_changed")``
    otherwise). No change, no write and no entry."""
    before = get(center_id, centers=centers)
    if before.version != version:
        raise Conflict("center_changed")
    after = edit(before, details, at=change.at)
    if after.details == before.details:
        return before
    centers.save_details(before, after, change.actor)
    old, new = audit_view(before), audit_view(after)
    changed = sorted(key for key in new if old[key] != new[key])
    trail.record(
        _entry(
            change,
            "center_edited",
            center_id,
            before={key: old[key] for key in changed},
            after={key: new[key] for key in changed},
        )
    )
    return after


def set_status(
    center_id: str,
    to: Lifecycle,
    note: str,
    change: Change,
    *,
    centers: CenterStore,
    trail: Trail,
) -> ServiceCenter:
    """Suspend (its users are refused at once: each request reads the status), reinstate, or
    close for good; a note is required to suspend or close."""
    before = get(center_id, centers=centers)
    after = change_status(before, to, note=note, by=change.actor, at=change.at)
    centers.save_status(before, after)
    reinstated = before.status is Lifecycle.SUSPENDED and to is Lifecycle.ACTIVE
    trail.record(
        _entry(
            change,
            "center_reinstated" if reinstated else f"center_{to.value}",
            center_id,
            before={"status": before.status.value},
            after={"status": after.status.value},
            note=after.history[-1].note,
        )
    )
    return after


def list_centers(
    prefix: str,
    status: Lifecycle | None,
    *,
    limit: int,
    after: dict[str, Any] | None,
    centers: CenterStore,
) -> CenterPage:
    """Centres in code order whose code starts with ``prefix`` (already normalised)."""
    found, last = centers.page(prefix=prefix, status=status, limit=limit, after=after)
    return CenterPage(found, last)


def routable(
    everyone: Iterable[ServiceCenter],
    *,
    province: str | None = None,
    kind: CenterKind | None = None,
) -> list[ServiceCenter]:
    """The active centres a request may be routed to, in code order: those serving
    ``province`` (all when ``None``), of ``kind`` (both when ``None``)."""
    return [
        center
        for center in everyone
        if center.active
        and (province is None or center.serves(province))
        and (kind is None or center.details.kind is kind)
    ]


def service_points(everyone: Iterable[ServiceCenter], province: str) -> list[ServiceCenter]:
    """The portal's service points in ``province``: active centres serving it that staff list
    publicly."""
    return [c for c in routable(everyone, province=province) if c.details.listed]


# -- a partner company's users -----------------------------------------------------------------


def add_user(
    center: ServiceCenter,
    username: str,
    email: str | None,
    password: str,
    change: Change,
    *,
    accounts: Accounts,
    users: MemberStore,
    trail: Trail,
) -> AddedMember:
    """An account in the ``service`` group with the temporary ``password``, mapped to the
    centre: ``Conflict("user_exists")`` for a name taken, ``Conflict("center_closed")`` for a
    closed centre, ``Conflict("center_not_partner")`` for the brand's own centre (its
    technicians are staff)."""
    if center.status is Lifecycle.CLOSED:
        raise Conflict("center_closed")
    if center.details.kind is not CenterKind.PARTNER:
        raise Conflict("center_not_partner")
    member = Member(username, center.center_id, change.at, change.actor)
    added = add_member(member, email, GROUP, password, accounts=accounts, members=users)
    trail.record(
        _entry(change, "center_user_added", center.center_id, after={"username": username})
    )
    return added


def list_users(center_id: str, *, accounts: Accounts, users: MemberStore) -> list[Member]:
    """The centre's users in name order, each with its account's state."""
    return list_members(center_id, accounts=accounts, members=users)


def remove_user(
    center_id: str,
    username: str,
    change: Change,
    *,
    accounts: Accounts,
    users: MemberStore,
    trail: Trail,
) -> None:
    """The user no longer acts for the centre, and its account is disabled;
    ``NotFound("service_user_not_found")`` when the user is not this centre's."""
    remove_member(
        center_id, username, accounts=accounts, members=users, not_found="service_user_not_found"
    )
    trail.record(_entry(change, "center_user_removed", center_id, after={"username": username}))
