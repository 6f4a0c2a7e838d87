"""Request forms' use cases: staff save a model's or a category's form (a new version each
time), the portal asks which fields to show for the unit behind a QR code."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from chalicelib.catalog.model import ProductModel, Unit
from chalicelib.claims.forms import (
    FormConfig,
    FormField,
    FormScope,
    FormVersions,
    ResolvedForm,
    check_fields,
    resolve,
    scope_key,
)
from chalicelib.core.errors import Conflict, FieldError, Invalid, NotFound
from chalicelib.core.qr_token import QrKeyring
from chalicelib.core.text import fold_name


class FormStore(Protocol):
    def add(self, form: FormConfig) -> None: ...
    def current(self, scope: FormScope, target: str) -> FormConfig | None: ...
    def versions(
        self, scope: FormScope, target: str, limit: int | None = None
    ) -> list[FormConfig]: ...
    def all_versions(self) -> list[FormConfig]: ...


class ModelReader(Protocol):
    def get(self, code: str) -> ProductModel: ...


class ModelLister(ModelReader, Protocol):
    def list(self) -> list[ProductModel]: ...


class UnitReader(Protocol):
    def get(self, serial: str) -> Unit: ...


@dataclass(frozen=True)
class Change:
    actor: str
    at: datetime


@dataclass(frozen=True)
class UnitForm:
    serial: str
    model: ProductModel
    form: ResolvedForm


def category_of(text: str, models: ModelLister) -> str:
    """The category as the catalogue spells it (``may lanh`` → ``Máy lạnh``): one of its
    models must have it (``Invalid`` ``claim_form_category_invalid`` otherwise)."""
    for model in models.list():
        if model.category and fold_name(model.category) == fold_name(text):
            return model.category
    raise Invalid(fields=[FieldError("target", "claim_form_category_invalid")])


def _target(scope: FormScope, target: str, models: ModelLister) -> str:
    """The form's target: an existing model's code (``NotFound``), or a category."""
    if scope is FormScope.MODEL:
        return models.get(target).code
    return category_of(target, models)


def save_form(
    scope: FormScope,
    target: str,
    fields: Sequence[FormField],
    *,
    expected_version: int,
    change: Change,
    forms: FormStore,
    models: ModelLister,
) -> FormConfig:
    """The form's next version (``fields`` empty: back to what it inherits). ``expected_version``
    is the one the editor read (0: none): another save since is ``Conflict("claim_form_changed")``
    with the version now current."""
    check_fields(fields)
    target = _target(scope, target, models)
    current = forms.current(scope, target)
    now = current.version if current else 0
    if expected_version != now:
        raise Conflict("claim_form_changed", version=now)
    form = FormConfig(scope, target, now + 1, tuple(fields), change.actor, change.at)
    forms.add(form)
    return form


def form_of_model(model: ProductModel, forms: FormStore) -> ResolvedForm:
    """The fields asked for ``model``: its own, else its category's, else the default."""
    category = forms.current(FormScope.CATEGORY, model.category) if model.category else None
    return resolve(forms.current(FormScope.MODEL, model.code), category)


def inherited_form(
    scope: FormScope, target: str, forms: FormStore, models: ModelReader
) -> ResolvedForm:
    """What the scope falls back to without its own form (a model: its category's or the
    default; a category: the default)."""
    if scope is FormScope.CATEGORY:
        return resolve(None, None)
    category = models.get(target).category
    return resolve(None, forms.current(FormScope.CATEGORY, category) if category else None)


def list_forms(forms: FormStore) -> list[FormVersions]:
    """Every configured form, its versions newest first, in scope-key order."""
    grouped: dict[str, FormVersions] = {}
    for form in forms.all_versions():
        key = scope_key(form.scope, form.target)
        grouped.setdefault(key, FormVersions(form.scope, form.target)).versions.append(form)
    for versions in grouped.values():
        versions.versions.sort(key=lambda f: -f.version)
    return [grouped[key] for key in sorted(grouped)]


def form_for_unit(
    serial: str,
    sig: str,
    *,
    keyring: QrKeyring,
    units: UnitReader,
    models: ModelReader,
    forms: FormStore,
) -> UnitForm:
    """The fields to ask about the unit behind a QR code: ``sig`` is the code's token and
    must carry ``serial`` (checked before any read; any mismatch is ``unit_not_found``, as on
    the landing page)."""
    if keyring.verify(sig) != serial:
        raise NotFound("unit_not_found")
    unit = units.get(serial)
    model = models.get(unit.model_code)
    return UnitForm(serial, model, form_of_model(model, forms))
