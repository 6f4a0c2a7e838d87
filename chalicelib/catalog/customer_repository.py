"""Customers of one brand: read by key (the phone's HMAC) or by the start of the folded name
(``name_index``). Activation writes the item, in the unit's transaction
(:mod:`chalicelib.catalog.unit_repository`); a customer's own decision on a purpose later (a
withdrawal on "my products") is :meth:`CustomerRepository.decide`. Never a scan."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from pynamodb.exceptions import DoesNotExist, UpdateError

from chalicelib.activation.consent import NOTICE_VERSION, PURPOSES
from chalicelib.catalog.customers import Consent, Customer
from chalicelib.catalog.tables import ConsentEntry, CustomerRecord
from chalicelib.core.errors import NotFound
from chalicelib.platform.dynamodb import is_condition_failure

_KEY = re.compile(r"[0-9a-f]{64}")  # what core.phone.phone_key gives: anything else is no one


def _consent(purpose: str, entry: ConsentEntry | None) -> Consent | None:
    if entry is None:
        return None
    return Consent(
        purpose=purpose,
        granted=bool(entry.granted),
        at=entry.at,
        channel=entry.channel,
        notice_version=entry.notice_version,
        evidence=entry.evidence,
    )


def to_domain(record: CustomerRecord) -> Customer:
    consents = (_consent(purpose, getattr(record, f"consent_{purpose}")) for purpose in PURPOSES)
    return Customer(
        customer_id=record.customer_key,
        name=record.name or "",
        phone=record.phone,
        consents=tuple(c for c in consents if c is not None),
        updated_at=record.updated_at,
    )


class CustomerRepository:
    """The brand's customers: another brand's item reads as no item."""

    def __init__(self, brand_id: str) -> None:
        self._brand_id = brand_id

    def _record(self, customer_id: str) -> CustomerRecord | None:
        if not _KEY.fullmatch(customer_id):
            return None
        try:
            record = CustomerRecord.get(customer_id)
        except DoesNotExist:
            return None
        return record if record.brand_id == self._brand_id else None

    def get(self, customer_id: str) -> Customer | None:
        """One GetItem; ``None`` when unknown, malformed or another brand's."""
        record = self._record(customer_id)
        return None if record is None else to_domain(record)

    def find_by_name(
        self, prefix: str, *, limit: int, after: str | None
    ) -> tuple[list[Customer], str | None]:
        """One page of the brand's customers whose ``name_folded`` begins with ``prefix``, in
        name order (one Query on ``name_index``). ``after`` is the last customer of the previous
        page: its key is rebuilt from its item (one GetItem), so the position handed to the
        client names no one, where the index's own key would carry the folded name."""
        start: dict[str, Any] | None = None
        if after is not None:
            last = self._record(after)
            if last is None or last.name_folded is None:
                return [], None
            start = {
                "customer_key": {"S": last.customer_key},
                "brand_id": {"S": self._brand_id},
                "name_folded": {"S": last.name_folded},
            }
        result = CustomerRecord.name_index.query(
            self._brand_id,
            CustomerRecord.name_folded.startswith(prefix),
            limit=limit,
            page_size=limit,
            last_evaluated_key=start,
        )
        found = [to_domain(record) for record in result]
        more = result.last_evaluated_key is not None and len(found) == limit
        return found, (found[-1].customer_id if more and found else None)

    def granted(self, customer_id: str, purpose: str) -> bool | None:
        """The customer's recorded decision on ``purpose`` (``None``: none, or no such
        customer): one GetItem of the one attribute, as the sender asks before each message a
        consent governs."""
        if not _KEY.fullmatch(customer_id) or purpose not in PURPOSES:
            return None
        attribute = f"consent_{purpose}"
        try:
            record = CustomerRecord.get(customer_id, attributes_to_get=[attribute, "brand_id"])
        except DoesNotExist:
            return None
        entry = getattr(record, attribute)
        if record.brand_id != self._brand_id or entry is None:
            return None
        return bool(entry.granted)

    def decide(
        self, customer_id: str, purpose: str, granted: bool, *, channel: str, at: datetime
    ) -> Customer:
        """Record the customer's own decision on ``purpose`` (the evidence names the channel
        and the day); ``NotFound("customer_not_found")`` when no such customer of the brand."""
        entry = ConsentEntry(
            granted=granted,
            at=at,
            channel=channel,
            notice_version=NOTICE_VERSION,
            evidence=f"{channel}:{at.date().isoformat()}",
        )
        try:
            CustomerRecord(customer_id).update(
                actions=[
                    getattr(CustomerRecord, f"consent_{purpose}").set(entry),
                    CustomerRecord.updated_at.set(at),
                ],
                condition=CustomerRecord.brand_id == self._brand_id,
            )
        except UpdateError as exc:
            if is_condition_failure(exc):
                raise NotFound("customer_not_found") from exc
            raise
        found = self.get(customer_id)
        if found is None:
            raise NotFound("customer_not_found")
        return found
