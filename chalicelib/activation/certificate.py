"""The verification code printed on a warranty certificate: anyone holding a paper copy can ask
the public API whether it is real (``GET /public/certificates/verify/{serial}/{code}``).

8 characters (40 bits) of an HMAC under the stage's pepper over the serial and the activation
time, so a code cannot be made up, belongs to one activation only, and needs no stored state or
index. The pepper is never rotated casually (it keys every phone lookup too).

Codes are spelled in Crockford's base32 (``0-9`` and the letters without I, L, O, U), so a
printed code has no letter a reader can take for a digit. Certificates printed before that
spell the same 40 bits in RFC 4648 base32 (``A-Z2-7``, with I, L and O): those keep verifying.
Either way a code is compared in its *folded* form (case, spaces and hyphens ignored; O read as
0, I and L as 1), so "7KQ2-M9PX", "7kq2m9px" or an O typed for a 0 all match.

>>> from datetime import datetime, timezone
>>> at = datetime(2026, 11, 23, 8, 0, tzinfo=timezone.utc)
>>> code = certificate_code(b"p" * 32, "GAR00000017W", at)
>>> len(code), code.isalnum(), code.isupper(), set(code) & set("ILOU")
(8, True, True, set())
>>> code_matches(b"p" * 32, "GAR00000017W", at, code.lower())
True
>>> fold_code(" 7kq2-m9Ol ")
'7KQ2M901'
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime

CODE_LENGTH = 8
_RFC4648 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_TO_CROCKFORD = str.maketrans(_RFC4648, _CROCKFORD)
# What a reader types for a look-alike character; spaces and hyphens are layout, not the code.
_FOLD = str.maketrans({"O": "0", "I": "1", "L": "1", " ": None, "-": None})


def _digest_base32(pepper: bytes, serial: str, activated_at: datetime) -> str:
    message = f"certificate|v1|{serial}|{activated_at.isoformat()}".encode()
    digest = hmac.new(pepper, message, hashlib.sha256).digest()
    return base64.b32encode(digest).decode()[:CODE_LENGTH]


def certificate_code(pepper: bytes, serial: str, activated_at: datetime) -> str:
    """The code printed on the certificate now (Crockford base32)."""
    return _digest_base32(pepper, serial, activated_at).translate(_TO_CROCKFORD)


def fold_code(presented: str) -> str:
    """A code as typed, in the form codes are compared: upper case, no spaces or hyphens, O as
    0, I and L as 1."""
    return presented.strip().upper().translate(_FOLD)


def code_matches(pepper: bytes, serial: str, activated_at: datetime, presented: str) -> bool:
    """Constant-time comparison of folded forms, against the code as printed now and as printed
    before Crockford's alphabet (the same 40 bits in RFC 4648 base32)."""
    issued = _digest_base32(pepper, serial, activated_at)
    typed = fold_code(presented).encode()
    current = hmac.compare_digest(fold_code(issued.translate(_TO_CROCKFORD)).encode(), typed)
    earlier = hmac.compare_digest(fold_code(issued).encode(), typed)
    return current | earlier
