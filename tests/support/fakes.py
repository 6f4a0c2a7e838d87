"""In-memory adapters that satisfy the services' Protocol ports (fakes, not mocks).

Each keeps the same rules its DynamoDB counterpart enforces with conditions, so a service test
against a fake means what it says. ``reads`` counters let a test state "no database read".
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime

from chalicelib.activation.consent import ConsentGrant
from chalicelib.activation.otp import OtpState, SendQuota
from chalicelib.catalog.model import (
    ACTIVATABLE,
    Activation,
    AddResult,
    NewUnit,
    ProductModel,
    Unit,
    UnitStatus,
)
from chalicelib.core.errors import Conflict, Forbidden, NotFound, TooManyRequests
from chalicelib.outbox.model import OutboundMessage
from tests.support.memory import FakeOutbox

__all__ = [
    "FakeModels",
    "FakeOtpStore",
    "FakeOutbox",  # the full outbox, with the sender's rules: tests.support.memory
    "FakeSequences",
    "FakeUnits",
]


class FakeUnits:
    """Units by serial; activation is a compare-and-set under a lock, like the transaction."""

    def __init__(self, units: Iterable[Unit] = ()) -> None:
        self.units = {u.serial: u for u in units}
        self.owner_keys: dict[str, str] = {}
        self.consents: dict[str, tuple[ConsentGrant, ...]] = {}
        self.reads = 0
        self._lock = threading.Lock()

    def get(self, serial: str) -> Unit:
        self.reads += 1
        try:
            return self.units[serial]
        except KeyError:
            raise NotFound("unit_not_found") from None

    def activate(
        self,
        serial: str,
        activation: Activation,
        *,
        owner_key: str,
        consents: Sequence[ConsentGrant],
        shipped_to: str | None = None,
    ) -> None:
        with self._lock:
            current = self.units.get(serial)
            if current is None:
                raise NotFound("unit_not_found")
            held_elsewhere = shipped_to is not None and current.dealer_id != shipped_to
            if held_elsewhere and current.activation is None:
                raise Forbidden("unit_not_shipped_to_dealer")
            if current.activation is not None:
                raise Conflict(
                    "already_activated", activated_at=current.activation.activated_at.isoformat()
                )
            if current.status not in ACTIVATABLE:
                raise Conflict("unit_not_activatable", status=current.status.value)
            self.units[serial] = dataclasses.replace(
                current, status=UnitStatus.ACTIVATED, activation=activation
            )
            self.owner_keys[serial] = owner_key
            self.consents[owner_key] = tuple(consents)

    def list_by_owner(self, owner_key: str) -> list[Unit]:
        return [self.units[s] for s, key in self.owner_keys.items() if key == owner_key]

    def existing_serials(self, serials: Iterable[str]) -> set[str]:
        return {s for s in serials if s in self.units}

    def batch_exists(self, batch: str) -> bool:
        return any(u.batch == batch for u in self.units.values())

    def serials_in_batch(self, batch: str, after: str | None = None) -> Iterator[str]:
        """A batch's serials in order, from the one after ``after`` (the index's sort key)."""
        serials = sorted(s for s, u in self.units.items() if u.batch == batch)
        yield from (s for s in serials if after is None or s > after)

    def count_in_batch(self, batch: str) -> int:
        return sum(1 for u in self.units.values() if u.batch == batch)

    def add(
        self, units: Sequence[NewUnit], *, event: str, by: str, at: datetime | None = None
    ) -> AddResult:
        added, rejected = [], {}
        for new in units:
            if new.serial in self.units:
                rejected[new.serial] = "serial_exists"
                continue
            self.units[new.serial] = Unit(
                serial=new.serial,
                model_code=new.model_code,
                status=UnitStatus.REGISTERED,
                batch=new.batch,
                manufactured_on=new.manufactured_on,
                created_at=at,
            )
            added.append(new.serial)
        return AddResult(added=added, rejected=rejected)


class FakeModels:
    def __init__(self, models: Iterable[ProductModel] = ()) -> None:
        self.models = {m.code: m for m in models}
        self.reads = 0

    def get(self, code: str) -> ProductModel:
        self.reads += 1
        try:
            return self.models[code]
        except KeyError:
            raise NotFound("model_not_found", model_code=code) from None

    def get_many(self, codes: Iterable[str]) -> dict[str, ProductModel]:
        self.reads += 1
        return {c: self.models[c] for c in codes if c in self.models}


class FakeSequences:
    def __init__(self, next_sequence: int = 0) -> None:
        self.next_sequence = next_sequence

    def reserve_sequences(self, brand_id: str, count: int) -> int:
        self.next_sequence += count
        return self.next_sequence - count + 1


class FakeOtpStore:
    """One challenge per phone key, every change conditional on what the caller read."""

    def __init__(self) -> None:
        self.states: dict[str, OtpState] = {}
        self.outbox: list[OutboundMessage] = []
        self.quota_hits: dict[str, int] = {}
        self._lock = threading.Lock()

    def get(self, phone_key: str, now: datetime) -> OtpState | None:
        return self.states.get(phone_key)

    def issue(
        self,
        state: OtpState,
        previous_version: int | None,
        message: OutboundMessage,
        quotas: Sequence[SendQuota] = (),
    ) -> None:
        with self._lock:
            current = self.states.get(state.phone_key)
            current_version = current.version if current else None
            if current_version != previous_version:
                raise Conflict("otp_resend_too_soon")
            for quota in quotas:
                if self.quota_hits.get(quota.bucket, 0) >= quota.limit:
                    wait = int((quota.window_ends - state.issued_at).total_seconds()) + 1
                    raise TooManyRequests(quota.refusal, retry_after=wait)
            for quota in quotas:
                self.quota_hits[quota.bucket] = self.quota_hits.get(quota.bucket, 0) + 1
            self.states[state.phone_key] = state
            self.outbox.append(message)

    def record_failed_attempt(self, state: OtpState, max_attempts: int) -> None:
        with self._lock:
            current = self.states[state.phone_key]
            if current.code_hash != state.code_hash or current.attempts >= max_attempts:
                raise Conflict("otp_attempts_exhausted")
            self.states[state.phone_key] = dataclasses.replace(
                current, attempts=current.attempts + 1
            )

    def consume(self, state: OtpState, code_hash: str, max_attempts: int) -> bool:
        with self._lock:
            current = self.states[state.phone_key]
            if current.code_hash != code_hash or current.used or current.attempts >= max_attempts:
                return False
            self.states[state.phone_key] = dataclasses.replace(
                current, used=True, attempts=current.attempts + 1
            )
            return True
