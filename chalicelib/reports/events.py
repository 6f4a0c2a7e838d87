"""The reports' steps inside the units, claims, rewards and receivables streams' handlers
(``on_unit_change``, ``on_claim_change``, ``on_reward_change``, ``on_receivable_change``): the
platform's roll-up step (``platform.rollup_events``) with the reports' readers
(:mod:`chalicelib.reports.changes`) and store.

A reward entry and a visit's receivable are counted under their unit's dimensions (model,
dealer, owner's province, activation channel): the step reads the batch's units first (one
``BatchGetItem``), as the claims step does.

A request's counters name its unit's dealer and, when it is new, whether the unit came back
soon after its previous request's work: before counting, the claims step reads the batch's
units (one ``BatchGetItem``) and, for each new request, the unit's earlier requests (one query
on the serial index). A failed lookup is reported from the batch's first record (Lambda
delivers it again; the markers keep what was counted from counting twice)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from chalicelib.catalog import wiring as catalog_wiring
from chalicelib.catalog.unit_stream import unit_from_image
from chalicelib.catalog.warranty import business_day
from chalicelib.claims import wiring as claims_wiring
from chalicelib.claims.claim_stream import claim_from_image
from chalicelib.claims.model import Claim
from chalicelib.core.observability import logger
from chalicelib.maintenance.receivable_stream import receivable_from_image
from chalicelib.partners.reward_stream import entry_from_image
from chalicelib.platform.rollup_events import count_batch
from chalicelib.reports import wiring as reports_wiring
from chalicelib.reports.changes import (
    claim_bumps,
    last_work_end,
    receivable_side,
    reward_side,
    unit_bumps,
    unit_dims,
)
from chalicelib.reports.facts import Dims, Fact, delta_bumps

ROLLUP = "reports"


def _images(record: dict[str, Any]) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    change = record.get("dynamodb", {})
    return change.get("OldImage"), change.get("NewImage")


def _when(record: dict[str, Any]) -> datetime:
    at = record.get("dynamodb", {}).get("ApproximateCreationDateTime")
    return datetime.fromtimestamp(float(at), UTC) if at else datetime.now(UTC)


def unit_fact(record: dict[str, Any]) -> Fact | None:
    """A units stream record's counters, or ``None`` when it changes none."""
    old_image, new_image = _images(record)
    old = unit_from_image(old_image) if old_image else None
    new = unit_from_image(new_image) if new_image else None
    bumps = unit_bumps(old, new, today=business_day(_when(record)))
    return Fact(str(record["eventID"]), tuple(bumps)) if bumps else None


def count_units(event: dict[str, Any]) -> dict[str, Any]:
    """Units stream: shipments, activations, their lag and the units in the field."""
    return count_batch(event, unit_fact, reports_wiring.counters, rollup=ROLLUP)


@dataclass
class ClaimLookups:
    """What a batch's requests need beyond their images: each unit's dealer, and for a new
    request when its unit's previous work ended."""

    dealers: dict[str, str] = field(default_factory=dict)  # serial → dealer id ("" none)
    work_ended: dict[str, datetime | None] = field(default_factory=dict)  # new claim id → …


def _decoded(records: list[dict[str, Any]]) -> list[tuple[Claim | None, Claim]]:
    pairs: list[tuple[Claim | None, Claim]] = []
    for record in records:
        old_image, new_image = _images(record)
        try:
            old = claim_from_image(old_image) if old_image else None
            new = claim_from_image(new_image) if new_image else None
        except Exception:  # noqa: BLE001 - the reader reports this record when it gets to it
            break
        if new is not None:
            pairs.append((old, new))
    return pairs


def look_up(records: list[dict[str, Any]]) -> ClaimLookups:
    pairs = _decoded(records)
    lookups = ClaimLookups()
    serials = sorted({new.serial for _, new in pairs})
    if serials:
        units = catalog_wiring.unit_repository().find_many(serials)
        lookups.dealers = {serial: units[serial].dealer_id if serial in units else ""
                           for serial in serials}  # fmt: skip
    claims = claims_wiring.claim_repository()
    for old, new in pairs:
        if old is None:
            lookups.work_ended[new.claim_id] = last_work_end(new, claims.of_serial(new.serial))
    return lookups


def claim_reader(lookups: ClaimLookups) -> Callable[[dict[str, Any]], Fact | None]:
    def read(record: dict[str, Any]) -> Fact | None:
        old_image, new_image = _images(record)
        if not new_image:
            return None  # a request is never removed; nothing to count
        new = claim_from_image(new_image)
        old = claim_from_image(old_image) if old_image else None
        bumps = claim_bumps(
            old,
            new,
            dealer=lookups.dealers.get(new.serial, ""),
            work_ended=lookups.work_ended.get(new.claim_id),
        )
        return Fact(str(record["eventID"]), tuple(bumps)) if bumps else None

    return read


def count_claims(event: dict[str, Any]) -> dict[str, Any]:
    """Claims stream: requests opened, repeated, reopened and resolved, and their money."""
    records: list[dict[str, Any]] = event.get("Records", [])
    try:
        lookups = look_up(records)
    except Exception:  # noqa: BLE001 - never disturbs the handler's other steps; retried
        logger.exception("report lookups failed", extra={"rollup": ROLLUP, "records": len(records)})
        return _failed(records)
    return count_batch(event, claim_reader(lookups), reports_wiring.counters, rollup=ROLLUP)


def _failed(records: list[dict[str, Any]]) -> dict[str, Any]:
    return {"batchItemFailures": [{"itemIdentifier": records[0]["dynamodb"]["SequenceNumber"]}]}


Side = tuple[str, Dims, dict[str, int]] | None


def _serial_step(
    event: dict[str, Any],
    decode: Callable[[dict[str, Any]], Any],
    side: Callable[[Any, Dims], Side],
    fallback: Callable[[Any], Dims],
) -> dict[str, Any]:
    """Count each record's change (its new contribution less its old) under its unit's
    dimensions, read for the whole batch at once."""
    records: list[dict[str, Any]] = event.get("Records", [])
    serials: set[str] = set()
    for record in records:
        for image in _images(record):
            try:
                serials.update([decode(image).serial] if image else [])
            except Exception:  # noqa: BLE001, S112 - the reader reports this record in turn
                continue
    try:
        units = catalog_wiring.unit_repository().find_many(serials) if serials else {}
    except Exception:  # noqa: BLE001 - never disturbs the handler's other steps; retried
        logger.exception("report lookups failed", extra={"rollup": ROLLUP, "records": len(records)})
        return _failed(records)

    def dims(found: Any) -> Dims:
        unit = units.get(found.serial)
        return unit_dims(unit) if unit is not None else fallback(found)

    def read(record: dict[str, Any]) -> Fact | None:
        old_image, new_image = _images(record)
        old = decode(old_image) if old_image else None
        new = decode(new_image) if new_image else None
        bumps = delta_bumps(
            side(old, dims(old)) if old is not None else None,
            side(new, dims(new)) if new is not None else None,
        )
        return Fact(str(record["eventID"]), tuple(bumps)) if bumps else None

    return count_batch(event, read, reports_wiring.counters, rollup=ROLLUP)


def count_rewards(event: dict[str, Any]) -> dict[str, Any]:
    """Rewards stream: installers' reward entries, those flagged, and what they cost."""
    return _serial_step(event, entry_from_image, reward_side, lambda e: Dims(e.model_code))


def count_receivables(event: dict[str, Any]) -> dict[str, Any]:
    """Receivables stream: paid maintenance visits, collected and handed over by collector."""
    return _serial_step(event, receivable_from_image, receivable_side, lambda _: Dims())
