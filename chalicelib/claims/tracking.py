"""The customer's tracking link: ``<portal>/r/<claim_id>?t=<token>``, the token an HMAC of the
request's reference under a key derived from the stage's pepper (like the QR tokens, a link
cannot be made up from a reference read out on the phone). Pure: no I/O.

>>> key = tracking_key(bytes(16))
>>> token = tracking_token(key, "SR-7K3M9Q2X")
>>> len(token), verify(key, "SR-7K3M9Q2X", token), verify(key, "SR-7K3M9Q2Y", token)
(16, True, False)
>>> tracking_url("https://bh.example.vn", "SR-7K3M9Q2X", "ABC")
'https://bh.example.vn/r/SR-7K3M9Q2X?t=ABC'
"""

from __future__ import annotations

import base64
import hashlib
import hmac

TAG_BYTES = 10  # 80 bits: 16 base32 letters
_DOMAIN = b"claim|v1|"


def tracking_key(pepper: bytes) -> bytes:
    """The key that signs tracking links, derived from the stage's pepper (never the pepper)."""
    return hmac.new(pepper, b"garanti claim tracking v1", hashlib.sha256).digest()


def tracking_token(key: bytes, claim_id: str) -> str:
    tag = hmac.new(key, _DOMAIN + claim_id.encode("ascii"), hashlib.sha256).digest()[:TAG_BYTES]
    return base64.b32encode(tag).decode("ascii")


def verify(key: bytes, claim_id: str, token: str | None) -> bool:
    """Whether ``token`` is the request's own (no I/O: a forged one costs nothing)."""
    if not token or len(token) > 32 or not (claim_id + token).isascii():
        return False  # compare_digest takes ASCII text only
    return hmac.compare_digest(token.strip().upper(), tracking_token(key, claim_id))


def tracking_url(portal_url: str, claim_id: str, token: str) -> str:
    return f"{portal_url}/r/{claim_id}?t={token}"
