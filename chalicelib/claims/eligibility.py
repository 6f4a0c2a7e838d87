"""The eligibility verdict: in warranty, out of warranty or needs inspection, always with its
reasons (catalogue codes with their values) and the rules' version. Pure: no I/O.

A minimal engine until the eligibility work lands (it owns this module): the unit's warranty
end decides; a unit never activated needs an inspection; a cause staff excluded puts it out.

>>> facts = UnitFacts("GAR1", "AC-9", date(2025, 1, 2), date(2027, 1, 1), None, None)
>>> decide(facts, today=date(2026, 3, 1)).status.value
'in_warranty'
>>> verdict = decide(facts, today=date(2027, 1, 2))
>>> verdict.status.value, verdict.reasons[0].code, dict(verdict.reasons[0].params)
('out_of_warranty', 'warranty_ended', {'day': '2027-01-01'})
>>> decide(facts, today=date(2026, 3, 1), exclusions=[Exclusion("misuse", "ướt")]).status.value
'out_of_warranty'
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from chalicelib.claims.model import (
    Exclusion,
    Reason,
    UnitFacts,
    Verdict,
    VerdictStatus,
)

RULES_VERSION = "basic-1"


def decide(facts: UnitFacts, *, today: date, exclusions: Sequence[Exclusion] = ()) -> Verdict:
    """The verdict for a request about ``facts``'s unit made on ``today``."""
    if exclusions:
        reasons = tuple(
            Reason("claim_excluded", {"cause": e.code, "note": e.note}) for e in exclusions
        )
        return Verdict(VerdictStatus.OUT_OF_WARRANTY, reasons, RULES_VERSION)
    if facts.activated_on is None or facts.warranty_end is None:
        return Verdict(VerdictStatus.NEEDS_INSPECTION, (Reason("not_activated"),), RULES_VERSION)
    day = {"day": facts.warranty_end.isoformat()}
    if today <= facts.warranty_end:
        return Verdict(VerdictStatus.IN_WARRANTY, (Reason("warranty_until", day),), RULES_VERSION)
    return Verdict(VerdictStatus.OUT_OF_WARRANTY, (Reason("warranty_ended", day),), RULES_VERSION)
