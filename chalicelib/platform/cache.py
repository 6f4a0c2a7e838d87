"""What a container builds once: adapters on first use (never at import, never per request), and
one ``reset()`` that forgets all of it, for tests and the embedded stack's restarts.

>>> calls = []
>>> @once_per_container
... def client() -> list[int]:
...     calls.append(1)
...     return calls
>>> client() is client(), len(calls)
(True, 1)
>>> reset(); _ = client(); len(calls)
2
>>> built = Rebuilt(lambda settings: {"from": settings})
>>> first = {"v": 1}
>>> built.get(first) is built.get(first), built.get({"v": 1}) is built.get(first)
(True, False)
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Generic, TypeVar

from chalicelib.core.settings import get_settings

T = TypeVar("T")
K = TypeVar("K")
V = TypeVar("V")

_CLEARS: list[Callable[[], None]] = []


def on_reset(clear: Callable[[], None]) -> None:
    """Have ``reset()`` call ``clear`` (a cache kept somewhere this module cannot see)."""
    _CLEARS.append(clear)


def once_per_container(factory: Callable[[], T]) -> Callable[[], T]:
    """``factory``'s value, built on the first call and kept for the container's life."""
    cached = functools.cache(factory)
    on_reset(cached.cache_clear)
    return cached


class Rebuilt(Generic[K, V]):
    """A value built from a settings object and rebuilt only when that object changes. The
    parsed settings are cached per parameter value, so the same object means unchanged settings
    (identity, not equality: a rebuilt pool is cheap, a stale credential is not)."""

    def __init__(self, build: Callable[[K], V]) -> None:
        self._build = build
        self._hit: tuple[K, V] | None = None
        on_reset(self.clear)

    def get(self, settings: K) -> V:
        hit = self._hit
        if hit is None or hit[0] is not settings:
            hit = (settings, self._build(settings))
            self._hit = hit
        return hit[1]

    def clear(self) -> None:
        self._hit = None


def reset() -> None:
    """Forget everything built once per container, the settings included."""
    get_settings.cache_clear()
    for clear in _CLEARS:
        clear()
