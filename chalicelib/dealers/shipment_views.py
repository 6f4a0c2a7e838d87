"""Response shapes of the shipments. A refusal carries its code and its words in the caller's
language (the ship-out screen shows them as they come)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from chalicelib.core.i18n import text
from chalicelib.dealers.shipment_service import (
    CancelReport,
    ConfirmReport,
    ReturnReport,
    ScanResult,
    ShipmentUnit,
)
from chalicelib.dealers.shipments import Refused, Shipment, ShipmentSummary
from chalicelib.platform.views import iso_day, iso_time


def refused_view(refused: Refused, language: str) -> dict[str, str]:
    return {
        "serial": refused.serial,
        "code": refused.reason,
        "detail": refused.detail,
        "message": text(refused.reason, language),
    }


def summary_view(found: ShipmentSummary) -> dict[str, Any]:
    return {
        "shipment_id": found.shipment_id,
        "dealer": {
            "dealer_id": found.dealer_id,
            "code": found.dealer_code,
            "name": found.dealer_name,
        },
        "ship_date": iso_day(found.ship_date),
        "document_number": found.document_number,
        "status": found.status.value,
        "total": found.total,
        "shipped": found.shipped,
        "returned": found.returned,
        "kept": found.kept,
        "created_by": found.created_by,
        "created_at": iso_time(found.created_at),
    }


def _counts(shipment: Shipment) -> list[dict[str, Any]]:
    return [{"model_code": m, "count": n} for m, n in sorted(shipment.counts.items())]


def shipment_view(shipment: Shipment, language: str) -> dict[str, Any]:
    progress = shipment.progress
    return {
        "shipment_id": shipment.shipment_id,
        "dealer": {
            "dealer_id": shipment.details.dealer_id,
            "code": shipment.dealer_code,
            "name": shipment.dealer_name,
        },
        "ship_date": iso_day(shipment.details.ship_date),
        "document_number": shipment.details.document_number,
        "status": shipment.status.value,
        "total": shipment.total,
        "counts": _counts(shipment),
        "progress": {
            "shipped": progress.shipped,
            "refused": [refused_view(r, language) for r in progress.refused],
            "chunks": progress.chunks,
        },
        "created_by": shipment.created_by,
        "created_at": iso_time(shipment.created_at),
        "confirmed_by": shipment.confirmed_by or None,
        "confirmed_at": iso_time(shipment.confirmed_at),
        "cancelled_by": shipment.cancelled_by or None,
        "cancelled_at": iso_time(shipment.cancelled_at),
        "kept": list(shipment.kept),
        "returned": shipment.returned,
    }


def units_view(units: Sequence[ShipmentUnit]) -> list[dict[str, Any]]:
    return [
        {
            "serial": u.serial,
            "model_code": u.model_code,
            "status": u.status,
            "activated": u.activated,
            "carton": u.carton or None,
        }
        for u in units
    ]


# -- what a dealer's user sees: its own shipments, no staff names, no other dealer's shipments --


def dealer_summary_view(found: ShipmentSummary) -> dict[str, Any]:
    """A line of the dealer's list: the delivery note, the day, what it shipped, what went back
    (given back by the dealer) and what a cancellation left with it."""
    return {
        "shipment_id": found.shipment_id,
        "ship_date": iso_day(found.ship_date),
        "document_number": found.document_number,
        "status": found.status.value,
        "shipped": found.shipped,
        "returned": found.returned,
        "kept": found.kept,
    }


def dealer_shipment_view(shipment: Shipment, units: Sequence[ShipmentUnit]) -> dict[str, Any]:
    """One of the dealer's shipments with its units as they are now: counted by model from
    the units it shipped (a unit refused at confirmation never reached the dealer; where it
    went instead is not the dealer's to know), no customer at all."""
    counts: dict[str, int] = {}
    for unit in units:
        counts[unit.model_code] = counts.get(unit.model_code, 0) + 1
    return {
        "shipment": {
            "shipment_id": shipment.shipment_id,
            "dealer": {
                "dealer_id": shipment.details.dealer_id,
                "code": shipment.dealer_code,
                "name": shipment.dealer_name,
            },
            "ship_date": iso_day(shipment.details.ship_date),
            "document_number": shipment.details.document_number,
            "status": shipment.status.value,
            "counts": [{"model_code": m, "count": n} for m, n in sorted(counts.items())],
            "shipped": shipment.progress.shipped,
            "returned": shipment.returned,
            "kept": len(shipment.kept),
            "confirmed_at": iso_time(shipment.confirmed_at),
            "cancelled_at": iso_time(shipment.cancelled_at),
        },
        "units": units_view(units),
    }


def scan_view(result: ScanResult, language: str) -> dict[str, Any]:
    return {
        "scan": {
            "code": result.code,
            "kind": result.kind,
            "added": list(result.added),
            "duplicate": result.duplicate,
            "duplicates": list(result.duplicates),
            "notice": text("scan_duplicate", language) if result.duplicate else None,
            "refused": [refused_view(r, language) for r in result.refused],
        },
        "shipment": shipment_view(result.shipment, language),
    }


def confirm_view(report: ConfirmReport, language: str) -> dict[str, Any]:
    return {
        "shipment": shipment_view(report.shipment, language),
        "finished": report.finished,
        "chunks": report.chunks,
    }


def cancel_view(report: CancelReport, language: str) -> dict[str, Any]:
    return {
        "shipment": shipment_view(report.shipment, language),
        "unshipped": report.unshipped,
        "kept": list(report.kept),
    }


def return_view(report: ReturnReport, language: str) -> dict[str, Any]:
    return {
        "shipment": shipment_view(report.shipment, language),
        "returned": list(report.returned),
        "refused": [refused_view(r, language) for r in report.refused],
    }
