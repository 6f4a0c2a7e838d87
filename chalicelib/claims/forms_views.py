"""Response shapes of the request forms and the self-help, as JSON-ready dicts."""

from __future__ import annotations

from typing import Any

from chalicelib.catalog.model import ProductModel
from chalicelib.claims.forms import FormConfig, FormField, FormVersions, ResolvedForm
from chalicelib.claims.help import ModelHelp
from chalicelib.platform.views import iso_time


def field_view(item: FormField) -> dict[str, Any]:
    return {
        "key": item.key,
        "type": item.type.value,
        "label": item.label,
        "label_en": item.label_en,
        "required": item.required,
        "options": [
            {"value": o.value, "label": o.label, "label_en": o.label_en} for o in item.options
        ],
    }


def resolved_view(form: ResolvedForm) -> dict[str, Any]:
    return {
        "source": form.source,
        "version": form.version,
        "fields": [field_view(f) for f in form.fields],
    }


def form_view(form: FormConfig) -> dict[str, Any]:
    return {
        "scope": form.scope.value,
        "target": form.target,
        "version": form.version,
        "fields": [field_view(f) for f in form.fields],
        "updated_by": form.updated_by,
        "updated_at": iso_time(form.updated_at),
    }


def form_summary_view(versions: FormVersions) -> dict[str, Any]:
    current = versions.current
    return {
        "scope": versions.scope.value,
        "target": versions.target,
        "version": current.version if current else 0,
        "field_count": len(current.fields) if current else 0,
        "updated_by": current.updated_by if current else "",
        "updated_at": iso_time(current.updated_at) if current else None,
    }


def form_detail_view(
    scope: str, target: str, versions: list[FormConfig], inherited: ResolvedForm
) -> dict[str, Any]:
    """A scope's form for its editor: the current version (``null``: none yet), the older
    ones, and what it falls back to without fields of its own."""
    return {
        "scope": scope,
        "target": target,
        "current": form_view(versions[0]) if versions else None,
        "versions": [form_view(v) for v in versions],
        "inherited": resolved_view(inherited),
    }


def help_view(help: ModelHelp, *, portal_url: str = "") -> dict[str, Any]:
    """Staff's view: both languages of every fault, the manual's link and its full address."""
    path = help.manual_path
    return {
        "model_code": help.model_code,
        "manual_url": help.manual_url,
        "manual_key": help.manual_key,
        "manual_src": f"{portal_url}{path}" if path.startswith("/") else path,
        "faults": [
            {"title": f.title, "title_en": f.title_en, "fix": f.fix, "fix_en": f.fix_en}
            for f in help.faults
        ],
        "version": help.version,
        "updated_by": help.updated_by,
        "updated_at": iso_time(help.updated_at),
    }


def public_help_view(model: ProductModel, help: ModelHelp) -> dict[str, Any]:
    """The portal's view: Vietnamese at the top level and ``en`` beside (Vietnamese where a
    text has no English), so the portal picks by its language without asking again."""
    english = model.localized("en")
    return {
        "model_code": model.code,
        "name": model.name,
        "manual": help.manual_path or None,
        "faults": [f.localized("vi") for f in help.faults],
        "en": {"name": english.name, "faults": [f.localized("en") for f in help.faults]},
    }


def unit_form_view(serial: str, model: ProductModel, form: ResolvedForm) -> dict[str, Any]:
    return {"serial": serial, "model_code": model.code, **resolved_view(form)}
