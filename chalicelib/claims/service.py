"""Service requests, the use cases: file one (the customer on the portal, staff for a caller),
read it as the caller may, list and board them, move them along the diagram
(:mod:`chalicelib.claims.states`), edit, route and re-decide them. Ports are parameters:
:mod:`chalicelib.claims.repository` satisfies the store, the catalog's unit repository and model
cache the units and models (through ``claims.wiring``).

Every write is one transaction: the request conditional on the version it was read at, and its
history item (who, when, the move, the note, each field's before and after). Two people moving
the same request at once: one wins, the other is told ``claim_changed`` (409) and reads again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from chalicelib.catalog.warranty import business_day
from chalicelib.claims import photos as claim_photos
from chalicelib.claims.eligibility import decide
from chalicelib.claims.model import (
    OVERRIDE_ROLES,
    AlsoWrite,
    Caller,
    Channel,
    Claim,
    ClaimDraft,
    ClaimType,
    CostLine,
    Decided,
    Exclusion,
    HistoryEntry,
    NewCost,
    Photo,
    Reason,
    Routing,
    UnitFacts,
    VerdictOverride,
    VerdictStatus,
    actor_of,
    field_changes,
    is_claim_id,
    may_read,
    new_claim_id,
    routing_of,
)
from chalicelib.claims.sla import ClaimRules, due_at
from chalicelib.claims.states import (
    CUSTOMER_STEP,
    OUTCOMES,
    Actor,
    ClaimState,
    can_move,
    needs_note,
    next_states,
)
from chalicelib.core.errors import Conflict, FieldError, Forbidden, Invalid, NotFound

ID_ATTEMPTS = 3  # a new reference taken already (1 in 10^12): draw another
BOARD_STATES: tuple[ClaimState, ...] = tuple(ClaimState)


class Store(Protocol):
    def create(self, claim: Claim, entry: HistoryEntry) -> None: ...
    def get(self, claim_id: str) -> Claim | None: ...
    def save(
        self, claim: Claim, *, before: Claim, entry: HistoryEntry, also: AlsoWrite | None = None
    ) -> None: ...
    def history(self, claim_id: str) -> list[HistoryEntry]: ...
    def page(
        self, wanted: ClaimFilter, *, limit: int, after: dict[str, Any] | None
    ) -> tuple[list[Claim], dict[str, Any] | None]: ...
    def column(
        self,
        state: ClaimState,
        *,
        limit: int,
        after: dict[str, Any] | None,
        assignee_key: str | None = None,
    ) -> tuple[list[Claim], dict[str, Any] | None]: ...
    def counts(self, assignee_key: str | None = None) -> dict[ClaimState, int]: ...
    def assigned(
        self, assignee_key: str, *, limit: int, after: dict[str, Any] | None
    ) -> tuple[list[Claim], dict[str, Any] | None]: ...
    def of_serial(self, serial: str) -> list[Claim]: ...


class Units(Protocol):
    """The catalog's units: a ``catalog.model.Unit`` or ``None``."""

    def find(self, serial: str) -> Any: ...


class Models(Protocol):
    """The catalog's models (``get`` raises ``NotFound("model_not_found")``)."""

    def get(self, code: str) -> Any: ...


# The name shown for an assignee key, or None when there is no such technician or company.
AssigneeNames = Callable[[str], "str | None"]


@dataclass(frozen=True)
class ClaimFilter:
    state: ClaimState | None = None
    claim_type: ClaimType | None = None
    routing: Routing | None = None
    assignee_key: str | None = None
    serial: str | None = None
    phone: str | None = None
    created_from: date | None = None
    created_to: date | None = None
    breached: bool = False
    now: datetime | None = None  # what "breached" is measured against


@dataclass(frozen=True)
class Page:
    claims: list[Claim]
    after: dict[str, Any] | None


@dataclass(frozen=True)
class Column:
    state: ClaimState
    count: int
    claims: list[Claim]
    after: dict[str, Any] | None


@dataclass(frozen=True)
class Detail:
    claim: Claim
    history: list[HistoryEntry]
    moves: list[ClaimState]  # what the caller may move it to now
    actor: Actor | None


@dataclass(frozen=True)
class Move:
    to: ClaimState
    version: int
    note: str = ""
    expected_return: date | None = None
    appointment: datetime | None = None
    quote_vnd: int | None = None


@dataclass(frozen=True)
class Edit:
    """Fields staff may correct without a move (``None``: unchanged)."""

    version: int
    claim_type: ClaimType | None = None
    expected_return: date | None = None
    appointment: datetime | None = None
    description: str | None = None
    customer_address: str | None = None
    customer_province: str | None = None
    preferred_time: str | None = None
    note: str = ""


# -- reading -----------------------------------------------------------------------------------


def unit_facts(unit: Any, model: Any, replaced_on: date | None = None) -> UnitFacts:
    """What the verdict needs of a catalog unit and its model's terms (a unit handed over as a
    replacement restarts its warranty on ``replaced_on``: the eligibility engine's rule)."""
    return UnitFacts.of(unit, model, replaced_on=replaced_on or getattr(unit, "replaced_on", None))


def get(claim_id: str, caller: Caller, *, store: Store) -> Claim:
    """The request if the caller may read it; ``claim_not_found`` (404) otherwise, so a company
    cannot tell another's request from one that does not exist."""
    claim = store.get(claim_id) if is_claim_id(claim_id) else None
    if claim is None or not may_read(caller, claim):
        raise NotFound("claim_not_found")
    return claim


def detail(claim_id: str, caller: Caller, *, store: Store) -> Detail:
    """The request, its history (oldest first) and the moves the caller may make now."""
    claim = get(claim_id, caller, store=store)
    actor = actor_of(caller, claim)
    moves = next_states(claim.state, actor) if actor else []
    return Detail(claim, store.history(claim_id), moves, actor)


def scoped(wanted: ClaimFilter, caller: Caller) -> ClaimFilter | None:
    """What ``caller`` may list of ``wanted``: the desk and the accountant anything; a
    technician or a company's user their own requests only (``None``: nothing, as when they
    ask for another assignee's)."""
    if caller.reads_all:
        return wanted
    own = caller.assignee_key
    if not own or (wanted.assignee_key and wanted.assignee_key != own):
        return None
    return replace(wanted, assignee_key=own)


def _sees_none(caller: Caller) -> bool:
    return not (caller.reads_all or caller.assignee_key)


def _own_key(caller: Caller) -> str | None:
    """``None`` for a caller who sees every request; the key of the only ones others see."""
    return None if caller.reads_all else caller.assignee_key


def page(
    wanted: ClaimFilter,
    caller: Caller,
    *,
    limit: int,
    after: dict[str, Any] | None,
    store: Store,
) -> Page:
    """One page of the table, latest first: every request for the desk and the accountant,
    their own for a technician or a company's user."""
    allowed = scoped(wanted, caller)
    if allowed is None:
        return Page([], None)
    found, position = store.page(allowed, limit=limit, after=after)
    return Page(found, position)


def board(caller: Caller, *, limit: int, store: Store) -> list[Column]:
    """Every state's count and its first ``limit`` requests (the oldest in the state first:
    the ones ageing), of every request or the caller's own; a state with none costs no read."""
    if _sees_none(caller):
        return [Column(state, 0, [], None) for state in BOARD_STATES]
    own = _own_key(caller)
    counts = store.counts(own)
    columns = []
    for state in BOARD_STATES:
        count = counts.get(state, 0)
        found, position = (
            store.column(state, limit=limit, after=None, assignee_key=own)
            if count > 0
            else ([], None)
        )
        columns.append(Column(state, count, found, position))
    return columns


def column(
    state: ClaimState,
    caller: Caller,
    *,
    limit: int,
    after: dict[str, Any] | None,
    store: Store,
) -> Column:
    """The next page of one board column (the caller's own, as :func:`board`)."""
    if _sees_none(caller):
        return Column(state, 0, [], None)
    own = _own_key(caller)
    found, position = store.column(state, limit=limit, after=after, assignee_key=own)
    return Column(state, store.counts(own).get(state, 0), found, position)


def mine(caller: Caller, *, limit: int, after: dict[str, Any] | None, store: Store) -> Page:
    """The requests assigned to the caller (a technician, a company's user), latest change
    first; nothing for a caller who is neither."""
    if not caller.assignee_key:
        return Page([], None)
    found, position = store.assigned(caller.assignee_key, limit=limit, after=after)
    return Page(found, position)


# -- writing -----------------------------------------------------------------------------------


def _visible(before: Claim | None, after: Claim) -> bool:
    """The customer's timeline shows a change of step or of the expected return date."""
    if before is None:
        return True
    step_changed = CUSTOMER_STEP[before.state] != CUSTOMER_STEP[after.state]
    return step_changed or before.expected_return != after.expected_return


def _commit(
    before: Claim,
    after: Claim,
    *,
    caller: Caller,
    actor: Actor,
    action: str,
    note: str,
    at: datetime,
    store: Store,
    rules: ClaimRules,
    also: AlsoWrite | None = None,
) -> Claim:
    """Write ``after`` (version + 1) with its history item, conditional on ``before``'s
    version (and ``also``'s writes, in the same transaction)."""
    if after.state is not before.state:
        after = replace(after, state_since=at, due_at=due_at(after.state, at, rules.sla_hours))
    after = replace(
        after, version=before.version + 1, updated_at=at, updated_by=caller.name, last_action=action
    )
    entry = HistoryEntry(
        claim_id=after.claim_id,
        seq=after.version,
        at=at,
        by=caller.name,
        actor=actor,
        action=action,
        state_from=before.state,
        state_to=after.state,
        note=note,
        changes=field_changes(before, after),
        visible=_visible(before, after),
    )
    store.save(after, before=before, entry=entry, also=also)
    return after


def _current(claim_id: str, version: int, caller: Caller, store: Store) -> Claim:
    claim = get(claim_id, caller, store=store)
    if claim.version != version:
        raise Conflict("claim_changed", version=claim.version)
    return claim


def _decided(unit: Any, model: Any, at: datetime, exclusions: Sequence[Exclusion] = ()) -> Decided:
    facts = unit_facts(unit, model)
    return Decided(decide(facts, today=business_day(at), exclusions=exclusions), at)


def create(
    draft: ClaimDraft,
    caller: Caller,
    *,
    channel: Channel,
    at: datetime,
    store: Store,
    units: Units,
    models: Models,
    rules: ClaimRules,
) -> Claim:
    """A new request in ``new`` for a registered unit (``unit_not_found`` 404; a void unit is
    ``claim_unit_void`` 409), with the verdict decided now. Its reference is drawn at random and
    its creation is conditional on the reference being free (drawn again if taken)."""
    unit = units.find(draft.serial)
    if unit is None:
        raise NotFound("unit_not_found")
    if unit.status == "void":
        raise Conflict("claim_unit_void")
    model = models.get(unit.model_code)
    claim = Claim(
        claim_id=new_claim_id(),
        version=1,
        claim_type=draft.claim_type,
        channel=channel,
        state=ClaimState.NEW,
        state_since=at,
        created_at=at,
        created_by=caller.name,
        updated_at=at,
        serial=unit.serial,
        model_code=unit.model_code,
        model_name=model.name,
        category=getattr(model, "category", ""),
        customer=draft.customer,
        description=draft.description,
        answers=dict(draft.answers),
        preferred_time=draft.preferred_time,
        decided=_decided(unit, model, at),
        due_at=due_at(ClaimState.NEW, at, rules.sla_hours),
        photos=tuple(Photo(key, "uploaded", caller.name, at) for key in draft.photos),
        updated_by=caller.name,
        last_action="create",
    )
    actor = Actor.CUSTOMER if caller.customer else Actor.DESK
    for attempt in range(ID_ATTEMPTS):
        entry = HistoryEntry(
            claim.claim_id, 1, at, caller.name, actor, "create", None, ClaimState.NEW,
            changes=field_changes(None, claim), visible=True,
        )  # fmt: skip
        try:
            store.create(claim, entry)
            return claim
        except Conflict as exc:
            if exc.code != "claim_id_taken" or attempt == ID_ATTEMPTS - 1:
                raise
            claim = replace(claim, claim_id=new_claim_id())
    raise AssertionError("unreachable")  # pragma: no cover


def _require_actor(caller: Caller, claim: Claim) -> Actor:
    actor = actor_of(caller, claim)
    if actor is None:
        raise Forbidden("claim_not_yours")
    return actor


def _reopened(claim: Claim, at: datetime, rules: ClaimRules) -> Claim:
    """A finished request reopened: within ``rules.reopen_days`` of the work's end only (then
    a new request is filed); counted as a repeat repair."""
    if at - claim.state_since > timedelta(days=rules.reopen_days):
        raise Conflict("claim_reopen_too_late", days=rules.reopen_days)
    return replace(claim, reopened_from=claim.state, reopen_count=claim.reopen_count + 1)


def _moved_fields(claim: Claim, request: Move, at: datetime, rules: ClaimRules) -> Claim:
    """The move's own fields and what its target requires."""
    to = request.to
    if to is ClaimState.QUOTED and not (request.quote_vnd or claim.quote_vnd):
        raise Invalid("claim_quote_required")
    if to is ClaimState.SCHEDULED and not (request.appointment or claim.appointment):
        raise Invalid("claim_appointment_required")
    if to is ClaimState.ROUTED and not claim.assignee_key:
        raise Conflict("claim_assignee_required")
    if to is ClaimState.REOPENED:
        claim = _reopened(claim, at, rules)
    if to is ClaimState.CONFIRMED:
        claim = replace(claim, customer_confirmed=True)
    if to in OUTCOMES:
        claim = replace(claim, outcome=to)
    return replace(
        claim,
        state=to,
        quote_vnd=request.quote_vnd if request.quote_vnd is not None else claim.quote_vnd,
        appointment=request.appointment or claim.appointment,
        expected_return=request.expected_return or claim.expected_return,
    )


def move(
    claim_id: str,
    request: Move,
    caller: Caller,
    *,
    at: datetime,
    store: Store,
    rules: ClaimRules,
) -> Claim:
    """One move along the diagram by the caller's part in it (``claim_move_not_allowed`` 409
    for a move the diagram does not draw or not for them; ``claim_note_required`` 400 where the
    history must say why; ``claim_changed`` 409 when the request moved since it was read)."""
    claim = _current(claim_id, request.version, caller, store)
    actor = _require_actor(caller, claim)
    if not can_move(claim.state, request.to, actor):
        raise Conflict("claim_move_not_allowed", state=claim.state.value, to=request.to.value)
    note = request.note.strip()
    if needs_note(claim.state, request.to) and not note:
        raise Invalid("claim_note_required")
    after = _moved_fields(claim, request, at, rules)
    return _commit(
        claim, after, caller=caller, actor=actor, action="move", note=note, at=at,
        store=store, rules=rules,
    )  # fmt: skip


def edit(
    claim_id: str, request: Edit, caller: Caller, *, at: datetime, store: Store, rules: ClaimRules
) -> Claim:
    """Correct fields without a move (the desk any, the assignee the dates); every change in
    the history. A note alone is a history item of its own (``note``); nothing changed and no
    note is not a write."""
    claim = _current(claim_id, request.version, caller, store)
    actor = _require_actor(caller, claim)
    office = (request.claim_type, request.description, request.customer_address,
              request.customer_province, request.preferred_time)  # fmt: skip
    if actor is not Actor.DESK and any(v is not None for v in office):
        raise Forbidden("claim_edit_not_allowed")
    customer = replace(
        claim.customer,
        address=_or(request.customer_address, claim.customer.address),
        province=_or(request.customer_province, claim.customer.province),
    )
    after = replace(
        claim,
        claim_type=request.claim_type or claim.claim_type,
        expected_return=request.expected_return or claim.expected_return,
        appointment=request.appointment or claim.appointment,
        description=_or(request.description, claim.description),
        preferred_time=_or(request.preferred_time, claim.preferred_time),
        customer=customer,
    )
    note = request.note.strip()
    changed = bool(field_changes(claim, after))
    if not changed and not note:
        return claim
    return _commit(
        claim, after, caller=caller, actor=actor, action="edit" if changed else "note",
        note=note, at=at, store=store, rules=rules,
    )  # fmt: skip


def _or(value: str | None, current: str) -> str:
    return current if value is None else value


def route(
    claim_id: str,
    assignee_key: str,
    version: int,
    caller: Caller,
    *,
    at: datetime,
    store: Store,
    names: AssigneeNames,
    rules: ClaimRules,
    note: str = "",
) -> Claim:
    """Send the request to a technician (``tech#<username>``, internal) or a service company
    (``company#<id>``, outsourced): from ``triaged`` or ``quote_accepted`` it moves to
    ``routed``; a request already ``routed`` changes hands. The desk only; an unknown assignee
    is ``claim_assignee_unknown`` (400)."""
    claim = _current(claim_id, version, caller, store)
    actor = _require_actor(caller, claim)
    if actor is not Actor.DESK:
        raise Forbidden("claim_route_not_allowed")
    name = names(assignee_key)
    if name is None:
        raise Invalid("claim_assignee_unknown")
    if claim.state is not ClaimState.ROUTED and not can_move(claim.state, ClaimState.ROUTED, actor):
        raise Conflict("claim_move_not_allowed", state=claim.state.value, to="routed")
    after = replace(
        claim,
        state=ClaimState.ROUTED,
        routing=routing_of(assignee_key),
        assignee_key=assignee_key,
        assignee_name=name,
    )
    return _commit(
        claim, after, caller=caller, actor=actor, action="route", note=note.strip(), at=at,
        store=store, rules=rules,
    )  # fmt: skip


def redecide(
    claim_id: str,
    exclusions: Sequence[Exclusion],
    version: int,
    caller: Caller,
    *,
    at: datetime,
    store: Store,
    units: Units,
    models: Models,
    rules: ClaimRules,
) -> Claim:
    """Decide the verdict again from the unit as it is now and the exclusions staff found
    (each with its reason); a director's override is dropped with the old verdict."""
    claim = _current(claim_id, version, caller, store)
    actor = _require_actor(caller, claim)
    if actor not in (Actor.DESK, Actor.ASSIGNEE):
        raise Forbidden("role_not_allowed")
    unit = units.find(claim.serial)
    if unit is None:
        raise NotFound("unit_not_found")
    decided = _decided(unit, models.get(unit.model_code), at, exclusions)
    after = replace(claim, decided=decided, exclusions=tuple(exclusions))
    note = "; ".join(f"{e.code}: {e.reason}" for e in exclusions)
    return _commit(
        claim, after, caller=caller, actor=actor, action="verdict", note=note, at=at,
        store=store, rules=rules,
    )  # fmt: skip


def override(
    claim_id: str,
    status: VerdictStatus,
    reason: str,
    version: int,
    caller: Caller,
    *,
    at: datetime,
    store: Store,
    rules: ClaimRules,
) -> Claim:
    """The director decides the verdict's status against the engine's, with a reason (both in
    the history); the verdict keeps the status it had before any override and its reasons,
    plus ``verdict_overridden``. A later re-decision drops the override."""
    claim = _current(claim_id, version, caller, store)
    actor = _require_actor(caller, claim)
    if not caller.roles & OVERRIDE_ROLES:
        raise Forbidden("role_not_allowed")
    reason = reason.strip()
    if not reason:
        raise Invalid(fields=[FieldError("reason", "claim_override_reason_required")])
    decided = claim.decided
    if decided is None:  # every request is decided when filed; kept for old items
        raise Conflict("claim_not_decided")
    before = decided.override.status_before if decided.override else decided.status
    kept = tuple(r for r in decided.verdict.reasons if r.code != "verdict_overridden")
    marked = Reason("verdict_overridden", {"status_before": before.value})
    verdict = replace(decided.verdict, status=status, reasons=(*kept, marked))
    overridden = Decided(verdict, at, VerdictOverride(caller.name, reason, before))
    after = replace(claim, decided=overridden)
    return _commit(
        claim, after, caller=caller, actor=actor, action="override", note=reason, at=at,
        store=store, rules=rules,
    )  # fmt: skip


COST_KINDS = ("part", "labour", "travel", "revenue")
PAYERS = ("warranty", "customer", "supplier")
MAX_COST_LINES = 200


def add_cost(
    claim_id: str,
    line: NewCost,
    caller: Caller,
    *,
    at: datetime,
    store: Store,
    rules: ClaimRules,
    also: Callable[[Claim], AlsoWrite] | None = None,
) -> Claim:
    """Append one line (never edited: a correction is a line of its own); the desk or the
    assignee. Revenue is paid by the customer (``claim_revenue_payer``). ``also``: writes made
    with it, given the request as read (a spare part from stock: its movement)."""
    claim = _current(claim_id, line.version, caller, store)
    actor = _require_actor(caller, claim)
    if actor not in (Actor.DESK, Actor.ASSIGNEE):
        raise Forbidden("role_not_allowed")
    if line.amount_vnd == 0:
        raise Invalid(fields=[FieldError("amount_vnd", "claim_cost_zero")])
    if line.kind == "revenue" and line.payer != "customer":
        raise Invalid(fields=[FieldError("payer", "claim_revenue_payer")])
    if len(claim.costs) >= MAX_COST_LINES:
        raise Conflict("claim_too_many_costs", limit=MAX_COST_LINES)
    cost = CostLine(
        line_id=str(len(claim.costs) + 1),
        kind=line.kind,
        description=line.description,
        amount_vnd=line.amount_vnd,
        payer=line.payer,
        by=caller.name,
        at=at,
        quantity=line.quantity,
        part_code=line.part_code,
        movement_id=line.movement_id,
    )
    after = replace(claim, costs=(*claim.costs, cost))
    return _commit(
        claim, after, caller=caller, actor=actor, action="cost", note=line.description, at=at,
        store=store, rules=rules, also=also(claim) if also else None,
    )  # fmt: skip


REPLACEMENT_STATES = frozenset(
    {ClaimState.DIAGNOSING, ClaimState.WAITING_PARTS, ClaimState.REPAIRING, ClaimState.REPLACED}
)
# The catalog's replacement: (old serial, new serial, when, by whom) → the new unit.
Replacer = Callable[[str, str, datetime, str], Any]


def record_replacement(
    claim_id: str,
    new_serial: str,
    version: int,
    caller: Caller,
    *,
    at: datetime,
    store: Store,
    replacer: Replacer,
    rules: ClaimRules,
    note: str = "",
) -> Claim:
    """The unit is replaced: the catalog registers ``new_serial`` if needed, activates it for
    the customer from today, links both units and voids the old one; the request names the new
    unit. The desk or the assignee, while the unit is diagnosed or repaired (or just moved to
    ``replaced``): ``claim_replacement_not_allowed`` (409) otherwise. A retry after a
    ``claim_changed`` finds the catalog's part done and writes the request only."""
    claim = _current(claim_id, version, caller, store)
    actor = _require_actor(caller, claim)
    if actor not in (Actor.DESK, Actor.ASSIGNEE):
        raise Forbidden("role_not_allowed")
    if claim.state not in REPLACEMENT_STATES or claim.replacement_serial not in (None, new_serial):
        raise Conflict("claim_replacement_not_allowed", state=claim.state.value)
    unit = replacer(claim.serial, new_serial, at, caller.name)
    after = replace(claim, replacement_serial=unit.serial)
    return _commit(
        claim, after, caller=caller, actor=actor, action="replacement",
        note=note.strip() or unit.serial, at=at, store=store, rules=rules,
    )  # fmt: skip


@dataclass(frozen=True)
class WarrantyHistory:
    """A unit's life under warranty: the unit (activation, owner, installer, dealer, the units
    it replaced or was replaced by) and every request about it, oldest first."""

    unit: Any
    claims: list[Claim]


def warranty_history(serial: str, *, units: Units, store: Store) -> WarrantyHistory:
    """The unit and its requests (``unit_not_found`` 404); who may read it is the caller's
    route's to check (staff, or the session of the phone that activated it)."""
    unit = units.find(serial)
    if unit is None:
        raise NotFound("unit_not_found")
    return WarrantyHistory(unit, store.of_serial(unit.serial))


def preview(serial: str, *, at: datetime, units: Units, models: Models) -> tuple[Any, Decided]:
    """The unit and the verdict a request for it would get now (nothing written)."""
    unit = units.find(serial)
    if unit is None:
        raise NotFound("unit_not_found")
    return unit, _decided(unit, models.get(unit.model_code), at)


def current_version(claim_id: str, caller: Caller, *, store: Store) -> int:
    return get(claim_id, caller, store=store).version


RATED_STATES = frozenset({ClaimState.RETURNED, ClaimState.CONFIRMED, ClaimState.CLOSED})


def rate(
    claim_id: str,
    rating: int,
    note: str,
    *,
    at: datetime,
    store: Store,
    rules: ClaimRules,
) -> Claim:
    """The customer's rating (1–5) once the unit is back, given once (``claim_already_rated``,
    ``claim_not_returned`` 409)."""
    caller = Caller.the_customer()
    claim = get(claim_id, caller, store=store)
    if claim.state not in RATED_STATES:
        raise Conflict("claim_not_returned")
    if claim.rating is not None:
        raise Conflict("claim_already_rated")
    after = replace(claim, rating=rating, rating_note=note or None)
    return _commit(
        claim, after, caller=caller, actor=Actor.CUSTOMER, action="rating", note=note,
        at=at, store=store, rules=rules,
    )  # fmt: skip


def attach_photos(
    claim_id: str,
    keys: Sequence[str],
    caller: Caller,
    *,
    at: datetime,
    store: Store,
    storage: claim_photos.PhotoStorage,
    rules: ClaimRules,
) -> Claim:
    """Photos staff or the assignee uploaded, added to the request (cleaned by the stream)."""
    claim = get(claim_id, caller, store=store)
    actor = _require_actor(caller, claim)
    if actor not in (Actor.DESK, Actor.ASSIGNEE):
        raise Forbidden("role_not_allowed")
    checked = claim_photos.check_uploaded(keys, storage=storage)
    if len(claim.photos) + len(checked) > 3 * claim_photos.MAX_PHOTOS:
        raise Invalid("claim_too_many_photos", limit=3 * claim_photos.MAX_PHOTOS)
    added = tuple(Photo(key, "uploaded", caller.name, at) for key in checked)
    after = replace(claim, photos=claim.photos + added)
    return _commit(
        claim, after, caller=caller, actor=actor, action="photo", note="", at=at,
        store=store, rules=rules,
    )  # fmt: skip


PHOTO_ATTEMPTS = 3


def process_photos(
    claim_id: str,
    *,
    at: datetime,
    store: Store,
    storage: claim_photos.PhotoStorage,
    rules: ClaimRules,
) -> Claim | None:
    """The claims stream's step: each uploaded photo of the request cleaned (or refused) and
    the request updated, conditional on its version (a move meanwhile: read again and retry).
    Nothing to do: ``None`` (a redelivered record, or a change without new photos)."""
    system = Caller.the_system()
    for attempt in range(PHOTO_ATTEMPTS):
        claim = store.get(claim_id)
        if claim is None or all(p.state != "uploaded" for p in claim.photos):
            return None
        cleaned = tuple(
            replace(p, key=key, state=state)
            for p in claim.photos
            for key, state in [
                claim_photos.clean(claim_id, p.key, storage=storage)
                if p.state == "uploaded"
                else (p.key, p.state)
            ]
        )
        try:
            return _commit(
                claim, replace(claim, photos=cleaned), caller=system, actor=Actor.SYSTEM,
                action="photo", note="", at=at, store=store, rules=rules,
            )  # fmt: skip
        except Conflict:
            if attempt == PHOTO_ATTEMPTS - 1:
                raise
    return None
