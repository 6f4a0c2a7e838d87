"""Service centres in DynamoDB. A centre and its code's claim are written in one transaction,
each conditional on not existing: one code, one centre, under any concurrency. Every later write
is conditional on the version read, so of two people editing at once the second is told the
centre changed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pynamodb.connection import Connection
from pynamodb.exceptions import DoesNotExist, TransactWriteError, UpdateError
from pynamodb.expressions.update import Action
from pynamodb.transactions import TransactWrite

from chalicelib.core.errors import Conflict
from chalicelib.core.lifecycle import Lifecycle
from chalicelib.platform.dynamodb import is_condition_failure, item_failed, write_transaction
from chalicelib.platform.status_history import change_map, change_of
from chalicelib.service_centers.model import (
    CenterDetails,
    CenterKind,
    ServiceCenter,
    in_province_order,
)
from chalicelib.service_centers.tables import ServiceCenterRecord

LISTED = "center"  # list_index's one partition


def claim_key(code: str) -> str:
    return f"code#{code}"


def to_domain(record: ServiceCenterRecord) -> ServiceCenter:
    return ServiceCenter(
        center_id=record.center_id,
        details=CenterDetails(
            code=record.code or "",
            name=record.name or "",
            kind=CenterKind(record.kind or CenterKind.PARTNER.value),
            provinces=in_province_order(record.provinces or ()),
            address=record.address or "",
            phone=record.phone or "",
            hours=record.hours or "",
            tax_code=record.tax_code,
            listed=bool(record.public),
        ),
        status=Lifecycle(record.status),
        created_at=record.created_at,
        created_by=record.created_by or "",
        version=int(record.version or 1),
        updated_at=record.updated_at or record.created_at,
        history=tuple(change_of(entry) for entry in record.history or []),
    )


def _to_record(center: ServiceCenter) -> ServiceCenterRecord:
    details = center.details
    return ServiceCenterRecord(
        center.center_id,
        code=details.code,
        listed=LISTED,
        name=details.name,
        kind=details.kind.value,
        tax_code=details.tax_code,
        provinces=set(details.provinces),
        address=details.address,
        phone=details.phone,
        hours=details.hours,
        public=details.listed,
        status=center.status.value,
        created_at=center.created_at,
        created_by=center.created_by,
        updated_by=center.created_by,
        updated_at=center.updated_at,
        version=center.version,
        history=[change_map(change) for change in center.history],
    )


class ServiceCenterRepository:
    def __init__(self) -> None:
        self._connection = Connection(region=ServiceCenterRecord.Meta.region)

    def create(self, center: ServiceCenter) -> None:
        """The centre and its code's claim; ``Conflict("center_code_taken")`` when the code is
        claimed."""
        record = _to_record(center)
        claim = ServiceCenterRecord(claim_key(center.code), owner_id=center.center_id)

        def build(tx: TransactWrite) -> None:
            tx.save(claim, condition=ServiceCenterRecord.center_id.does_not_exist())
            tx.save(record, condition=ServiceCenterRecord.center_id.does_not_exist())

        try:
            write_transaction(self._connection, build)
        except TransactWriteError as exc:
            if item_failed(exc, 0) or item_failed(exc, 1):
                raise Conflict("center_code_taken", center_code=center.code) from exc
            raise

    def get(self, center_id: str) -> ServiceCenter | None:
        try:
            record = ServiceCenterRecord.get(center_id, consistent_read=True)
        except DoesNotExist:
            return None
        return to_domain(record) if record.status else None  # a claim is no centre

    def name_of(self, center_id: str) -> str | None:
        """The centre's name alone (one eventually consistent read of one attribute)."""
        try:
            record = ServiceCenterRecord.get(center_id, attributes_to_get=["name"])
        except DoesNotExist:
            return None
        return record.name or None

    def save_details(self, before: ServiceCenter, after: ServiceCenter, by: str) -> None:
        """``after``'s details if the stored version is still ``before``'s and the centre is not
        closed (``Conflict("center_changed")`` otherwise)."""
        details = after.details
        at = after.updated_at or after.created_at
        actions: list[Action] = [
            ServiceCenterRecord.name.set(details.name),
            ServiceCenterRecord.provinces.set(set(details.provinces)),
            ServiceCenterRecord.address.set(details.address),
            ServiceCenterRecord.phone.set(details.phone),
            ServiceCenterRecord.hours.set(details.hours),
            ServiceCenterRecord.public.set(details.listed),
            ServiceCenterRecord.version.set(after.version),
            ServiceCenterRecord.updated_at.set(at),
            ServiceCenterRecord.updated_by.set(by),
            (
                ServiceCenterRecord.tax_code.set(details.tax_code)
                if details.tax_code
                else ServiceCenterRecord.tax_code.remove()
            ),
        ]
        self._update(
            before,
            actions,
            (ServiceCenterRecord.version == before.version)
            & (ServiceCenterRecord.status != Lifecycle.CLOSED.value),
        )

    def save_status(self, before: ServiceCenter, after: ServiceCenter) -> None:
        """``after``'s status and its new history entries, if the stored version is still
        ``before``'s; ``Conflict("center_changed")`` otherwise."""
        added = [change_map(c) for c in after.history[len(before.history) :]]
        last = after.history[-1]
        self._update(
            before,
            [
                ServiceCenterRecord.status.set(after.status.value),
                ServiceCenterRecord.history.set(ServiceCenterRecord.history.append(added)),
                ServiceCenterRecord.version.set(after.version),
                ServiceCenterRecord.updated_at.set(after.updated_at or last.at),
                ServiceCenterRecord.updated_by.set(last.by),
            ],
            ServiceCenterRecord.version == before.version,
        )

    @staticmethod
    def _update(before: ServiceCenter, actions: list[Action], condition: Any) -> None:
        try:
            ServiceCenterRecord(before.center_id).update(actions=actions, condition=condition)
        except UpdateError as exc:
            if is_condition_failure(exc):
                raise Conflict("center_changed") from exc
            raise

    def page(
        self, *, prefix: str, status: Lifecycle | None, limit: int, after: dict[str, Any] | None
    ) -> tuple[list[ServiceCenter], dict[str, Any] | None]:
        """Centres in code order, from ``prefix`` on, one page (a status filter may make a page
        shorter than ``limit``, never skip one), and where the next page starts."""
        result = ServiceCenterRecord.list_index.query(
            LISTED,
            range_key_condition=ServiceCenterRecord.code.startswith(prefix) if prefix else None,
            filter_condition=(ServiceCenterRecord.status == status.value) if status else None,
            limit=limit,
            last_evaluated_key=after,
        )
        found = [to_domain(record) for record in result]
        return found, result.last_evaluated_key

    def all(self) -> Iterator[ServiceCenter]:
        """Every centre in code order (``list_index``, page by page): routing's and the public
        service points' list, bounded by the registry (tens to a few hundred centres)."""
        for record in ServiceCenterRecord.list_index.query(LISTED):
            yield to_domain(record)
