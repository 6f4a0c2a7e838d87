"""Dealers' names for the public landing page ("Sold through <dealer>"): only the name, each
dealer's kept a minute per container, so a popular dealer's units cost one read a minute.

>>> reads = []
>>> now = [0.0]
>>> names = DealerNames(lambda d: reads.append(d) or "Minh Phát", clock=lambda: now[0])
>>> names.name_of("d_1"), names.name_of("d_1"), len(reads)
('Minh Phát', 'Minh Phát', 1)
>>> now[0] = 61.0; names.name_of("d_1"), len(reads)
('Minh Phát', 2)
"""

from __future__ import annotations

import time
from collections.abc import Callable

TTL_SECONDS = 60.0
MAX_ENTRIES = 2048  # a container forgets all past this (dealers are a few hundred)


class DealerNames:
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

    def name_of(self, dealer_id: str) -> str | None:
        """The dealer's name, ``None`` for an unknown dealer (also kept a minute)."""
        now = self._clock()
        kept = self._kept.get(dealer_id)
        if kept is not None and now - kept[0] < self._ttl:
            return kept[1]
        if len(self._kept) >= MAX_ENTRIES:
            self._kept.clear()
        name = self._read(dealer_id)
        self._kept[dealer_id] = (now, name)
        return name
