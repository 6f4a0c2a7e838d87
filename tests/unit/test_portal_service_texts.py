"""The portal's service request pages (request service, tracking, "my products"' requests) have
every text they name in both languages, in their own catalogue (``web/portal/i18n/service``, not
downloaded by the landing page) or the portal's; the keys they build from the API's values
(customer steps, request types, verdict statuses, the customer's moves, a request's outcome)
cover every value the API can send."""

from __future__ import annotations

import json
import re
from pathlib import Path

from chalicelib.claims.model import ClaimType
from chalicelib.claims.schemas import CustomerMoveRequest
from chalicelib.claims.states import CUSTOMER_STEP, OUTCOMES

REPO = Path(__file__).resolve().parents[2]
PAGES = ("service_request.js", "tracking.js", "service_shared.js", "lookup.js")
VERDICTS = ("in_warranty", "out_of_warranty", "needs_inspection")


def _catalogue(path: str) -> dict[str, str]:
    data: dict[str, str] = json.loads((REPO / path).read_text(encoding="utf-8"))
    return data


def _named() -> set[str]:
    named: set[str] = set()
    for page in PAGES:
        script = (REPO / "web/portal/js" / page).read_text(encoding="utf-8")
        named |= set(re.findall(r"\bt\('([a-z_.]+)'", script))
        codes = re.findall(r"prefix: '([a-z_]+)'", script)
        named |= {f"error.{code}_{end}" for code in codes for end in ("too_long", "bad_characters")}
    return named


def _built() -> set[str]:
    moves = CustomerMoveRequest.model_fields["to"].annotation.__args__  # type: ignore[union-attr]
    built = {f"sr.step.{step}" for step in set(CUSTOMER_STEP.values())}
    built |= {f"sr.type.{kind.value}" for kind in ClaimType}
    built |= {f"sr.outcome.{outcome.value}" for outcome in OUTCOMES}
    built |= {f"sr.verdict.{s}" for s in VERDICTS} | {f"sr.verdict.{s}_next" for s in VERDICTS}
    built |= {f"tr.done.{move}" for move in moves} | {"tr.done.rated"}
    built |= {f"tr.{move}" for move in ("reopened", "cancelled")}
    built |= {f"tr.{move}_why" for move in ("reopened", "cancelled")}
    return built | {"sr.point_kind.internal", "sr.point_kind.partner"}


def test_the_service_catalogue_has_the_same_keys_in_both_languages_and_its_own() -> None:
    own = {lang: _catalogue(f"web/portal/i18n/service/{lang}.json") for lang in ("vi", "en", "fa")}
    portal = _catalogue("web/portal/i18n/vi.json")

    assert own["vi"].keys() == own["en"].keys()
    assert not own["vi"].keys() & portal.keys()  # one place for each text
    assert all(text.strip() for lang in own.values() for text in lang.values())


def test_every_text_the_service_pages_name_or_build_is_in_both_languages() -> None:
    wanted = _named() | _built()
    for lang in ("vi", "en", "fa"):
        own = _catalogue(f"web/portal/i18n/service/{lang}.json")
        portal = _catalogue(f"web/portal/i18n/{lang}.json")
        missing = sorted(k for k in wanted if k not in own and k not in portal)
        assert not missing, (lang, missing)
