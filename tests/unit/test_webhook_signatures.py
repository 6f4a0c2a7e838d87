"""Webhook signatures pinned to the literal reference vectors
(docs/reference/zalo.md#signature-test-vector, sms.md#mo-signature-test-vector,
sms.md#twilio-signature-test-vector); threats docs/reference/security.md#t-c1, security.md#t-c2,
security.md#t-c4.

The vectors are copied byte for byte from those pages: if one of these tests fails, the algorithm
regressed; never "fix" the expected value.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from urllib.parse import quote

import pytest

from chalicelib.messaging.webhook_signatures import (
    ZALO_MAX_BODY_BYTES,
    esms_mo_sign,
    twilio_signature,
    verify_esms_mo,
    verify_twilio,
    verify_zalo,
    zalo_mac,
)

# --- Zalo, docs/reference/zalo.md#webhooks
# ---------------------------------------------------------------------

ZALO_APP_ID = "2074138120372622546"
ZALO_SECRET = "OA_SECRET_TEST"
ZALO_BODY = (
    b'{"sender":{"id":"2893352839501541173"},"recipient":{"id":"84123456789"},'
    b'"event_name":"user_received_message","message":{"delivery_time":"1602960467432",'
    b'"msg_id":"15a0cc0bbb13bd4ce403","tracking_id":"act-01HZX"},'
    b'"app_id":"2074138120372622546","timestamp":"1602560967477"}'
)
ZALO_TIMESTAMP = "1602560967477"
ZALO_NOW_MS = 1602560967477
ZALO_HEADER = "mac=1469b24c123f1b414208ddc417cf4cb3c1a56ffe6325f5156a735782fcde027f"
ZALO_HEX = ZALO_HEADER.removeprefix("mac=")
TEN_MINUTES_MS = 10 * 60 * 1000


def zalo_ok(header: str, body: bytes = ZALO_BODY, now_ms: int = ZALO_NOW_MS) -> bool:
    return verify_zalo(header, ZALO_APP_ID, body, ZALO_SECRET, now_ms=now_ms)


def test_zalo_mac_reproduces_the_reference_vector() -> None:
    assert zalo_mac(ZALO_APP_ID, ZALO_BODY, ZALO_TIMESTAMP, ZALO_SECRET) == ZALO_HEX


def test_zalo_reference_vector_verifies() -> None:
    assert zalo_ok(ZALO_HEADER)


def test_zalo_accepts_the_mac_without_its_prefix() -> None:
    assert zalo_ok(ZALO_HEX)


@pytest.mark.parametrize("offset_ms", [-300_000, 300_000])
def test_zalo_accepts_a_timestamp_at_the_edge_of_the_window(offset_ms: int) -> None:
    assert zalo_ok(ZALO_HEADER, now_ms=ZALO_NOW_MS + offset_ms)


def test_zalo_rejects_one_flipped_body_byte() -> None:
    body = bytearray(ZALO_BODY)
    index = ZALO_BODY.index(b"act-01HZX")
    body[index] ^= 0x01

    assert not zalo_ok(ZALO_HEADER, body=bytes(body))


def test_zalo_rejects_the_same_json_with_spaces() -> None:
    spaced = json.dumps(json.loads(ZALO_BODY)).encode()

    assert spaced != ZALO_BODY
    assert not zalo_ok(ZALO_HEADER, body=spaced)


def test_zalo_rejects_the_same_json_with_keys_reordered() -> None:
    reordered = json.dumps(json.loads(ZALO_BODY), sort_keys=True, separators=(",", ":")).encode()

    assert reordered != ZALO_BODY
    assert not zalo_ok(ZALO_HEADER, body=reordered)


@pytest.mark.parametrize("header", ["mac=" + ZALO_HEX.upper(), ZALO_HEX.upper()])
def test_zalo_rejects_uppercase_hex(header: str) -> None:
    assert not zalo_ok(header)


def test_zalo_rejects_an_hmac_sha256_signature() -> None:
    message = ZALO_APP_ID.encode() + ZALO_BODY + ZALO_TIMESTAMP.encode()
    wrong = hmac.new(ZALO_SECRET.encode(), message, hashlib.sha256).hexdigest()

    assert not zalo_ok("mac=" + wrong)


@pytest.mark.parametrize("offset_ms", [-TEN_MINUTES_MS, TEN_MINUTES_MS, -300_001, 300_001])
def test_zalo_rejects_a_timestamp_outside_the_window(offset_ms: int) -> None:
    assert not zalo_ok(ZALO_HEADER, now_ms=ZALO_NOW_MS + offset_ms)


def test_zalo_rejects_a_freshly_signed_body_with_a_stale_timestamp() -> None:
    stale = str(ZALO_NOW_MS - TEN_MINUTES_MS)
    body = ZALO_BODY.replace(ZALO_TIMESTAMP.encode(), stale.encode())
    header = "mac=" + zalo_mac(ZALO_APP_ID, body, stale, ZALO_SECRET)

    assert not zalo_ok(header, body=body)


@pytest.mark.parametrize("header", ["", "mac=", "mac", " "])
def test_zalo_rejects_an_empty_header(header: str) -> None:
    assert not zalo_ok(header)


def test_zalo_rejects_a_one_megabyte_body_even_when_signed() -> None:
    padding = b" " * (1024 * 1024)
    body = ZALO_BODY[:-1] + padding + b"}"
    header = "mac=" + zalo_mac(ZALO_APP_ID, body, ZALO_TIMESTAMP, ZALO_SECRET)

    assert not zalo_ok(header, body=body)


def test_zalo_accepts_a_signed_body_of_exactly_64_kb() -> None:
    body = ZALO_BODY[:-1] + b" " * (ZALO_MAX_BODY_BYTES - len(ZALO_BODY)) + b"}"
    header = "mac=" + zalo_mac(ZALO_APP_ID, body, ZALO_TIMESTAMP, ZALO_SECRET)

    assert len(body) == ZALO_MAX_BODY_BYTES
    assert zalo_ok(header, body=body)


def test_zalo_fails_closed_when_the_secret_is_unset() -> None:
    header = "mac=" + zalo_mac(ZALO_APP_ID, ZALO_BODY, ZALO_TIMESTAMP, "")

    assert not verify_zalo(header, ZALO_APP_ID, ZALO_BODY, "", now_ms=ZALO_NOW_MS)


def test_zalo_rejects_a_mac_built_with_the_oa_id_in_place_of_the_app_id() -> None:
    oa_id = "2893352839501541173"
    header = "mac=" + zalo_mac(oa_id, ZALO_BODY, ZALO_TIMESTAMP, ZALO_SECRET)

    assert not zalo_ok(header)


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json",
        b"[]",
        b'{"app_id":"1"}',
        b'{"timestamp":1602560967477}',
        b'{"timestamp":"16025609.67477"}',
        b'{"timestamp":"\xff"}',
        b"[" * 50_000,
    ],
)
def test_zalo_rejects_a_body_without_a_string_timestamp(body: bytes) -> None:
    header = "mac=" + zalo_mac(ZALO_APP_ID, body, ZALO_TIMESTAMP, ZALO_SECRET)

    assert not zalo_ok(header, body=body)


def test_zalo_rejects_a_non_ascii_header_without_raising() -> None:
    assert not zalo_ok("mac=" + "é" * 64)


# --- eSMS MO, docs/reference/sms.md#esms-inbound-sms
# ------------------------------------------------------------------

MO_CPID = "CP01"
MO_SMSID = "MO123"
MO_CONTENT = "BH SN12345"
MO_TIME = "20250101103000"
MO_KEY = "17417a0d20114d36a902e49cad0e97f3"
MO_SIGN = "sMtMmlMlNyFnbW5zzEFu/Q=="


def mo_ok(sign: str, content: str = MO_CONTENT, key: str = MO_KEY) -> bool:
    return verify_esms_mo(sign, MO_CPID, MO_SMSID, content, MO_TIME, key)


def test_esms_mo_sign_reproduces_the_reference_vector() -> None:
    assert esms_mo_sign(MO_CPID, MO_SMSID, MO_CONTENT, MO_TIME, MO_KEY) == MO_SIGN


def test_esms_mo_reference_vector_verifies() -> None:
    assert mo_ok(MO_SIGN)


@pytest.mark.parametrize(
    "sign",
    [
        "tMtMmlMlNyFnbW5zzEFu/Q==",  # one character changed
        MO_SIGN.rstrip("="),
        MO_SIGN.lower(),
        "sMtMmlMlNyFnbW5zzEFu Q==",  # "/" lost in transport
        base64.b64encode(b"\x00" * 16).decode(),
        "é",
    ],
)
def test_esms_mo_rejects_a_wrong_sign(sign: str) -> None:
    assert not mo_ok(sign)


def test_esms_mo_rejects_a_missing_sign() -> None:
    assert not mo_ok("")


def test_esms_mo_content_is_signed_decoded_not_url_encoded() -> None:
    sign_over_encoded = esms_mo_sign(MO_CPID, MO_SMSID, quote(MO_CONTENT), MO_TIME, MO_KEY)

    assert sign_over_encoded != MO_SIGN
    assert not mo_ok(sign_over_encoded)


def test_esms_mo_signs_unicode_content_as_utf8() -> None:
    content = "BH SN240001234 đã mua"
    expected = base64.b64encode(
        hashlib.md5(
            (MO_CPID + MO_SMSID + content + MO_TIME + MO_KEY).encode("utf-8"),
            usedforsecurity=False,
        ).digest()
    ).decode()

    assert esms_mo_sign(MO_CPID, MO_SMSID, content, MO_TIME, MO_KEY) == expected
    assert mo_ok(expected, content=content)
    assert not mo_ok(expected, content="BH SN240001234 da mua")


def test_esms_mo_fails_closed_when_the_key_is_unset() -> None:
    assert not mo_ok(esms_mo_sign(MO_CPID, MO_SMSID, MO_CONTENT, MO_TIME, ""), key="")


# --- Twilio, docs/reference/sms.md#twilio
# ---------------------------------------------------------------------

TWILIO_TOKEN = "12345"
TWILIO_URL = "https://example.test/sms/status"
TWILIO_PARAMS = {
    "MessageSid": "SM0123456789abcdef0123456789abcdef",
    "MessageStatus": "delivered",
    "AccountSid": "AC0123456789abcdef0123456789abcdef",
    "From": "+15005550006",
    "To": "+84912345678",
    "ApiVersion": "2010-04-01",
    "SmsSid": "SM0123456789abcdef0123456789abcdef",
    "SmsStatus": "delivered",
}
TWILIO_SIGNATURE = "7vLLmkHOwIg9kqYt5BHtihdOKPg="


def twilio_ok(
    url: str = TWILIO_URL,
    params: dict[str, str] = TWILIO_PARAMS,
    signature: str = TWILIO_SIGNATURE,
) -> bool:
    return verify_twilio(signature, TWILIO_TOKEN, url, params)


def test_twilio_signature_reproduces_the_reference_vector() -> None:
    assert twilio_signature(TWILIO_TOKEN, TWILIO_URL, TWILIO_PARAMS) == TWILIO_SIGNATURE


def test_twilio_reference_vector_verifies() -> None:
    assert twilio_ok()


def test_twilio_does_not_depend_on_parameter_order() -> None:
    reversed_params = dict(reversed(TWILIO_PARAMS.items()))

    assert twilio_ok(params=reversed_params)


def test_twilio_rejects_an_extra_param() -> None:
    assert not twilio_ok(params={**TWILIO_PARAMS, "ErrorCode": "30003"})


def test_twilio_rejects_a_dropped_param() -> None:
    dropped = {name: value for name, value in TWILIO_PARAMS.items() if name != "SmsStatus"}

    assert not twilio_ok(params=dropped)


def test_twilio_rejects_a_changed_param() -> None:
    assert not twilio_ok(params={**TWILIO_PARAMS, "MessageStatus": "failed"})


def test_twilio_rejects_http_when_https_was_signed() -> None:
    assert not twilio_ok(url="http://example.test/sms/status")


def test_twilio_rejects_https_when_http_was_signed() -> None:
    http_url = "http://example.test/sms/status"
    signature = twilio_signature(TWILIO_TOKEN, http_url, TWILIO_PARAMS)

    assert twilio_ok(url=http_url, signature=signature)
    assert not twilio_ok(signature=signature)


def test_twilio_rejects_a_reordered_query_string() -> None:
    signed_url = TWILIO_URL + "?tenant=acme&channel=sms"
    signature = twilio_signature(TWILIO_TOKEN, signed_url, TWILIO_PARAMS)

    assert twilio_ok(url=signed_url, signature=signature)
    assert not twilio_ok(url=TWILIO_URL + "?channel=sms&tenant=acme", signature=signature)


def test_twilio_rejects_a_different_host() -> None:
    assert not twilio_ok(url="https://abc123.execute-api.ap-southeast-1.amazonaws.com/sms/status")


def test_twilio_tolerates_an_explicit_default_port_either_way() -> None:
    assert twilio_ok(url="https://example.test:443/sms/status")
    signature = twilio_signature(TWILIO_TOKEN, "https://example.test:443/sms/status", TWILIO_PARAMS)
    assert twilio_ok(signature=signature)
    assert not twilio_ok(url="https://example.test:8443/sms/status")


def test_twilio_rejects_the_wrong_token() -> None:
    assert not verify_twilio(TWILIO_SIGNATURE, "54321", TWILIO_URL, TWILIO_PARAMS)


@pytest.mark.parametrize("signature", ["", TWILIO_SIGNATURE.lower(), "é"])
def test_twilio_rejects_a_bad_or_empty_header(signature: str) -> None:
    assert not twilio_ok(signature=signature)


def test_twilio_fails_closed_when_the_token_is_unset() -> None:
    signature = twilio_signature("", TWILIO_URL, TWILIO_PARAMS)

    assert not verify_twilio(signature, "", TWILIO_URL, TWILIO_PARAMS)


def test_twilio_signs_each_distinct_repeated_value_in_sorted_order() -> None:
    repeated = twilio_signature(TWILIO_TOKEN, TWILIO_URL, {"a": ["2", "1", "2"], "b": "x"})
    expected = base64.b64encode(
        hmac.new(TWILIO_TOKEN.encode(), (TWILIO_URL + "a1a2bx").encode(), hashlib.sha1).digest()
    ).decode()

    assert repeated == expected
