"""Service requests in DynamoDB: the request item (its whole state, written whole and
conditional on the version it was read at), its history items (one per change, conditional on
their absence) and the board's per-state counts, all of one change in one transaction."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pynamodb.attributes import MapAttribute
from pynamodb.connection import Connection
from pynamodb.exceptions import DoesNotExist, TransactWriteError
from pynamodb.expressions.condition import Condition
from pynamodb.transactions import TransactWrite

from chalicelib.catalog.warranty import ExclusionCode
from chalicelib.claims.model import (
    AlsoWrite,
    Channel,
    Claim,
    ClaimType,
    CostLine,
    Customer,
    Decided,
    Exclusion,
    FieldChange,
    HistoryEntry,
    Photo,
    Reason,
    Routing,
    Verdict,
    VerdictOverride,
    VerdictStatus,
)
from chalicelib.claims.service import ClaimFilter
from chalicelib.claims.states import Actor, ClaimState
from chalicelib.claims.tables import (
    ClaimCountRecord,
    ClaimHistoryRecord,
    ClaimRecord,
    CostLineMap,
    FieldChangeMap,
    PhotoMap,
    ReasonMap,
    VerdictMap,
)
from chalicelib.core.errors import Conflict
from chalicelib.platform.dynamodb import ITEM_CONDITION_FAILED, write_transaction

LISTED = "claim"
BATCH_GET_LIMIT = 100


def _plain(value: Any) -> dict[str, Any]:
    if isinstance(value, MapAttribute):
        return dict(value.as_dict())
    return dict(value or {})


def _day(raw: str | None) -> date | None:
    return date.fromisoformat(raw) if raw else None


def _instant(raw: str | None) -> datetime | None:
    return datetime.fromisoformat(raw) if raw else None


def _reason(entry: ReasonMap) -> Reason:
    return Reason(entry.code, _plain(entry.params))


def _reason_map(reason: Reason) -> ReasonMap:
    return ReasonMap(code=reason.code, params=dict(reason.params))


def _decided(record: VerdictMap | None) -> Decided | None:
    if record is None:
        return None
    override = None
    if record.overridden_by:
        override = VerdictOverride(
            record.overridden_by,
            record.override_reason or "",
            VerdictStatus(record.status_before_override),
        )
    verdict = Verdict(
        VerdictStatus(record.status),
        tuple(_reason(r) for r in record.reasons or []),
        record.rules_version,
    )
    return Decided(verdict, record.decided_at, override)


def _verdict_map(decided: Decided | None) -> VerdictMap | None:
    if decided is None:
        return None
    override = decided.override
    return VerdictMap(
        status=decided.verdict.status.value,
        reasons=[_reason_map(r) for r in decided.verdict.reasons],
        rules_version=decided.verdict.rules_version,
        decided_at=decided.at,
        overridden_by=override.by if override else None,
        override_reason=override.reason if override else None,
        status_before_override=override.status_before.value if override else None,
    )


def _cost(entry: CostLineMap) -> CostLine:
    return CostLine(
        line_id=entry.line_id,
        kind=entry.kind,
        description=entry.description,
        amount_vnd=int(entry.amount_vnd),
        payer=entry.payer,
        by=entry.by,
        at=entry.at,
        quantity=int(entry.quantity or 1),
        part_code=entry.part_code or "",
        movement_id=entry.movement_id or "",
    )


def _cost_map(line: CostLine) -> CostLineMap:
    return CostLineMap(
        line_id=line.line_id,
        kind=line.kind,
        description=line.description,
        part_code=line.part_code or None,
        movement_id=line.movement_id or None,
        quantity=line.quantity,
        amount_vnd=line.amount_vnd,
        payer=line.payer,
        by=line.by,
        at=line.at,
    )


def to_domain(record: ClaimRecord) -> Claim:
    return Claim(
        claim_id=record.claim_id,
        version=int(record.version),
        claim_type=ClaimType(record.claim_type),
        channel=Channel(record.channel),
        state=ClaimState(record.state),
        state_since=record.state_since,
        created_at=record.created_at,
        created_by=record.created_by,
        updated_at=record.updated_at,
        serial=record.serial,
        model_code=record.model_code,
        model_name=record.model_name or "",
        category=record.category or "",
        customer=Customer(
            record.customer_name,
            record.customer_phone,
            record.customer_address or "",
            record.customer_province or "",
            record.language or "vi",
        ),
        description=record.description,
        answers=_plain(record.answers),
        preferred_time=record.preferred_time or "",
        photos=tuple(Photo(p.key, p.state, p.by, p.at) for p in record.photos or []),
        decided=_decided(record.verdict),
        exclusions=tuple(
            Exclusion(
                ExclusionCode(e.code),
                str(_plain(e.params).get("reason", "")),
                _plain(e.params).get("component") or None,
            )
            for e in record.exclusions or []
        ),
        routing=Routing(record.routing) if record.routing else None,
        assignee_key=record.assignee_key,
        assignee_name=record.assignee_name,
        expected_return=_day(record.expected_return),
        appointment=_instant(record.appointment),
        due_at=record.due_at,
        costs=tuple(_cost(c) for c in record.costs or []),
        quote_vnd=int(record.quote_vnd) if record.quote_vnd is not None else None,
        reopened_from=ClaimState(record.reopened_from) if record.reopened_from else None,
        reopen_count=int(record.reopen_count or 0),
        replacement_serial=record.replacement_serial,
        rating=int(record.rating) if record.rating is not None else None,
        rating_note=record.rating_note,
        customer_confirmed=bool(record.customer_confirmed),
        outcome=ClaimState(record.outcome) if record.outcome else None,
        updated_by=record.updated_by or "",
        last_action=record.last_action or "",
    )


def _key(at: datetime, claim_id: str) -> str:
    return f"{at.isoformat()}#{claim_id}"


def to_record(claim: Claim) -> ClaimRecord:
    customer = claim.customer
    state_key = _key(claim.state_since, claim.claim_id)
    return ClaimRecord(
        claim.claim_id,
        version=claim.version,
        listed=LISTED,
        claim_type=claim.claim_type.value,
        channel=claim.channel.value,
        state=claim.state.value,
        state_key=state_key,
        state_since=claim.state_since,
        due_at=claim.due_at,
        created_at=claim.created_at,
        created_key=_key(claim.created_at, claim.claim_id),
        created_by=claim.created_by,
        updated_at=claim.updated_at,
        updated_key=_key(claim.updated_at, claim.claim_id),
        serial=claim.serial,
        model_code=claim.model_code,
        model_name=claim.model_name,
        category=claim.category,
        customer_name=customer.name,
        customer_phone=customer.phone,
        customer_address=customer.address,
        customer_province=customer.province,
        language=customer.language,
        description=claim.description,
        answers=dict(claim.answers),
        preferred_time=claim.preferred_time,
        photos=[PhotoMap(key=p.key, state=p.state, by=p.by, at=p.at) for p in claim.photos],
        verdict=_verdict_map(claim.decided),
        exclusions=[ReasonMap(code=e.code, params=_exclusion_params(e)) for e in claim.exclusions],
        routing=claim.routing.value if claim.routing else None,
        assignee_key=claim.assignee_key,
        assignee_name=claim.assignee_name,
        assignee_state_key=f"{claim.state.value}#{state_key}" if claim.assignee_key else None,
        expected_return=claim.expected_return.isoformat() if claim.expected_return else None,
        appointment=claim.appointment.isoformat() if claim.appointment else None,
        costs=[_cost_map(c) for c in claim.costs],
        quote_vnd=claim.quote_vnd,
        reopened_from=claim.reopened_from.value if claim.reopened_from else None,
        reopen_count=claim.reopen_count,
        replacement_serial=claim.replacement_serial,
        rating=claim.rating,
        rating_note=claim.rating_note,
        customer_confirmed=claim.customer_confirmed,
        outcome=claim.outcome.value if claim.outcome else None,
        updated_by=claim.updated_by or None,
        last_action=claim.last_action or None,
    )


def _entry(record: ClaimHistoryRecord) -> HistoryEntry:
    return HistoryEntry(
        claim_id=record.claim_id,
        seq=int(record.seq),
        at=record.at,
        by=record.by,
        actor=Actor(record.actor),
        action=record.action,
        state_from=ClaimState(record.state_from) if record.state_from else None,
        state_to=ClaimState(record.state_to),
        note=record.note or "",
        changes=tuple(FieldChange(c.field, c.before, c.after) for c in record.changes or []),
        visible=bool(record.visible),
    )


def _entry_record(entry: HistoryEntry) -> ClaimHistoryRecord:
    return ClaimHistoryRecord(
        entry.claim_id,
        entry.seq,
        at=entry.at,
        by=entry.by,
        actor=entry.actor.value,
        action=entry.action,
        state_from=entry.state_from.value if entry.state_from else None,
        state_to=entry.state_to.value,
        note=entry.note,
        changes=[
            FieldChangeMap(field=c.field, before=c.before, after=c.after) for c in entry.changes
        ],
        visible=entry.visible,
    )


def _count_name(state: ClaimState, assignee_key: str | None = None) -> str:
    """``state#<state>``; one assignee's: ``state#<state>#<assignee_key>``."""
    return f"state#{state.value}" + (f"#{assignee_key}" if assignee_key else "")


def _count_moves(before: Claim | None, after: Claim) -> list[tuple[str, int]]:
    """The counters a change moves: the state's (when it moved) and the assignee's state (when
    either changed), each ``-1`` where the request was and ``+1`` where it is."""
    moves: list[tuple[str, int]] = []
    if before is None or before.state is not after.state:
        if before is not None:
            moves.append((_count_name(before.state), -1))
        moves.append((_count_name(after.state), 1))
    was = (before.state, before.assignee_key) if before else None
    if was != (after.state, after.assignee_key):
        if was and was[1]:
            moves.append((_count_name(*was), -1))
        if after.assignee_key:
            moves.append((_count_name(after.state, after.assignee_key), 1))
    return moves


def _count_updates(tx: TransactWrite, moves: list[tuple[str, int]]) -> None:
    for name, step in moves:
        tx.update(ClaimCountRecord(name), actions=[ClaimCountRecord.total.add(step)])


def _failed_first(exc: TransactWriteError) -> bool:
    """The transaction's first item (the request) failed its condition."""
    reasons = exc.cancellation_reasons or []
    return bool(reasons) and reasons[0] is not None and reasons[0].code == ITEM_CONDITION_FAILED


def _days(wanted: ClaimFilter) -> Any:
    """The created-key range of ``wanted``'s days (UTC instants sort as text)."""
    start = wanted.created_from.isoformat() if wanted.created_from else None
    end = f"{wanted.created_to.isoformat()}~" if wanted.created_to else None
    if start and end:
        return ClaimRecord.created_key.between(start, end)
    if start:
        return ClaimRecord.created_key >= start
    if end:
        return ClaimRecord.created_key <= end
    return None


def _filters(wanted: ClaimFilter, used: str) -> Condition | None:
    """What the chosen index does not answer itself, as a filter."""
    checks: list[Condition] = []
    if wanted.state and used != "state":
        checks.append(ClaimRecord.state == wanted.state.value)
    if wanted.claim_type:
        checks.append(ClaimRecord.claim_type == wanted.claim_type.value)
    if wanted.routing:
        checks.append(ClaimRecord.routing == wanted.routing.value)
    if wanted.assignee_key and used != "assignee":
        checks.append(ClaimRecord.assignee_key == wanted.assignee_key)
    if wanted.serial and used != "serial":
        checks.append(ClaimRecord.serial == wanted.serial)
    if wanted.phone and used != "phone":
        checks.append(ClaimRecord.customer_phone == wanted.phone)
    if wanted.breached and wanted.now is not None:
        checks.append(ClaimRecord.due_at < wanted.now)
    if used in ("state", "assignee") and (wanted.created_from or wanted.created_to):
        range_ = _days(wanted)
        checks.append(range_)
    result: Condition | None = None
    for check in checks:
        result = check if result is None else result & check
    return result


class ClaimRepository:
    def __init__(self) -> None:
        self._connection = Connection(region=ClaimRecord.Meta.region)

    # -- writes --------------------------------------------------------------------------------

    def create(self, claim: Claim, entry: HistoryEntry) -> None:
        """The new request, its first history item and its state's count, together
        (``claim_id_taken`` 409 when the reference exists: the caller draws another)."""

        def build(tx: TransactWrite) -> None:
            tx.save(to_record(claim), condition=ClaimRecord.claim_id.does_not_exist())
            tx.save(_entry_record(entry), condition=ClaimHistoryRecord.seq.does_not_exist())
            _count_updates(tx, _count_moves(None, claim))

        try:
            write_transaction(self._connection, build)
        except TransactWriteError as exc:
            if _failed_first(exc):
                raise Conflict("claim_id_taken") from exc
            raise

    def save(
        self, claim: Claim, *, before: Claim, entry: HistoryEntry, also: AlsoWrite | None = None
    ) -> None:
        """The request as a whole, conditional on its stored version being ``before``'s
        (``claim_changed`` 409 otherwise), with its history item and, when its state or
        assignee changed, the counters of both (the board's, and the assignee's own); ``also``'s
        writes in the same transaction (409 with its refusal when one of its conditions
        fails)."""

        def build(tx: TransactWrite) -> None:
            tx.save(to_record(claim), condition=ClaimRecord.version == before.version)
            tx.save(_entry_record(entry), condition=ClaimHistoryRecord.seq.does_not_exist())
            _count_updates(tx, _count_moves(before, claim))
            if also is not None:
                also.build(tx)

        try:
            write_transaction(self._connection, build)
        except TransactWriteError as exc:
            if _failed_first(exc):
                raise Conflict("claim_changed") from exc
            reasons = exc.cancellation_reasons or []
            if also is not None and any(
                r is not None and r.code == ITEM_CONDITION_FAILED for r in reasons
            ):
                raise Conflict(also.refusal) from exc
            raise

    # -- reads ---------------------------------------------------------------------------------

    def get(self, claim_id: str) -> Claim | None:
        try:
            return to_domain(ClaimRecord.get(claim_id, consistent_read=True))
        except DoesNotExist:
            return None

    def history(self, claim_id: str) -> list[HistoryEntry]:
        """Every change of the request, oldest first (one query)."""
        return [_entry(r) for r in ClaimHistoryRecord.query(claim_id, consistent_read=True)]

    def counts(self, assignee_key: str | None = None) -> dict[ClaimState, int]:
        """Every state's count, all requests' or one assignee's (one batch read)."""
        names = {_count_name(s, assignee_key): s for s in ClaimState}
        found = ClaimCountRecord.batch_get(list(names))
        return {names[r.name]: max(int(r.total or 0), 0) for r in found}

    def column(
        self,
        state: ClaimState,
        *,
        limit: int,
        after: dict[str, Any] | None,
        assignee_key: str | None = None,
    ) -> tuple[list[Claim], dict[str, Any] | None]:
        """The requests in ``state`` (all, or one assignee's), the longest there first (one
        query)."""
        if assignee_key:
            query = ClaimRecord.assignee_state_index.query(
                assignee_key,
                range_key_condition=ClaimRecord.assignee_state_key.startswith(f"{state.value}#"),
                limit=limit,
                last_evaluated_key=after,
                scan_index_forward=True,
            )
        else:
            query = ClaimRecord.state_index.query(
                state.value, limit=limit, last_evaluated_key=after, scan_index_forward=True
            )
        return [to_domain(r) for r in query], query.last_evaluated_key

    def assigned(
        self, assignee_key: str, *, limit: int, after: dict[str, Any] | None
    ) -> tuple[list[Claim], dict[str, Any] | None]:
        """The requests of one technician or company, the latest change first (one query)."""
        query = ClaimRecord.assignee_index.query(
            assignee_key, limit=limit, last_evaluated_key=after, scan_index_forward=False
        )
        return [to_domain(r) for r in query], query.last_evaluated_key

    def of_serial(self, serial: str) -> list[Claim]:
        """A unit's requests, oldest first (its warranty history)."""
        return [to_domain(r) for r in ClaimRecord.serial_index.query(serial)]

    def page(
        self, wanted: ClaimFilter, *, limit: int, after: dict[str, Any] | None
    ) -> tuple[list[Claim], dict[str, Any] | None]:
        """The table's page from the most selective index for ``wanted``, latest first; the
        other filters apply to the page read (a page may hold fewer than ``limit``)."""
        index, key, used = self._index_for(wanted)
        ranged = used in ("list", "serial", "phone")
        query = index.query(
            key,
            range_key_condition=_days(wanted) if ranged else None,
            filter_condition=_filters(wanted, used),
            scan_index_forward=False,
            limit=limit,
            last_evaluated_key=after,
        )
        return [to_domain(r) for r in query], query.last_evaluated_key

    @staticmethod
    def _index_for(wanted: ClaimFilter) -> tuple[Any, str, str]:
        if wanted.serial:
            return ClaimRecord.serial_index, wanted.serial, "serial"
        if wanted.phone:
            return ClaimRecord.customer_index, wanted.phone, "phone"
        if wanted.assignee_key:
            return ClaimRecord.assignee_index, wanted.assignee_key, "assignee"
        if wanted.state:
            return ClaimRecord.state_index, wanted.state.value, "state"
        return ClaimRecord.list_index, LISTED, "list"


def claim_from_image(image: dict[str, Any]) -> Claim:
    """A request from a stream record's image (DynamoDB JSON)."""
    return to_domain(ClaimRecord.from_raw_data(image))


def _exclusion_params(exclusion: Exclusion) -> dict[str, str]:
    params = {"reason": exclusion.reason}
    if exclusion.component:
        params["component"] = exclusion.component
    return params
