"""Text catalogues: every word a person sees, in Vietnamese, English and Persian (``vi.json``,
``en.json``, ``fa.json``; Persian is written right to left).

Code names a key; the catalogue holds the words. ``text("already_activated", "en")``.
Missing keys fall back to English, then to the key itself, so a gap shows, never crashes.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

LANGUAGES = ("vi", "en", "fa")
DEFAULT_LANGUAGE = "vi"
_DIR = Path(__file__).parent


@functools.cache
def catalogue(language: str) -> dict[str, str]:
    data: dict[str, str] = json.loads((_DIR / f"{language}.json").read_text(encoding="utf-8"))
    return data


def text(key: str, language: str = DEFAULT_LANGUAGE, **values: Any) -> str:
    lang = language if language in LANGUAGES else DEFAULT_LANGUAGE
    template = catalogue(lang).get(key) or catalogue("en").get(key) or key
    return fill(template, values) if values else template


def fill(template: str, values: dict[str, Any]) -> str:
    """``template`` with its placeholders filled from ``values``; one without a value stays."""
    return template.format_map(_Keep(values))


class _Keep(dict[str, Any]):
    """Format values where a placeholder has none left as it is, never a KeyError."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def both(key: str, **values: Any) -> dict[str, str]:
    """``{"vi": …, "en": …, "fa": …}`` for a key: what an API error carries."""
    return {lang: text(key, lang, **values) for lang in LANGUAGES}
