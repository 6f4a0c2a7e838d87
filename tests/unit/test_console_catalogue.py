"""The console's catalogues (web/console/src/i18n/{vi,en,fa}.json): the portal's format (a flat
object of keys to texts with ``{name}`` placeholders), the same keys and placeholders in every
language, and every key the code names literally present."""

from __future__ import annotations

import json
import re
from pathlib import Path

CONSOLE = Path(__file__).resolve().parents[2] / "web" / "console"
PLACEHOLDER = re.compile(r"\{(\w+)\}")
# t('nav.home'), t(`message.status.${s}`) (a prefix), label: 'nav.messages'
LITERAL_KEY = re.compile(r"""(?:\bt\(|label: )'([a-z_]+(?:\.[a-z_]+)+)'""")
PREFIX_KEY = re.compile(r"\bt\(`([a-z_]+(?:\.[a-z_]+)*\.)\$\{")


def catalogue(language: str) -> dict[str, str]:
    data = json.loads((CONSOLE / "src" / "i18n" / f"{language}.json").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_every_language_has_the_same_keys_and_placeholders_and_no_empty_text() -> None:
    vi, en, fa = catalogue("vi"), catalogue("en"), catalogue("fa")

    assert sorted(vi) == sorted(en) == sorted(fa)
    for key in vi:
        assert vi[key].strip() and en[key].strip() and fa[key].strip(), key
        assert set(PLACEHOLDER.findall(vi[key])) == set(PLACEHOLDER.findall(en[key])), key
        assert set(PLACEHOLDER.findall(fa[key])) == set(PLACEHOLDER.findall(en[key])), key


def test_every_key_the_code_names_is_in_the_catalogue() -> None:
    keys = set(catalogue("en"))
    sources = [p.read_text(encoding="utf-8") for p in (CONSOLE / "src").rglob("*.ts*")]

    named = {key for text in sources for key in LITERAL_KEY.findall(text)}
    prefixes = {prefix for text in sources for prefix in PREFIX_KEY.findall(text)}

    assert named, "the pattern found no key: the test would prove nothing"
    assert sorted(named - keys) == []
    for prefix in prefixes:
        assert any(key.startswith(prefix) for key in keys), prefix
