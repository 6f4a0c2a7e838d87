"""A brand's own label templates: one JSON document on the brand's item, next to the built-in
ones (``labels.template.BUILTIN_TEMPLATES``), which cannot be replaced or deleted. Each change is a
read-modify-write guarded by ``label_templates_version``, so two admins editing at once never
lose one another's template (the loser retries once, then gets a conflict)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from pynamodb.exceptions import DoesNotExist, UpdateError

from chalicelib.core.errors import Conflict, NotFound
from chalicelib.labels.tables import BrandLabelTemplatesRecord
from chalicelib.labels.template import (
    BUILTIN_TEMPLATES,
    LabelTemplate,
    template_from_dict,
    template_to_dict,
)
from chalicelib.platform.dynamodb import is_condition_failure

MAX_TEMPLATES = 30
_ATTEMPTS = 3


class LabelTemplateRepository:
    def __init__(self, brand_id: str) -> None:
        self._brand_id = brand_id

    def _load(self) -> tuple[dict[str, Any], int]:
        try:
            record = BrandLabelTemplatesRecord.get(
                self._brand_id,
                attributes_to_get=["brand_id", "label_templates", "label_templates_version"],
            )
        except DoesNotExist as exc:
            raise NotFound("brand_not_found") from exc
        documents = json.loads(record.label_templates) if record.label_templates else {}
        return documents, int(record.label_templates_version or 0)

    def list(self) -> list[LabelTemplate]:
        """The built-in templates, then the brand's own, by name."""
        documents, _ = self._load()
        own = [template_from_dict(doc, name=name) for name, doc in sorted(documents.items())]
        return [*BUILTIN_TEMPLATES.values(), *own]

    def get(self, name: str) -> LabelTemplate:
        if name in BUILTIN_TEMPLATES:
            return BUILTIN_TEMPLATES[name]
        documents, _ = self._load()
        if name not in documents:
            raise NotFound("label_template_not_found")
        return template_from_dict(documents[name], name=name)

    def save(self, template: LabelTemplate, *, by: str | None = None) -> LabelTemplate:
        if template.name in BUILTIN_TEMPLATES:
            raise Conflict("label_template_builtin")

        def change(documents: dict[str, Any]) -> None:
            if template.name not in documents and len(documents) >= MAX_TEMPLATES:
                raise Conflict("label_templates_full", limit=MAX_TEMPLATES)
            doc = template_to_dict(template)
            doc.pop("builtin", None)
            documents[template.name] = doc

        self._modify(change, by)
        return template

    def delete(self, name: str, *, by: str | None = None) -> None:
        if name in BUILTIN_TEMPLATES:
            raise Conflict("label_template_builtin")

        def change(documents: dict[str, Any]) -> None:
            if documents.pop(name, None) is None:
                raise NotFound("label_template_not_found")

        self._modify(change, by)

    def _modify(self, change: Callable[[dict[str, Any]], None], by: str | None) -> None:
        """``by``: the staff member, on the item for the audit trail (the brands stream)."""
        for _ in range(_ATTEMPTS):
            documents, version = self._load()
            change(documents)
            try:
                BrandLabelTemplatesRecord(self._brand_id).update(
                    actions=[
                        BrandLabelTemplatesRecord.label_templates.set(
                            json.dumps(documents, ensure_ascii=False, separators=(",", ":"))
                        ),
                        BrandLabelTemplatesRecord.label_templates_version.set(version + 1),
                        BrandLabelTemplatesRecord.updated_by.set(by)
                        if by
                        else BrandLabelTemplatesRecord.updated_by.remove(),
                    ],
                    condition=BrandLabelTemplatesRecord.brand_id.exists()
                    & (
                        (BrandLabelTemplatesRecord.label_templates_version == version)
                        | BrandLabelTemplatesRecord.label_templates_version.does_not_exist()
                        if version == 0
                        else BrandLabelTemplatesRecord.label_templates_version == version
                    ),
                )
                return
            except UpdateError as exc:
                if not is_condition_failure(exc):
                    raise
        raise Conflict("label_templates_changed")
