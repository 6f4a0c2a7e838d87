"""Models' self-help in DynamoDB: one item per model, each save conditional on its version."""

from __future__ import annotations

from pynamodb.exceptions import DoesNotExist, PutError

from chalicelib.claims.help import Fault, ModelHelp
from chalicelib.claims.help_tables import FaultMap, ModelHelpRecord
from chalicelib.core.errors import Conflict
from chalicelib.platform.dynamodb import is_condition_failure


def _help(record: ModelHelpRecord) -> ModelHelp:
    return ModelHelp(
        model_code=record.model_code,
        manual_url=record.manual_url or "",
        manual_key=record.manual_key or "",
        faults=tuple(
            Fault(f.title, f.fix, f.title_en or "", f.fix_en or "") for f in record.faults or ()
        ),
        version=int(record.version),
        updated_by=record.updated_by,
        updated_at=record.updated_at,
    )


class ModelHelpRepository:
    def get(self, model_code: str) -> ModelHelp:
        """The model's help; an empty one (version 0) when none was ever saved."""
        try:
            return _help(ModelHelpRecord.get(model_code))
        except DoesNotExist:
            return ModelHelp(model_code)

    def save(self, help: ModelHelp) -> None:
        """Write ``help`` (its ``version`` the new one), only over the version before it:
        ``Conflict("model_help_changed")`` otherwise."""
        record = ModelHelpRecord(
            help.model_code,
            manual_url=help.manual_url,
            manual_key=help.manual_key,
            faults=[
                FaultMap(title=f.title, title_en=f.title_en, fix=f.fix, fix_en=f.fix_en)
                for f in help.faults
            ],
            version=help.version,
            updated_by=help.updated_by,
            updated_at=help.updated_at,
        )
        condition = (
            ModelHelpRecord.model_code.does_not_exist()
            if help.version == 1
            else ModelHelpRecord.version == help.version - 1
        )
        try:
            record.save(condition=condition)
        except PutError as exc:
            if is_condition_failure(exc):
                raise Conflict("model_help_changed", version=help.version - 1) from exc
            raise
