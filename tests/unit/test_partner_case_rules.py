"""A partner's case, its rules without storage: the status machine (open → answered → closed,
reopened by the partner's note, never by staff), the note's bounds and text, and who may open
a case about what (a unit the partner installed; its own reward entry)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import pytest

from chalicelib.catalog.model import Activation, Installer, Owner, Unit, UnitStatus
from chalicelib.core.errors import Conflict, Forbidden, Invalid, NotFound
from chalicelib.partners import case_service
from chalicelib.partners.cases import (
    NOTES_PER_CASE,
    Author,
    Case,
    CaseKind,
    CaseStatus,
    NoteDraft,
    add_note,
    clean_note,
    close,
    new_case,
)
from chalicelib.partners.model import Consent, Partner, PartnerDetails, PartnerStatus

AT = datetime(2026, 3, 1, 9, tzinfo=UTC)
STAFF = Author.staff("cs")


def draft(text: str = "Máy kêu", photos: tuple[str, ...] = ()) -> NoteDraft:
    return NoteDraft(text, photos)


def a_case(kind: CaseKind = CaseKind.SERVICE) -> Case:
    return new_case("c_1", "p_a", "Thợ A", kind, "GAR-1", "Máy kêu to", draft(), at=AT)


def test_a_staff_note_answers_and_a_partner_note_opens_again() -> None:
    answered = add_note(a_case(), STAFF, draft("Đã gọi khách"), at=AT)
    again = add_note(answered, Author.PARTNER_SELF, draft("Vẫn kêu"), at=AT)

    assert (answered.status, again.status) == (CaseStatus.ANSWERED, CaseStatus.OPEN)
    assert [n.number for n in again.notes] == [1, 2, 3]
    assert [n.author.role for n in again.notes] == ["partner", "staff", "partner"]
    assert again.version == 3


def test_a_closed_case_is_reopened_by_its_partner_and_refused_to_staff() -> None:
    closed = close(a_case(), STAFF, at=AT)

    with pytest.raises(Conflict) as refused:
        add_note(closed, STAFF, draft(), at=AT)
    reopened = add_note(closed, Author.PARTNER_SELF, draft("Mở lại"), at=AT)

    assert (closed.status, closed.closed_by) == (CaseStatus.CLOSED, "cs")
    assert refused.value.code == "case_closed"
    assert (reopened.status, reopened.closed_by) == (CaseStatus.OPEN, "")
    with pytest.raises(Conflict):
        close(closed, Author.PARTNER_SELF, at=AT)


@pytest.mark.parametrize(
    ("note", "code"),
    [
        (NoteDraft("", ()), "case_note_empty"),
        (NoteDraft("x" * 2001, ()), "case_note_too_long"),
        (NoteDraft("", tuple(f"k{n}" for n in range(6))), "case_note_too_many_photos"),
        (NoteDraft("", ("k", "k")), "case_photo_repeated"),
    ],
)
def test_a_note_is_bounded(note: NoteDraft, code: str) -> None:
    with pytest.raises(Invalid) as refused:
        add_note(a_case(), STAFF, note, at=AT)

    assert refused.value.code == code


def test_a_thread_holds_a_bounded_number_of_notes() -> None:
    case = a_case()
    for _ in range(NOTES_PER_CASE - 1):
        case = add_note(case, Author.PARTNER_SELF, draft(), at=AT)

    with pytest.raises(Conflict) as refused:
        add_note(case, STAFF, draft(), at=AT)

    assert refused.value.code == "case_thread_full"


def test_a_note_keeps_its_lines_and_refuses_hidden_characters() -> None:
    assert clean_note(" Dòng 1  \r\n\r\n\r\n\r\n  Dòng   2\t") == "Dòng 1\n\nDòng 2"
    with pytest.raises(Invalid) as refused:
        clean_note("abc\u202edef")  # a right-to-left override

    assert refused.value.code == "case_note_bad_characters"


# -- who may open a case about what ----------------------------------------------------------


def partner(partner_id: str = "p_a", phone: str = "+84987654321") -> Partner:
    details = PartnerDetails(
        phone=phone,
        name="Thợ A",
        citizen_id="079190001234",
        province="Đà Nẵng",
        bank_bin="970422",
        account_number="1234567890",
        account_holder="THO A",
    )
    return Partner(partner_id, details, Consent(AT, "v1"), PartnerStatus.APPROVED, AT, "self", ())


def unit(installer: Installer | None) -> Unit:
    activation = Activation(
        activated_at=AT,
        warranty_start=date(2026, 3, 1),
        warranty_end=date(2027, 3, 1),
        warranty_reason="activation",
        channel="partner" if installer else "web",
        owner=Owner("Khách", "+84912345678"),
        installer=installer,
    )
    return Unit("GAR-1", "AC-9", UnitStatus.ACTIVATED, activation=activation)


@dataclass
class Units:
    found: Unit | None

    def find(self, serial: str) -> Unit | None:
        return self.found


@dataclass
class Entries:
    partner_id: str | None

    def get(self, entry_id: str) -> Any:
        return None if self.partner_id is None else type("E", (), {"partner_id": self.partner_id})


@dataclass
class Cases:
    saved: list[Case] = field(default_factory=list)

    def create(self, case: Case) -> None:
        self.saved.append(case)


def opened(kind: CaseKind, units: Units, entries: Entries, who: Partner | None = None) -> Case:
    return case_service.open_case(
        who or partner(),
        case_service.CaseRequest(kind, "GAR-1", "Máy kêu", draft()),
        at=AT,
        cases=Cases(),  # type: ignore[arg-type]
        units=units,
        ledger=entries,
        storage=None,  # type: ignore[arg-type]  # no photo: never called
    )


def test_a_service_case_is_for_a_unit_the_partner_installed_by_id_or_by_phone() -> None:
    signed_in = Installer("Thợ A", "+84900000000", date(2026, 3, 1), partner_id="p_a")
    typed = Installer("Thợ A", "+84987654321", date(2026, 3, 1))

    assert opened(CaseKind.SERVICE, Units(unit(signed_in)), Entries(None)).status is CaseStatus.OPEN
    assert opened(CaseKind.SERVICE, Units(unit(typed)), Entries(None)).case_id.startswith("c_")
    with pytest.raises(Forbidden):
        opened(CaseKind.SERVICE, Units(unit(signed_in)), Entries(None), partner("p_b"))
    with pytest.raises(Forbidden):
        opened(CaseKind.SERVICE, Units(unit(None)), Entries(None))  # the customer's own
    with pytest.raises(NotFound):
        opened(CaseKind.SERVICE, Units(None), Entries(None))


def test_a_complaint_is_about_the_partner_s_own_entry() -> None:
    assert opened(CaseKind.COMPLAINT, Units(None), Entries("p_a")).kind is CaseKind.COMPLAINT
    for other in ("p_b", None):
        with pytest.raises(NotFound) as refused:
            opened(CaseKind.COMPLAINT, Units(None), Entries(other))
        assert refused.value.code == "case_entry_not_found"
