"""Roll-up counters kept by a stream, the parts without I/O: a batch's events summed into one
increment per counter and item, cut into transactions DynamoDB accepts, and the rebuild's
rewrite. Pure: no I/O (the store is ``platform.counter_store``).

A capability names its items (``day#2026-12-01``, ``totals#d_1``…) and its counters
(``activations#channel#web``…); an event is a stream record's contribution, counted at most
once for its ``event_id`` (the record's id, the same on every redelivery):

>>> from types import SimpleNamespace
>>> def event(n, *items):
...     return SimpleNamespace(event_id=str(n), bumps=lambda: [Bump(i, "sold") for i in items])
>>> tally([event(1, "day#2026-12-01", "totals#d_1"), event(2, "day#2026-12-01")])
{'day#2026-12-01': Counter({'sold': 2}), 'totals#d_1': Counter({'sold': 1})}
>>> [len(group) for group in chunks([event(n, "day#1") for n in range(5)], 4)]
[3, 2]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

MAX_TRANSACTION_ITEMS = 100  # DynamoDB's limit per TransactWriteItems
MARKER = "counted#"  # the item of a counted event's marker: ``counted#<event id>``


@dataclass(frozen=True)
class Bump:
    """``n`` (+1, or −1 for an undoing) on ``counter`` of ``item``."""

    item: str
    counter: str
    n: int = 1


class Counted(Protocol):
    """A stream record's contribution: its bumps, counted once for ``event_id``."""

    @property
    def event_id(self) -> str: ...

    def bumps(self) -> Sequence[Bump]: ...


E = TypeVar("E", bound=Counted)


class UncountedEvents(Exception):
    """A chunk could not be written: ``events`` (it and every later chunk) are not counted."""

    def __init__(self, events: Sequence[Counted]) -> None:
        super().__init__(f"{len(events)} events not counted")
        self.events = list(events)


@dataclass(frozen=True)
class StoredCounters:
    """Items as stored (an absent one is ``{}``) and the ``BatchGetItem`` calls it took."""

    items: dict[str, dict[str, int]]
    reads: int = 0


def tally(events: Iterable[Counted]) -> dict[str, Counter[str]]:
    """The batch summed in memory: one increment per counter and item (a counter that sums to 0
    is kept: ``ADD 0`` is harmless)."""
    items: dict[str, Counter[str]] = {}
    for event in events:
        for bump in event.bumps():
            items.setdefault(bump.item, Counter())[bump.counter] += bump.n
    return items


def chunks(events: Sequence[E], max_items: int) -> list[list[E]]:
    """Consecutive groups whose transaction (one marker per event plus one update per item
    they touch) holds at most ``max_items`` items; order is kept, so a failed group and all
    after it is what the stream must deliver again."""
    groups: list[list[E]] = []
    current: list[E] = []
    items: set[str] = set()
    for event in events:
        touched = {bump.item for bump in event.bumps()}
        if current and len(current) + 1 + len(items | touched) > max_items:
            groups.append(current)
            current, items = [], set()
        current.append(event)
        items |= touched
    if current:
        groups.append(current)
    return groups


class RebuiltItems(Protocol):
    def stored_items(self) -> list[str]: ...
    def replace_items(self, items: Mapping[str, Counter[str]]) -> None: ...
    def remove_items(self, items: Sequence[str]) -> None: ...


def rewrite(items: Mapping[str, Counter[str]], *, store: RebuiltItems) -> None:
    """A rebuild's write: each of ``items`` replaced whole, every other stored item removed
    (markers are the store's own and stay).

    >>> class Store:
    ...     stored = {"day#1": Counter(a=9), "day#2": Counter(a=1)}
    ...     def stored_items(self): return sorted(self.stored)
    ...     def replace_items(self, items): self.stored.update(items)
    ...     def remove_items(self, items): [self.stored.pop(i) for i in items]
    >>> store = Store()
    >>> rewrite({"day#1": Counter(a=2)}, store=store)
    >>> store.stored
    {'day#1': Counter({'a': 2})}
    """
    stale = [item for item in store.stored_items() if item not in items]
    store.replace_items(items)
    store.remove_items(stale)
