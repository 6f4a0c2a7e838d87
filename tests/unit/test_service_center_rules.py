"""Service centres' rules, without I/O: what a centre must have by kind, what never changes,
the status machine shared with dealers, which centres a request may be routed to or the public
sees, and who a company user acts for (a user of centre A never acts for B)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from chalicelib.core.errors import Conflict, Forbidden, GarantiError, Invalid
from chalicelib.core.lifecycle import Lifecycle
from chalicelib.platform.auth import Principal, Role
from chalicelib.platform.members import Member
from chalicelib.service_centers import service
from chalicelib.service_centers.access import center_principal
from chalicelib.service_centers.model import (
    CENTER_ID,
    CenterDetails,
    CenterKind,
    ServiceCenter,
    assignee_key,
    center_of,
    change_status,
    edit,
    new_center,
    normalize_center_code,
    normalize_center_phone,
    provinces_served,
)

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
HN, HUE = "Hà Nội", "Huế"


def details(
    code: str = "MP-01", kind: CenterKind = CenterKind.PARTNER, **fields: object
) -> CenterDetails:
    base: dict[str, object] = {
        "code": code,
        "name": f"Trung tâm {code}",
        "kind": kind,
        "provinces": (HN,),
        "tax_code": "0109000301" if kind is CenterKind.PARTNER else None,
    }
    return CenterDetails(**{**base, **fields})  # type: ignore[arg-type]


def center(code: str = "MP-01", center_id: str = "sc_a", **fields: object) -> ServiceCenter:
    return new_center(details(code, **fields), by="admin", at=NOW, center_id=center_id)


def test_a_new_centre_is_active_with_its_creation_in_the_history() -> None:
    created = center()

    assert created.status is Lifecycle.ACTIVE
    assert (created.version, created.history[0].status_to) == (1, Lifecycle.ACTIVE)
    assert CENTER_ID.fullmatch(new_center(details(), by="a", at=NOW).center_id)


def test_a_partner_needs_its_tax_code_and_an_internal_centre_keeps_none() -> None:
    with pytest.raises(Invalid) as refused:
        new_center(details(tax_code=None), by="a", at=NOW)
    internal = new_center(
        details("TT-HN", CenterKind.INTERNAL, tax_code="0109000301"), by="a", at=NOW
    )

    assert [(f.field, f.code) for f in refused.value.fields] == [
        ("tax_code", "center_tax_code_required")
    ]
    assert internal.details.tax_code is None


def test_a_centre_serves_at_least_one_province() -> None:
    with pytest.raises(Invalid) as refused:
        new_center(details(provinces=()), by="a", at=NOW)

    assert refused.value.fields[0].code == "center_provinces_required"


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"code": "MP-02"}, "center_code_fixed"),
        ({"kind": CenterKind.INTERNAL, "tax_code": None}, "center_kind_fixed"),
    ],
)
def test_code_and_kind_never_change(change: dict[str, object], code: str) -> None:
    with pytest.raises(Invalid) as refused:
        edit(center(), replace(center().details, **change), at=NOW)  # type: ignore[arg-type]

    assert refused.value.fields[0].code == code


def test_a_closed_centre_is_kept_as_it_was() -> None:
    closed = change_status(center(), Lifecycle.CLOSED, note="Hết hợp đồng", by="a", at=NOW)

    with pytest.raises(Conflict) as refused:
        edit(closed, replace(closed.details, name="Khác"), at=NOW)
    with pytest.raises(Conflict) as reopened:
        change_status(closed, Lifecycle.ACTIVE, note="", by="a", at=NOW)

    assert (refused.value.code, reopened.value.code) == (
        "center_closed",
        "center_status_not_allowed",
    )


def test_suspending_needs_a_note_and_is_kept_in_the_history() -> None:
    with pytest.raises(Invalid):
        change_status(center(), Lifecycle.SUSPENDED, note=" ", by="cs", at=NOW)
    suspended = change_status(center(), Lifecycle.SUSPENDED, note="Chậm xử lý", by="cs", at=NOW)
    back = change_status(suspended, Lifecycle.ACTIVE, note="", by="admin", at=NOW)

    assert [(c.status_from, c.status_to, c.note) for c in back.history[1:]] == [
        (Lifecycle.ACTIVE, Lifecycle.SUSPENDED, "Chậm xử lý"),
        (Lifecycle.SUSPENDED, Lifecycle.ACTIVE, ""),
    ]
    assert back.version == 3


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(" hn-tt01 ", "HN-TT01"), ("MP.01", "MP.01"), ("x", None), ("MÃ-01", None), ("A B", None)],
)
def test_centre_codes(raw: str, expected: str | None) -> None:
    if expected is None:
        with pytest.raises(Invalid):
            normalize_center_code(raw)
    else:
        assert normalize_center_code(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1900 1234", "1900 1234"),
        ("024  3999-8888", "024 3999-8888"),
        ("+84 28 3822 1234", "+84 28 3822 1234"),
        ("", ""),
        ("12345", None),
        ("gọi 0909", None),
    ],
)
def test_a_centre_s_public_line(raw: str, expected: str | None) -> None:
    if expected is None:
        with pytest.raises(Invalid) as refused:
            normalize_center_phone(raw)
        assert refused.value.code == "center_phone_invalid"
    else:
        assert normalize_center_phone(raw) == expected


def test_provinces_are_checked_once_each_in_the_list_s_order() -> None:
    assert provinces_served([HUE, "Thành phố  Hồ Chí Minh", HN, HUE]) == (
        HN,
        "Thành phố Hồ Chí Minh",
        HUE,
    )
    with pytest.raises(GarantiError):
        provinces_served(["Hà Tây"])  # merged in 2008: not one of the 34


def test_an_assignee_key_names_its_centre_and_only_a_centre() -> None:
    assert center_of(assignee_key("sc_a")) == "sc_a"
    assert center_of("tech#lan") is None


def test_routing_offers_active_centres_of_the_province_and_the_public_sees_only_listed_ones() -> (
    None
):
    everyone = [
        center("A", "sc_a"),
        center("B", "sc_b", provinces=(HUE,)),
        center("C", "sc_c", listed=False),
        change_status(center("D", "sc_d"), Lifecycle.SUSPENDED, note="x", by="a", at=NOW),
        center("E", "sc_e", kind=CenterKind.INTERNAL),
    ]

    routable = service.routable(everyone, province=HN)
    partners = service.routable(everyone, kind=CenterKind.PARTNER)
    public = service.service_points(everyone, HN)

    assert [c.code for c in routable] == ["A", "C", "E"]
    assert [c.code for c in partners] == ["A", "B", "C"]
    assert [c.code for c in public] == ["A", "E"]


def test_the_users_group_is_the_service_role() -> None:
    assert Role.SERVICE.value == service.GROUP


# -- who a company user acts for --------------------------------------------------------------


class Store:
    def __init__(self, *items: Member | ServiceCenter) -> None:
        self.items = {getattr(i, "username", None) or getattr(i, "center_id", ""): i for i in items}

    def get(self, key: str) -> object:
        return self.items.get(key)


def principal(*roles: str, username: str = "service1") -> Principal:
    return Principal(username=username, subject="s", roles=frozenset(roles))


A, B = center("A", "sc_a"), center("B", "sc_b")


def test_a_company_user_acts_for_its_own_centre_and_never_another() -> None:
    users = Store(Member("service1", "sc_a", NOW, "admin"), Member("other", "sc_b", NOW, "admin"))
    centers = Store(A, B)

    mine = center_principal(principal("service"), users=users, centers=centers)
    theirs = center_principal(principal("service", username="other"), users=users, centers=centers)

    assert (mine.center_id, mine.assignee_key, mine.center_name) == (
        "sc_a",
        "company#sc_a",
        "Trung tâm A",
    )
    assert theirs.assignee_key == "company#sc_b"


@pytest.mark.parametrize(
    ("who", "users", "centers", "code"),
    [
        (
            principal("cs"),
            Store(Member("service1", "sc_a", NOW, "a")),
            Store(A),
            "role_not_allowed",
        ),
        (principal("service"), Store(), Store(A), "service_access_revoked"),
        (
            principal("service"),
            Store(Member("service1", "sc_a", NOW, "a")),
            Store(change_status(A, Lifecycle.SUSPENDED, note="x", by="a", at=NOW)),
            "service_center_inactive",
        ),
        (
            principal("service"),
            Store(Member("service1", "sc_gone", NOW, "a")),
            Store(A),
            "service_center_inactive",
        ),
    ],
    ids=["staff", "removed", "suspended", "centre-gone"],
)
def test_anyone_else_is_refused_with_the_reason(
    who: Principal, users: Store, centers: Store, code: str
) -> None:
    with pytest.raises(Forbidden) as refused:
        center_principal(who, users=users, centers=centers)

    assert refused.value.code == code
