"""The workshop's side of a request: the SLA hours come from the stage's setting and the table
finds the late ones; the director overrides a verdict with a reason; cost and revenue lines are
appended with their totals; a replaced unit is registered, activated from today, linked both
ways and the old one voided; a unit's warranty history for the desk, a technician and its owner.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from chalicelib.activation.lookup import issue_lookup_token
from chalicelib.catalog.unit_repository import UnitRepository
from chalicelib.core.phone import phone_key
from chalicelib.outbox.tables import NotificationRecord
from chalicelib.platform import wiring as platform_wiring
from tests.integration.test_claims import ACTIVE, ENDED, FRESH, filed, move
from tests.integration.test_claims import units as units  # the fixture
from tests.support import factories as f
from tests.support.api import Api, StaffTokens, error_code, field_codes
from tests.support.aws import Emulator
from tests.support.streams import StreamReader, deliver, failed_sequence_numbers


def _ids(response: Any) -> list[str]:
    assert response.status_code == 200, response.body
    return [c["claim_id"] for c in response.json_body["claims"]]


def test_the_sla_hours_come_from_the_setting_and_the_late_ones_are_found(
    api: Api, staff: StaffTokens, units: list[str], stage: pytest.MonkeyPatch
) -> None:
    from chalicelib.catalog import wiring as catalog_wiring
    from chalicelib.claims import service, wiring
    from chalicelib.claims.model import Caller, Channel, ClaimDraft, ClaimType, Customer

    stage.setenv("GARANTI_CLAIM_SLA_HOURS", "new=1, triaged=0")
    from tests.support.aws import clear_app_caches

    clear_app_caches()
    late = service.create(
        ClaimDraft(ClaimType.REPAIR, ACTIVE, Customer("Lan", "+84912345678"), "Không lạnh"),
        Caller("cs", frozenset({"cs"})),
        channel=Channel.CONSOLE,
        at=datetime.now(UTC) - timedelta(hours=2),
        store=wiring.claim_repository(),
        units=catalog_wiring.unit_repository(),
        models=catalog_wiring.model_cache(),
        rules=wiring.rules(),
    )
    fresh = filed(api, staff("cs"))
    triaged = move(api, staff("cs"), fresh, "triaged").json_body["claim"]

    assert _ids(api.get("/claims?breached=true", token=staff("cs"))) == [late.claim_id]
    assert _ids(api.get("/claims?breached=true&state=new", token=staff("cs"))) == [late.claim_id]
    due = datetime.fromisoformat(fresh["due_at"]) - datetime.fromisoformat(fresh["created_at"])
    assert due == timedelta(hours=1)
    assert triaged["due_at"] is None and triaged["breached"] is False  # 0: no deadline
    board = api.get("/claims/board", token=staff("cs")).json_body["columns"]
    late_card = next(c for c in board if c["state"] == "new")["claims"][0]
    assert (late_card["claim_id"], late_card["breached"]) == (late.claim_id, True)
    assert late_card["ageing_hours"] == 2


def test_the_director_overrides_a_verdict_with_a_reason_kept_in_the_history(
    api: Api, staff: StaffTokens, units: list[str]
) -> None:
    claim = filed(api, staff("cs"), ENDED)
    assert claim["verdict"]["status"] == "out_of_warranty"

    def override(token: str, version: int, **body: Any) -> Any:
        return api.post(
            f"/claims/{claim['claim_id']}/override",
            json_body={"status": "in_warranty", "version": version, **body},
            token=token,
        )

    by_cs = override(staff("cs"), 1, reason="Khách quen")
    unexplained = override(staff("director"), 1, reason="  ")
    done = override(staff("director"), 1, reason="Lỗi do lô hàng, hỗ trợ khách")
    back = override(staff("director"), 2, reason="Xem lại", status="needs_inspection")

    assert (by_cs.status_code, error_code(by_cs)) == (403, "role_not_allowed")
    assert field_codes(unexplained) == {"reason": "claim_override_reason_required"}
    assert done.status_code == 200, done.body
    verdict = done.json_body["claim"]["verdict"]
    assert verdict["status"] == "in_warranty"
    assert verdict["override"] == {
        "by": "director",
        "reason": "Lỗi do lô hàng, hỗ trợ khách",
        "status_before": "out_of_warranty",
    }
    assert [r["code"] for r in verdict["reasons"]] == ["warranty_ended", "verdict_overridden"]
    assert verdict["reasons"][1]["message"] == (
        "Giám đốc đã quyết định lại kết luận này (theo quy định: hết bảo hành)."
    )  # the verdict the rules gave, by its name, never its code
    last = done.json_body["history"][-1]
    assert (last["action"], last["note"]) == ("override", "Lỗi do lô hàng, hỗ trợ khách")
    assert last["changes"] == [
        {"field": "decided", "before": "out_of_warranty", "after": "in_warranty"}
    ]
    again = back.json_body["claim"]["verdict"]
    assert (again["status"], again["override"]["status_before"]) == (
        "needs_inspection",
        "out_of_warranty",
    )
    assert [r["code"] for r in again["reasons"]] == ["warranty_ended", "verdict_overridden"]


def test_cost_and_revenue_lines_are_appended_with_their_totals(
    api: Api, staff: StaffTokens, units: list[str]
) -> None:
    claim = filed(api, staff("cs"))

    def cost(token: str, version: int, **line: Any) -> Any:
        return api.post(
            f"/claims/{claim['claim_id']}/costs",
            json_body={"version": version, **line},
            token=token,
        )

    part = cost(staff("cs"), 1, kind="part", description="Bo mạch", part_code="PCB-AC9",
                amount_vnd=850000, payer="warranty")  # fmt: skip
    labour = cost(staff("cs"), 2, kind="labour", description="2 giờ", amount_vnd=300000,
                  payer="customer")  # fmt: skip
    paid = cost(staff("admin"), 3, kind="revenue", description="Khách trả", amount_vnd=500000,
                payer="customer")  # fmt: skip
    wrong = cost(staff("cs"), 4, kind="revenue", description="x", amount_vnd=1, payer="warranty")
    zero = cost(staff("cs"), 4, kind="part", description="x", amount_vnd=0, payer="warranty")
    fractional = cost(
        staff("cs"), 4, kind="part", description="x", amount_vnd=1.5, payer="warranty"
    )
    accountant = cost(staff("accountant"), 4, kind="part", description="x", amount_vnd=1,
                      payer="warranty")  # fmt: skip

    assert [r.status_code for r in (part, labour, paid)] == [201, 201, 201]
    detail = paid.json_body["claim"]
    assert [(c["line_id"], c["kind"], c["amount_vnd"], c["by"]) for c in detail["costs"]] == [
        ("1", "part", 850000, "cs"),
        ("2", "labour", 300000, "cs"),
        ("3", "revenue", 500000, "admin"),
    ]
    assert detail["totals"] == {
        "cost_vnd": 1150000,
        "revenue_vnd": 500000,
        "profit_vnd": -650000,
        "warranty_vnd": 850000,
        "customer_vnd": 300000,
        "supplier_vnd": 0,
    }
    assert paid.json_body["history"][-1]["action"] == "cost"
    assert field_codes(wrong) == {"payer": "claim_revenue_payer"}
    assert field_codes(zero) == {"amount_vnd": "claim_cost_zero"}
    assert (fractional.status_code, accountant.status_code) == (400, 403)


def _to_diagnosing(api: Api, staff: StaffTokens, claim: dict[str, Any]) -> dict[str, Any]:
    current = move(api, staff("cs"), claim, "triaged").json_body["claim"]
    current = api.post(
        f"/claims/{claim['claim_id']}/route",
        json_body={"routing": "internal", "assignee": "technician", "version": current["version"]},
        token=staff("cs"),
    ).json_body["claim"]
    for state in ("accepted", "received", "diagnosing"):
        response = move(api, staff("technician"), current, state)
        assert response.status_code == 200, response.body
        current = response.json_body["claim"]
    return current


def test_a_replaced_unit_is_registered_activated_from_today_linked_and_the_old_one_voided(
    api: Api, staff: StaffTokens, units: list[str], aws: Emulator
) -> None:
    units_stream = StreamReader(aws, "garanti-local-units")
    units_stream.new_records()  # the fixture's own registrations and activations
    claim = filed(api, staff("cs"))
    early = api.post(
        f"/claims/{claim['claim_id']}/replacement",
        json_body={"new_serial": "GAR-SR-NEW", "version": 1},
        token=staff("cs"),
    )
    diagnosing = _to_diagnosing(api, staff, claim)
    taken = api.post(
        f"/claims/{claim['claim_id']}/replacement",
        json_body={"new_serial": ENDED, "version": diagnosing["version"]},
        token=staff("technician"),
    )

    done = api.post(
        f"/claims/{claim['claim_id']}/replacement",
        json_body={"new_serial": "gar-sr-new", "version": diagnosing["version"]},
        token=staff("technician"),
    )

    assert (early.status_code, error_code(early)) == (409, "claim_replacement_not_allowed")
    assert (taken.status_code, error_code(taken)) == (409, "replacement_unit_unavailable")
    assert done.status_code == 200, done.body
    assert done.json_body["claim"]["replacement_serial"] == "GAR-SR-NEW"
    assert done.json_body["history"][-1]["action"] == "replacement"
    old, new = UnitRepository().get(ACTIVE), UnitRepository().get("GAR-SR-NEW")
    assert (old.status.value, old.replaced_by) == ("void", "GAR-SR-NEW")
    assert (new.status.value, new.replaces, new.model_code) == ("activated", ACTIVE, "AC-9")
    assert new.activation is not None and old.activation is not None
    today = datetime.now(UTC).astimezone().date()
    assert abs((new.activation.warranty_start - today).days) <= 1
    assert new.replaced_on == new.activation.warranty_start
    assert new.activation.warranty_reason == "warranty_from_replacement"
    assert new.activation.owner == old.activation.owner
    # the units stream takes the replacement as an activation: the owner is sent its certificate
    told = deliver("on_unit_change", units_stream.new_records())
    assert failed_sequence_numbers(told) == []
    confirmations = [r for r in NotificationRecord.scan() if r.template == "activation_confirmed"]
    assert [r.subject for r in confirmations] == ["GAR-SR-NEW"]
    assert confirmations[0].recipient_phone == "+84912345678"
    replaced = move(api, staff("technician"), done.json_body["claim"], "replaced")
    assert replaced.json_body["claim"]["replacement_serial"] == "GAR-SR-NEW"
    history = api.get(f"/units/{ACTIVE}/warranty-history", token=staff("cs")).json_body
    assert (history["status"], history["replaced_by"]) == ("void", "GAR-SR-NEW")
    assert [(c["claim_id"], c["outcome"]) for c in history["claims"]] == [
        (claim["claim_id"], "replaced")
    ]
    new_history = api.get("/units/GAR-SR-NEW/warranty-history", token=staff("cs")).json_body
    assert (new_history["replaces"], new_history["warranty"]["reason"]) == (
        ACTIVE,
        "warranty_from_replacement",
    )


def _session(phone: str) -> dict[str, str]:
    token = issue_lookup_token(
        phone_key(f.PEPPER, phone),
        now=datetime.now(UTC),
        token_key=platform_wiring.secrets().lookup_token_key,
    ).token
    return {"Authorization": f"Bearer {token}"}


def test_a_units_warranty_history_for_the_desk_a_technician_and_its_owner(
    api: Api, staff: StaffTokens, units: list[str]
) -> None:
    claim = filed(api, staff("cs"))
    path = f"/units/{ACTIVE}/warranty-history"

    desk = api.get(path, token=staff("cs"))
    technician = api.get(path, token=staff("technician"))
    owner = api.get(path, headers=_session("+84912345678"))
    public = api.get(f"/public{path}", headers=_session("+84912345678"))
    stranger = api.get(path, headers=_session("+84987654321"))
    anonymous = api.get(f"/public{path}")
    never_activated = api.get(f"/units/{FRESH}/warranty-history", headers=_session("+84912345678"))
    accountant = api.get(path, token=staff("accountant"))

    assert desk.status_code == 200, desk.body
    body = desk.json_body
    # the owner in full only through the unit's recorded reveal, never its history
    assert body["customer"] == {"name": "N***** T** L**", "phone": "+84 91* *** *78"}
    assert body["warranty"]["end"] and body["activated_at"]
    assert [(c["claim_id"], c["state"], c["step"], c["verdict"]) for c in body["claims"]] == [
        (claim["claim_id"], "new", "received", "in_warranty")
    ]
    assert technician.json_body["customer"] == {
        "name": "N***** T** L**",
        "phone": "+84 91* *** *78",
    }
    assert owner.status_code == public.status_code == 200
    assert owner.json_body == public.json_body
    assert owner.json_body["customer"]["phone"] == "+84 91* *** *78"
    assert [c["claim_id"] for c in owner.json_body["claims"]] == [claim["claim_id"]]
    assert (stranger.status_code, error_code(stranger)) == (404, "unit_not_found")
    assert (anonymous.status_code, error_code(anonymous)) == (401, "session_required")
    assert never_activated.status_code == 404
    assert (accountant.status_code, error_code(accountant)) == (403, "role_not_allowed")
    assert date.fromisoformat(body["warranty"]["end"]) > date.today()
