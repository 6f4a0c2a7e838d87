"""Webhook and callback signatures for Zalo, eSMS MO and Twilio: pure, stdlib only, no I/O.

Every ``verify_*`` function fails closed: an empty secret, an empty or malformed signature or an
oversized body is simply ``False``, never an exception, and the final comparison is constant
time. The ``*_mac`` / ``*_sign`` / ``*_signature`` functions are what test fixtures and fake
servers use to sign, so one implementation is pinned to the reference test vectors
(docs/reference/zalo.md#webhooks, sms.md#esms-inbound-sms, sms.md#twilio;
docs/reference/security.md#t-c1, security.md#t-c2, security.md#t-c4).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
from collections.abc import Mapping, Sequence
from urllib.parse import urlsplit, urlunsplit

ZALO_MAX_SKEW_SECONDS = 300
ZALO_MAX_BODY_BYTES = 64 * 1024
_ZALO_MAC_PREFIX = "mac="
# Lower-case only, like the reference vector: an upper-case digest is rejected
# (docs/reference/security.md#t-c1).
_ZALO_HEX = re.compile(r"[0-9a-f]{64}")
_ZALO_TIMESTAMP = re.compile(r"[0-9]{1,16}")

_DEFAULT_PORTS = {"https": 443, "http": 80}


def _same(expected: str, presented: str) -> bool:
    # Bytes, because compare_digest raises on non-ASCII str and a header may hold anything.
    return hmac.compare_digest(expected.encode("utf-8"), presented.encode("utf-8"))


# --- Zalo (docs/reference/zalo.md#webhooks)
# -------------------------------------------------------------------


def zalo_mac(app_id: str, raw_body: bytes, timestamp: str, secret: str) -> str:
    """``hex(SHA-256(app_id + raw_body + timestamp + secret))``, lower case
    (docs/reference/zalo.md#webhooks).

    Plain SHA-256 of the concatenation, not HMAC (Zalo's ``MacUtils.buildMac``). ``raw_body`` is
    the body exactly as received; ``timestamp`` is the body's ``timestamp`` string (ms).
    """
    digest = hashlib.sha256()
    digest.update(app_id.encode("utf-8"))
    digest.update(raw_body)
    digest.update(timestamp.encode("utf-8"))
    digest.update(secret.encode("utf-8"))
    return digest.hexdigest()


def _zalo_timestamp(raw_body: bytes) -> str | None:
    try:
        event = json.loads(raw_body)
    except (ValueError, RecursionError):  # bad JSON, bad UTF-8, absurd nesting
        return None
    timestamp = event.get("timestamp") if isinstance(event, dict) else None
    # Zalo sends it as a string; anything else has no canonical text to hash, so reject it.
    if isinstance(timestamp, str) and _ZALO_TIMESTAMP.fullmatch(timestamp):
        return timestamp
    return None


def verify_zalo(
    header_value: str,
    app_id: str,
    raw_body: bytes,
    secret: str,
    now_ms: int,
    max_skew_seconds: int = ZALO_MAX_SKEW_SECONDS,
) -> bool:
    """Whether ``X-ZEvent-Signature`` authenticates ``raw_body`` (docs/reference/zalo.md#webhooks,
    docs/reference/security.md#t-c1).

    Accepts ``mac=<hex>`` and bare ``<hex>``; the hex must be 64 lower-case digits. The
    timestamp hashed and checked against ``now_ms`` (±``max_skew_seconds``) is the body's
    ``timestamp`` field. ``False`` for an empty secret, app id or header and for a body over 64 KB.

    >>> body = b'{"timestamp":"1602560967477"}'
    >>> mac = zalo_mac("app", body, "1602560967477", "s3cret")
    >>> verify_zalo("mac=" + mac, "app", body, "s3cret", now_ms=1602560967477)
    True
    >>> verify_zalo("mac=" + mac.upper(), "app", body, "s3cret", now_ms=1602560967477)
    False
    """
    if not secret or not app_id or not header_value or len(raw_body) > ZALO_MAX_BODY_BYTES:
        return False
    presented = header_value.removeprefix(_ZALO_MAC_PREFIX)
    if not _ZALO_HEX.fullmatch(presented):
        return False
    timestamp = _zalo_timestamp(raw_body)
    if timestamp is None or abs(now_ms - int(timestamp)) > max_skew_seconds * 1000:
        return False
    return _same(zalo_mac(app_id, raw_body, timestamp, secret), presented)


# --- eSMS inbound SMS / MO (docs/reference/sms.md#esms-inbound-sms)
# ---------------------------------------------------


def esms_mo_sign(cpid: str, smsid: str, content: str, receive_time: str, private_key: str) -> str:
    """``Base64(MD5(cpid + smsid + content + receive_time + private_key))``, UTF-8
    (docs/reference/sms.md#esms-inbound-sms).

    ``content`` is the decoded text (``BH SN12345``, not ``BH%20SN12345``): the reference leaves
    the encoding open (sms.md#open-questions), so confirm against a real MO before go-live.
    """
    text = cpid + smsid + content + receive_time + private_key
    # MD5 is what eSMS specifies; it is a signature scheme here only because eSMS offers no other.
    digest = hashlib.md5(text.encode("utf-8"), usedforsecurity=False).digest()
    return base64.b64encode(digest).decode("ascii")


def verify_esms_mo(
    sign: str, cpid: str, smsid: str, content: str, receive_time: str, private_key: str
) -> bool:
    """Whether the MO's ``sign`` query parameter matches (docs/reference/sms.md#esms-inbound-sms,
    docs/reference/security.md#t-c4).

    ``False`` for an empty key or an empty/missing sign; constant-time compare otherwise.
    """
    if not private_key or not sign:
        return False
    return _same(esms_mo_sign(cpid, smsid, content, receive_time, private_key), sign)


# --- Twilio (docs/reference/sms.md#twilio)
# --------------------------------------------------------------------

TwilioParams = Mapping[str, str | Sequence[str]]


def twilio_signature(auth_token: str, url: str, params: TwilioParams) -> str:
    """``Base64(HMAC-SHA1(auth_token, url + concat(sorted(name + value))))``
    (docs/reference/sms.md#twilio).

    ``url`` is the full public URL Twilio called, query string included, exactly as configured.
    A repeated form field may be given as a list of values: like Twilio's ``RequestValidator``
    each distinct value is appended in sorted order (``{"a": ["2", "1"]}`` signs ``a1a2``).
    """
    signed = url
    for name in sorted(params):
        value = params[name]
        values = [value] if isinstance(value, str) else list(value)
        for item in sorted(set(values)):
            signed += name + item
    mac = hmac.new(auth_token.encode("utf-8"), signed.encode("utf-8"), hashlib.sha1)
    return base64.b64encode(mac.digest()).decode("ascii")


def _url_port_variants(url: str) -> list[str]:
    """``url`` as given, plus with its scheme's default port removed or added (as the SDK does)."""
    variants = [url]
    parts = urlsplit(url)
    default = _DEFAULT_PORTS.get(parts.scheme)
    if default is None or not parts.hostname:
        return variants
    try:
        port = parts.port
    except ValueError:
        return variants
    userinfo, at, host_port = parts.netloc.rpartition("@")
    prefix = userinfo + at
    host = host_port if port is None else host_port.rsplit(":", 1)[0]
    if port is None:
        variants.append(urlunsplit(parts._replace(netloc=f"{prefix}{host}:{default}")))
    elif port == default:
        variants.append(urlunsplit(parts._replace(netloc=prefix + host)))
    return variants


def verify_twilio(header_value: str, auth_token: str, url: str, params: TwilioParams) -> bool:
    """Whether ``X-Twilio-Signature`` authenticates a form-encoded webhook
    (docs/reference/sms.md#twilio, docs/reference/security.md#t-c2).

    ``url`` must be the public URL Twilio was given (custom domain, scheme, query string in its
    original order), not the one API Gateway sees. An explicit default port (``:443`` for https)
    is tolerated either way, as in Twilio's SDK. JSON bodies (``bodySHA256``) are not handled here.
    ``False`` for an empty token or header.
    """
    if not auth_token or not header_value:
        return False
    matches = [
        _same(twilio_signature(auth_token, candidate, params), header_value)
        for candidate in _url_port_variants(url)
    ]
    return any(matches)
