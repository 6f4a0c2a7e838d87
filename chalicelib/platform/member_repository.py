"""An organisation's users' mappings in DynamoDB (:class:`chalicelib.platform.members.MemberStore`
over a capability's own table): one item per username, written only if absent, removed only if
it still names the organisation. The table is the capability's; its model names the
organisation's attribute and the index of an organisation's users."""

from __future__ import annotations

from typing import Any

from pynamodb.exceptions import DeleteError, DoesNotExist, PutError
from pynamodb.models import Model

from chalicelib.core.errors import Conflict, NotFound
from chalicelib.platform.dynamodb import is_condition_failure
from chalicelib.platform.members import Member

USERS_MAX = 200  # an organisation's page lists at most this many users


class MemberRepository:
    def __init__(self, model: type[Model], org_attribute: str, index: str, not_found: str) -> None:
        self._model: Any = model
        self._org = org_attribute
        self._index = index
        self._not_found = not_found

    def _member(self, record: Any) -> Member:
        return Member(
            record.username, getattr(record, self._org), record.created_at, record.created_by
        )

    def add(self, member: Member) -> None:
        record = self._model(
            member.username,
            **{self._org: member.org_id},
            created_at=member.created_at,
            created_by=member.created_by,
        )
        try:
            record.save(condition=self._model.username.does_not_exist())
        except PutError as exc:
            if is_condition_failure(exc):
                raise Conflict("user_exists") from exc
            raise

    def get(self, username: str) -> Member | None:
        try:
            return self._member(self._model.get(username, consistent_read=True))
        except DoesNotExist:
            return None

    def of_org(self, org_id: str) -> list[Member]:
        index = getattr(self._model, self._index)
        return [self._member(record) for record in index.query(org_id, limit=USERS_MAX)]

    def remove(self, username: str, org_id: str) -> None:
        try:
            self._model(username).delete(condition=getattr(self._model, self._org) == org_id)
        except DeleteError as exc:
            if is_condition_failure(exc):
                raise NotFound(self._not_found) from exc
            raise
