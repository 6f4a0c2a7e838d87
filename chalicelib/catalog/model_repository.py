"""Product models: CRUD with conditions, so concurrent edits and deletes stay consistent."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from pynamodb.exceptions import DeleteError, DoesNotExist, PutError, UpdateError

from chalicelib.catalog.model import ProductModel
from chalicelib.catalog.tables import ComponentTermMap, ProductModelRecord
from chalicelib.catalog.warranty import ComponentTerm, StartBasis, WarrantyTerms
from chalicelib.core.errors import Conflict, NotFound
from chalicelib.platform.dynamodb import is_condition_failure

BATCH_GET_LIMIT = 100


def to_domain(record: ProductModelRecord) -> ProductModel:
    return ProductModel(
        code=record.code,
        name=record.name,
        description=record.description,
        image_url=record.image_url,
        specs={str(k): str(v) for k, v in (record.specs.as_dict() if record.specs else {}).items()},
        terms=WarrantyTerms(
            months=int(record.warranty_months),
            start_basis=StartBasis(record.start_basis),
            max_months_from_manufacture=_opt_int(record.max_months_from_manufacture),
            activation_deadline_days=_opt_int(record.activation_deadline_days),
            components=tuple(_component(c) for c in record.components or ()),
        ),
        unit_count=int(record.unit_count or 0),
        created_at=record.created_at,
        updated_at=record.updated_at,
        name_en=record.name_en or "",
        description_en=record.description_en or "",
        spec_labels_en=_text_map(record.spec_labels_en),
        spec_values_en=_text_map(record.spec_values_en),
        updated_by=record.updated_by or "",
        category=record.category or "",
        category_en=record.category_en or "",
    )


def _component(item: ComponentTermMap) -> ComponentTerm:
    return ComponentTerm(
        code=item.code,
        name=item.name,
        name_en=item.name_en or "",
        months=int(item.months),
        activated_within_months=_opt_int(item.activated_within_months),
    )


def _component_map(part: ComponentTerm) -> ComponentTermMap:
    return ComponentTermMap(
        code=part.code,
        name=part.name,
        name_en=part.name_en,
        months=part.months,
        activated_within_months=part.activated_within_months,
    )


def _text_map(attribute: Any) -> dict[str, str]:
    return {str(k): str(v) for k, v in (attribute.as_dict() if attribute else {}).items()}


def _opt_int(value: Any) -> int | None:
    return None if value is None else int(value)


def _fields(model: ProductModel) -> dict[str, Any]:
    return {
        "name": model.name,
        "description": model.description,
        "image_url": model.image_url,
        "specs": dict(model.specs),
        # absent rather than empty: a model without English texts stores none
        "name_en": model.name_en or None,
        "description_en": model.description_en or None,
        "spec_labels_en": dict(model.spec_labels_en) or None,
        "spec_values_en": dict(model.spec_values_en) or None,
        "category": model.category or None,
        "category_en": model.category_en or None,
        "warranty_months": model.terms.months,
        "start_basis": model.terms.start_basis.value,
        "max_months_from_manufacture": model.terms.max_months_from_manufacture,
        "activation_deadline_days": model.terms.activation_deadline_days,
        "components": [_component_map(c) for c in model.terms.components] or None,
    }


class ProductModelRepository:
    def __init__(self, brand_id: str) -> None:
        self._brand_id = brand_id

    def get(self, code: str) -> ProductModel:
        try:
            return to_domain(ProductModelRecord.get(code))
        except DoesNotExist as exc:
            raise NotFound("model_not_found", model_code=code) from exc

    def get_many(self, codes: Iterable[str]) -> dict[str, ProductModel]:
        """The models that exist among ``codes`` (one BatchGetItem per 100 codes)."""
        wanted = list(dict.fromkeys(codes))
        found: dict[str, ProductModel] = {}
        for start in range(0, len(wanted), BATCH_GET_LIMIT):
            for record in ProductModelRecord.batch_get(wanted[start : start + BATCH_GET_LIMIT]):
                found[record.code] = to_domain(record)
        return found

    def list(self) -> list[ProductModel]:
        """The brand's models in code order (one query on ``catalog_index``)."""
        return [to_domain(r) for r in ProductModelRecord.catalog_index.query(self._brand_id)]

    def create(self, model: ProductModel, *, by: str | None = None) -> ProductModel:
        now = datetime.now(UTC)
        record = ProductModelRecord(
            model.code, brand_id=self._brand_id, unit_count=0, created_at=now, updated_at=now,
            updated_by=by or model.updated_by or None, **_fields(model),
        )  # fmt: skip
        try:
            record.save(condition=ProductModelRecord.code.does_not_exist())
        except PutError as exc:
            if is_condition_failure(exc):
                raise Conflict("model_exists", model_code=model.code) from exc
            raise
        return to_domain(record)

    def replace(self, model: ProductModel, *, by: str | None = None) -> ProductModel:
        """Overwrite the editable fields of an existing model (units and counts untouched);
        ``by`` (the staff member) is kept for the audit trail."""
        record = ProductModelRecord(model.code)
        actions = [
            getattr(ProductModelRecord, name).set(value)
            if value is not None
            else getattr(ProductModelRecord, name).remove()
            for name, value in _fields(model).items()
        ]
        actions.append(ProductModelRecord.updated_at.set(datetime.now(UTC)))
        actor = by or model.updated_by
        actions.append(
            ProductModelRecord.updated_by.set(actor)
            if actor
            else ProductModelRecord.updated_by.remove()
        )
        try:
            record.update(actions=actions, condition=ProductModelRecord.code.exists())
        except UpdateError as exc:
            if is_condition_failure(exc):
                raise NotFound("model_not_found", model_code=model.code) from exc
            raise
        return to_domain(record)

    def set_image(self, code: str, image_url: str, *, by: str) -> ProductModel:
        """Point an existing model at a new picture; ``NotFound`` if it is gone."""
        record = ProductModelRecord(code)
        try:
            record.update(
                actions=[
                    ProductModelRecord.image_url.set(image_url),
                    ProductModelRecord.updated_by.set(by),
                    ProductModelRecord.updated_at.set(datetime.now(UTC)),
                ],
                condition=ProductModelRecord.code.exists(),
            )
        except UpdateError as exc:
            if is_condition_failure(exc):
                raise NotFound("model_not_found", model_code=code) from exc
            raise
        return to_domain(record)

    def delete(self, code: str) -> None:
        """Delete a model no unit uses; ``Conflict("model_in_use")`` otherwise."""
        record = ProductModelRecord(code)
        try:
            record.delete(
                condition=ProductModelRecord.code.exists()
                & (
                    ProductModelRecord.unit_count.does_not_exist()
                    | (ProductModelRecord.unit_count == 0)
                )
            )
        except DeleteError as exc:
            if not is_condition_failure(exc):
                raise
            existing = self.get(code)  # raises NotFound when it was the missing item
            raise Conflict("model_in_use", model_code=code, units=existing.unit_count) from exc
