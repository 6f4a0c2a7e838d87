"""Data written through the real repositories (integration tests only)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from chalicelib.catalog.model import AddResult, ProductModel
from chalicelib.catalog.model_repository import ProductModelRepository
from chalicelib.catalog.unit_repository import UnitRepository
from tests.support import factories as f


def models() -> ProductModelRepository:
    return ProductModelRepository("demo")


def model(code: str = "AC-9", **overrides: Any) -> ProductModel:
    return models().create(f.product_model(code, **overrides))


def units(
    serials: Iterable[str], model_code: str = "AC-9", manufactured_on: date | None = None
) -> AddResult:
    result = UnitRepository().add(
        f.new_units(serials, model_code, manufactured_on=manufactured_on),
        event="imported",
        by="test",
    )
    assert not result.rejected, result.rejected
    return result


def token(serial: str) -> str:
    """The QR token printed on ``serial``'s sticker (the stage's active key)."""
    return f.keyring().issue(serial)
