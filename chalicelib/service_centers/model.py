"""A service centre as the rest of the code sees it: the brand's own (``internal``) or a partner
service company (``partner``: outsourced repairs), the provinces it serves, how the public
reaches it, and its status. Pure: no I/O.

A centre is ``active`` when created; staff suspend it (its users are refused at once, no request
is routed to it), reinstate it, or close it for good (core.lifecycle). ``code`` is unique and
never changes; ``kind`` never changes either (a request routed to a company stays a company's).

>>> normalize_center_code(" hn-tt01 ")
'HN-TT01'
>>> normalize_center_phone("024 3 999 8888")
'024 3 999 8888'
>>> provinces_served(["Huế", "Hà Nội", "Huế"])
('Hà Nội', 'Huế')
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from chalicelib.core.errors import Conflict, FieldError, Invalid
from chalicelib.core.ids import id_pattern, new_id
from chalicelib.core.lifecycle import Lifecycle, StatusChange, created, move
from chalicelib.core.provinces import PROVINCES, normalize_province

_CODE = re.compile(r"[A-Z0-9][A-Z0-9._-]{1,31}")
_PHONE = re.compile(r"\+?[0-9][0-9 .()-]{6,22}")
ID_PREFIX = "sc_"
CENTER_ID = id_pattern(ID_PREFIX)
NAME_MAX = 150
HOURS_MAX = 200
NOTE_MAX = 500
ASSIGNEE_PREFIX = "company#"  # a claim's assignee_key for a request routed to a centre
_ORDER = {name: index for index, name in enumerate(PROVINCES)}


class CenterKind(StrEnum):
    INTERNAL = "internal"  # the brand's own centre: its technicians are staff
    PARTNER = "partner"  # an outsourced service company: its users are Role.SERVICE


@dataclass(frozen=True)
class CenterDetails:
    """What staff fill in for a centre, already normalised."""

    code: str
    name: str
    kind: CenterKind
    provinces: tuple[str, ...]  # the 34 units' names (core.provinces), in that list's order
    address: str = ""
    phone: str = ""  # the centre's public line (a hotline, a landline): never a person's
    hours: str = ""  # opening hours as people read them ("Thứ 2–Thứ 7, 8:00–17:30")
    tax_code: str | None = None  # a partner's (its invoices); an internal centre has none
    listed: bool = True  # shown on the portal's service points


@dataclass(frozen=True)
class ServiceCenter:
    center_id: str
    details: CenterDetails
    status: Lifecycle
    created_at: datetime
    created_by: str
    version: int = 1  # +1 on every write: an edit is conditional on the version it read
    updated_at: datetime | None = None
    history: tuple[StatusChange, ...] = ()

    @property
    def name(self) -> str:
        return self.details.name

    @property
    def code(self) -> str:
        return self.details.code

    @property
    def active(self) -> bool:
        return self.status is Lifecycle.ACTIVE

    def serves(self, province: str) -> bool:
        return province in self.details.provinces


def check_details(details: CenterDetails) -> CenterDetails:
    """The details as stored: a partner needs its tax code (``center_tax_code_required``), an
    internal centre keeps none; at least one province (``center_provinces_required``)."""
    if not details.provinces:
        raise Invalid(fields=[FieldError("provinces", "center_provinces_required")])
    if details.kind is CenterKind.PARTNER and not details.tax_code:
        raise Invalid(fields=[FieldError("tax_code", "center_tax_code_required")])
    if details.kind is CenterKind.INTERNAL and details.tax_code:
        return replace(details, tax_code=None)
    return details


def new_center(
    details: CenterDetails, *, by: str, at: datetime, note: str = "", center_id: str | None = None
) -> ServiceCenter:
    """A centre as staff create it: ``active``, version 1, its creation in the history."""
    return ServiceCenter(
        center_id=center_id or new_center_id(at),
        details=check_details(details),
        status=Lifecycle.ACTIVE,
        created_at=at,
        created_by=by,
        version=1,
        updated_at=at,
        history=(created(by=by, at=at, note=note),),
    )


def edit(center: ServiceCenter, details: CenterDetails, *, at: datetime) -> ServiceCenter:
    """The centre with new details; its code and kind never change, a closed one is kept as it
    was (``center_closed``)."""
    if details.code != center.details.code:
        raise Invalid(fields=[FieldError("code", "center_code_fixed")])
    if details.kind is not center.details.kind:
        raise Invalid(fields=[FieldError("kind", "center_kind_fixed")])
    if center.status is Lifecycle.CLOSED:
        raise Conflict("center_closed")
    return replace(
        center, details=check_details(details), version=center.version + 1, updated_at=at
    )


def change_status(
    center: ServiceCenter, to: Lifecycle, *, note: str, by: str, at: datetime
) -> ServiceCenter:
    """The centre after the move to ``to`` (``center_status_not_allowed``; a note to suspend or
    close)."""
    refused = "center_status_not_allowed"
    change = move(center.status, to, note=note, by=by, at=at, refused=refused)
    return replace(
        center,
        status=to,
        version=center.version + 1,
        updated_at=at,
        history=(*center.history, change),
    )


def normalize_center_code(raw: str) -> str:
    """Upper-case, trimmed; 2–32 letters, digits, dot, dash or underscore, else ``Invalid``."""
    code = raw.strip().upper()
    if not _CODE.fullmatch(code):
        raise Invalid(fields=[FieldError("code", "center_code_invalid")])
    return code


def normalize_center_phone(raw: str) -> str:
    """A public line as people write it (``1900 1234``, ``024 3999 8888``, ``+84 28 …``):
    7–15 digits with spaces, dots, dashes or brackets; ``center_phone_invalid`` otherwise.
    Empty stays empty (a centre without a public line)."""
    text = " ".join(raw.split())
    if not text:
        return ""
    digits = sum(ch.isdigit() for ch in text)
    if not _PHONE.fullmatch(text) or not 7 <= digits <= 15:
        raise Invalid("center_phone_invalid")
    return text


def provinces_served(raw: Iterable[str]) -> tuple[str, ...]:
    """Each name checked (``province_invalid``), once, in core.provinces' order."""
    return in_province_order(normalize_province(name) for name in raw)


def in_province_order(names: Iterable[str]) -> tuple[str, ...]:
    """Once each, in core.provinces' order (a name it has not, last)."""
    return tuple(sorted(set(names), key=lambda name: (_ORDER.get(name, len(_ORDER)), name)))


def new_center_id(now: datetime | None = None) -> str:
    """``sc_`` + 26 Crockford base32 characters (core.ids)."""
    return new_id(ID_PREFIX, now)


def assignee_key(center_id: str) -> str:
    """The claims' ``assignee_key`` of a request routed to the centre.

    >>> assignee_key("sc_01")
    'company#sc_01'
    """
    return ASSIGNEE_PREFIX + center_id


def center_of(assignee: str) -> str | None:
    """The centre an ``assignee_key`` names; ``None`` for a technician's.

    >>> center_of("company#sc_01"), center_of("tech#lan")
    ('sc_01', None)
    """
    return assignee[len(ASSIGNEE_PREFIX) :] if assignee.startswith(ASSIGNEE_PREFIX) else None
