"""A brand's messaging settings that point at the fake Zalo and eSMS with their default
credentials (``FakeZalo()``, ``FakeEsms()``): what the sender's tests and ``make bench`` use."""

from __future__ import annotations

from typing import Any

ACTIVATION_TEMPLATE = {
    "zns_template_id": "7895417a7d3f9461cd2e",
    "zns_params": {
        "customer": "customer_name",
        "product": "model",
        "serial": "serial",
        "warranty_end": "warranty_end",
    },
}


def fake_brand_settings(zalo_url: str, esms_url: str, **extra: Any) -> dict[str, Any]:
    """The ``brands.<id>`` block (``chalicelib.messaging.config``): ZNS and eSMS at
    the fakes, the activation and lookup-code templates, 300/850 VND a message; ``extra``
    overrides top-level keys (``daily_spend_cap_vnd``, ``night_window``…)."""
    return {
        "zns": {
            "app_id": "app-1",
            "oa_id": "oa-1",
            "secret_key": "secret-1",
            "webhook_secret": "hook-secret",
            "send_url": zalo_url,
            "oauth_url": zalo_url,
        },
        "sms": {
            "provider": "esms",
            "esms": {
                "api_key": "esms-key",
                "secret_key": "esms-secret",
                "brandname": "Baotrixemay",
                "base_url": esms_url,
            },
        },
        "templates": {
            "activation_confirmed": ACTIVATION_TEMPLATE,
            "lookup_code": {"zns_template_id": "otp-tpl", "zns_params": {"otp": "code"}},
        },
        "unit_cost_vnd": {"zns": "300", "sms": "850"},
        **extra,
    }


def fake_messaging_document(zalo_url: str, esms_url: str, **extra: Any) -> dict[str, Any]:
    """The whole messaging parameter for brand ``demo`` (hooks pointing nowhere)."""
    return {
        "hooks": {"public_url": "http://127.0.0.1:9", "path_token": "t" * 32},
        "brands": {"demo": fake_brand_settings(zalo_url, esms_url, **extra)},
    }
