"""Partners in DynamoDB: a partner and its phone's claim are written in one transaction, each
conditional on not existing, so one phone is one partner under any concurrency (never a read
then a write). Status changes are conditional on the status read."""

from __future__ import annotations

from typing import Any

from pynamodb.connection import Connection
from pynamodb.exceptions import DoesNotExist, TransactWriteError, UpdateError
from pynamodb.transactions import TransactWrite

from chalicelib.core.errors import Conflict, NotFound
from chalicelib.partners.model import (
    Commitment,
    Consent,
    Partner,
    PartnerDetails,
    PartnerStatus,
    StatusChange,
)
from chalicelib.partners.tables import PartnerRecord, PhoneClaimRecord, StatusChangeMap
from chalicelib.platform.dynamodb import (
    ITEM_CONDITION_FAILED,
    is_condition_failure,
    write_transaction,
)


def claim_key(phone_key: str) -> str:
    return f"phone#{phone_key}"


def _change(entry: StatusChangeMap) -> StatusChange:
    return StatusChange(
        at=entry.at,
        by=entry.by,
        status_from=PartnerStatus(entry.status_from) if entry.status_from else None,
        status_to=PartnerStatus(entry.status_to),
        note=entry.note or "",
    )


def _change_map(change: StatusChange) -> StatusChangeMap:
    return StatusChangeMap(
        at=change.at,
        by=change.by,
        status_from=change.status_from.value if change.status_from else None,
        status_to=change.status_to.value,
        note=change.note,
    )


def _to_domain(record: PartnerRecord) -> Partner:
    return Partner(
        partner_id=record.partner_id,
        details=PartnerDetails(
            phone=record.phone,
            name=record.name,
            citizen_id=record.citizen_id,
            province=record.province,
            bank_bin=record.bank_bin,
            account_number=record.account_number,
            account_holder=record.account_holder,
            tax_code=record.tax_code,
        ),
        consent=Consent(given_at=record.consent_given_at, text_version=record.consent_version),
        status=PartnerStatus(record.status),
        created_at=record.created_at,
        created_by=record.created_by,
        history=tuple(_change(entry) for entry in record.history or []),
        commitment=_commitment(record),
    )


def _commitment(record: PartnerRecord) -> Commitment | None:
    if record.commitment_on_file is None or record.commitment_at is None:
        return None
    return Commitment(
        on_file=bool(record.commitment_on_file),
        by=record.commitment_by or "",
        at=record.commitment_at,
        note=record.commitment_note or "",
    )


def _to_record(partner: Partner, phone_key: str) -> PartnerRecord:
    details = partner.details
    return PartnerRecord(
        partner.partner_id,
        phone=details.phone,
        phone_key=phone_key,
        name=details.name,
        citizen_id=details.citizen_id,
        province=details.province,
        bank_bin=details.bank_bin,
        account_number=details.account_number,
        account_holder=details.account_holder,
        tax_code=details.tax_code,
        consent_given_at=partner.consent.given_at,
        consent_version=partner.consent.text_version,
        status=partner.status.value,
        created_at=partner.created_at,
        created_by=partner.created_by,
        updated_by=partner.created_by,
        history=[_change_map(change) for change in partner.history],
    )


class PartnerRepository:
    def __init__(self) -> None:
        self._connection = Connection(region=PartnerRecord.Meta.region)

    def create(self, partner: Partner, phone_key: str) -> None:
        """The partner and its phone's claim, or ``Conflict("partner_exists")`` when the phone
        is claimed (by a partner committed before, or by a transaction winning this race)."""
        record = _to_record(partner, phone_key)
        claim = PhoneClaimRecord(claim_key(phone_key), owner_id=partner.partner_id)

        def build(tx: TransactWrite) -> None:
            tx.save(claim, condition=PhoneClaimRecord.partner_id.does_not_exist())
            tx.save(record, condition=PartnerRecord.partner_id.does_not_exist())

        try:
            write_transaction(self._connection, build)
        except TransactWriteError as exc:
            reasons = exc.cancellation_reasons or []
            if any(r is not None and r.code == ITEM_CONDITION_FAILED for r in reasons):
                raise Conflict("partner_exists") from exc
            raise

    def get(self, partner_id: str) -> Partner | None:
        try:
            return _to_domain(PartnerRecord.get(partner_id, consistent_read=True))
        except DoesNotExist:
            return None

    def names_of(self, partner_ids: set[str]) -> dict[str, str]:
        """Each known partner's name by id: one BatchGetItem of two attributes per 100 ids (a
        ledger page names its partners; an id not found is left out)."""
        if not partner_ids:
            return {}
        records = PartnerRecord.batch_get(
            sorted(partner_ids), attributes_to_get=["partner_id", "name"]
        )
        return {record.partner_id: record.name for record in records}

    def find_by_phone(self, phone_key: str) -> Partner | None:
        """One query on ``phone_index`` (at most one partner has a phone: its claim says so)."""
        for record in PartnerRecord.phone_index.query(phone_key, limit=1):
            return _to_domain(record)
        return None

    def page_by_status(
        self, status: PartnerStatus, *, limit: int, after: dict[str, Any] | None
    ) -> tuple[list[Partner], dict[str, Any] | None]:
        """Partners in ``status``, oldest first, one page, and where the next one starts."""
        result = PartnerRecord.status_index.query(
            status.value, limit=limit, last_evaluated_key=after
        )
        found = [_to_domain(record) for record in result]
        return found, result.last_evaluated_key

    def save_status(self, before: Partner, after: Partner) -> None:
        """Write ``after``'s status and its new history entries, if the stored status is still
        ``before``'s; ``Conflict("partner_status_not_allowed")`` otherwise."""
        added = [_change_map(c) for c in after.history[len(before.history) :]]
        try:
            PartnerRecord(before.partner_id).update(
                actions=[
                    PartnerRecord.status.set(after.status.value),
                    PartnerRecord.history.set(PartnerRecord.history.append(added)),
                    PartnerRecord.updated_by.set(after.history[-1].by),
                ],
                condition=PartnerRecord.status == before.status.value,
            )
        except UpdateError as exc:
            if is_condition_failure(exc):
                raise Conflict(
                    "partner_status_not_allowed",
                    status=before.status.value,
                    to=after.status.value,
                ) from exc
            raise

    def save_commitment(self, partner_id: str, commitment: Commitment) -> None:
        """Record whether the commitment form is on file (the partner must exist:
        ``NotFound("partner_not_found")`` otherwise; the claims items are not partners)."""
        try:
            PartnerRecord(partner_id).update(
                actions=[
                    PartnerRecord.commitment_on_file.set(commitment.on_file),
                    PartnerRecord.commitment_by.set(commitment.by),
                    PartnerRecord.commitment_at.set(commitment.at),
                    PartnerRecord.commitment_note.set(commitment.note),
                ],
                condition=PartnerRecord.status.exists(),
            )
        except UpdateError as exc:
            if is_condition_failure(exc):
                raise NotFound("partner_not_found") from exc
            raise
