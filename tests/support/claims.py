"""Service requests for tests: an in-memory store that keeps the repository's conditions (a
create refused when the reference exists, a save refused unless the stored version is the one
expected, a history item never overwritten), and requests in any state, made through it."""

from __future__ import annotations

import dataclasses
import threading
from datetime import UTC, date, datetime
from typing import Any

from chalicelib.catalog.model import Activation, Owner, Unit, UnitStatus
from chalicelib.catalog.warranty import WarrantyTerms
from chalicelib.claims.model import (
    Caller,
    Channel,
    Claim,
    ClaimType,
    Customer,
    HistoryEntry,
)
from chalicelib.claims.service import ClaimFilter
from chalicelib.claims.states import ClaimState
from chalicelib.core.errors import Conflict

T0 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
DESK = Caller("lan", frozenset({"cs"}))
TECH = Caller("an", frozenset({"technician"}), "tech#an")
OTHER_TECH = Caller("binh", frozenset({"technician"}), "tech#binh")
CUSTOMER = Caller.the_customer()
SYSTEM = Caller.the_system()


class MemoryClaims:
    def __init__(self) -> None:
        self.claims: dict[str, Claim] = {}
        self.entries: dict[tuple[str, int], HistoryEntry] = {}
        self._lock = threading.Lock()

    def create(self, claim: Claim, entry: HistoryEntry) -> None:
        with self._lock:
            if claim.claim_id in self.claims:
                raise Conflict("claim_id_taken")
            self.claims[claim.claim_id] = claim
            self.entries[(claim.claim_id, entry.seq)] = entry

    def get(self, claim_id: str) -> Claim | None:
        return self.claims.get(claim_id)

    def save(
        self, claim: Claim, *, before: Claim, entry: HistoryEntry, also: object = None
    ) -> None:
        assert also is None  # another capability's writes need the real transaction
        with self._lock:
            stored = self.claims.get(claim.claim_id)
            if stored is None or stored.version != before.version:
                raise Conflict("claim_changed")
            assert (claim.claim_id, entry.seq) not in self.entries
            self.claims[claim.claim_id] = claim
            self.entries[(claim.claim_id, entry.seq)] = entry

    def history(self, claim_id: str) -> list[HistoryEntry]:
        return [e for (c, _), e in sorted(self.entries.items()) if c == claim_id]

    def page(
        self, wanted: ClaimFilter, *, limit: int, after: dict[str, Any] | None
    ) -> tuple[list[Claim], dict[str, Any] | None]:
        found = [c for c in self.claims.values() if not wanted.state or c.state is wanted.state]
        return sorted(found, key=lambda c: c.created_at, reverse=True)[:limit], None

    def column(
        self,
        state: ClaimState,
        *,
        limit: int,
        after: dict[str, Any] | None,
        assignee_key: str | None = None,
    ) -> tuple[list[Claim], dict[str, Any] | None]:
        found = [
            c
            for c in self.claims.values()
            if c.state is state and (assignee_key is None or c.assignee_key == assignee_key)
        ]
        return sorted(found, key=lambda c: c.state_since)[:limit], None

    def counts(self, assignee_key: str | None = None) -> dict[ClaimState, int]:
        counts: dict[ClaimState, int] = {}
        for claim in self.claims.values():
            if assignee_key is None or claim.assignee_key == assignee_key:
                counts[claim.state] = counts.get(claim.state, 0) + 1
        return counts

    def assigned(
        self, assignee_key: str, *, limit: int, after: dict[str, Any] | None
    ) -> tuple[list[Claim], dict[str, Any] | None]:
        return [c for c in self.claims.values() if c.assignee_key == assignee_key][:limit], None

    def of_serial(self, serial: str) -> list[Claim]:
        return [c for c in self.claims.values() if c.serial == serial]


class MemoryUnits:
    def __init__(self, *units: Unit) -> None:
        self.units = {u.serial: u for u in units}

    def find(self, serial: str) -> Unit | None:
        return self.units.get(serial)


TWO_YEARS = WarrantyTerms(months=24)


@dataclasses.dataclass(frozen=True)
class _Model:
    code: str
    name: str
    category: str = ""
    terms: WarrantyTerms = TWO_YEARS


class MemoryModels:
    def get(self, code: str) -> _Model:
        return _Model(code, f"Model {code}", "Máy lạnh")


def activated_unit(serial: str = "GAR000000019", warranty_end: date = date(2028, 3, 1)) -> Unit:
    owner = Owner("Nguyễn Thị Lan", "+84912345678")
    activation = Activation(
        activated_at=datetime(2026, 3, 1, 3, 0, tzinfo=UTC),
        warranty_start=date(2026, 3, 1),
        warranty_end=warranty_end,
        warranty_reason="warranty_from_activation",
        channel="web",
        owner=owner,
    )
    return Unit(serial, "AC-9", UnitStatus.ACTIVATED, activation=activation)


def claim_in(state: ClaimState, *, claim_id: str = "SR-7K3M9Q2X", **overrides: Any) -> Claim:
    """A request in ``state`` (assigned to technician ``an``), version 1."""
    claim = Claim(
        claim_id=claim_id,
        version=1,
        claim_type=ClaimType.REPAIR,
        channel=Channel.PORTAL,
        state=state,
        state_since=T0,
        created_at=T0,
        created_by="customer",
        updated_at=T0,
        serial="GAR000000019",
        model_code="AC-9",
        customer=Customer("Nguyễn Thị Lan", "+84912345678"),
        description="Máy không lạnh",
        assignee_key="tech#an",
        assignee_name="an",
    )
    return dataclasses.replace(claim, **overrides)
