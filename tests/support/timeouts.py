"""Read timeouts for the provider adapters under test.

``PATIENT`` is for every test whose subject is the provider's answer: generous, so that a busy
2-core CI machine never turns a late thread of the fake server into a read timeout (a 0.3 s read
timeout did, once, for a plain 403). ``SHORT`` is only for the tests whose subject *is* the
timeout; the fake's latency is then set to ``SLOW_ANSWER``, above it.
"""

from __future__ import annotations

import urllib3

PATIENT = urllib3.Timeout(connect=2.0, read=10.0)
SHORT = urllib3.Timeout(connect=1.0, read=0.3)
SLOW_ANSWER = 0.6  # above SHORT's read timeout: the provider got the body, we got no answer
