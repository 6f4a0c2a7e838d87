"""Brands: display name, the serial scheme's prefix and the serial sequence counter."""

from __future__ import annotations

import dataclasses
from typing import Any

from pynamodb.exceptions import DoesNotExist, UpdateError

from chalicelib.catalog.model import Brand, BrandTheme
from chalicelib.catalog.tables import BrandRecord
from chalicelib.core.errors import Conflict, NotFound
from chalicelib.platform.dynamodb import is_condition_failure


def _theme(raw: Any) -> BrandTheme:
    stored = raw.as_dict() if raw is not None else {}
    known = {f.name for f in dataclasses.fields(BrandTheme)}
    values = {k: v for k, v in stored.items() if k in known}
    if "sections" in values:
        values["sections"] = tuple(values["sections"])
    return BrandTheme(**values)


def _to_domain(record: BrandRecord) -> Brand:
    return Brand(
        record.brand_id,
        record.name,
        record.serial_prefix,
        int(record.next_sequence or 0),
        _theme(record.theme),
        confirm_phone=bool(record.confirm_phone),
        updated_by=record.updated_by or "",
    )


class BrandRepository:
    def get(self, brand_id: str) -> Brand:
        try:
            return _to_domain(BrandRecord.get(brand_id))
        except DoesNotExist as exc:
            raise NotFound("brand_not_found") from exc

    def save(self, brand: Brand, *, by: str | None = None) -> Brand:
        """Create the brand or update its name, look and settings. The serial prefix is agreed
        once: it may change only while no serial has been generated
        (``Conflict("serial_prefix_locked")``)."""
        record = BrandRecord(brand.brand_id)
        actor = by or brand.updated_by  # the staff member (the audit trail's actor)
        unused = BrandRecord.next_sequence.does_not_exist() | (BrandRecord.next_sequence == 0)
        try:
            record.update(
                actions=[
                    BrandRecord.name.set(brand.name),
                    BrandRecord.serial_prefix.set(brand.serial_prefix),
                    BrandRecord.theme.set(
                        {**dataclasses.asdict(brand.theme), "sections": list(brand.theme.sections)}
                    ),
                    BrandRecord.confirm_phone.set(brand.confirm_phone),
                    BrandRecord.updated_by.set(actor) if actor else BrandRecord.updated_by.remove(),
                ],
                condition=BrandRecord.serial_prefix.does_not_exist()
                | (BrandRecord.serial_prefix == brand.serial_prefix)
                | unused,
            )
        except UpdateError as exc:
            if is_condition_failure(exc):
                raise Conflict("serial_prefix_locked") from exc
            raise
        return _to_domain(record)

    def reserve_sequences(self, brand_id: str, count: int) -> int:
        """Reserve ``count`` consecutive sequence numbers atomically; returns the first one."""
        record = BrandRecord(brand_id)
        try:
            record.update(
                actions=[BrandRecord.next_sequence.add(count)],
                condition=BrandRecord.brand_id.exists(),
            )
        except UpdateError as exc:
            if is_condition_failure(exc):
                raise NotFound("brand_not_found") from exc
            raise
        return int(record.next_sequence) - count + 1
