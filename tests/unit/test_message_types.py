"""Message kinds: every kind renders in both languages on both channels within the channel's
limits, and customer text is only ever a value (issue 3: templates)."""

from __future__ import annotations

import json
import string

import pytest

from chalicelib.core.i18n import catalogue
from chalicelib.messaging.config import MessagingConfigError, parse_messaging_config
from chalicelib.outbox.kinds import (
    MAX_SMS_SEGMENTS,
    MESSAGE_TYPES,
    ZNS_PARAM_MAX,
    fold_to_ascii,
    max_segments,
    message_id_for,
    render_sms,
    render_text,
    render_zns_data,
    sms_segments,
)
from chalicelib.outbox.model import Urgency

SAMPLE = {
    "customer_name": "Nguyễn Thị Hoàng Anh",
    "partner_name": "Điện Máy Ánh Dương",
    "model": "Máy lạnh Inverter 1.5 HP",
    "serial": "GAR00000017W",
    "warranty_end": "20/03/2027",
    "certificate_url": "https://bh.example.vn/c/AJJU4LJRPBQR5CRFW77HFZEG",
    "not_me_url": "https://bh.example.vn/n/AJJU4LJRPBQR5CRFW77HFZEG/K7QW2M9PXR4TBN3D",
    "hotline": "1800 6868",
    "code": "123456",
    "claim_id": "CL-2026-000123",
    "status": "Đã tiếp nhận",
    "due_date": "01/06/2027",
    "amount": "50.000 đ",
    "paid_on": "30/11/2026",
    "reply": "Cam on, BH GAR00000017W da kich hoat",
    "subject": "Máy kêu to sau khi lắp đặt",
    "dealer_name": "Điện máy Hà Nội",
    "count": "14",
    "days": "30",
    "oldest": "02/10/2026",
    "serials": "GAR00000017W, GAR00000018X, GAR00000019Y, GAR0000001A0, GAR0000001B1 (+9)",
    "url": "https://console.bh.example.vn/",
    "tracking_url": "https://bh.example.vn/r/SR-7K3M9Q2X?t=AJJU4LJRPBQR5CRF",
    "quote": "1.350.000 ₫",
    "return_date": "09/03/2027",
    "component": "Lõi lọc thô số 1",
    "booking_url": "https://bh.example.vn/m/GAR00000017W/FILTER-1?t=AJJU4LJRPBQR5CRF",
    "day": "03/12/2026",
    "visits": "12",
    "unassigned": "3",
    "awaiting": "27",
    "overdue": "500+",
    "short": "2",
    "transfer_url": "https://bh.example.vn/transfer?s=GAR00000017W",
    "new_owner": "+84 98* *** *21",
}


def placeholders(key: str, language: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(catalogue(language)[key]) if name}


def fields_of(kind: str, **overrides: str) -> dict[str, str]:
    return {name: overrides.get(name, SAMPLE[name]) for name in MESSAGE_TYPES[kind].fields}


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("kind", sorted(MESSAGE_TYPES))
def test_every_kind_renders_every_field_on_both_channels(kind: str, language: str) -> None:
    fields = fields_of(kind)

    readable = render_text(kind, language, fields)
    sms = render_sms(kind, language, fields)

    used = placeholders(MESSAGE_TYPES[kind].catalogue_key, language)
    assert used <= set(fields)  # a catalogue text names only the kind's fields
    assert "serial" in used or "serial" not in fields  # the customer can tell which unit
    for name in used:
        assert fields[name] in readable
        assert fold_to_ascii(fields[name]) in sms
    assert sms.isascii()
    assert sms_segments(sms) <= MAX_SMS_SEGMENTS


@pytest.mark.parametrize("kind", sorted(k for k, t in MESSAGE_TYPES.items() if t.shrinkable))
def test_a_very_long_customer_name_is_cut_to_fit_the_sms(kind: str) -> None:
    long = dict.fromkeys(MESSAGE_TYPES[kind].shrinkable, "Nguyễn " * 40)

    sms = render_sms(kind, "vi", fields_of(kind, **long))

    assert sms_segments(sms) <= MAX_SMS_SEGMENTS
    if set(long) & placeholders(MESSAGE_TYPES[kind].catalogue_key, "vi"):
        assert "..." in sms and sms.isascii()  # the cut is marked, in GSM-7
    assert SAMPLE["serial"] in sms or "serial" not in MESSAGE_TYPES[kind].fields


def test_customer_text_is_a_value_never_template_syntax() -> None:
    hostile = "{serial} {hotline!r} {0} %s ${x} <b>"
    fields = fields_of("activation_confirmed", customer_name=hostile)

    data = render_zns_data("activation_confirmed", {"customer": "customer_name"}, fields)
    body = render_text(
        "partner_activation", "vi", fields_of("partner_activation", partner_name=hostile)
    )

    assert data == {"customer": hostile}
    assert json.loads(json.dumps(data)) == data
    assert hostile in body


def test_zns_values_are_clipped_and_fields_must_match_the_kind() -> None:
    fields = fields_of("lookup_code")

    with pytest.raises(ValueError, match="missing"):
        render_zns_data("activation_confirmed", {"otp": "code"}, fields)
    data = render_zns_data(
        "reward_paid", {"a": "amount"}, fields_of("reward_paid", amount="9" * 300)
    )
    assert len(data["a"]) <= min(ZNS_PARAM_MAX, MESSAGE_TYPES["reward_paid"].limits["amount"])


def test_segments_count_gsm_and_unicode_as_the_carriers_do() -> None:
    assert sms_segments("a" * 160) == 1
    assert sms_segments("a" * 306) == 2
    assert sms_segments("a" * 307) == 3
    assert sms_segments("€" * 80) == 1  # an extension character costs two septets
    assert sms_segments("€" * 81) == 2
    assert sms_segments("Bảo hành" * 8) == 1  # 64 UCS-2 units
    assert sms_segments("ả" * 71) == 2


def test_only_codes_are_urgent_and_ids_are_stable_provider_keys() -> None:
    urgent = {k for k, t in MESSAGE_TYPES.items() if t.urgency is Urgency.URGENT}
    first = message_id_for("activation_confirmed", "GAR1", "2026-11-23T08:00:00+00:00")

    assert urgent == {
        "lookup_code",
        "activation_code",
        "partner_code",
        "transfer_code",
        "inbound_reply",
    }
    assert first == message_id_for("activation_confirmed", "GAR1", "2026-11-23T08:00:00+00:00")
    assert first != message_id_for("activation_confirmed", "GAR1", "2026-11-23T08:00:01+00:00")
    assert len(first) == 28 and first.isascii() and first.replace("_", "").isalnum()


HOOKS = {"public_url": "https://api.example.vn", "path_token": "p" * 32}


def config(**brand: object) -> str:
    return json.dumps({"hooks": HOOKS, "brands": {"demo": brand}})


@pytest.mark.parametrize(
    ("brand", "problem"),
    [
        ({"sms": {"provider": "esms"}}, "sms.esms is missing"),
        ({"sms": {"provider": "carrier-pigeon"}}, "sms.provider"),
        (
            {
                "templates": {
                    "activation_confirmed": {"zns_template_id": "t", "zns_params": {"x": "otp"}}
                }
            },
            "not activation_confirmed's",
        ),
        (
            {"templates": {"newsletter": {"zns_template_id": "t", "zns_params": {}}}},
            "unknown message type",
        ),
        ({"daily_spend_cap_vnd": "-1"}, "daily_spend_cap_vnd"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_messaging_settings_fail_fast_naming_the_field(
    brand: dict[str, object], problem: str
) -> None:
    with pytest.raises(MessagingConfigError, match=problem):
        parse_messaging_config(config(**brand))


def test_messaging_settings_never_print_a_secret() -> None:
    raw = config(
        sms={
            "provider": "esms",
            "esms": {"api_key": "K-SECRET", "secret_key": "S-SECRET", "brandname": "B"},
        }
    )
    parsed = parse_messaging_config(raw)
    bad = raw.replace('"brandname": "B"', '"brandname": ""')

    with pytest.raises(MessagingConfigError) as caught:
        parse_messaging_config(bad)
    shown = repr(parsed) + str(parsed) + repr(parsed.brand("demo").sms) + str(caught.value)
    assert "SECRET" not in shown


def test_a_confirmation_queued_before_the_not_me_link_still_renders() -> None:
    before = {k: v for k, v in fields_of("activation_confirmed").items() if k != "not_me_url"}

    sms = render_sms("activation_confirmed", "vi", before)

    assert SAMPLE["certificate_url"] in sms and "/n/" not in sms


def test_the_confirmation_carries_the_not_me_link_on_both_channels() -> None:
    fields = fields_of("activation_confirmed")

    for language in ("vi", "en", "fa"):
        sms = render_sms("activation_confirmed", language, fields)
        assert SAMPLE["not_me_url"] in sms and sms_segments(sms) <= max_segments(sms)
    assert render_zns_data("activation_confirmed", {"not_me": "not_me_url"}, fields) == {
        "not_me": SAMPLE["not_me_url"]
    }
