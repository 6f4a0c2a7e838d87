"""The units list's filters: from the query string (or an export's saved copy) to a
:class:`UnitFilter`, and back to the canonical strings a cursor and an export are bound to.

``serial=GAR00000017W`` is an exact serial; a trailing ``*`` makes it a prefix
(``serial=GAR0000*``). Activation dates are business days (ICT), both ends included.

>>> unit_filter({"serial": "gar0000*"}).serial_prefix
'GAR0000'
>>> filter_params(unit_filter({"activated_to": "2026-12-01", "model": "ac-9"}))
{'model': 'AC-9', 'activated_to': '2026-12-01'}
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta

from chalicelib.catalog.model import UnitFilter, UnitStatus
from chalicelib.catalog.unit_import import normalize_model_code
from chalicelib.catalog.warranty import BUSINESS_TIMEZONE, business_day
from chalicelib.core.errors import FieldError, Invalid

FILTERS = ("serial", "model", "batch", "status", "activated_from", "activated_to")
_PREFIX = re.compile(r"[A-Z0-9][A-Z0-9\-]{0,31}")
_SERIAL = re.compile(r"[A-Z0-9][A-Z0-9\-]{2,31}")
_BATCH = re.compile(r"[\w\-./]{1,40}")


def unit_filter(params: Mapping[str, str]) -> UnitFilter:
    """The filters in ``params`` (other keys are the caller's); ``Invalid`` with one field
    error per bad filter."""
    errors: list[FieldError] = []
    values: dict[str, object] = {}
    for name in FILTERS:
        raw = (params.get(name) or "").strip()
        if not raw:
            continue
        try:
            values.update(_parse(name, raw))
        except Invalid as exc:
            errors.append(FieldError(name, exc.code))
    start, end = values.get("activated_from"), values.get("activated_until")
    if isinstance(start, datetime) and isinstance(end, datetime) and end <= start:
        errors.append(FieldError("activated_to", "date_range_invalid"))
    if errors:
        raise Invalid(fields=errors)
    return UnitFilter(**values)  # type: ignore[arg-type]


def _parse(name: str, raw: str) -> dict[str, object]:
    if name == "serial":
        serial = raw.upper()
        if serial.endswith("*"):
            if not _PREFIX.fullmatch(serial[:-1]):
                raise Invalid("serial_invalid")
            return {"serial_prefix": serial[:-1]}
        if not _SERIAL.fullmatch(serial):
            raise Invalid("serial_invalid")
        return {"serial": serial}
    if name == "model":
        return {"model_code": normalize_model_code(raw)}
    if name == "batch":
        if not _BATCH.fullmatch(raw):
            raise Invalid("batch_invalid")
        return {"batch": raw}
    if name == "status":
        try:
            return {"status": UnitStatus(raw)}
        except ValueError as exc:
            raise Invalid("unit_status_invalid") from exc
    day = _day(raw)
    if name == "activated_from":
        return {"activated_from": _start_of(day)}
    return {"activated_until": _start_of(day + timedelta(days=1))}


def _day(raw: str) -> date:
    """``YYYY-MM-DD`` within 2000–2099 (a wider year would overflow the next day or UTC)."""
    try:
        day = date.fromisoformat(raw)
    except ValueError as exc:
        raise Invalid("date_invalid") from exc
    if not 2000 <= day.year <= 2099:
        raise Invalid("date_invalid")
    return day


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(0), BUSINESS_TIMEZONE)


def filter_params(wanted: UnitFilter) -> dict[str, str]:
    """The canonical query strings of ``wanted`` (what a cursor's scope and an export keep)."""
    params: dict[str, str] = {}
    if wanted.serial is not None:
        params["serial"] = wanted.serial
    if wanted.serial_prefix is not None:
        params["serial"] = wanted.serial_prefix + "*"
    if wanted.model_code is not None:
        params["model"] = wanted.model_code
    if wanted.batch is not None:
        params["batch"] = wanted.batch
    if wanted.status is not None:
        params["status"] = wanted.status.value
    if wanted.activated_from is not None:
        params["activated_from"] = business_day(wanted.activated_from).isoformat()
    if wanted.activated_until is not None:
        last = business_day(wanted.activated_until) - timedelta(days=1)
        params["activated_to"] = last.isoformat()
    return params


def cursor_scope(wanted: UnitFilter) -> str:
    """A cursor is good only for the list it came from (same filters, same index)."""
    return "units?" + "&".join(f"{k}={v}" for k, v in sorted(filter_params(wanted).items()))
