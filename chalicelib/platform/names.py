"""Names of the things a page names by id (a dealer on the landing page's "Sold through
<dealer>", the service centre a request is routed to): only the name, each kept a minute per
container, so a popular one costs one read a minute.

>>> reads = []
>>> now = [0.0]
>>> names = KeptNames(lambda d: reads.append(d) or "Minh Phát", clock=lambda: now[0])
>>> names.name_of("d_1"), names.name_of("d_1"), len(reads)
('Minh Phát', 'Minh Phát', 1)
>>> now[0] = 61.0; names.name_of("d_1"), len(reads)
('Minh Phát', 2)
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")

TTL_SECONDS = 60.0
MAX_ENTRIES = 2048  # a container forgets all past this (dealers, centres: a few hundred)


class KeptNames:
    def __init__(
        self,
        read: Callable[[str], str | None],
        *,
        ttl: float = TTL_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._read = read
        self._ttl = ttl
        self._clock = clock
        self._kept: dict[str, tuple[float, str | None]] = {}

    def name_of(self, key: str) -> str | None:
        """The name, ``None`` for an unknown id (also kept a minute)."""
        now = self._clock()
        kept = self._kept.get(key)
        if kept is not None and now - kept[0] < self._ttl:
            return kept[1]
        if len(self._kept) >= MAX_ENTRIES:
            self._kept.clear()
        name = self._read(key)
        self._kept[key] = (now, name)
        return name


class KeptValue(Generic[T]):
    """One value read at most once a ``ttl`` per container (a short registry's whole list).

    >>> reads = []
    >>> kept = KeptValue(lambda: reads.append(1) or len(reads), clock=lambda: 0.0)
    >>> kept.get(), kept.get(), len(reads)
    (1, 1, 1)
    """

    def __init__(
        self,
        read: Callable[[], T],
        *,
        ttl: float = TTL_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._read = read
        self._ttl = ttl
        self._clock = clock
        self._kept: tuple[float, T] | None = None

    def get(self) -> T:
        now = self._clock()
        if self._kept is None or now - self._kept[0] >= self._ttl:
            self._kept = (now, self._read())
        return self._kept[1]
