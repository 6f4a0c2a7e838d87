"""Dealers in DynamoDB. A dealer and its code's claim are written in one transaction, each
conditional on not existing, with a check that its distributor exists, is not closed and does
not buy from it: one code, one dealer, under any concurrency (never a read then a write). Every
later write is conditional on the version read, so of two people editing at once the second is
told the dealer changed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pynamodb.connection import Connection
from pynamodb.exceptions import DoesNotExist, TransactWriteError, UpdateError
from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action
from pynamodb.transactions import TransactWrite

from chalicelib.core.errors import Conflict, FieldError, Invalid
from chalicelib.dealers.model import Dealer, DealerDetails, DealerStatus
from chalicelib.dealers.tables import DealerRecord
from chalicelib.platform.dynamodb import (
    is_condition_failure,
    item_failed,
    write_transaction,
)
from chalicelib.platform.status_history import change_map, change_of

LISTED = "dealer"  # list_index's one partition
CHILDREN_MAX = 500  # a distributor's page lists at most this many of its dealers


def claim_key(code: str) -> str:
    return f"code#{code}"


def to_domain(record: DealerRecord) -> Dealer:
    return Dealer(
        dealer_id=record.dealer_id,
        details=DealerDetails(
            code=record.code or "",
            name=record.name or "",
            province=record.province or "",
            address=record.address or "",
            tax_code=record.tax_code,
            contact_phone=record.contact_phone,
            parent_id=record.parent_id,
        ),
        status=DealerStatus(record.status),
        created_at=record.created_at,
        created_by=record.created_by or "",
        version=int(record.version or 1),
        updated_at=record.updated_at or record.created_at,
        history=tuple(change_of(entry) for entry in record.history or []),
    )


def _to_record(dealer: Dealer) -> DealerRecord:
    details = dealer.details
    return DealerRecord(
        dealer.dealer_id,
        code=details.code,
        listed=LISTED,
        name=details.name,
        tax_code=details.tax_code,
        province=details.province,
        address=details.address,
        contact_phone=details.contact_phone,
        parent_id=details.parent_id,
        status=dealer.status.value,
        created_at=dealer.created_at,
        created_by=dealer.created_by,
        updated_by=dealer.created_by,
        updated_at=dealer.updated_at,
        version=dealer.version,
        history=[change_map(change) for change in dealer.history],
    )


def _parent_fits(dealer_id: str) -> Condition:
    """The distributor as it must be when the write commits: a dealer, not closed, not one
    that buys from ``dealer_id``."""
    condition: Condition = (
        DealerRecord.status.exists()
        & (DealerRecord.status != DealerStatus.CLOSED.value)
        & (DealerRecord.parent_id.does_not_exist() | (DealerRecord.parent_id != dealer_id))
    )
    return condition


def _parent_refused() -> Invalid:
    return Invalid(fields=[FieldError("parent_id", "dealer_parent_not_allowed")])


class DealerRepository:
    def __init__(self) -> None:
        self._connection = Connection(region=DealerRecord.Meta.region)

    def create(self, dealer: Dealer) -> None:
        """The dealer and its code's claim; ``Conflict("dealer_code_taken")`` when the code is
        claimed, ``Invalid`` on ``parent_id`` when the distributor changed meanwhile."""
        record = _to_record(dealer)
        claim = DealerRecord(claim_key(dealer.code), owner_id=dealer.dealer_id)
        parent_id = dealer.details.parent_id

        def build(tx: TransactWrite) -> None:
            tx.save(claim, condition=DealerRecord.dealer_id.does_not_exist())
            tx.save(record, condition=DealerRecord.dealer_id.does_not_exist())
            if parent_id:
                tx.condition_check(
                    DealerRecord, parent_id, condition=_parent_fits(dealer.dealer_id)
                )

        try:
            write_transaction(self._connection, build)
        except TransactWriteError as exc:
            if item_failed(exc, 0) or item_failed(exc, 1):
                raise Conflict("dealer_code_taken", dealer_code=dealer.code) from exc
            if item_failed(exc, 2):
                raise _parent_refused() from exc
            raise

    def get(self, dealer_id: str) -> Dealer | None:
        try:
            record = DealerRecord.get(dealer_id, consistent_read=True)
        except DoesNotExist:
            return None
        return to_domain(record) if record.status else None  # a claim is no dealer

    def by_code(self, code: str) -> Dealer | None:
        """The dealer holding this code: its code's claim, then the dealer (two reads)."""
        try:
            claim = DealerRecord.get(
                claim_key(code.strip().upper()), attributes_to_get=["owner_id"]
            )
        except DoesNotExist:
            return None
        return self.get(claim.owner_id) if claim.owner_id else None

    def name_of(self, dealer_id: str) -> str | None:
        """The dealer's name alone (one eventually consistent read of one attribute)."""
        try:
            record = DealerRecord.get(dealer_id, attributes_to_get=["name"])
        except DoesNotExist:
            return None
        return record.name or None

    def names_of(self, dealer_ids: set[str]) -> dict[str, str]:
        """Each known dealer's name by id (one BatchGetItem of two attributes per 100 ids)."""
        if not dealer_ids:
            return {}
        records = DealerRecord.batch_get(
            sorted(dealer_ids), attributes_to_get=["dealer_id", "name"]
        )
        return {r.dealer_id: r.name for r in records if r.name}

    def save_details(self, before: Dealer, after: Dealer, by: str) -> None:
        """``after``'s details if the stored version is still ``before``'s
        (``Conflict("dealer_changed")`` otherwise), with its distributor checked in the same
        transaction."""
        details = after.details
        at = after.updated_at or after.created_at
        actions: list[Action] = [
            DealerRecord.name.set(details.name),
            DealerRecord.province.set(details.province),
            DealerRecord.address.set(details.address),
            DealerRecord.version.set(after.version),
            DealerRecord.updated_at.set(at),
            DealerRecord.updated_by.set(by),
        ]
        optional = (
            (DealerRecord.tax_code, details.tax_code),
            (DealerRecord.contact_phone, details.contact_phone),
            (DealerRecord.parent_id, details.parent_id),
        )
        for attribute, value in optional:
            actions.append(attribute.set(value) if value else attribute.remove())
        record = DealerRecord(before.dealer_id)

        def build(tx: TransactWrite) -> None:
            tx.update(
                record,
                actions=actions,
                condition=(DealerRecord.version == before.version)
                & (DealerRecord.status != DealerStatus.CLOSED.value),
            )
            if details.parent_id:
                tx.condition_check(
                    DealerRecord, details.parent_id, condition=_parent_fits(before.dealer_id)
                )

        try:
            write_transaction(self._connection, build)
        except TransactWriteError as exc:
            if item_failed(exc, 0):
                raise Conflict("dealer_changed") from exc
            if item_failed(exc, 1):
                raise _parent_refused() from exc
            raise

    def save_status(self, before: Dealer, after: Dealer) -> None:
        """``after``'s status and its new history entries, if the stored version is still
        ``before``'s; ``Conflict("dealer_changed")`` otherwise."""
        added = [change_map(c) for c in after.history[len(before.history) :]]
        at = after.updated_at or after.history[-1].at
        try:
            DealerRecord(before.dealer_id).update(
                actions=[
                    DealerRecord.status.set(after.status.value),
                    DealerRecord.history.set(DealerRecord.history.append(added)),
                    DealerRecord.version.set(after.version),
                    DealerRecord.updated_at.set(at),
                    DealerRecord.updated_by.set(after.history[-1].by),
                ],
                condition=(DealerRecord.version == before.version),
            )
        except UpdateError as exc:
            if is_condition_failure(exc):
                raise Conflict("dealer_changed") from exc
            raise

    def page(
        self, *, prefix: str, status: DealerStatus | None, limit: int, after: dict[str, Any] | None
    ) -> tuple[list[Dealer], dict[str, Any] | None]:
        """Dealers in code order, from ``prefix`` on, one page (a status filter may make a page
        shorter than ``limit``, never skip one), and where the next page starts."""
        result = DealerRecord.list_index.query(
            LISTED,
            range_key_condition=DealerRecord.code.startswith(prefix) if prefix else None,
            filter_condition=(DealerRecord.status == status.value) if status else None,
            limit=limit,
            last_evaluated_key=after,
        )
        found = [to_domain(record) for record in result]
        return found, result.last_evaluated_key

    def all(self) -> Iterator[Dealer]:
        """Every dealer in code order (``list_index``, page by page): the funnel's and the
        nudge's list, bounded by the dealers, never by the units."""
        for record in DealerRecord.list_index.query(LISTED):
            yield to_domain(record)

    def children(self, parent_id: str) -> list[Dealer]:
        """The dealers a distributor supplies, in code order."""
        return [
            to_domain(record)
            for record in DealerRecord.parent_index.query(parent_id, limit=CHILDREN_MAX)
        ]
