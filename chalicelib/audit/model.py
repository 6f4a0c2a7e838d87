"""An audit entry: one fact about one thing, never edited (a correction is a new entry)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """``entity`` is the kind of thing (``unit``, ``model``, ``brand``, ``label_template``,
    ``user``, ``customer``); ``entity_id`` its key; ``action`` a stable code (``created``,
    ``updated``, ``deleted``, ``owner_revealed``, ``user_invited``, …); ``actor`` the staff
    username (``system`` for the machine, ``customer`` for a customer's own act). ``before`` and
    ``after`` hold only the attributes that changed (never an OTP, a token or a secret).
    ``source`` makes the entry's id deterministic: the stream record's event id, or the
    request id, so the same event recorded twice is one entry."""

    at: datetime
    actor: str
    action: str
    entity: str
    entity_id: str
    source: str
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    note: str | None = None
    extra: dict[str, str] = field(default_factory=dict)
    # Orders entries of the same millisecond: a stream record's sequence number (zero-padded),
    # since a record's time is in whole seconds. Not part of the id.
    order: str = ""

    @property
    def entry_id(self) -> str:
        digest = hashlib.sha256(
            f"{self.entity}\x1f{self.entity_id}\x1f{self.action}\x1f{self.source}".encode()
        )
        return digest.hexdigest()[:20]


@dataclass(frozen=True, slots=True)
class AuditPage:
    """Entries of one query, newest first, and the key to resume it after (``None``: done)."""

    entries: list[AuditEntry]
    last_key: dict[str, Any] | None
