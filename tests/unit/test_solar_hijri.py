"""The Solar Hijri days Persian messages and reasons are written in agree with the browsers'
``Intl`` (Node's ICU, the console's and the portal's calendar) for every week of 1950–2080."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date, timedelta

import pytest

from chalicelib.core.dates import solar_hijri

DAYS = [date(1950, 1, 1) + timedelta(days=n) for n in range(0, 47_500, 6)]
SCRIPT = """
const days = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const format = new Intl.DateTimeFormat('fa-IR-u-ca-persian-nu-latn',
  {year: 'numeric', month: 'numeric', day: 'numeric', timeZone: 'UTC'});
console.log(JSON.stringify(days.map((d) => format.formatToParts(new Date(d + 'T00:00:00Z'))
  .filter((p) => p.type !== 'literal').map((p) => Number(p.value)))));
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="Node (the console's build) is absent")
def test_every_week_matches_the_browsers_calendar() -> None:
    done = subprocess.run(
        ["node", "-e", SCRIPT],
        input=json.dumps([d.isoformat() for d in DAYS]),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    expected = json.loads(done.stdout)

    assert [list(solar_hijri(d)) for d in DAYS] == expected
