"""A dealer's users and what they see, against the emulator: an administrator adds a user
(a temporary password, replaced at the first sign-in), lists and removes it; the user sees its
own dealer, the units shipped to it and their activations with customers masked, never another
dealer's; removing the user or suspending the dealer ends access at once."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from chalicelib.audit.repository import AuditTrail
from chalicelib.catalog.tables import UnitRecord
from chalicelib.catalog.unit_repository import UnitRepository
from chalicelib.core.phone import phone_key
from chalicelib.outbox.repository import NotificationRepository
from tests.support import factories as f
from tests.support import seed
from tests.support.api import Api, StaffTokens, error_code
from tests.support.aws import Emulator
from tests.support.dealers import dealer_user_token, given_dealer, ship

pytestmark = pytest.mark.usefixtures("aws")


def units_of_two_dealers(a: str, b: str) -> None:
    """A: GAR001-GAR003 shipped, GAR002 activated; B: GAR010-GAR011; GAR020 not shipped."""
    seed.model("AC-9")
    units = UnitRepository()
    serials = ["GAR001", "GAR002", "GAR003", "GAR010", "GAR011", "GAR020"]
    units.add(f.new_units(serials), event="imported", by="t")
    for serial in serials[:3]:
        ship(serial, a)
    for serial in serials[3:5]:
        ship(serial, b, shipment_id="s_b")
    units.activate(
        "GAR002",
        f.activation(at=datetime(2026, 11, 30, 3, 0, tzinfo=UTC)),
        owner_key="k",
        consents=(),
    )


def test_an_added_user_signs_in_once_its_password_is_its_own_and_sees_its_dealer(
    api: Api, staff: StaffTokens
) -> None:
    admin = staff("admin")
    dealer_id = given_dealer(api, admin, "HN-01")

    token = dealer_user_token(api, admin, dealer_id, "Minh.Phat")
    me = api.get("/dealer/me", token=token)
    listed = api.get(f"/dealers/{dealer_id}/users", token=admin).json_body["users"]

    assert me.status_code == 200, me.body
    assert me.json_body["username"] == "minh.phat"
    assert (me.json_body["dealer"]["dealer_id"], me.json_body["dealer"]["code"]) == (
        dealer_id,
        "HN-01",
    )
    assert [(u["username"], u["enabled"], u["status"]) for u in listed] == [
        ("minh.phat", True, "CONFIRMED")
    ]
    [entry, _] = AuditTrail("demo").for_entity("dealer", dealer_id)
    assert (entry.action, entry.actor, entry.after) == (
        "dealer_user_added",
        "admin",
        {"username": "minh.phat"},
    )


def test_a_name_already_in_the_pool_is_refused(api: Api, staff: StaffTokens) -> None:
    admin = staff("admin")
    dealer_id = given_dealer(api, admin, "HN-01")

    response = api.post(f"/dealers/{dealer_id}/users", json_body={"username": "cs"}, token=admin)

    assert (response.status_code, error_code(response)) == (409, "user_exists")
    assert api.get(f"/dealers/{dealer_id}/users", token=admin).json_body["users"] == []


def test_a_dealer_sees_its_own_units_only_and_its_customers_masked(
    api: Api, staff: StaffTokens
) -> None:
    admin = staff("admin")
    a, b = given_dealer(api, admin, "HN-01"), given_dealer(api, admin, "HCM-01")
    units_of_two_dealers(a, b)
    token_a = dealer_user_token(api, admin, a, "dealer.a")
    token_b = dealer_user_token(api, admin, b, "dealer.b")

    seen_a = api.get("/dealer/units", token=token_a).json_body
    seen_b = api.get("/dealer/units", token=token_b).json_body
    shipped_a = api.get("/dealer/units?status=shipped", token=token_a).json_body["units"]
    activations_a = api.get("/dealer/activations", token=token_a).json_body
    activations_b = api.get("/dealer/activations", token=token_b).json_body

    assert [u["serial"] for u in seen_a["units"]] == ["GAR001", "GAR002", "GAR003"]
    assert [u["serial"] for u in seen_b["units"]] == ["GAR010", "GAR011"]
    assert [u["serial"] for u in shipped_a] == ["GAR001", "GAR003"]
    assert shipped_a[0]["shipped_on"] == "2026-11-20"
    [sold] = activations_a["activations"]
    assert sold["serial"] == "GAR002"
    assert (sold["customer_name"], sold["customer_phone"]) == ("N***** V** A*", "+84 91* *** *78")
    assert "912345678" not in str(activations_a) and "Nguyễn" not in str(activations_a)
    assert activations_b["activations"] == []


def test_pages_follow_their_cursor_and_a_cursor_is_its_dealer_s_alone(
    api: Api, staff: StaffTokens
) -> None:
    admin = staff("admin")
    a, b = given_dealer(api, admin, "HN-01"), given_dealer(api, admin, "HCM-01")
    units_of_two_dealers(a, b)
    token_a = dealer_user_token(api, admin, a, "dealer.a")
    token_b = dealer_user_token(api, admin, b, "dealer.b")

    first = api.get("/dealer/units?limit=2", token=token_a).json_body
    rest = api.get(f"/dealer/units?limit=2&cursor={first['next_cursor']}", token=token_a)
    stolen = api.get(f"/dealer/units?limit=2&cursor={first['next_cursor']}", token=token_b)

    assert [u["serial"] for u in first["units"]] == ["GAR001", "GAR002"]
    assert [u["serial"] for u in rest.json_body["units"]] == ["GAR003"]
    assert stolen.status_code == 400


def test_removing_a_user_ends_its_access_at_once_and_disables_the_account(
    api: Api, staff: StaffTokens, emulator: Emulator
) -> None:
    admin = staff("admin")
    dealer_id = given_dealer(api, admin, "HN-01")
    token = dealer_user_token(api, admin, dealer_id, "dealer.a")

    removed = api.delete(f"/dealers/{dealer_id}/users/dealer.a", token=admin)
    after = api.get("/dealer/me", token=token)
    again = api.delete(f"/dealers/{dealer_id}/users/dealer.a", token=admin)
    login = api.post(
        "/auth/login", json_body={"username": "dealer.a", "password": "Dealer@2026mine"}
    )

    assert removed.status_code == 204
    assert (after.status_code, error_code(after)) == (403, "dealer_access_revoked")
    assert (again.status_code, error_code(again)) == (404, "dealer_user_not_found")
    assert (login.status_code, error_code(login)) == (401, "invalid_credentials")
    assert api.get(f"/dealers/{dealer_id}/users", token=admin).json_body["users"] == []
    actions = [e.action for e in AuditTrail("demo").for_entity("dealer", dealer_id)]
    assert actions[0] == "dealer_user_removed"


def test_a_suspended_dealer_s_users_are_refused_until_it_is_reinstated(
    api: Api, staff: StaffTokens
) -> None:
    admin = staff("admin")
    dealer_id = given_dealer(api, admin, "HN-01")
    token = dealer_user_token(api, admin, dealer_id, "dealer.a")

    def move(status: str) -> None:
        body = {"status": status, "note": "Chậm thanh toán"}
        assert (
            api.post(f"/dealers/{dealer_id}/status", json_body=body, token=admin).status_code == 200
        )

    move("suspended")
    suspended = api.get("/dealer/units", token=token)
    move("active")

    assert (suspended.status_code, error_code(suspended)) == (403, "dealer_not_active")
    assert api.get("/dealer/units", token=token).status_code == 200


def test_a_closed_dealer_gets_no_new_user(api: Api, staff: StaffTokens) -> None:
    admin = staff("admin")
    dealer_id = given_dealer(api, admin, "HN-01")
    body = {"status": "closed", "note": "Ngừng hợp tác"}
    api.post(f"/dealers/{dealer_id}/status", json_body=body, token=admin)

    response = api.post(f"/dealers/{dealer_id}/users", json_body={"username": "late"}, token=admin)

    assert (response.status_code, error_code(response)) == (409, "dealer_closed")


def test_dealer_routes_want_a_token(api: Api, staff: StaffTokens) -> None:
    response = api.get("/dealer/units")

    assert (response.status_code, error_code(response)) == (401, "authentication_required")


def test_the_demo_seeds_a_distributor_two_dealers_and_maps_its_dealer_user_once(
    api: Api, staff: StaffTokens
) -> None:
    from devstack.demo import seed_demo_dealers

    created, again = seed_demo_dealers(), seed_demo_dealers()

    listed = api.get("/dealers", token=staff("admin")).json_body["dealers"]
    by_code = {d["code"]: d for d in listed}
    assert (created, again) == (3, 0)
    assert sorted(by_code) == ["HCM-01", "HN-01", "NPP-MB"]
    distributor = by_code["NPP-MB"]["dealer_id"]
    assert {by_code["HN-01"]["parent_id"], by_code["HCM-01"]["parent_id"]} == {distributor}
    users = api.get(f"/dealers/{by_code['HN-01']['dealer_id']}/users", token=staff("admin"))
    assert [u["username"] for u in users.json_body["users"]] == ["dealer1"]


def test_the_landing_page_names_the_dealer_a_unit_was_shipped_to_and_nothing_else(
    api: Api, staff: StaffTokens
) -> None:
    admin = staff("admin")
    a, b = given_dealer(api, admin, "HN-01", address="12 Phố Huế"), given_dealer(api, admin, "B-1")
    units_of_two_dealers(a, b)

    shipped = api.get(f"/public/units/{seed.token('GAR001')}").json_body
    loose = api.get(f"/public/units/{seed.token('GAR020')}").json_body

    assert shipped["sold_through"] == "Đại lý HN-01"
    assert "12 Phố Huế" not in str(shipped) and a not in str(shipped)
    assert loose["sold_through"] is None


# -- activating for a buyer at the counter ------------------------------------------------------

BUYER = {"name": "Trần Thị Bình", "phone": "0987 654 321", "province": "Hà Nội"}
BUYER_E164 = "+84987654321"


def codes_sent_to(e164: str) -> list[str]:
    found = []
    for message in NotificationRepository().list_for_recipient(
        phone_key(f.PEPPER, e164), datetime.now(UTC)
    ):
        assert message.template == "activation_code"
        match = re.search(r"\b(\d{6})\b", message.text)
        assert match is not None, message.text
        found.append(match.group(1))
    return found


def test_a_dealer_activates_its_unit_for_a_buyer_with_the_code_sent_to_the_buyer(
    api: Api, staff: StaffTokens
) -> None:
    admin = staff("admin")
    a, b = given_dealer(api, admin, "HN-01"), given_dealer(api, admin, "HCM-01")
    units_of_two_dealers(a, b)
    token = dealer_user_token(api, admin, a, "dealer.a")

    started = api.post(
        "/dealer/activations/start", json_body={"serial": "gar001", "buyer": BUYER}, token=token
    )
    [code] = codes_sent_to(BUYER_E164)
    wrong = "000000" if code != "000000" else "111111"
    refused = api.post(
        "/dealer/activations/confirm",
        json_body={"serial": "GAR001", "buyer": BUYER, "code": wrong},
        token=token,
    )
    done = api.post(
        "/dealer/activations/confirm",
        json_body={"serial": "GAR001", "buyer": BUYER, "code": code},
        token=token,
    )

    assert started.status_code == 202, started.body
    assert (refused.status_code, error_code(refused)) == (403, "phone_code_wrong")
    assert done.status_code == 201, done.body
    assert (done.json_body["channel"], done.json_body["customer_phone"]) == (
        "dealer",
        "+84 98* *** *21",
    )
    unit = UnitRecord.get("GAR001")
    assert (unit.status, unit.channel, unit.dealer_id) == ("activated", "dealer", a)
    assert (unit.owner_name, unit.owner_phone, unit.owner_province) == (
        "Trần Thị Bình",
        BUYER_E164,
        "Hà Nội",
    )
    listed = api.get("/dealer/activations", token=token).json_body["activations"]
    assert [(x["serial"], x["channel"]) for x in listed] == [
        ("GAR001", "dealer"),
        ("GAR002", "web"),
    ]


@pytest.mark.parametrize(
    ("serial", "status", "code"),
    [
        ("GAR010", 403, "unit_not_shipped_to_dealer"),  # dealer B's
        ("GAR020", 403, "unit_not_shipped_to_dealer"),  # not shipped at all
        ("GAR002", 409, "already_activated"),
        ("NOPE-1", 404, "unit_not_found"),
    ],
)
def test_a_dealer_activates_nothing_but_its_own_units_not_yet_activated(
    api: Api, staff: StaffTokens, serial: str, status: int, code: str
) -> None:
    admin = staff("admin")
    a, b = given_dealer(api, admin, "HN-01"), given_dealer(api, admin, "HCM-01")
    units_of_two_dealers(a, b)
    token = dealer_user_token(api, admin, a, "dealer.a")

    response = api.post(
        "/dealer/activations/start", json_body={"serial": serial, "buyer": BUYER}, token=token
    )

    assert (response.status_code, error_code(response)) == (status, code)
    assert codes_sent_to(BUYER_E164) == []
