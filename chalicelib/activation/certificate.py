"""The verification code printed on a warranty certificate: anyone holding a paper copy can ask
the public API whether it is real (``GET /public/certificates/verify/{serial}/{code}``).

8 characters of base32 (40 bits) from an HMAC under the stage's pepper over the serial and the
activation time, so a code cannot be made up, belongs to one activation only, and needs no
stored state or index. The pepper is never rotated casually (it keys every phone lookup too).

>>> from datetime import datetime, timezone
>>> at = datetime(2026, 11, 23, 8, 0, tzinfo=timezone.utc)
>>> code = certificate_code(b"p" * 32, "GAR00000017W", at)
>>> len(code), code.isalnum(), code.isupper()
(8, True, True)
>>> code_matches(b"p" * 32, "GAR00000017W", at, code.lower())
True
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime

CODE_LENGTH = 8


def certificate_code(pepper: bytes, serial: str, activated_at: datetime) -> str:
    message = f"certificate|v1|{serial}|{activated_at.isoformat()}".encode()
    digest = hmac.new(pepper, message, hashlib.sha256).digest()
    return base64.b32encode(digest).decode()[:CODE_LENGTH]


def code_matches(pepper: bytes, serial: str, activated_at: datetime, presented: str) -> bool:
    """Constant-time comparison; case and surrounding spaces do not matter."""
    expected = certificate_code(pepper, serial, activated_at)
    return hmac.compare_digest(expected.encode(), presented.strip().upper().encode())
