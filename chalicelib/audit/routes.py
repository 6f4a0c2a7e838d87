"""``GET /audit``: the audit trail for administrators and directors."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from chalice.app import Blueprint, Response

from chalicelib.audit import wiring as audit_wiring
from chalicelib.audit.log import ZONE, AuditQuery, search
from chalicelib.audit.model import AuditEntry
from chalicelib.core.errors import FieldError, Invalid
from chalicelib.core.settings import get_settings
from chalicelib.platform import wiring as platform_wiring
from chalicelib.platform.auth import Role, authenticate
from chalicelib.platform.http import cors_for, json_response, maps_domain_errors, query_int

console_audit = Blueprint(__name__)
CORS = cors_for(get_settings().console_url)

READERS = frozenset({Role.ADMIN, Role.DIRECTOR})
DEFAULT_LIMIT, MAX_LIMIT = 50, 100
MAX_TEXT = 128
_QUERY = frozenset({"entity", "entity_id", "actor", "from", "to", "limit", "cursor"})


def _day(params: dict[str, str], name: str) -> date | None:
    raw = params.get(name)
    if raw is None:
        return None
    try:
        if len(raw) != 10:  # YYYY-MM-DD only (fromisoformat also takes 20261202)
            raise ValueError(raw)
        return date.fromisoformat(raw)
    except ValueError:
        raise Invalid(fields=[FieldError(name, "date_invalid")]) from None


def _text(params: dict[str, str], name: str) -> str | None:
    raw = params.get(name, "").strip()
    if len(raw) > MAX_TEXT:
        raise Invalid(fields=[FieldError(name, "too_long")])
    return raw or None


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else str(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | set | tuple):
        return [_plain(v) for v in value]
    return value


def entry_view(entry: AuditEntry) -> dict[str, Any]:
    return {
        "id": entry.entry_id,
        "at": entry.at.isoformat(timespec="milliseconds"),
        "actor": entry.actor,
        "action": entry.action,
        "entity": entry.entity,
        "entity_id": entry.entity_id,
        "before": _plain(entry.before),
        "after": _plain(entry.after),
        "note": entry.note,
    }


@console_audit.route("/audit", methods=["GET"], cors=CORS)
@maps_domain_errors
def list_audit_entries() -> Response:
    """``GET /audit?entity=&entity_id=&actor=&from=&to=&limit=&cursor=``: newest first."""
    authenticate(console_audit.current_request, get_settings(), READERS)
    params: dict[str, str] = dict(console_audit.current_request.query_params or {})
    unknown = sorted(set(params) - _QUERY)
    if unknown:
        raise Invalid(fields=[FieldError(name, "unknown_field") for name in unknown])
    query = AuditQuery(
        entity=_text(params, "entity"),
        entity_id=_text(params, "entity_id"),
        actor=_text(params, "actor"),
        first_day=_day(params, "from"),
        last_day=_day(params, "to"),
        limit=query_int(params, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT, code="limit_out_of_range"),
    )
    cursors = platform_wiring.cursors()
    scope = f"audit-{query.mode}"
    entries, position = search(
        query,
        cursors.decode(scope, params.get("cursor")),
        trail=audit_wiring.audit_trail(),
        today=datetime.now(ZONE).date(),
    )
    return json_response(
        {
            "entries": [entry_view(e) for e in entries],
            "next_cursor": cursors.encode(scope, position),
        }
    )
