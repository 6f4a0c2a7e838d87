"""The claims' part of a person's data (``core.personal_data``): the service requests they made.

A request keeps its warranty facts (the unit, the fault as a type and state, the verdict, the
costs, the outcome, the province) and loses the person: name, address and phone (the customer
index's key becomes ``erased#<claim_id>``), and their name and phone wherever a free text holds
them (the description, the form's answers, the preferred time, the rating's note). The change is
one transaction like every other: conditional on the version read, with the history item
``erased`` numbered by the new version; the history's earlier items lose the person's fields'
values and any mention of them in a note."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from pynamodb.connection import Connection
from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

from chalicelib.claims.tables import ClaimHistoryRecord, ClaimRecord, FieldChangeMap
from chalicelib.core.personal_data import (
    ERASED,
    ERASED_BY,
    ERASED_KEY_PREFIX,
    DataSubject,
    Found,
    is_erased_key,
    scrub,
)
from chalicelib.platform.dynamodb import write_transaction

ERASED_ACTION = "erased"
_PERSON_FIELDS = frozenset({"customer_name", "customer_phone", "customer_address"})
ATTEMPTS = 3  # a request moved by staff meanwhile is read again


def _plain(value: Any) -> Any:
    return value.as_dict() if hasattr(value, "as_dict") else value


class ClaimData:
    section = "claims"

    def __init__(self) -> None:
        self._connection = Connection(region=ClaimRecord.Meta.region)

    def collect(self, subject: DataSubject) -> Found:
        records = list(ClaimRecord.customer_index.query(subject.phone))
        items = [
            {
                "claim_id": r.claim_id,
                "created_at": r.created_at.isoformat(),
                "serial": r.serial,
                "claim_type": r.claim_type,
                "state": r.state,
                "customer_name": r.customer_name,
                "customer_phone": r.customer_phone,
                "customer_address": r.customer_address or "",
                "customer_province": r.customer_province or "",
                "description": r.description,
                "preferred_time": r.preferred_time or "",
                "outcome": r.outcome or "",
            }
            for r in records
        ]
        return Found(
            items,
            names=frozenset(r.customer_name for r in records if r.customer_name),
        )

    def erase(self, subject: DataSubject, *, at: datetime) -> int:
        changed = 0
        for found in ClaimRecord.customer_index.query(subject.phone):
            for _ in range(ATTEMPTS):
                if self._erase_one(found.claim_id, subject, at):
                    changed += 1
                    break
        return changed

    def _erase_one(self, claim_id: str, subject: DataSubject, at: datetime) -> bool:
        """One request: the person's fields erased and the history item written together;
        ``False`` when it moved meanwhile (read it again)."""
        record = ClaimRecord.get(claim_id, consistent_read=True)
        if record.customer_phone != subject.phone:
            return True  # erased already
        version = int(record.version) + 1
        answers = {
            k: scrub(v, subject) if isinstance(v, str) else v
            for k, v in (_plain(record.answers) or {}).items()
        }
        actions: list[Any] = [
            ClaimRecord.customer_name.set(""),
            ClaimRecord.customer_phone.set(ERASED_KEY_PREFIX + claim_id),
            ClaimRecord.customer_address.set(""),
            ClaimRecord.description.set(scrub(record.description, subject)),
            ClaimRecord.preferred_time.set(scrub(record.preferred_time or "", subject)),
            ClaimRecord.answers.set(answers),
            ClaimRecord.version.set(version),
            ClaimRecord.updated_at.set(at),
            ClaimRecord.updated_key.set(f"{at.isoformat()}#{claim_id}"),
            ClaimRecord.updated_by.set(ERASED_BY),
            ClaimRecord.last_action.set(ERASED_ACTION),
        ]
        if record.rating_note:
            actions.append(ClaimRecord.rating_note.set(scrub(record.rating_note, subject)))
        entry = ClaimHistoryRecord(
            claim_id,
            version,
            at=at,
            by=ERASED_BY,
            actor="system",
            action=ERASED_ACTION,
            state_from=record.state,
            state_to=record.state,
            note="",
            changes=[
                FieldChangeMap(field=f, before=ERASED, after=ERASED) for f in sorted(_PERSON_FIELDS)
            ],
            visible=False,
        )

        def build(tx: TransactWrite) -> None:
            tx.update(
                ClaimRecord(claim_id),
                actions=actions,
                condition=ClaimRecord.version == record.version,
            )
            tx.save(entry, condition=ClaimHistoryRecord.seq.does_not_exist())

        # the history first: once the request has lost the phone, a run stopped here could no
        # longer find it
        self._scrub_history(claim_id, subject, before=version)
        try:
            write_transaction(self._connection, build)
        except TransactWriteError:
            return False
        return True

    @staticmethod
    def _scrub_history(claim_id: str, subject: DataSubject, *, before: int) -> None:
        """The earlier items without the person (the only rewrite a history ever gets)."""
        for item in ClaimHistoryRecord.query(claim_id, ClaimHistoryRecord.seq < before):
            changes = [
                FieldChangeMap(
                    field=c.field,
                    before=_erased(c.field, c.before, subject),
                    after=_erased(c.field, c.after, subject),
                )
                for c in item.changes or []
            ]
            note = scrub(item.note or "", subject)
            if note == (item.note or "") and all(
                (c.before, c.after) == (o.before, o.after)
                for c, o in zip(changes, item.changes or [], strict=True)
            ):
                continue
            item.update(
                actions=[ClaimHistoryRecord.note.set(note), ClaimHistoryRecord.changes.set(changes)]
            )


def _erased(field: str, value: str | None, subject: DataSubject) -> str | None:
    if value is None:
        return None
    return ERASED if field in _PERSON_FIELDS else scrub(value, subject)


class ClaimRetention:
    """Requests closed or cancelled before the retention period lose their customer as an
    erasure would take them (their own name and phone are the subject). The watermark is the
    last ``state_key`` done per state, as JSON: each run goes on where the last stopped."""

    kind = "claims"
    STATES = ("closed", "cancelled")

    def __init__(self) -> None:
        self._claims = ClaimData()

    def expire(self, before: datetime, *, after: str, at: datetime, limit: int) -> tuple[int, str]:
        marks: dict[str, str] = json.loads(after) if after else {}
        changed = 0
        for state in self.STATES:
            start = marks.get(state, "")
            end = before.isoformat()
            if start and start + "~" > end:
                continue  # a longer period now: nothing new is old enough yet
            condition = (
                ClaimRecord.state_key.between(start + "~", end)
                if start
                else ClaimRecord.state_key < end
            )
            for record in ClaimRecord.state_index.query(state, condition, limit=limit):
                if not is_erased_key(record.customer_phone):
                    subject = DataSubject(
                        phone=record.customer_phone,
                        key="",
                        names=frozenset({record.customer_name} - {""}),
                    )
                    if not self._claims._erase_one(record.claim_id, subject, at):
                        break  # moved meanwhile: the next run starts with it
                    changed += 1
                marks[state] = record.state_key
        return changed, json.dumps(marks, sort_keys=True)
