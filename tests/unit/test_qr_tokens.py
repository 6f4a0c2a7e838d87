"""QR tokens (docs/reference/security.md#qr-anti-counterfeit): an HMAC-tagged capability, checked
with no I/O, rotated by key id."""

from __future__ import annotations

import base64

import pytest

from chalicelib.core.qr_token import TAG_BYTES, QrKeyring
from tests.support.factories import QR_KEY_1, QR_KEY_2, keyring

SERIAL = "GAR00000017W"
BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def test_issued_token_verifies_to_its_serial() -> None:
    ring = keyring()

    assert ring.verify(ring.issue(SERIAL)) == SERIAL


@pytest.mark.parametrize("serial", ["ABC", "AB-1001", "GAR00000017W", "X" * 32, "SN-2026-000001"])
def test_round_trip_holds_for_every_serial_length(serial: str) -> None:
    ring = keyring()

    assert ring.verify(ring.issue(serial)) == serial


def test_token_is_unpadded_uppercase_base32() -> None:
    token = keyring().issue(SERIAL)

    assert set(token) <= set(BASE32)


def test_lowercase_and_padded_forms_are_accepted() -> None:
    ring = keyring()
    token = ring.issue(SERIAL)
    padded = token + "=" * (-len(token) % 8)

    assert ring.verify(token.lower()) == SERIAL
    assert ring.verify(padded) == SERIAL
    assert ring.verify(padded.lower()) == SERIAL


def test_every_single_character_change_of_a_token_is_rejected() -> None:
    """Given a genuine token, when any one character is replaced by any other base32 character,
    then the result does not verify (a token has exactly one accepted spelling, up to case)."""
    ring = keyring()
    token = ring.issue(SERIAL)

    accepted = [
        (position, replacement)
        for position, original in enumerate(token)
        for replacement in BASE32
        if replacement != original
        and ring.verify(token[:position] + replacement + token[position + 1 :]) is not None
    ]

    assert accepted == []


@pytest.mark.parametrize("cut", [1, 2, 8, 16])
def test_truncated_token_is_rejected(cut: int) -> None:
    ring = keyring()
    token = ring.issue(SERIAL)

    assert ring.verify(token[:-cut]) is None


def test_token_with_extra_characters_is_rejected() -> None:
    ring = keyring()
    token = ring.issue(SERIAL)

    assert ring.verify(token + "A") is None
    assert ring.verify(token + "AAAAAAAA") is None


def test_token_naming_a_key_id_outside_the_keyring_is_rejected() -> None:
    ring = keyring()
    payload = bytearray(base64.b32decode(_padded(ring.issue(SERIAL))))
    payload[0] = 9  # same serial and tag, a key id the ring does not hold

    forged = base64.b32encode(bytes(payload)).decode().rstrip("=")

    assert ring.verify(forged) is None


def test_token_re_tagged_under_another_key_id_is_rejected() -> None:
    ring = keyring()
    raw = bytearray(base64.b32decode(_padded(ring.issue(SERIAL))))
    raw[0] = 1  # the tag was made with key 2; claim it was key 1

    assert ring.verify(base64.b32encode(bytes(raw)).decode().rstrip("=")) is None


def test_rotation_keeps_tokens_of_a_retired_key_id_valid() -> None:
    """Given stickers printed under key 1, when key 2 becomes active, they still verify."""
    old_ring = keyring(active_key_id=1)
    printed = old_ring.issue(SERIAL)
    rotated = keyring(active_key_id=2)

    assert rotated.verify(printed) == SERIAL
    assert rotated.issue(SERIAL) != printed
    assert rotated.verify(rotated.issue(SERIAL)) == SERIAL


def test_token_from_another_keyring_is_rejected() -> None:
    """Another manufacturer (or an attacker) with the same key ids but other keys."""
    foreign = QrKeyring(active_key_id=2, keys={1: b"x" * 32, 2: b"y" * 32})

    assert keyring().verify(foreign.issue(SERIAL)) is None


def test_tag_carries_at_least_80_bits() -> None:
    ring = keyring()
    payload = base64.b32decode(_padded(ring.issue(SERIAL)))

    assert TAG_BYTES * 8 >= 80
    assert len(payload) - 1 - len(SERIAL) == TAG_BYTES


@pytest.mark.parametrize(
    "junk",
    ["", "A", "AAAAAAA", "!" * 20, "0" * 37, "A" * 81, "GAR00000017W", "%00" * 12, None, 42],
)
def test_junk_is_rejected_without_raising(junk: object) -> None:
    assert keyring().verify(junk) is None  # type: ignore[arg-type]


def test_keyring_refuses_short_keys_and_a_missing_active_key() -> None:
    with pytest.raises(ValueError):
        QrKeyring(active_key_id=1, keys={1: b"short"})
    with pytest.raises(ValueError):
        QrKeyring(active_key_id=3, keys={1: QR_KEY_1, 2: QR_KEY_2})
    with pytest.raises(ValueError):
        QrKeyring(active_key_id=256, keys={256: QR_KEY_1})


def _padded(token: str) -> str:
    return token + "=" * (-len(token) % 8)
