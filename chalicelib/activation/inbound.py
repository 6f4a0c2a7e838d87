"""Inbound commands: one grammar for SMS, Zalo OA chat and the web. Pure, no I/O, never raises.

Grammar::

    message  = [junk] keyword separator+ [junk] serial [free text]
    keyword  = BH | BAOHANH | BAO HANH | KH | KICHHOAT | KICH HOAT   (all mean "activate")
    separator = whitespace | - | _ | . | : | # | ,

The keyword is matched case-insensitively after folding Vietnamese (``Bảo hành`` → ``BAO HANH``,
``đ`` → ``d``); inside a two-word keyword the separator is optional (``baohanh``, ``bao-hanh``,
``Bảo_hành``). The serial is the first run of ``A-Z 0-9 -`` after the keyword and must pass
:func:`~chalicelib.catalog.serials.normalize_serial` (3–32 characters). Whatever follows the
serial is free text and ignored. Before matching, the message is bounded
(:data:`MAX_INBOUND_LENGTH`, the SMS concatenation limit), zero-width characters are dropped,
NFKC folds full-width forms (``ＢＨ`` → ``BH``), and typographic dashes become ``-``.

>>> parse_inbound("BH SN240001234")
InboundCommand(action='activate', serial='SN240001234', reason=None)
>>> parse_inbound("Bảo hành: sn240001234 da mua tai Dien May X")
InboundCommand(action='activate', serial='SN240001234', reason=None)
>>> parse_inbound("#BH#SN1234")
InboundCommand(action='activate', serial='SN1234', reason=None)

The serial may contain ``-``: the keyword is removed first, so ``-`` after it separates, and
``-`` inside the serial binds to the serial.

>>> parse_inbound("BH-AB-1001").serial
'AB-1001'

Ambiguous cases, resolved on purpose:

* A ``-`` glues free text to the serial: put a space before free text.

  >>> parse_inbound("BH AB-1001-cam on").serial
  'AB-1001-CAM'

* A trailing ``-`` is punctuation, not part of the serial.

  >>> parse_inbound("BH SN1234- cam on").serial
  'SN1234'

* A keyword must be followed by a separator; glued to the serial it is not a keyword, and the
  whole token is offered back as a serial (a manufacturer's serial may start with ``BH``).

  >>> parse_inbound("BHSN240001234")
  InboundCommand(action='help', serial='BHSN240001234', reason='inbound_serial_only')

* A serial that starts with a keyword and a separator is read as keyword + serial: the customer
  sends ``BH KH-1001`` for serial ``KH-1001``.

  >>> parse_inbound("KH-1001")
  InboundCommand(action='activate', serial='1001', reason=None)

* Filler words are not skipped: the first word after the keyword is the serial, and the lookup
  answers "unknown serial" (``BH serial SN1`` → ``SERIAL``).

  >>> parse_inbound("BH serial SN240001234").serial
  'SERIAL'

Without a keyword nothing is activated: a stray text must never activate a warranty for the
sender's phone. A message that is only a serial-shaped token (with at least one digit, so ``OK``
or ``HELLO`` are not) gets ``help`` with ``inbound_serial_only`` and the serial, so the reply can
say "send BH <serial>".

>>> parse_inbound("sn240001234")
InboundCommand(action='help', serial='SN240001234', reason='inbound_serial_only')
>>> parse_inbound("xin chao")
InboundCommand(action='help', serial=None, reason='inbound_no_keyword')
>>> parse_inbound("BH")
InboundCommand(action='help', serial=None, reason='inbound_no_serial')
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal, get_args

from chalicelib.catalog.serials import normalize_serial
from chalicelib.core.errors import Invalid

MAX_INBOUND_LENGTH = 480  # three concatenated GSM-7 SMS segments of 160

InboundAction = Literal["activate", "help"]
InboundReason = Literal[
    "inbound_empty",
    "inbound_too_long",
    "inbound_bad_characters",
    "inbound_no_keyword",
    "inbound_no_serial",
    "inbound_serial_invalid",
    "inbound_serial_only",
]
REASONS: tuple[InboundReason, ...] = get_args(InboundReason)


@dataclass(frozen=True)
class InboundCommand:
    """``activate`` carries the serial; ``help`` carries a reason code (and, for
    ``inbound_serial_only``, the serial to suggest)."""

    action: InboundAction
    serial: str | None
    reason: InboundReason | None


# Invisible characters phones and copy-paste insert; dropped. Bidi controls (RLO, LRM…) are not
# here: they stay forbidden, as in :func:`chalicelib.core.text.clean_text`.
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
# Hyphen, non-breaking hyphen, figure/en/em dash, horizontal bar, minus: autocorrect turns "-"
# into these. NFKC leaves them alone.
_DASHES = {ord(dash): "-" for dash in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"}
_FORBIDDEN_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn"}
_ALLOWED_CONTROLS = frozenset("\t\n\r")

_SEP = r"[\s\-_.:#,]"
_KEYWORD = re.compile(rf"(?:BAO{_SEP}*HANH|BH|KICH{_SEP}*HOAT|KH)(?:{_SEP}+|\Z)")
_JUNK = re.compile(r"[\W_]*")  # anything but letters and digits (of any script)
_SERIAL_RUN = re.compile(r"[A-Za-z0-9-]*")


def parse_inbound(text: str) -> InboundCommand:
    """The command in an inbound message; unparseable input gives ``help`` with a reason code."""
    if len(text) > MAX_INBOUND_LENGTH:
        return _help("inbound_too_long")
    text = unicodedata.normalize("NFKC", text.translate(_ZERO_WIDTH)).translate(_DASHES)
    if len(text) > MAX_INBOUND_LENGTH:  # NFKC may expand (one ligature → many letters)
        return _help("inbound_too_long")
    if any(_forbidden(char) for char in text):
        return _help("inbound_bad_characters")
    text = _skip_junk(text)
    if not text:
        return _help("inbound_empty")
    keyword = _KEYWORD.match(_fold(text))
    if keyword is None:
        return _serial_only(text)
    return _activation(text[keyword.end() :])


def _help(reason: InboundReason, serial: str | None = None) -> InboundCommand:
    return InboundCommand(action="help", serial=serial, reason=reason)


def _forbidden(char: str) -> bool:
    return char not in _ALLOWED_CONTROLS and unicodedata.category(char) in _FORBIDDEN_CATEGORIES


def _skip_junk(text: str) -> str:
    match = _JUNK.match(text)
    return text[match.end() :] if match else text


def _fold(text: str) -> str:
    """Upper case without Vietnamese marks, one character out per character in, so a match's
    end in the folded text is its end in the original: ``Bảo hành`` → ``BAO HANH``."""
    return "".join(_fold_char(char) for char in text)


def _fold_char(char: str) -> str:
    if char in "đĐ":
        return "D"
    base = "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))
    upper = base.upper()
    return upper if len(upper) == 1 else char


def _activation(rest: str) -> InboundCommand:
    rest = _skip_junk(rest)
    if not rest:
        return _help("inbound_no_serial")
    serial = _leading_serial(rest)
    if serial is None:
        return _help("inbound_serial_invalid")
    return InboundCommand(action="activate", serial=serial, reason=None)


def _leading_serial(text: str) -> str | None:
    """The serial at the start of ``text``, or ``None`` when the first word is not one: a run of
    ``A-Z 0-9 -`` that stops at a letter of another script (``SNÁ1``) is not cut short."""
    match = _SERIAL_RUN.match(text)
    run = match.group() if match else ""
    following = text[len(run) : len(run) + 1]
    if following.isalnum():
        return None
    try:
        return normalize_serial(run.rstrip("-"))
    except Invalid:
        return None


def _serial_only(text: str) -> InboundCommand:
    end = len(text)
    while end and not text[end - 1].isalnum():
        end -= 1
    core = text[:end]
    serial = _leading_serial(core) if _SERIAL_RUN.fullmatch(core) else None
    if serial is not None and any(char.isdigit() for char in serial):
        return _help("inbound_serial_only", serial)
    return _help("inbound_no_keyword")
