"""Installer partners' rules: the status machine, what people type normalised, the lists the
sign-up form offers, and sessions (with in-memory stores)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from chalicelib.core.errors import Conflict, Invalid, Unauthorized
from chalicelib.core.provinces import PROVINCES, normalize_province
from chalicelib.core.tax_code import normalize_tax_code
from chalicelib.partners import sessions
from chalicelib.partners.banks import BANKS, bank_by_bin
from chalicelib.partners.model import (
    Partner,
    PartnerDetails,
    PartnerStatus,
    change_status,
    mask_digits,
    new_partner,
    new_partner_id,
    normalize_account_holder,
    normalize_account_number,
    normalize_citizen_id,
    valid_bank_bin,
)
from chalicelib.partners.service import audit_view
from chalicelib.partners.sessions import Session

REPO = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
P = PartnerStatus


def details(**overrides: str) -> PartnerDetails:
    fields = {
        "phone": "+84912345678",
        "name": "Nguyễn Văn Đạt",
        "citizen_id": "001203004567",
        "province": "Hà Nội",
        "bank_bin": "970436",
        "account_number": "0011004567890",
        "account_holder": "NGUYEN VAN DAT",
        "tax_code": None,
        **overrides,
    }
    return PartnerDetails(**fields)  # type: ignore[arg-type]


def partner(status: PartnerStatus = P.PENDING) -> Partner:
    return replace(new_partner(details(), status=P.PENDING, by="self", at=NOW), status=status)


# -- the status machine ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "to"),
    [
        (P.PENDING, P.APPROVED),
        (P.PENDING, P.REJECTED),
        (P.APPROVED, P.SUSPENDED),
        (P.SUSPENDED, P.APPROVED),
    ],
)
def test_allowed_moves_append_to_the_history_with_who_and_the_note(
    start: PartnerStatus, to: PartnerStatus
) -> None:
    before = replace(partner(), status=start)

    after = change_status(before, to, note=" checked ", by="director", at=NOW)

    assert after.status is to
    assert after.history[-1].status_from is start
    assert after.history[-1].status_to is to
    assert (after.history[-1].by, after.history[-1].note) == ("director", "checked")
    assert len(after.history) == len(before.history) + 1


@pytest.mark.parametrize(
    ("start", "to"),
    [
        (P.PENDING, P.SUSPENDED),
        (P.PENDING, P.PENDING),
        (P.APPROVED, P.REJECTED),
        (P.APPROVED, P.APPROVED),
        (P.REJECTED, P.APPROVED),
        (P.REJECTED, P.SUSPENDED),
        (P.SUSPENDED, P.REJECTED),
    ],
)
def test_any_other_move_is_a_conflict(start: PartnerStatus, to: PartnerStatus) -> None:
    with pytest.raises(Conflict) as caught:
        change_status(replace(partner(), status=start), to, note="x", by="admin", at=NOW)

    assert caught.value.code == "partner_status_not_allowed"
    assert caught.value.details == {"status": start.value, "to": to.value}


@pytest.mark.parametrize(("start", "to"), [(P.PENDING, P.REJECTED), (P.APPROVED, P.SUSPENDED)])
def test_rejection_and_suspension_need_a_note(start: PartnerStatus, to: PartnerStatus) -> None:
    with pytest.raises(Invalid) as caught:
        change_status(replace(partner(), status=start), to, note="  ", by="admin", at=NOW)

    assert [(f.field, f.code) for f in caught.value.fields] == [("note", "note_required")]


def test_approval_and_reinstatement_need_no_note() -> None:
    approved = change_status(partner(), P.APPROVED, note="", by="admin", at=NOW)
    suspended = change_status(approved, P.SUSPENDED, note="fraud check", by="admin", at=NOW)

    assert change_status(suspended, P.APPROVED, note="", by="admin", at=NOW).status is P.APPROVED


def test_a_new_partner_starts_pending_or_approved_with_its_creation_in_the_history() -> None:
    created = new_partner(details(), status=P.APPROVED, by="lan", at=NOW, note="met in person")

    assert created.partner_id.startswith("p_")
    assert created.created_by == "lan"
    assert [(h.status_from, h.status_to, h.note) for h in created.history] == [
        (None, P.APPROVED, "met in person")
    ]
    with pytest.raises(Invalid):
        new_partner(details(), status=P.SUSPENDED, by="lan", at=NOW)


def test_partner_ids_are_p_and_26_base32_characters_and_sort_by_time() -> None:
    first = new_partner_id(NOW)
    later = new_partner_id(NOW + timedelta(seconds=1))

    assert re.fullmatch(r"p_[0-9a-hjkmnp-tv-z]{26}", first)
    assert first < later
    assert new_partner_id(NOW) != first


# -- normalising what people type ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("001 203 004 567", "001203004567"),
        ("123456789", "123456789"),
        ("０１２３４５６７８", "012345678"),
    ],
)
def test_citizen_ids_have_9_or_12_digits(raw: str, expected: str) -> None:
    assert normalize_citizen_id(raw) == expected


@pytest.mark.parametrize("raw", ["12345678", "1234567890", "12345678901A", "", "0012030045678"])
def test_other_citizen_ids_are_refused(raw: str) -> None:
    with pytest.raises(Invalid, match="citizen_id_invalid"):
        normalize_citizen_id(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("0011-0045-67890", "0011004567890"), ("123456", "123456"), ("1" * 19, "1" * 19)],
)
def test_account_numbers_have_6_to_19_digits(raw: str, expected: str) -> None:
    assert normalize_account_number(raw) == expected


@pytest.mark.parametrize("raw", ["12345", "1" * 20, "12345A7", ""])
def test_other_account_numbers_are_refused(raw: str) -> None:
    with pytest.raises(Invalid, match="account_number_invalid"):
        normalize_account_number(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Nguyễn Văn Đạt", "NGUYEN VAN DAT"),
        ("  trần   thị  bình ", "TRAN THI BINH"),
        ("Nguye\u0302\u0303n Ơn", "NGUYEN ON"),  # decomposed marks
    ],
)
def test_account_holders_are_written_as_banks_print_them(raw: str, expected: str) -> None:
    assert normalize_account_holder(raw) == expected


@pytest.mark.parametrize(
    ("raw", "code"),
    [("   ", "account_holder_required"), ("A" * 51, "account_holder_too_long"),
     ("NGUYEN VAN 2", "account_holder_invalid"), ("Công ty ABC, Ltd.", "account_holder_invalid")],
)  # fmt: skip
def test_account_holders_that_a_bank_would_not_print_are_refused(raw: str, code: str) -> None:
    with pytest.raises(Invalid, match=code):
        normalize_account_holder(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("0101234567", "0101234567"), ("0101234567001", "0101234567-001"),
     ("0101234567-001", "0101234567-001"), ("", None), (None, None)],
)  # fmt: skip
def test_tax_codes_are_10_digits_or_13_with_a_dash(raw: str | None, expected: str | None) -> None:
    assert normalize_tax_code(raw) == expected


@pytest.mark.parametrize("raw", ["012345678", "01012345670", "0101234567-01", "ABCDEFGHIJ"])
def test_other_tax_codes_are_refused(raw: str) -> None:
    with pytest.raises(Invalid, match="tax_code_invalid"):
        normalize_tax_code(raw)


def test_provinces_are_the_34_since_july_2025_as_written() -> None:
    assert len(PROVINCES) == len(set(PROVINCES)) == 34
    assert normalize_province("Thành phố  Hồ Chí Minh") == "Thành phố Hồ Chí Minh"
    assert normalize_province("Hue\u0302\u0301") == "Huế"
    for retired in ("Bình Dương", "Hà Giang", "Thừa Thiên Huế", "hà nội"):
        with pytest.raises(Invalid, match="province_invalid"):
            normalize_province(retired)


def test_the_portal_offers_the_same_34_provinces() -> None:
    script = (REPO / "web/portal/js/shell.js").read_text(encoding="utf-8")
    lists = re.findall(r"const (?:CITIES|PROVINCES) = \[(.*?)\];", script, re.S)
    portal = [name for block in lists for name in re.findall(r"'([^']+)'", block)]

    assert portal == list(PROVINCES)


def test_the_bank_list_has_the_big_banks_with_their_napas_bins() -> None:
    expected = {
        "970436": "Vietcombank", "970415": "VietinBank", "970418": "BIDV", "970405": "Agribank",
        "970407": "Techcombank", "970422": "MB", "970416": "ACB", "970432": "VPBank",
        "970423": "TPBank", "970403": "Sacombank", "970437": "HDBank", "970441": "VIB",
        "970443": "SHB", "970431": "Eximbank", "970426": "MSB", "970448": "OCB",
        "970440": "SeABank", "970449": "LPBank", "970428": "Nam A Bank", "970409": "Bac A Bank",
        "970427": "VietABank", "970412": "PVcomBank", "970452": "Kienlongbank",
        "970425": "ABBANK", "970438": "BaoViet Bank",
    }  # fmt: skip
    found = {bin_: bank_by_bin(bin_) for bin_ in expected}
    assert {bin_: bank.short_name if bank else None for bin_, bank in found.items()} == expected
    assert len({bank.bin for bank in BANKS}) == len(BANKS)
    assert all(re.fullmatch(r"9704\d\d", bank.bin) and bank.name for bank in BANKS)
    with pytest.raises(Invalid, match="bank_bin_invalid"):
        valid_bank_bin("970499")


def test_the_audit_view_never_holds_the_full_citizen_id_account_or_phone() -> None:
    view = audit_view(partner())

    assert view["citizen_id"] == "********4567"
    assert view["account_number"] == mask_digits("0011004567890") == "*********7890"
    assert "912345678" not in str(view)
    assert "001203004567" not in str(view) and "0011004567890" not in str(view)


# -- sessions ---------------------------------------------------------------------------------


class MemorySessions:
    def __init__(self) -> None:
        self.items: dict[str, Session] = {}
        self.writes = 0

    def create(self, session: Session) -> None:
        self.items[session.session_key] = session

    def get(self, session_key: str) -> Session | None:
        return self.items.get(session_key)

    def extend(self, session: Session, used_at: datetime, expires_at: datetime) -> bool:
        stored = self.items.get(session.session_key)
        if stored is None or stored.last_used_at != session.last_used_at:
            return False
        self.writes += 1
        self.items[session.session_key] = replace(
            stored, last_used_at=used_at, expires_at=expires_at
        )
        return True

    def delete(self, session_key: str) -> None:
        self.items.pop(session_key, None)

    def delete_all(self, partner_id: str) -> int:
        gone = [k for k, s in self.items.items() if s.partner_id == partner_id]
        for key in gone:
            del self.items[key]
        return len(gone)


class MemoryPartners:
    def __init__(self, *partners: Partner) -> None:
        self.items = {p.partner_id: p for p in partners}

    def get(self, partner_id: str) -> Partner | None:
        return self.items.get(partner_id)


KEY = sessions.signing_key(bytes(32))


def signed_in(status: PartnerStatus = P.APPROVED) -> tuple[str, MemorySessions, MemoryPartners]:
    who = partner(status)
    store = MemorySessions()
    issued = sessions.open_session(who.partner_id, now=NOW, key=KEY, store=store)
    return issued.token, store, MemoryPartners(who)


def test_a_session_token_is_stored_only_as_its_hmac() -> None:
    token, store, _ = signed_in()

    assert re.fullmatch(r"pst_[A-Za-z0-9_-]{43}", token)
    [stored] = store.items.values()
    assert token not in str(stored) and token[4:] not in str(stored)
    assert stored.expires_at == NOW + timedelta(days=90)


def test_a_session_slides_at_most_once_a_day() -> None:
    token, store, partners = signed_in()

    def use(at: datetime) -> None:
        sessions.authenticate(token, now=at, key=KEY, sessions=store, partners=partners)

    use(NOW + timedelta(hours=5))
    use(NOW + timedelta(hours=23))
    assert store.writes == 0
    use(NOW + timedelta(days=1, hours=1))
    use(NOW + timedelta(days=1, hours=2))
    assert store.writes == 1
    [stored] = store.items.values()
    assert stored.expires_at == NOW + timedelta(days=91, hours=1)
    use(NOW + timedelta(days=80))  # past the first 90 days' midpoint, still alive: it slid
    use(NOW + timedelta(days=169))
    assert store.writes == 3


def test_a_session_unused_for_90_days_has_expired() -> None:
    token, store, partners = signed_in()

    with pytest.raises(Unauthorized, match="partner_session_expired"):
        sessions.authenticate(
            token, now=NOW + timedelta(days=90), key=KEY, sessions=store, partners=partners
        )


@pytest.mark.parametrize("token", ["", "pst_short", "eyJhbGciOi.x.y", "pst_" + "A" * 43])
def test_forged_or_unknown_tokens_are_invalid(token: str) -> None:
    _, store, partners = signed_in()

    with pytest.raises(Unauthorized, match="partner_session_invalid"):
        sessions.authenticate(token, now=NOW, key=KEY, sessions=store, partners=partners)


@pytest.mark.parametrize("status", [P.PENDING, P.SUSPENDED, P.REJECTED])
def test_a_partner_who_is_not_approved_is_refused_at_once(status: PartnerStatus) -> None:
    token, store, partners = signed_in(status)

    with pytest.raises(Unauthorized, match="partner_session_revoked"):
        sessions.authenticate(token, now=NOW, key=KEY, sessions=store, partners=partners)


def test_a_pending_partner_may_use_the_routes_that_allow_pending() -> None:
    token, store, partners = signed_in(P.PENDING)

    found = sessions.authenticate(
        token,
        now=NOW,
        key=KEY,
        sessions=store,
        partners=partners,
        allowed=sessions.SIGNED_IN_OR_PENDING,
    )

    assert found.status is P.PENDING


def test_sign_out_deletes_the_session() -> None:
    token, store, partners = signed_in()

    sessions.close_session(token, now=NOW, key=KEY, store=store)

    assert store.items == {}
    with pytest.raises(Unauthorized, match="partner_session_invalid"):
        sessions.authenticate(token, now=NOW, key=KEY, sessions=store, partners=partners)
