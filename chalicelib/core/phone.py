"""Vietnamese mobile numbers: normalise to E.164, reject everything else, mask for display.

>>> normalize_vn_mobile("0166 234 5678")   # legacy 11-digit Viettel prefix, converted in 2018
'+84362345678'
>>> mask_phone("+84912345678")
'+84 91* *** *78'
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata

from chalicelib.core.errors import Invalid

# Old 11-digit prefixes (after the trunk 0) → new 10-digit prefixes, 2018 conversion.
_LEGACY_PREFIXES = {
    "162": "32", "163": "33", "164": "34", "165": "35", "166": "36", "167": "37", "168": "38",
    "169": "39", "120": "70", "121": "79", "122": "77", "126": "76", "128": "78", "123": "83",
    "124": "84", "125": "85", "127": "81", "129": "82", "186": "56", "188": "58", "199": "59",
}  # fmt: skip
_SEPARATORS = re.compile(r"[\s\-.()\u200b\u200c\u200d\ufeff]")
_LEGACY = re.compile(r"(?:\+?84|0084|0)?(1\d{9})")
_ALLOWED = re.compile(r"\+{0,2}[0-9]{8,15}")
MAX_RAW_LENGTH = 32


def normalize_vn_mobile(raw: object) -> str:
    """Return ``+84xxxxxxxxx`` for a Vietnamese mobile number; raise :class:`Invalid` otherwise.

    Landlines (``028…``), service numbers (``1900…``), foreign numbers and malformed input are
    rejected with a code saying which.
    """
    if not isinstance(raw, str) or not raw.strip():
        raise Invalid("phone_required")
    if len(raw) > MAX_RAW_LENGTH:
        raise Invalid("phone_invalid")
    text = unicodedata.normalize("NFKC", raw)
    text = "".join(str(unicodedata.digit(ch)) if ch.isdigit() else ch for ch in text)
    text = _SEPARATORS.sub("", text)
    if not _ALLOWED.fullmatch(text):
        raise Invalid("phone_invalid")
    import phonenumbers  # ~20 ms: loaded by the routes that take a phone number only

    legacy = _LEGACY.fullmatch(text)
    if legacy and legacy.group(1)[:3] in _LEGACY_PREFIXES:
        digits = legacy.group(1)
        text = "+84" + _LEGACY_PREFIXES[digits[:3]] + digits[3:]
    try:
        number = phonenumbers.parse(text.replace("++", "+"), "VN")
    except phonenumbers.NumberParseException as exc:
        raise Invalid("phone_invalid") from exc
    if number.country_code != 84:
        raise Invalid("phone_not_vietnamese")
    if not phonenumbers.is_valid_number(number):
        raise Invalid("phone_invalid")
    if phonenumbers.number_type(number) != phonenumbers.PhoneNumberType.MOBILE:
        raise Invalid("phone_not_mobile")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def mask_phone(e164: str) -> str:
    """``+84912345678`` → ``+84 91* *** *78``: enough for the owner to recognise, no more."""
    national = e164.removeprefix("+84")
    if len(national) != 9:
        return "***"
    return f"+84 {national[:2]}* *** *{national[-2:]}"


def log_safe(e164: str) -> str:
    """The form of a phone number that may appear in logs: ``+8491*****78``."""
    return e164[:5] + "*" * max(len(e164) - 7, 0) + e164[-2:]


def phone_key(pepper: bytes, e164: str) -> str:
    """The pseudonymous key of a phone number (HMAC under the stage's pepper): what tables and
    indexes store, so no key or index ever holds a raw phone number."""
    return hmac.new(pepper, f"phone|{e164}".encode(), hashlib.sha256).hexdigest()
