"""Is this unit (or this part of it) covered today, and why? Pure: no I/O.

The verdict is one of three, always with its reasons (catalogue keys with values):

- ``in_warranty``: ``warranty_until`` (or ``component_until``), with the rule that set the start
  when it is not the plain activation day (``warranty_from_shipment``, ``…_capped_…``,
  ``warranty_restarted_on_replacement``);
- ``out_of_warranty``: ``warranty_ended`` / ``component_ended``, ``activation_deadline_missed``
  (never activated, too late to), or ``excluded_<code>`` (staff found physical damage …, with
  their reason);
- ``needs_inspection``: ``not_activated`` (the customer brings a proof of purchase).

A part with its own term (``compressor``) is judged on it when its condition holds
(``component_condition_unmet`` otherwise: the unit's own term applies). A part without its own
term is judged on the unit's. An exclusion for the whole unit, or for the part asked about,
makes the verdict ``out_of_warranty``; one naming another part changes nothing here.

>>> from chalicelib.catalog.warranty import WarrantyTerms
>>> facts = UnitFacts("GAR1", "AC-9", activated_on=date(2024, 3, 10),
...     warranty_end=date(2026, 3, 9), manufactured_on=None, shipped_on=None,
...     replaced_on=None, terms=WarrantyTerms(24))
>>> verdict = decide(facts, today=date(2026, 3, 10))
>>> verdict.status.value, [(r.code, r.params) for r in verdict.reasons]
('out_of_warranty', [('warranty_ended', {'day': '2026-03-09'})])
>>> describe(verdict.reasons[0])["en"]
'The warranty ended on 9 March 2026.'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from chalicelib.catalog.warranty import ComponentTerm, WarrantyWindow
from chalicelib.claims.model import Exclusion, Reason, UnitFacts, Verdict, VerdictStatus
from chalicelib.core.dates import written_day
from chalicelib.core.i18n import LANGUAGES, text

IN, OUT, INSPECT = (
    VerdictStatus.IN_WARRANTY,
    VerdictStatus.OUT_OF_WARRANTY,
    VerdictStatus.NEEDS_INSPECTION,
)
# Reason codes a verdict may carry (every one has words in both catalogues; a test checks).
REASON_CODES = (
    "warranty_until",
    "warranty_ended",
    "not_activated",
    "activation_deadline_missed",
    "component_until",
    "component_ended",
    "component_condition_unmet",
    "warranty_from_shipment",
    "warranty_from_manufacture",
    "warranty_from_activation_fallback",
    "warranty_capped_from_manufacture",
    "warranty_restarted_on_replacement",
)
# Said beside the end day when they set it (the plain "from activation" goes without saying).
_START_REASONS = frozenset(
    {
        "warranty_from_shipment",
        "warranty_from_manufacture",
        "warranty_from_activation_fallback",
        "warranty_capped_from_manufacture",
        "warranty_restarted_on_replacement",
    }
)


@dataclass(frozen=True)
class _Coverage:
    status: VerdictStatus
    reasons: tuple[Reason, ...]


def decide(
    facts: UnitFacts,
    *,
    today: date,
    component: str | None = None,
    exclusions: Sequence[Exclusion] = (),
) -> Verdict:
    """The verdict for ``facts`` on ``today`` (the business day), for the whole unit or for
    ``component`` (a code of the model's component terms; any other code reads the unit's)."""
    coverage = _coverage(facts, today, component)
    applying = [e for e in exclusions if e.component is None or e.component == component]
    if applying:
        excluded = tuple(_exclusion_reason(e) for e in applying)
        kept = coverage.reasons if coverage.status is OUT else ()
        coverage = _Coverage(OUT, excluded + kept)
    return Verdict(coverage.status, coverage.reasons, facts.terms.rules_version)


def describe(reason: Reason) -> dict[str, str]:
    """The reason in words, ``{"vi": …, "en": …}``: days as 03/05/2025 (vi) or 3 May 2025
    (en), a component and a verdict by their names in that language."""
    return {language: _words(reason, language) for language in LANGUAGES}


def verdict_view(verdict: Verdict) -> dict[str, Any]:
    """The verdict as the API answers it: each reason with its words in both languages.

    >>> from chalicelib.claims.model import VerdictStatus
    >>> verdict_view(Verdict(VerdictStatus.NEEDS_INSPECTION, (Reason("not_activated"),), "w1-x"))[
    ...     "reasons"][0]["text"]["en"][:42]
    "The product's warranty was never activated"
    """
    return {
        "status": verdict.status.value,
        "reasons": [
            {"code": r.code, "params": dict(r.params), "text": describe(r)} for r in verdict.reasons
        ],
        "rules_version": verdict.rules_version,
    }


def _words(reason: Reason, language: str) -> str:
    values: dict[str, str | int] = dict(reason.params)
    if "day" in values:  # 31/05/2025, 31 May 2025, 10 خرداد 1404 (never ambiguous)
        values["day"] = written_day(date.fromisoformat(str(values["day"])), language)
    if "component" in values:
        values["component"] = values.get(f"component_{language}") or values["component"]
    if "status_before" in values:  # a verdict by its name in that language
        values["status_before"] = text(f"verdict_status.{values['status_before']}", language)
    return text(reason.code, language, **values)


def _exclusion_reason(exclusion: Exclusion) -> Reason:
    return Reason(f"excluded_{exclusion.code.value}", {"note": exclusion.reason})


def _day(code: str, day: date) -> Reason:
    return Reason(code, {"day": day.isoformat()})


def _coverage(facts: UnitFacts, today: date, component: str | None) -> _Coverage:
    if facts.replaced_on is not None:
        window = facts.terms.restart(facts.replaced_on)
    elif facts.activated_on is not None:
        window = _promised_window(facts, facts.activated_on)
    else:
        return _not_activated(facts, today)
    part = facts.terms.component(component) if component else None
    if part is None:
        return _unit_coverage(window, today)
    # a replacement is handed over by the brand itself: a condition on activation holds
    if facts.replaced_on is None and not _condition_met(part, facts, window):
        unmet = Reason("component_condition_unmet", _part_params(part))
        unit = _unit_coverage(window, today)
        return _Coverage(unit.status, (unmet, *unit.reasons))
    end = part.end(window.start)
    params = {**_part_params(part), "day": end.isoformat()}
    if today <= end:
        return _Coverage(IN, (Reason("component_until", params),))
    return _Coverage(OUT, (Reason("component_ended", params),))


def _promised_window(facts: UnitFacts, activated_on: date) -> WarrantyWindow:
    """The period promised at activation (the rule that set it, when today's terms still give
    the same days)."""
    computed = facts.terms.window(
        activated_on=activated_on,
        manufactured_on=facts.manufactured_on,
        shipped_on=facts.shipped_on,
    )
    start = facts.warranty_start or computed.start
    end = facts.warranty_end or computed.end
    reason = computed.reason if (start, end) == (computed.start, computed.end) else ""
    return WarrantyWindow(start=start, end=end, basis=computed.basis, reason=reason)


def _unit_coverage(window: WarrantyWindow, today: date) -> _Coverage:
    start_reason = (_day(window.reason, window.start),) if window.reason in _START_REASONS else ()
    if window.covers(today) or today < window.start:
        return _Coverage(IN, (_day("warranty_until", window.end), *start_reason))
    return _Coverage(OUT, (_day("warranty_ended", window.end), *start_reason))


def _not_activated(facts: UnitFacts, today: date) -> _Coverage:
    """Never activated: too late to (out), a period over even if bought today (out), else the
    customer shows a proof of purchase (inspection)."""
    terms = facts.terms
    deadline = terms.activation_deadline(
        manufactured_on=facts.manufactured_on, shipped_on=facts.shipped_on
    )
    if deadline is not None and today > deadline:
        return _Coverage(OUT, (_day("activation_deadline_missed", deadline),))
    cap = terms.manufacture_cap(facts.manufactured_on)
    if cap is not None and today > cap:
        return _Coverage(
            OUT,
            (_day("warranty_ended", cap), _day("warranty_capped_from_manufacture", cap)),
        )
    best = terms.window(
        activated_on=today, manufactured_on=facts.manufactured_on, shipped_on=facts.shipped_on
    )
    if today > best.end:
        why = (_day(best.reason, best.start),) if best.reason in _START_REASONS else ()
        return _Coverage(OUT, (_day("warranty_ended", best.end), *why))
    return _Coverage(INSPECT, (Reason("not_activated"),))


def _condition_met(part: ComponentTerm, facts: UnitFacts, window: WarrantyWindow) -> bool:
    activated_on = facts.activated_on or window.start
    return part.condition_met(
        activated_on, manufactured_on=facts.manufactured_on, shipped_on=facts.shipped_on
    )


def _part_params(part: ComponentTerm) -> dict[str, str | int]:
    params: dict[str, str | int] = {
        "component": part.code,
        "component_vi": part.name,
        "component_en": part.name_en or part.name,
        "months": part.months,
    }
    if part.activated_within_months is not None:
        params["within"] = part.activated_within_months
    return params
