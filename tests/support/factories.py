"""Factories: one place that knows how to build valid domain objects, bodies and files.

Every factory returns something valid; a test overrides only the field it is about.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any

from chalicelib.catalog.model import (
    Activation,
    NewUnit,
    Owner,
    ProductModel,
    Unit,
    UnitStatus,
)
from chalicelib.catalog.warranty import StartBasis, WarrantyTerms
from chalicelib.core.qr_token import QrKeyring

NOW = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)
TODAY = NOW.date()

PHONE = "+84912345678"
OTHER_PHONE = "+84987654321"
PEPPER = bytes.fromhex("11" * 32)
LOOKUP_TOKEN_KEY = bytes.fromhex("22" * 32)
QR_KEY_1 = bytes.fromhex("33" * 32)
QR_KEY_2 = bytes.fromhex("44" * 32)

# The stage's secrets parameter, in the format of chalicelib/platform/secrets.py.
SECRETS_DOCUMENT: dict[str, Any] = {
    "qr_keys": {"1": QR_KEY_1.hex(), "2": QR_KEY_2.hex()},
    "qr_active_key": 2,
    "pepper": PEPPER.hex(),
    "lookup_token_key": LOOKUP_TOKEN_KEY.hex(),
}


def secrets_json() -> str:
    return json.dumps(SECRETS_DOCUMENT)


def keyring(active_key_id: int = 2) -> QrKeyring:
    """The keyring the test secrets describe (key 1 retired but accepted, key 2 active)."""
    return QrKeyring(active_key_id=active_key_id, keys={1: QR_KEY_1, 2: QR_KEY_2})


def terms(
    months: int = 24, basis: StartBasis = StartBasis.ACTIVATION, **caps: Any
) -> WarrantyTerms:
    return WarrantyTerms(months=months, start_basis=basis, **caps)


def product_model(code: str = "AC-9", **overrides: Any) -> ProductModel:
    fields: dict[str, Any] = {
        "code": code,
        "name": "Máy lạnh Inverter AC-9",
        "description": "Máy lạnh treo tường",
        "image_url": "/assets/models/ac-9.svg",
        "specs": {"Công suất": "1 HP"},
        "terms": terms(),
    }
    fields.update(overrides)
    return ProductModel(**fields)


def owner(name: str = "Nguyễn Văn An", phone: str = PHONE, **overrides: Any) -> Owner:
    return Owner(name=name, phone=phone, **overrides)


def activation(
    at: datetime = NOW, owner_: Owner | None = None, language: str = "vi", **overrides: Any
) -> Activation:
    fields: dict[str, Any] = {
        "activated_at": at,
        "warranty_start": at.date(),
        "warranty_end": date(at.year + 2, at.month, at.day),
        "warranty_reason": "warranty_from_activation",
        "channel": "web",
        "owner": owner_ or owner(),
        "language": language,
    }
    fields.update(overrides)
    return Activation(**fields)


def unit(serial: str = "GAR00000017W", model_code: str = "AC-9", **overrides: Any) -> Unit:
    fields: dict[str, Any] = {
        "serial": serial,
        "model_code": model_code,
        "status": UnitStatus.REGISTERED,
        "created_at": NOW,
    }
    fields.update(overrides)
    return Unit(**fields)


def new_units(serials: Iterable[str], model_code: str = "AC-9", **overrides: Any) -> list[NewUnit]:
    return [NewUnit(serial=s, model_code=model_code, **overrides) for s in serials]


# --- HTTP bodies -------------------------------------------------------------------------


def activation_body(token: str, **overrides: Any) -> dict[str, Any]:
    """A valid ``POST /public/activations`` body; ``customer``/``consents`` merge overrides."""
    body: dict[str, Any] = {
        "token": token,
        "customer": {"name": "Nguyễn Văn An", "phone": "0912345678", "province": "Hà Nội"},
        "consents": {"warranty_service": True, "marketing": False},
        "language": "vi",
    }
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(body.get(key), dict):
            body[key] = {**body[key], **value}
        else:
            body[key] = value
    return body


def model_body(code: str = "AC-9", **overrides: Any) -> dict[str, Any]:
    """A valid ``POST /models`` body."""
    body: dict[str, Any] = {
        "code": code,
        "name": "Máy lạnh Inverter AC-9",
        "description": "Máy lạnh treo tường",
        "image_url": "/assets/models/ac-9.svg",
        "specs": {"Công suất": "1 HP"},
        "warranty_months": 24,
        "warranty_start_basis": "activation",
    }
    body.update(overrides)
    return body


def units_csv(rows: Sequence[Sequence[str]], header: bool = True) -> str:
    """A unit import file: ``serial,model_code[,batch,manufactured_on]`` per line."""
    lines = ["serial,model_code,batch,manufactured_on"] if header else []
    lines.extend(",".join(row) for row in rows)
    return "\n".join(lines) + "\n"
