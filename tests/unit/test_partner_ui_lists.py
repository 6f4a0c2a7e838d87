"""The console's partner form offers the API's 34 provinces (the console cannot read
``/partner/provinces``: that route answers CORS for the portal's origin only)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from chalicelib.core.provinces import PROVINCES

REPO = Path(__file__).resolve().parents[2]


def test_the_consoles_province_list_is_the_same_34_provinces() -> None:
    script = (REPO / "web/console/src/features/provinces.ts").read_text(encoding="utf-8")
    lists = re.findall(r"const (?:CITIES|PROVINCES) = \[(.*?)\];", script, re.S)
    console = [name for block in lists for name in re.findall(r"'([^']+)'", block)]

    assert console == list(PROVINCES)


def _catalogue(path: str) -> dict[str, str]:
    data: dict[str, str] = json.loads((REPO / path).read_text(encoding="utf-8"))
    return data


def test_the_portal_partner_page_has_every_text_it_names_in_both_languages() -> None:
    """Its own catalogue (not downloaded by the landing page) plus the portal's: the same keys
    in Vietnamese and English, and every key the page names (statuses spelled out) in both."""
    own = {lang: _catalogue(f"web/portal/i18n/partner/{lang}.json") for lang in ("vi", "en", "fa")}
    portal = {lang: _catalogue(f"web/portal/i18n/{lang}.json") for lang in ("vi", "en", "fa")}
    assert own["vi"].keys() == own["en"].keys()
    assert not own["vi"].keys() & portal["vi"].keys()  # one place for each text

    script = (REPO / "web/portal/js/partner.js").read_text(encoding="utf-8")
    named = set(re.findall(r"\bt\('([a-z_.]+)'", script))
    named |= set(re.findall(r"brandText\('([a-z_.]+)'", script))
    for status in ("pending", "approved", "suspended", "rejected"):
        named |= {f"partner.status.{status}", f"partner.explain.{status}"}
    codes = set(re.findall(r"'([a-z_]+_(?:invalid|required|too_long))'", script))
    named |= {f"error.{code}" for code in codes}
    for lang in ("vi", "en", "fa"):
        missing = sorted(k for k in named if k not in own[lang] and k not in portal[lang])
        assert not missing, (lang, missing)
