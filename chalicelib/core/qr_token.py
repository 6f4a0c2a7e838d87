"""QR tokens: the capability printed on each unit's sticker.

    token = base32(key_id (1 byte) || serial (ASCII) || tag), without padding
    tag = HMAC-SHA256(K[key_id], "qr|v1|" || serial)[:10]
 The 80-bit tag is checked before any database read, so a forged or guessed
token costs nothing and is indistinguishable from an unknown one. Keys rotate by ``key_id``:
new tokens use the active key, old key ids stay accepted while they are in the keyring.

>>> ring = QrKeyring(active_key_id=1, keys={1: b"k" * 32})
>>> token = ring.issue("GAR000000017")
>>> ring.verify(token)
'GAR000000017'
>>> ring.verify(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
True
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
from dataclasses import dataclass
from urllib.parse import urlencode

TAG_BYTES = 10  # 80 bits
_DOMAIN = b"qr|v1|"
_SERIAL = re.compile(rb"[A-Z0-9][A-Z0-9\-]{2,31}")
MAX_TOKEN_LENGTH = 80
MIN_KEY_BYTES = 16


@dataclass(frozen=True)
class QrKeyring:
    active_key_id: int
    keys: dict[int, bytes]

    def __post_init__(self) -> None:
        if self.active_key_id not in self.keys:
            raise ValueError("the active QR key id is not in the keyring")
        for key_id, key in self.keys.items():
            if not 0 <= key_id <= 255 or len(key) < MIN_KEY_BYTES:
                raise ValueError("QR keys need an id 0-255 and at least 16 bytes")

    def _tag(self, key_id: int, serial: bytes) -> bytes:
        return hmac.new(self.keys[key_id], _DOMAIN + serial, hashlib.sha256).digest()[:TAG_BYTES]

    def issue(self, serial: str) -> str:
        """The token for ``serial`` under the active key."""
        raw = serial.encode("ascii")
        payload = bytes([self.active_key_id]) + raw + self._tag(self.active_key_id, raw)
        return base64.b32encode(payload).decode("ascii").rstrip("=")

    def verify(self, token: str) -> str | None:
        """The serial a genuine token carries, or ``None`` for anything else (no I/O)."""
        if not isinstance(token, str) or not 8 <= len(token) <= MAX_TOKEN_LENGTH:
            return None
        text = token.strip().upper().rstrip("=")
        try:
            payload = base64.b32decode(text + "=" * (-len(text) % 8))
        except (binascii.Error, ValueError):
            return None
        if len(payload) < 1 + 3 + TAG_BYTES:
            return None
        if base64.b32encode(payload).decode("ascii").rstrip("=") != text:
            return None  # non-canonical: a last character differing only in unused bits
        key_id, serial, tag = payload[0], payload[1:-TAG_BYTES], payload[-TAG_BYTES:]
        if key_id not in self.keys or not _SERIAL.fullmatch(serial):
            return None
        if not hmac.compare_digest(tag, self._tag(key_id, serial)):
            return None
        return serial.decode("ascii")


@dataclass(frozen=True)
class UnitLinks:
    """Every link printed on or sent for a unit, in one place: the sticker's QR link
    (``/q/<token>``, the portal's landing page), the warranty certificate's (``/c/<token>``) and
    the confirmation's "this wasn't me" (``/n/<token>/<code>``).
    Both carry the unit's signed QR token, so a link cannot be made up from a serial.

    >>> links = UnitLinks("https://bh.example.vn", QrKeyring(1, {1: bytes(16)}))
    >>> links.qr("GAR00000018U") == "https://bh.example.vn/q/" + links.token("GAR00000018U")
    True
    >>> links.certificate_for("TOKEN")
    'https://bh.example.vn/c/TOKEN'
    """

    portal_url: str
    keyring: QrKeyring

    def token(self, serial: str) -> str:
        return self.keyring.issue(serial)

    def qr(self, serial: str) -> str:
        return self.qr_for(self.token(serial))

    def certificate(self, serial: str) -> str:
        return self.certificate_for(self.token(serial))

    def qr_for(self, token: str) -> str:
        return f"{self.portal_url}/q/{token}"

    def certificate_for(self, token: str) -> str:
        return f"{self.portal_url}/c/{token}"

    def verification(self, serial: str, code: str) -> str:
        """The portal's page that checks a paper certificate (the QR printed on it).

        >>> UnitLinks("https://bh.example.vn", QrKeyring(1, {1: bytes(16)})).verification(
        ...     "GAR00000018U", "7KQ2M9PX")
        'https://bh.example.vn/verify?serial=GAR00000018U&code=7KQ2M9PX'
        """
        return f"{self.portal_url}/verify?{urlencode({'serial': serial, 'code': code})}"

    def not_me(self, serial: str, code: str) -> str:
        """The "this wasn't me" page of an activation (``code``: activation/not_me.py)."""
        return f"{self.portal_url}/n/{self.token(serial)}/{code}"
