"""Request forms in DynamoDB: each version written once, a scope's versions one query."""

from __future__ import annotations

from pynamodb.exceptions import PutError

from chalicelib.claims.forms import (
    FieldOption,
    FieldType,
    FormConfig,
    FormField,
    FormScope,
    scope_key,
)
from chalicelib.claims.forms_tables import ClaimFormRecord, FormFieldMap, FormOptionMap
from chalicelib.core.errors import Conflict
from chalicelib.platform.dynamodb import is_condition_failure


def _key(scope: FormScope, target: str, version: int) -> str:
    return f"{scope_key(scope, target)}#{version:06d}"


def _field(item: FormFieldMap) -> FormField:
    return FormField(
        key=item.key,
        type=FieldType(item.type),
        label=item.label,
        label_en=item.label_en or "",
        required=bool(item.required),
        options=tuple(FieldOption(o.value, o.label, o.label_en or "") for o in item.options or ()),
    )


def _field_map(item: FormField) -> FormFieldMap:
    return FormFieldMap(
        key=item.key,
        type=item.type.value,
        label=item.label,
        label_en=item.label_en,
        required=item.required,
        options=[
            FormOptionMap(value=o.value, label=o.label, label_en=o.label_en) for o in item.options
        ],
    )


def _form(record: ClaimFormRecord) -> FormConfig:
    return FormConfig(
        scope=FormScope(record.scope),
        target=record.target,
        version=int(record.version),
        fields=tuple(_field(f) for f in record.fields or ()),
        updated_by=record.updated_by,
        updated_at=record.updated_at,
    )


class ClaimFormRepository:
    def __init__(self, brand_id: str) -> None:
        self._brand_id = brand_id

    def add(self, form: FormConfig) -> None:
        """Write one version, once: ``Conflict("claim_form_changed")`` when that version
        exists (someone saved the form first: read it again)."""
        record = ClaimFormRecord(
            self._brand_id,
            _key(form.scope, form.target, form.version),
            scope=form.scope.value,
            target=form.target,
            version=form.version,
            fields=[_field_map(f) for f in form.fields],
            updated_by=form.updated_by,
            updated_at=form.updated_at,
        )
        try:
            record.save(condition=ClaimFormRecord.form_key.does_not_exist())
        except PutError as exc:
            if is_condition_failure(exc):
                raise Conflict("claim_form_changed", version=form.version - 1) from exc
            raise

    def versions(self, scope: FormScope, target: str, limit: int | None = None) -> list[FormConfig]:
        """The form's versions, newest first (one query; ``limit=1``: the current one)."""
        prefix = f"{scope_key(scope, target)}#"
        query = ClaimFormRecord.query(
            self._brand_id,
            ClaimFormRecord.form_key.startswith(prefix),
            scan_index_forward=False,
            limit=limit,
        )
        # a category holding "#" could share a prefix with another: the exact key decides
        return [_form(r) for r in query if len(r.form_key) == len(prefix) + 6]

    def current(self, scope: FormScope, target: str) -> FormConfig | None:
        found = self.versions(scope, target, limit=1)
        return found[0] if found else None

    def all_versions(self) -> list[FormConfig]:
        """Every version of every form of the brand (one paginated query: forms are few)."""
        return [_form(record) for record in ClaimFormRecord.query(self._brand_id)]
