"""One inbound grammar for SMS, Zalo chat and the web: ``BH <serial>``, tolerant of case,
separators, diacritics and full-width forms; anything else gets a reason-coded help reply."""

from __future__ import annotations

import doctest
import string
from datetime import date

import pytest

from chalicelib.activation import inbound, inbound_replies
from chalicelib.activation.inbound import MAX_INBOUND_LENGTH, REASONS, InboundCommand, parse_inbound
from chalicelib.activation.inbound_replies import (
    REPLY_KEYS,
    activated_reply,
    already_activated_reply,
    help_reply,
    not_sold_reply,
    unknown_serial_reply,
)
from chalicelib.core.i18n import LANGUAGES, catalogue

SERIAL = "SN240001234"
LONGEST_SERIAL = "A" * 16 + "-" + "9" * 15  # 32 characters, the most a serial may have
# The GSM 03.38 basic set minus what some gateways mangle: one segment holds 160 of these.
GSM7_SAFE = set(string.ascii_letters + string.digits + " .,:;!?()'\"-+/<>=#%&*@")


def activate(serial: str) -> InboundCommand:
    return InboundCommand(action="activate", serial=serial, reason=None)


def help_for(reason: str, serial: str | None = None) -> InboundCommand:
    return InboundCommand(action="help", serial=serial, reason=reason)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "message",
    [
        "BH SN240001234",  # the three
        "bh sn240001234",
        "BH-SN240001234",
        "Bảo hành SN240001234",
        "Bh Sn240001234",
        "BH    SN240001234",
        "BH\tSN240001234",
        "BH\nSN240001234",
        "BH\r\nSN240001234\r\n",
        "  BH SN240001234  ",
        "BH: SN240001234",
        "BH_SN240001234",
        "BH.SN240001234",
        "BH,SN240001234",
        "BH:-_ .#,SN240001234",
        "#BH#SN240001234",
        "BAOHANH SN240001234",
        "BAO HANH SN240001234",
        "bao-hanh SN240001234",
        "Bao hanh: SN240001234",
        "BẢO HÀNH sn240001234",
        "Bảo_hành:SN240001234",
        "Bảo Hành # SN240001234",
        "Ba\u0309o ha\u0300nh SN240001234",  # decomposed marks, as some keyboards send
        "KH SN240001234",
        "KICHHOAT SN240001234",
        "kich hoat SN240001234",
        "Kích hoạt: SN240001234",
        "ＢＨ　ＳＮ２４０００１２３４",  # full-width letters, digits and space
        "B\u200bH SN240\u200d001234",  # zero-width characters
        "\ufeffBH SN240001234",  # byte-order mark copied in front
        "BH SN240001234 da mua tai Dien May X",
        "BH SN240001234, cảm ơn!",
        "BH SN240001234!",
        "BH (SN240001234)",
        '"BH SN240001234"',
        "BH SN240001234 😊",
        "😊 BH SN240001234",
        "BH SN240001234_xin cam on",
        "BH SN240001234- cam on",
        "BH\u2013SN240001234",  # en dash from autocorrect
        "Bh sn240001234 " + "x" * (MAX_INBOUND_LENGTH - 16),
    ],
)
def test_activation_is_recognised_in_every_written_form(message: str) -> None:
    assert parse_inbound(message) == activate(SERIAL)


def test_dash_after_keyword_separates_and_dash_inside_serial_binds() -> None:
    assert parse_inbound("BH-AB-1001") == activate("AB-1001")
    assert parse_inbound("bao-hanh-ab-1001 da mua") == activate("AB-1001")
    assert parse_inbound("BH AB--1001") == activate("AB--1001")


def test_free_text_glued_by_a_dash_becomes_part_of_the_serial() -> None:
    assert parse_inbound("BH AB-1001-cam on") == activate("AB-1001-CAM")


def test_keyword_glued_to_the_serial_is_not_a_keyword() -> None:
    assert parse_inbound("BHSN240001234") == help_for("inbound_serial_only", "BHSN240001234")


def test_serial_starting_with_a_keyword_and_dash_is_read_as_keyword_and_serial() -> None:
    assert parse_inbound("KH-1001") == activate("1001")
    assert parse_inbound("BH KH-1001") == activate("KH-1001")


def test_first_word_after_keyword_is_the_serial_even_if_filler() -> None:
    assert parse_inbound("BH serial SN240001234") == activate("SERIAL")


@pytest.mark.parametrize(
    "message", ["BH", "bh  ", "Bảo hành", "BAO-HANH:", "#BH#", "BH 😊", "KH ...", "BH ---"]
)
def test_keyword_without_serial_asks_for_the_serial(message: str) -> None:
    assert parse_inbound(message) == help_for("inbound_no_serial")


@pytest.mark.parametrize(
    "message",
    [
        "BH SN",  # too short
        "BH " + "A" * 33,  # too long for a serial
        "BH SNÁ1234",  # a letter of another script inside the serial
        "BH Số SN240001234",  # a Vietnamese word where the serial belongs
        "BH SN٢٤٠",  # Arabic-Indic digits
    ],
)
def test_malformed_serial_after_keyword_is_invalid(message: str) -> None:
    assert parse_inbound(message) == help_for("inbound_serial_invalid")


@pytest.mark.parametrize(
    ("message", "serial"),
    [("SN240001234", SERIAL), ("sn240001234", SERIAL), ("  AB-1001. ", "AB-1001")],
)
def test_serial_alone_activates_nothing_but_is_offered_back(message: str, serial: str) -> None:
    assert parse_inbound(message) == help_for("inbound_serial_only", serial)


@pytest.mark.parametrize(
    "message",
    ["xin chao", "HELLO", "OK", "SN240001234 BH", "Bao SN240001234", "BHX SN240001234", "ủa?"],
)
def test_text_without_keyword_gets_the_how_to(message: str) -> None:
    assert parse_inbound(message) == help_for("inbound_no_keyword")


@pytest.mark.parametrize("message", ["", "   ", "\n\t", "!!!", "😊", "\u200b\u200b"])
def test_empty_message_is_reported_as_empty(message: str) -> None:
    assert parse_inbound(message) == help_for("inbound_empty")


def test_ten_kilobytes_is_refused_before_any_parsing() -> None:
    assert parse_inbound("BH SN240001234 " + "x" * 10_000) == help_for("inbound_too_long")


def test_message_of_exactly_the_limit_is_parsed() -> None:
    message = "BH SN240001234 "
    message += "x" * (MAX_INBOUND_LENGTH - len(message))

    assert parse_inbound(message) == activate(SERIAL)


def test_compatibility_expansion_past_the_limit_is_too_long() -> None:
    assert parse_inbound("BH SN240001234 " + "\ufdfa" * 100) == help_for("inbound_too_long")


@pytest.mark.parametrize(
    "message",
    [
        "BH\x00SN240001234",  # NUL
        "BH SN240001234\x00",
        "BH SN\x07240001234",  # bell
        "BH \u202eSN240001234",  # right-to-left override
        "BH SN240001234 \u2066x\u2069",  # bidi isolate in the free text
        "BH \ue000SN240001234",  # private use
    ],
)
def test_control_and_bidi_characters_are_refused(message: str) -> None:
    assert parse_inbound(message) == help_for("inbound_bad_characters")


def test_every_parse_result_uses_a_declared_reason() -> None:
    messages = ["", "x" * 500, "\x00", "hi", "BH", "BH SN", "SN240001234", "BH SN240001234"]

    results = [parse_inbound(message) for message in messages]

    assert {r.reason for r in results} == {*REASONS, None}


def test_module_examples_hold() -> None:
    for module in (inbound, inbound_replies):
        assert doctest.testmod(module).failed == 0


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("key", [*REASONS, *REPLY_KEYS])
def test_every_reason_and_reply_has_words_in_each_language(key: str, language: str) -> None:
    assert catalogue(language).get(key, "").strip()


def _all_replies(language: str, serial: str) -> list[str]:
    day = date(2027, 12, 31)
    return [
        activated_reply(serial, warranty_end=day, language=language),
        already_activated_reply(serial, activated_on=day, language=language),
        unknown_serial_reply(serial, language=language),
        not_sold_reply(serial, language=language),
        help_reply(activate(serial), language),
        *(help_reply(help_for(reason, serial), language) for reason in REASONS),
    ]


# the short code answers in Vietnamese or English (a Persian SMS would be unicode: 70 characters)
@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_reply_fits_one_gsm7_sms_segment(language: str) -> None:
    for reply in _all_replies(language, LONGEST_SERIAL):
        assert len(reply) <= 160, reply
        assert set(reply) <= GSM7_SAFE, reply


def test_replies_state_the_serial_and_date() -> None:
    reply = already_activated_reply(SERIAL, activated_on=date(2025, 1, 2), language="vi")

    assert SERIAL in reply
    assert "02/01/2025" in reply


def test_serial_only_reply_shows_the_exact_text_to_send() -> None:
    reply = help_reply(parse_inbound("sn240001234"), "vi")

    assert f"BH {SERIAL}" in reply
