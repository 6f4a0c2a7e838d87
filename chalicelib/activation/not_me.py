"""The "not you? tell us" link in an activation's confirmation message, by which the person who
received it says they did not activate this unit (issue 11).

The link is ``<portal>/n/<QR token>/<code>``: the unit's signed QR token (which unit) and a
code bound to this activation, 16 characters of base32 (80 bits) from an HMAC under the pepper
over the serial and the activation time. Only the confirmation's recipient has it: the sticker's
QR token alone flags nothing, and a link from an earlier activation of the unit flags nothing
after it was activated again. No stored state, like the certificate's code.

>>> from datetime import datetime, timezone
>>> at = datetime(2026, 11, 23, 8, 0, tzinfo=timezone.utc)
>>> code = not_me_code(b"p" * 32, "GAR00000017W", at)
>>> len(code), code.isalnum(), code.isupper()
(16, True, True)
>>> code_matches(b"p" * 32, "GAR00000017W", at, code), code_matches(b"p" * 32, "GAR00000017W",
...     datetime(2026, 11, 23, 8, 1, tzinfo=timezone.utc), code)
(True, False)
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime

CODE_LENGTH = 16


def not_me_code(pepper: bytes, serial: str, activated_at: datetime) -> str:
    message = f"not-me|v1|{serial}|{activated_at.isoformat()}".encode()
    digest = hmac.new(pepper, message, hashlib.sha256).digest()
    return base64.b32encode(digest).decode()[:CODE_LENGTH]


def code_matches(pepper: bytes, serial: str, activated_at: datetime, presented: str) -> bool:
    """Constant-time comparison; case does not matter (a link may be retyped)."""
    expected = not_me_code(pepper, serial, activated_at)
    return hmac.compare_digest(expected.encode(), presented.strip().upper().encode())
