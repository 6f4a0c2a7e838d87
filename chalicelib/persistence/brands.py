"""Brands: display data and the serial sequence counter."""

from __future__ import annotations

from dataclasses import dataclass

from pynamodb.exceptions import DoesNotExist, UpdateError

from chalicelib.errors import NotFound
from chalicelib.persistence.conditions import is_condition_failure
from chalicelib.persistence.tables import BrandRecord


@dataclass(frozen=True)
class Brand:
    brand_id: str
    name: str
    serial_prefix: str
    hotline: str


class BrandRepository:
    def get(self, brand_id: str) -> Brand:
        try:
            record = BrandRecord.get(brand_id)
        except DoesNotExist as exc:
            raise NotFound("brand_not_found") from exc
        return Brand(record.brand_id, record.name, record.serial_prefix, record.hotline)

    def save(self, brand: Brand) -> None:
        """Create or update the brand's display data; the sequence counter is untouched."""
        BrandRecord(brand.brand_id).update(
            actions=[
                BrandRecord.name.set(brand.name),
                BrandRecord.serial_prefix.set(brand.serial_prefix),
                BrandRecord.hotline.set(brand.hotline),
            ]
        )

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
