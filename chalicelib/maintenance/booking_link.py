"""The customer's link to a maintenance reminder's page: ``<portal>/m/<serial>/<component>?t=
<token>``, the token an HMAC of the line's key under a key derived from the stage's pepper (a
link cannot be made up from a serial read off a sticker). Pure: no I/O.

>>> key = booking_key(bytes(16))
>>> token = booking_token(key, "GAR000000019", "FILTER")
>>> len(token), verify(key, "GAR000000019", "FILTER", token), verify(key, "GAR1", "UV", token)
(16, True, False)
>>> booking_url("https://bh.example.vn", "GAR000000019", "FILTER", "ABC")
'https://bh.example.vn/m/GAR000000019/FILTER?t=ABC'
"""

from __future__ import annotations

import base64
import hashlib
import hmac

TAG_BYTES = 10  # 80 bits: 16 base32 letters
_DOMAIN = b"maintenance|v1|"


def booking_key(pepper: bytes) -> bytes:
    """The key that signs maintenance links, derived from the stage's pepper (never the pepper)."""
    return hmac.new(pepper, b"garanti maintenance booking v1", hashlib.sha256).digest()


def booking_token(key: bytes, serial: str, component: str) -> str:
    message = _DOMAIN + f"{serial}#{component}".encode("ascii")
    return base64.b32encode(hmac.new(key, message, hashlib.sha256).digest()[:TAG_BYTES]).decode()


def verify(key: bytes, serial: str, component: str, token: str | None) -> bool:
    """Whether ``token`` is the line's own (no I/O: a forged one costs nothing)."""
    if not token or len(token) > 32 or not (serial + component + token).isascii():
        return False  # compare_digest takes ASCII text only
    return hmac.compare_digest(token.strip().upper(), booking_token(key, serial, component))


def booking_url(portal_url: str, serial: str, component: str, token: str) -> str:
    return f"{portal_url}/m/{serial}/{component}?t={token}"
