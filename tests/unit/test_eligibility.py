"""The warranty verdict: each basis, caps, deadlines, component terms, exclusions and the restart
of a replaced unit, always with its reasons in both languages."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from chalicelib.catalog.warranty import (
    ComponentTerm,
    ExclusionCode,
    StartBasis,
    WarrantyTerms,
)
from chalicelib.claims.eligibility import REASON_CODES, decide, describe
from chalicelib.claims.model import Exclusion, Reason, UnitFacts, VerdictStatus
from chalicelib.core.errors import Invalid
from chalicelib.core.i18n import LANGUAGES, catalogue

IN, OUT, INSPECT = (
    VerdictStatus.IN_WARRANTY,
    VerdictStatus.OUT_OF_WARRANTY,
    VerdictStatus.NEEDS_INSPECTION,
)
COMPRESSOR = ComponentTerm("compressor", "Máy nén", 84, "Compressor", activated_within_months=24)
REMOTE = ComponentTerm("remote", "Điều khiển", 6, "Remote control")


def facts(
    activated_on: date | None = date(2026, 1, 31),
    *,
    terms: WarrantyTerms | None = None,
    **changes: Any,
) -> UnitFacts:
    """A unit of a 24-month model, activated on a month end; the promised end is the terms'."""
    terms = terms or WarrantyTerms(24, components=(COMPRESSOR, REMOTE))
    base = UnitFacts(
        serial="GAR000000017",
        model_code="AC-9",
        activated_on=activated_on,
        warranty_end=None,
        manufactured_on=date(2025, 11, 1),
        shipped_on=None,
        replaced_on=None,
        terms=terms,
    )
    return replace(base, **changes)


def codes(reasons: tuple[Reason, ...]) -> list[str]:
    return [r.code for r in reasons]


@pytest.mark.parametrize(
    ("unit", "today", "status", "reasons"),
    [
        # 31 Jan + 24 months = 31 Jan 2028: the last covered day is the 30th
        (facts(), date(2028, 1, 30), IN, [("warranty_until", "2028-01-30")]),
        (facts(), date(2028, 1, 31), OUT, [("warranty_ended", "2028-01-30")]),
        # a leap day: 29 Feb 2024 + 12 months is 28 Feb 2025, so the 27th is the last
        (
            facts(date(2024, 2, 29), terms=WarrantyTerms(12)),
            date(2025, 2, 27),
            IN,
            [("warranty_until", "2025-02-27")],
        ),
        (
            facts(date(2024, 2, 29), terms=WarrantyTerms(12)),
            date(2025, 2, 28),
            OUT,
            [("warranty_ended", "2025-02-27")],
        ),
        # the end promised at activation wins over today's terms
        (
            facts(warranty_end=date(2027, 6, 30)),
            date(2027, 7, 1),
            OUT,
            [("warranty_ended", "2027-06-30")],
        ),
        # from shipment: the start rule is said too
        (
            facts(
                terms=WarrantyTerms(12, start_basis=StartBasis.SHIPMENT),
                shipped_on=date(2025, 12, 15),
            ),
            date(2026, 12, 15),
            OUT,
            [("warranty_ended", "2026-12-14"), ("warranty_from_shipment", "2025-12-15")],
        ),
        (
            facts(terms=WarrantyTerms(12, start_basis=StartBasis.MANUFACTURE)),
            date(2026, 10, 31),
            IN,
            [("warranty_until", "2026-10-31"), ("warranty_from_manufacture", "2025-11-01")],
        ),
        # the basis date unknown: from activation, and it says so
        (
            facts(terms=WarrantyTerms(12, start_basis=StartBasis.SHIPMENT)),
            date(2026, 6, 1),
            IN,
            [("warranty_until", "2027-01-30"), ("warranty_from_activation_fallback", "2026-01-31")],
        ),
        # the cap from manufacture ends a late activation early
        (
            facts(terms=WarrantyTerms(24, max_months_from_manufacture=26)),
            date(2028, 1, 1),
            OUT,
            [("warranty_ended", "2027-12-31"), ("warranty_capped_from_manufacture", "2026-01-31")],
        ),
    ],
)
def test_the_unit_verdict_says_when_the_warranty_ends_and_why(
    unit: UnitFacts, today: date, status: VerdictStatus, reasons: list[tuple[str, str]]
) -> None:
    verdict = decide(unit, today=today)

    assert verdict.status is status
    assert [(r.code, r.params["day"]) for r in verdict.reasons] == reasons


@pytest.mark.parametrize(
    ("unit", "today", "status", "reason"),
    [
        # never activated, within the deadline: a proof of purchase decides
        (facts(None), date(2026, 3, 1), INSPECT, Reason("not_activated")),
        # never activated, the deadline (90 days after shipment) passed: too late
        (
            facts(
                None,
                terms=WarrantyTerms(24, activation_deadline_days=90),
                shipped_on=date(2026, 1, 1),
            ),
            date(2026, 4, 2),
            OUT,
            Reason("activation_deadline_missed", {"day": "2026-04-01"}),
        ),
        (
            facts(
                None,
                terms=WarrantyTerms(24, activation_deadline_days=90),
                shipped_on=date(2026, 1, 1),
            ),
            date(2026, 4, 1),
            INSPECT,
            Reason("not_activated"),
        ),
        # never activated, and even bought today it would be past its cap from manufacture
        (
            facts(None, terms=WarrantyTerms(12, max_months_from_manufacture=12)),
            date(2026, 11, 1),
            OUT,
            Reason("warranty_ended", {"day": "2026-10-31"}),
        ),
    ],
)
def test_a_unit_never_activated_needs_a_proof_of_purchase_unless_too_late(
    unit: UnitFacts, today: date, status: VerdictStatus, reason: Reason
) -> None:
    verdict = decide(unit, today=today)

    assert verdict.status is status
    assert verdict.reasons[0] == reason


@pytest.mark.parametrize(
    ("unit", "part", "today", "status", "reasons", "day"),
    [
        # activated 3 months after manufacture: the compressor's 84 months hold
        (facts(), "compressor", date(2032, 6, 1), IN, ["component_until"], "2033-01-30"),
        (facts(), "compressor", date(2033, 1, 31), OUT, ["component_ended"], "2033-01-30"),
        # counted from shipment when it is known: the 24th month's last day still counts
        (
            facts(date(2028, 1, 15), shipped_on=date(2026, 1, 15)),
            "compressor",
            date(2030, 1, 1),
            IN,
            ["component_until"],
            "2035-01-14",
        ),
        # activated too late for the compressor's promise: the unit's own 24 months apply
        (
            facts(date(2028, 1, 16), shipped_on=date(2026, 1, 15)),
            "compressor",
            date(2030, 1, 16),
            OUT,
            ["component_condition_unmet", "warranty_ended"],
            "2030-01-15",
        ),
        (
            facts(date(2028, 1, 16), shipped_on=date(2026, 1, 15)),
            "compressor",
            date(2029, 6, 1),
            IN,
            ["component_condition_unmet", "warranty_until"],
            "2030-01-15",
        ),
        # a shorter part term (no condition)
        (facts(), "remote", date(2026, 7, 31), OUT, ["component_ended"], "2026-07-30"),
    ],
)
def test_a_component_is_judged_on_its_own_term_when_its_condition_holds(
    unit: UnitFacts,
    part: str,
    today: date,
    status: VerdictStatus,
    reasons: list[str],
    day: str,
) -> None:
    verdict = decide(unit, today=today, component=part)

    assert verdict.status is status
    assert codes(verdict.reasons) == reasons
    assert verdict.reasons[-1].params["day"] == day


def test_the_condition_names_the_component_its_months_and_the_limit() -> None:
    unit = facts(date(2028, 1, 16), shipped_on=date(2026, 1, 15))

    reason = decide(unit, today=date(2029, 6, 1), component="compressor").reasons[0]

    assert reason.params == {
        "component": "compressor",
        "component_vi": "Máy nén",
        "component_en": "Compressor",
        "months": 84,
        "within": 24,
    }
    assert describe(reason)["en"].startswith(
        "The Compressor is covered for 84 months only if the product is activated within 24"
    )
    assert describe(reason)["vi"].startswith("Máy nén chỉ được bảo hành 84 tháng")


def test_a_part_without_its_own_term_reads_the_units() -> None:
    verdict = decide(facts(), today=date(2027, 1, 1), component="fan_motor")

    assert codes(verdict.reasons) == ["warranty_until"]


@pytest.mark.parametrize(
    ("component", "exclusion_for", "status", "first"),
    [
        (None, None, OUT, "excluded_physical_damage"),  # the whole unit
        ("compressor", None, OUT, "excluded_physical_damage"),  # the unit's covers its parts
        ("compressor", "compressor", OUT, "excluded_physical_damage"),
        (None, "compressor", IN, "warranty_until"),  # another part's: nothing here
        ("remote", "compressor", IN, "component_until"),
    ],
)
def test_an_exclusion_takes_the_unit_or_the_component_it_names_out_of_warranty(
    component: str | None, exclusion_for: str | None, status: VerdictStatus, first: str
) -> None:
    damage = Exclusion(ExclusionCode.PHYSICAL_DAMAGE, "vỏ máy nứt, rơi từ giá", exclusion_for)

    verdict = decide(facts(), today=date(2026, 3, 1), component=component, exclusions=[damage])

    assert verdict.status is status
    assert verdict.reasons[0].code == first


def test_an_exclusion_keeps_the_ended_term_as_a_second_reason_and_shows_the_staff_note() -> None:
    misuse = Exclusion(ExclusionCode.MISUSE, "dùng điện 380 V")

    verdict = decide(facts(), today=date(2029, 1, 1), exclusions=[misuse])

    assert codes(verdict.reasons) == ["excluded_misuse", "warranty_ended"]
    assert describe(verdict.reasons[0]) == {
        "vi": "Không thuộc diện bảo hành: sử dụng sai hướng dẫn (dùng điện 380 V).",
        "en": "Not covered: not used as instructed (dùng điện 380 V).",
        "fa": "مشمول گارانتی نیست: استفاده برخلاف دستورالعمل (dùng điện 380 V).",
    }


@pytest.mark.parametrize(
    ("changes", "today", "status", "reasons"),
    [
        # replaced long after the first warranty and its cap: 24 months again from that day
        (
            {"replaced_on": date(2029, 2, 28), "warranty_end": date(2028, 1, 30)},
            date(2031, 2, 27),
            IN,
            [("warranty_until", "2031-02-27"), ("warranty_restarted_on_replacement", "2029-02-28")],
        ),
        (
            {"replaced_on": date(2029, 2, 28)},
            date(2031, 2, 28),
            OUT,
            [("warranty_ended", "2031-02-27"), ("warranty_restarted_on_replacement", "2029-02-28")],
        ),
        # a replacement never activated by the customer: the replacement day stands for it
        (
            {"replaced_on": date(2027, 5, 1), "activated_on": None},
            date(2028, 1, 1),
            IN,
            [("warranty_until", "2029-04-30"), ("warranty_restarted_on_replacement", "2027-05-01")],
        ),
    ],
)
def test_a_replacement_units_warranty_restarts_on_its_replacement_day(
    changes: dict[str, Any],
    today: date,
    status: VerdictStatus,
    reasons: list[tuple[str, str]],
) -> None:
    terms = WarrantyTerms(24, max_months_from_manufacture=30, components=(COMPRESSOR,))

    verdict = decide(facts(terms=terms, **changes), today=today)

    assert verdict.status is status
    assert [(r.code, r.params["day"]) for r in verdict.reasons] == reasons


def test_a_replacement_keeps_its_components_promise_from_the_replacement_day() -> None:
    unit = facts(date(2028, 6, 1), replaced_on=date(2029, 1, 10))  # activated late, replaced

    verdict = decide(unit, today=date(2030, 1, 1), component="compressor")

    assert (verdict.status, codes(verdict.reasons)) == (IN, ["component_until"])
    assert verdict.reasons[0].params["day"] == "2036-01-09"


def test_the_rules_version_is_stable_and_follows_every_term() -> None:
    terms = WarrantyTerms(24, components=(COMPRESSOR,))
    version = decide(facts(terms=terms), today=date(2026, 3, 1)).rules_version

    assert version == WarrantyTerms(24, components=(COMPRESSOR,)).rules_version
    assert version.startswith("w1-") and len(version) == 15
    for other in (
        WarrantyTerms(25, components=(COMPRESSOR,)),
        WarrantyTerms(24),
        WarrantyTerms(24, activation_deadline_days=90, components=(COMPRESSOR,)),
        WarrantyTerms(24, components=(replace(COMPRESSOR, activated_within_months=12),)),
    ):
        assert other.rules_version != version


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"code": "Compressor"}, "component_code_invalid"),
        ({"code": "1fan"}, "component_code_invalid"),
        ({"months": 0}, "component_months_out_of_range"),
        ({"months": 241}, "component_months_out_of_range"),
        ({"activated_within_months": 0}, "component_condition_out_of_range"),
    ],
)
def test_component_terms_refuse_bad_values(kwargs: dict[str, Any], code: str) -> None:
    fields = {"code": "fan", "name": "Quạt", "months": 12, **kwargs}

    with pytest.raises(Invalid) as caught:
        ComponentTerm(**fields)

    assert [f.code for f in caught.value.fields] == [code]


def test_two_components_cannot_share_a_code() -> None:
    with pytest.raises(Invalid) as caught:
        WarrantyTerms(24, components=(COMPRESSOR, COMPRESSOR))

    assert [f.code for f in caught.value.fields] == ["component_codes_invalid"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_reason_a_verdict_gives_has_words(language: str) -> None:
    keys = [*REASON_CODES, *(f"excluded_{code.value}" for code in ExclusionCode)]

    assert [key for key in keys if not catalogue(language).get(key, "").strip()] == []


def test_a_verdict_always_gives_a_reason() -> None:
    days = [date(2025, 1, 1), date(2026, 3, 1), date(2030, 1, 1), date(2040, 1, 1)]
    units = [facts(), facts(None), facts(replaced_on=date(2027, 1, 1))]
    parts = [None, "compressor", "remote"]

    for unit in units:
        for today in days:
            for part in parts:
                assert decide(unit, today=today, component=part).reasons


def test_a_reasons_day_is_written_as_each_language_writes_it() -> None:
    ended = Reason("warranty_ended", {"day": "2025-05-03"})

    assert describe(ended) == {
        "vi": "Thời hạn bảo hành đã kết thúc ngày 03/05/2025.",
        "en": "The warranty ended on 3 May 2025.",
        "fa": "گارانتی در 13 اردیبهشت 1404 به پایان رسید.",  # the Solar Hijri calendar
    }


def test_an_overrides_reason_names_the_rules_verdict_in_words() -> None:
    overridden = Reason("verdict_overridden", {"status_before": "out_of_warranty"})

    assert describe(overridden)["vi"].endswith("(theo quy định: hết bảo hành).")
    assert describe(overridden)["en"].endswith("(the rules said: out of warranty).")
