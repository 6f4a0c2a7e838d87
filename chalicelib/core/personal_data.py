"""One person's data across the capabilities (Vietnam's personal data protection law, in force
since 1 January 2026): who they are to our tables (:class:`DataSubject`), what each capability
that holds some of it offers (:class:`PersonalData`: the items for the person's download, and
their erasure), and how a free text loses the person's name and phone (:func:`scrub`).

Each capability implements :class:`PersonalData` over its own tables (its storage is its own);
the privacy capability gathers them and never reads another capability's table.

>>> subject = DataSubject(phone="+84912345678", key="k", names=frozenset({"Trần Thị Bình"}))
>>> scrub("Gọi chị Trần Thị Bình, 0912 345 678 hoặc +84912345678 sau 17h.", subject)
'Gọi chị [đã xóa], [đã xóa] hoặc [đã xóa] sau 17h.'
>>> scrub("trần thị bình đã gọi", subject)
'[đã xóa] đã gọi'
>>> scrub("Máy kêu to", subject)
'Máy kêu to'
>>> lan = DataSubject(phone="+84912345678", key="k", names=frozenset({"Lan"}))
>>> scrub("Lan gọi: máy không lạnh", lan)  # a name only where it is a word
'[đã xóa] gọi: máy không lạnh'
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

# What stands where a name or a phone number was: the same in every language of the console, so
# a reader knows the text was cut on purpose.
ERASED = "[đã xóa]"
# The key a pseudonymised item keeps in place of the phone's (an index key cannot be empty).
ERASED_KEY_PREFIX = "erased#"
ERASED_BY = "privacy"  # the actor of an erasure, in histories and the audit trail
MIN_NAME_LENGTH = 3  # a shorter "name" (an initial) would cut ordinary words out of texts


@dataclass(frozen=True)
class DataSubject:
    """A person as our tables know them: their phone (E.164) and its key (HMAC under the
    stage's pepper, what keys and indexes hold), every name they gave, the serials of the units
    they own."""

    phone: str
    key: str
    names: frozenset[str] = field(default_factory=frozenset)
    serials: tuple[str, ...] = ()

    def knowing(self, names: Iterable[str], serials: Iterable[str]) -> DataSubject:
        """The same person, with more names and serials learnt."""
        found = {n.strip() for n in names if n and n.strip()}
        every = tuple(sorted(set(self.serials) | set(serials)))
        return DataSubject(self.phone, self.key, self.names | found, every)


@dataclass(frozen=True)
class Found:
    """What one capability holds of a person: its items (plain JSON values, their download), and
    the names and serials it learnt of them (so every other part can find and scrub them)."""

    items: list[dict[str, Any]]
    names: frozenset[str] = frozenset()
    serials: tuple[str, ...] = ()


class PersonalData(Protocol):
    """One capability's part of a person's data."""

    section: str  # the download's section (``units``, ``claims``, ``messages``…)

    def collect(self, subject: DataSubject) -> Found:
        """The person's items (their download), and the names and serials found with them."""
        ...

    def erase(self, subject: DataSubject, *, at: datetime) -> int:
        """Erase or pseudonymise the person in every item that holds them; how many items
        changed. Idempotent: a second run finds nothing left to change."""
        ...


def phone_forms(e164: str) -> list[str]:
    """Every way a Vietnamese mobile number is written in a text: ``+84912345678``,
    ``0912345678``, ``84912345678``, ``912345678`` (digits only; spaces, dots and dashes between
    them are matched by :func:`scrub`).

    >>> phone_forms("+84912345678")
    ['+84912345678', '84912345678', '0912345678', '912345678']
    """
    national = e164.removeprefix("+84")
    return [e164, "84" + national, "0" + national, national]


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def _phone_pattern(e164: str) -> re.Pattern[str]:
    """The number with any spaces, dots or dashes between its digits."""
    forms = sorted(phone_forms(e164), key=len, reverse=True)
    spaced = [r"[\s.\-]?".join(re.escape(ch) for ch in form) for form in forms]
    return re.compile(r"(?<!\d)(?:" + "|".join(spaced) + r")(?!\d)")


def scrub(text: str, subject: DataSubject) -> str:
    """``text`` with every occurrence of the person's names (any case, with or without
    diacritics) and phone number replaced by :data:`ERASED`."""
    if not text:
        return text
    result = _phone_pattern(subject.phone).sub(ERASED, text)
    names = sorted((n for n in subject.names if len(n) >= MIN_NAME_LENGTH), key=len, reverse=True)
    for name in names:
        result = _replace_folded(result, name)
    return result


def _replace_folded(text: str, name: str) -> str:
    """Replace ``name`` in ``text`` comparing folded forms (one folded character per original:
    the fold only drops combining marks, which NFC text carries inside its characters)."""
    folded_text, folded_name = _fold(text), _fold(name)
    if len(folded_text) != len(text) or not folded_name:
        return text.replace(name, ERASED)
    out, position, start = [], 0, 0
    while True:
        found = folded_text.find(folded_name, start)
        if found < 0:
            out.append(text[position:])
            return "".join(out)
        end = found + len(folded_name)
        if _inside_a_word(folded_text, found, end):  # "Lan" in "lạnh" is not the name
            start = found + 1
            continue
        out.append(text[position:found] + ERASED)
        position = start = end


def _inside_a_word(text: str, start: int, end: int) -> bool:
    return (start > 0 and text[start - 1].isalnum()) or (end < len(text) and text[end].isalnum())


def is_erased_key(key: str | None) -> bool:
    return bool(key) and str(key).startswith(ERASED_KEY_PREFIX)


class Expiring(Protocol):
    """One capability's items that outlive their retention period (a setting per ``kind``):
    the person in them is forgotten (the item deleted, or pseudonymised where it is a warranty
    fact). The daily job walks each kind in the order of its index, from where it stopped."""

    kind: str  # messages | claims | visits

    def expire(self, before: datetime, *, after: str, at: datetime, limit: int) -> tuple[int, str]:
        """Forget the people in at most ``limit`` items older than ``before`` and past the
        watermark ``after`` ("" at first); how many changed, and the new watermark."""
        ...
