"""The console's partner form offers the API's 34 provinces (the console cannot read
``/partner/provinces``: that route answers CORS for the portal's origin only)."""

from __future__ import annotations

import re
from pathlib import Path

from chalicelib.core.provinces import PROVINCES

REPO = Path(__file__).resolve().parents[2]


def test_the_consoles_partner_form_offers_the_same_34_provinces() -> None:
    script = (REPO / "web/console/src/features/partners/NewPartnerPage.tsx").read_text(
        encoding="utf-8"
    )
    lists = re.findall(r"const (?:CITIES|PROVINCES) = \[(.*?)\];", script, re.S)
    console = [name for block in lists for name in re.findall(r"'([^']+)'", block)]

    assert console == list(PROVINCES)
