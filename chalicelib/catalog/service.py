"""Product models: create, read, update, list, delete, and a per-container read cache."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Protocol

from chalicelib.catalog.model import ProductModel


class ModelStore(Protocol):
    def get(self, code: str) -> ProductModel: ...
    def get_many(self, codes: Iterable[str]) -> dict[str, ProductModel]: ...
    def list(self) -> list[ProductModel]: ...
    def create(self, model: ProductModel, *, by: str | None = None) -> ProductModel: ...
    def replace(self, model: ProductModel, *, by: str | None = None) -> ProductModel: ...
    def delete(self, code: str) -> None: ...


class ModelCache:
    """Read-through cache of product models for one container (models change rarely; a
    minute of staleness on the public pages is acceptable, writes go to the store)."""

    def __init__(
        self,
        store: ModelStore,
        ttl_seconds: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._store = store
        self._ttl = ttl_seconds
        self._clock = clock
        self._entries: dict[str, tuple[float, ProductModel]] = {}

    def get(self, code: str) -> ProductModel:
        return self.get_many([code]).get(code) or self._store.get(code)

    def get_many(self, codes: Iterable[str]) -> dict[str, ProductModel]:
        now = self._clock()
        wanted = set(codes)
        fresh = {
            c: e[1] for c, e in self._entries.items() if c in wanted and now - e[0] < self._ttl
        }
        missing = wanted - fresh.keys()
        if missing:
            for code, model in self._store.get_many(missing).items():
                self._entries[code] = (now, model)
                fresh[code] = model
        return fresh

    def forget(self, code: str) -> None:
        self._entries.pop(code, None)


def create_model(
    model: ProductModel, *, store: ModelStore, cache: ModelCache, by: str | None = None
) -> ProductModel:
    """Add a model (``by`` the staff member, for the audit trail); ``Conflict("model_exists")``
    if its code is taken."""
    created = store.create(model, by=by)
    cache.forget(model.code)
    return created


def update_model(
    model: ProductModel, *, store: ModelStore, cache: ModelCache, by: str | None = None
) -> ProductModel:
    """Replace a model's editable fields; ``NotFound`` if it does not exist."""
    store.replace(model, by=by)
    cache.forget(model.code)
    return store.get(model.code)


def delete_model(code: str, *, store: ModelStore, cache: ModelCache) -> None:
    """Delete a model no unit uses; ``Conflict("model_in_use")`` otherwise."""
    store.delete(code)
    cache.forget(code)
