"""The streams' records as audit entries: what changed in a brand, a model, a unit or a label
template, with before and after of only the attributes that changed.

What each table's items hold is named here once (:data:`UNIT`, :data:`MODEL`, :data:`BRAND`):
the attributes that are noise (counters, versions, timestamps the entry has anyway) or secret
(idempotency keys, request digests, the owner's phone hash) are dropped; a customer's phone,
name and address are masked. The actor is the item's ``updated_by`` (written by the catalog and
labels repositories with the staff member's username), or for a unit the ``by`` of the history
entry the change appended (``customer`` for an activation); else ``system``. A deletion carries
no new image, so its actor is ``system`` unless the old image names none either.

The entry's source is the record's ``eventID`` and its time the record's creation time, so a
redelivered record makes the same entry, which the trail writes once.

>>> changed({"name": "A", "unit_count": 1}, {"name": "B", "unit_count": 2}, MODEL)
({'name': 'A'}, {'name': 'B'})
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from chalicelib.audit.model import AuditEntry
from chalicelib.core.phone import mask_phone
from chalicelib.core.text import mask_name

SYSTEM = "system"
SEQUENCE_DIGITS = 40  # DynamoDB stream sequence numbers are decimal, up to 40 digits


def _masked_address(value: Any) -> Any:
    return "***" if value else value


def _masked_installer(value: Any) -> Any:
    """A ``partner`` activation's installer, its phone masked and its notes hidden (free text
    that may name the customer); the rest is what staff see."""
    if not isinstance(value, dict) or not isinstance(value.get("phone"), str):
        return value
    masked = {**value, "phone": mask_phone(value["phone"])}
    if masked.get("notes"):
        masked["notes"] = "•••"
    return masked


@dataclass(frozen=True)
class Watched:
    """One kind of item fed to the trail: its entity name, the attribute that is its id, what
    to drop and what to mask."""

    entity: str
    key: str
    ignored: frozenset[str]
    masked: Mapping[str, Callable[[Any], Any]] = field(default_factory=dict)
    created: str = "created"
    # What a creation's entry keeps (None: every attribute not ignored). A registration of
    # 100,000 units is 100,000 entries: each says what matters, not the whole item again.
    created_keeps: frozenset[str] | None = None


UNIT = Watched(
    entity="unit",
    key="serial",
    ignored=frozenset(
        {"history", "idempotency_key", "request_digest", "owner_key", "batch_key", "updated_by"}
    ),
    masked={
        "owner_phone": lambda v: mask_phone(v) if isinstance(v, str) else v,
        "owner_name": lambda v: mask_name(v) if isinstance(v, str) else v,
        "owner_address": _masked_address,
        "installer": _masked_installer,
    },
    created="registered",
    created_keeps=frozenset({"status", "model_code", "batch", "manufactured_on"}),
)
MODEL = Watched(
    entity="model",
    key="code",
    ignored=frozenset({"unit_count", "created_at", "updated_at", "updated_by", "brand_id"}),
)
BRAND = Watched(
    entity="brand",
    key="brand_id",
    # the serial counter moves with every generated range; label templates are entries of their
    # own (entity ``label_template``), fed from the same item
    ignored=frozenset(
        {"next_sequence", "updated_by", "updated_at", "label_templates", "label_templates_version"}
    ),
)
TEMPLATES_ATTRIBUTE = "label_templates"
# A unit's status change is named by where it went.
_UNIT_STATUS_ACTIONS = {"activated": "activated", "void": "voided", "shipped": "shipped"}


def plain(image: Mapping[str, Any] | None) -> dict[str, Any]:
    """A stream image (``{"name": {"S": "A"}}``) as JSON-safe values (numbers as ``int`` when
    whole, else text; sets as sorted lists; binary dropped)."""
    from boto3.dynamodb.types import TypeDeserializer  # in every Lambda runtime

    deserializer = TypeDeserializer()
    values: dict[str, Any] = {}
    for name, raw in (image or {}).items():
        if "B" in raw or "BS" in raw:
            continue
        values[name] = _json_safe(deserializer.deserialize(raw))
    return values


def _json_safe(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else str(value)
    if isinstance(value, set | frozenset):
        return sorted(_json_safe(v) for v in value)
    if isinstance(value, list):
        return [_json_safe(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    return value


def changed(
    old: Mapping[str, Any], new: Mapping[str, Any], watched: Watched
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Before and after of the attributes that differ, without the ignored ones, masked."""
    names = sorted((set(old) | set(new)) - watched.ignored)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for name in names:
        if old.get(name) == new.get(name):
            continue
        mask = watched.masked.get(name, lambda v: v)
        if name in old:
            before[name] = mask(old[name])
        if name in new:
            after[name] = mask(new[name])
    return before, after


def _action(
    kind: str, before: Mapping[str, Any], after: Mapping[str, Any], watched: Watched
) -> str:
    if kind == "INSERT":
        return watched.created
    if kind == "REMOVE":
        return "deleted"
    if watched is UNIT and "status" in after:
        return _UNIT_STATUS_ACTIONS.get(str(after["status"]), "status_changed")
    if watched is UNIT and after.get("disputed_at") and not before.get("disputed_at"):
        return "disputed"
    return "updated"


def _actor(old: Mapping[str, Any], new: Mapping[str, Any]) -> str:
    history_old, history_new = old.get("history") or [], new.get("history") or []
    if isinstance(history_new, list) and len(history_new) > len(history_old):
        last = history_new[-1]
        if isinstance(last, dict) and last.get("by"):
            return str(last["by"])
    actor = new.get("updated_by")
    return str(actor) if actor else SYSTEM


@dataclass(frozen=True)
class StreamChange:
    """What one stream record says: its kind, id, time, and the two images as plain values."""

    kind: str  # INSERT, MODIFY, REMOVE
    event_id: str
    at: datetime  # the record's creation, in whole seconds
    old: dict[str, Any]
    new: dict[str, Any]
    sequence: str = ""  # the record's sequence number, zero-padded: orders one second's records

    @classmethod
    def of(cls, raw_event: Mapping[str, Any]) -> StreamChange:
        change = raw_event.get("dynamodb", {})
        created = change.get("ApproximateCreationDateTime")
        sequence = change.get("SequenceNumber")
        at = (
            datetime.fromtimestamp(float(created), UTC)
            if created is not None
            else datetime.now(UTC)
        )
        return cls(
            kind=str(raw_event.get("eventName", "")),
            event_id=str(raw_event.get("eventID", "")),
            at=at,
            old=plain(change.get("OldImage")),
            new=plain(change.get("NewImage")),
            sequence=str(sequence).zfill(SEQUENCE_DIGITS) if sequence else "",
        )


def entries_for(change: StreamChange, watched: Watched) -> list[AuditEntry]:
    """The record's entry (none when only ignored attributes moved), plus, for a brand, one
    entry per label template that was added, changed or removed."""
    entries: list[AuditEntry] = []
    key = change.new.get(watched.key, change.old.get(watched.key))
    if key is None:
        return entries
    actor = _actor(change.old, change.new)
    before, after = changed(change.old, change.new, watched)
    if change.kind == "INSERT" and watched.created_keeps is not None:
        after = {k: v for k, v in after.items() if k in watched.created_keeps}
    if before or after:
        entries.append(
            AuditEntry(
                at=change.at,
                actor=actor,
                action=_action(change.kind, before, after, watched),
                entity=watched.entity,
                entity_id=str(key),
                source=change.event_id,
                before=before or None,
                after=after or None,
                order=change.sequence,
            )
        )
    if watched is BRAND:
        entries.extend(_template_entries(change, actor))
    return entries


def _templates(values: Mapping[str, Any]) -> dict[str, Any]:
    raw = values.get(TEMPLATES_ATTRIBUTE)
    try:
        documents = json.loads(raw) if isinstance(raw, str) and raw else {}
    except ValueError:
        return {}
    return documents if isinstance(documents, dict) else {}


def _template_entries(change: StreamChange, actor: str) -> list[AuditEntry]:
    old, new = _templates(change.old), _templates(change.new)
    entries = []
    for name in sorted(set(old) | set(new)):
        if old.get(name) == new.get(name):
            continue
        before_doc, after_doc = old.get(name) or {}, new.get(name) or {}
        keys = sorted(set(before_doc) | set(after_doc))
        before = {
            k: before_doc[k]
            for k in keys
            if k in before_doc and before_doc.get(k) != after_doc.get(k)
        }
        after = {
            k: after_doc[k]
            for k in keys
            if k in after_doc and before_doc.get(k) != after_doc.get(k)
        }
        action = "created" if name not in old else "deleted" if name not in new else "updated"
        entries.append(
            AuditEntry(
                at=change.at,
                actor=actor,
                action=action,
                entity="label_template",
                entity_id=str(name),
                source=change.event_id,
                before=before or None,
                after=after or None,
                order=change.sequence,
            )
        )
    return entries
