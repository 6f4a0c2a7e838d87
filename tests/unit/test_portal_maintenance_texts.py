"""The portal's maintenance page (``/m/<serial>/<component>``) has every text it names in both
languages, in its own catalogue (``web/portal/i18n/maintenance``, downloaded by that page only)
or the portal's, and the keys it builds from the API's values (a line's stages, the day's parts,
the customer's answers) cover every value the API can send."""

from __future__ import annotations

import json
import re
from pathlib import Path

from chalicelib.maintenance.booking import Action
from chalicelib.maintenance.lines import DayPart, Stage

REPO = Path(__file__).resolve().parents[2]


def _catalogue(path: str) -> dict[str, str]:
    data: dict[str, str] = json.loads((REPO / path).read_text(encoding="utf-8"))
    return data


def test_every_text_the_page_names_or_builds_is_in_both_languages() -> None:
    script = (REPO / "web/portal/js/maintenance.js").read_text(encoding="utf-8")
    named = set(re.findall(r"\bt\('([a-z_.]+)'", script))
    built = {f"mt.stage.{stage.value}" for stage in Stage}
    built |= {f"mt.part.{part.value}" for part in DayPart}
    built |= {f"mt.choice.{action.value}" for action in Action}
    built |= {f"mt.done.{action.value}" for action in Action}
    assert "mt.title" in named and len(named) > 20  # the pattern finds the page's texts

    for language in ("vi", "en", "fa"):
        own = _catalogue(f"web/portal/i18n/maintenance/{language}.json")
        portal = _catalogue(f"web/portal/i18n/{language}.json")
        missing = sorted(key for key in named | built if key not in own and key not in portal)
        assert missing == [], (language, missing)
        assert all(value.strip() for value in own.values())


def test_both_catalogues_have_the_same_keys_and_placeholders() -> None:
    vi = _catalogue("web/portal/i18n/maintenance/vi.json")
    en = _catalogue("web/portal/i18n/maintenance/en.json")

    assert sorted(vi) == sorted(en)
    for key, text in vi.items():
        assert set(re.findall(r"\{(\w+)\}", text)) == set(re.findall(r"\{(\w+)\}", en[key])), key
