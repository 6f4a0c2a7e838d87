"""Response shapes of cartons: the list's rows, a carton with its units, a pack's answer."""

from __future__ import annotations

from typing import Any

from chalicelib.catalog.cartons import (
    Carton,
    CartonContents,
    CartonUnit,
    PackResult,
    gs1_element_string,
)
from chalicelib.platform.views import iso_time


def carton_view(carton: Carton) -> dict[str, Any]:
    return {
        "code": carton.code,
        "sscc": carton.sscc,
        "label_text": gs1_element_string(carton.code),
        "status": carton.status.value,
        "source": carton.source.value,
        "units": carton.units,
        "models": [{"model_code": m, "units": n} for m, n in sorted(carton.models.items())],
        "created_at": iso_time(carton.created_at),
        "created_by": carton.created_by,
        "closed_at": iso_time(carton.closed_at),
        "closed_by": carton.closed_by or None,
    }


def carton_unit_view(unit: CartonUnit) -> dict[str, Any]:
    return {
        "serial": unit.serial,
        "model_code": unit.model_code,
        "status": unit.status,
        "shipment_id": unit.shipment_id or None,
    }


def carton_detail_view(carton: Carton, contents: CartonContents) -> dict[str, Any]:
    """The carton and its units as the units say (``carton_serial_index``)."""
    return {
        **carton_view(carton),
        "unit_list": [carton_unit_view(u) for u in contents.units],
    }


def pack_view(result: PackResult) -> dict[str, Any]:
    return {
        "carton": carton_view(result.carton),
        "unit": carton_unit_view(result.unit),
        "already": result.already,
    }
