"""Dealer users' mappings in DynamoDB: one item per username, written only if absent, removed
only if it still names the dealer."""

from __future__ import annotations

from pynamodb.exceptions import DeleteError, DoesNotExist, PutError

from chalicelib.core.errors import Conflict, NotFound
from chalicelib.dealers.tables import DealerUserRecord
from chalicelib.dealers.users import DealerUser
from chalicelib.platform.dynamodb import is_condition_failure

USERS_MAX = 200  # a dealer's page lists at most this many users


def _to_domain(record: DealerUserRecord) -> DealerUser:
    return DealerUser(record.username, record.dealer_id, record.created_at, record.created_by)


class DealerUserRepository:
    def add(self, user: DealerUser) -> None:
        record = DealerUserRecord(
            user.username,
            dealer_id=user.dealer_id,
            created_at=user.created_at,
            created_by=user.created_by,
        )
        try:
            record.save(condition=DealerUserRecord.username.does_not_exist())
        except PutError as exc:
            if is_condition_failure(exc):
                raise Conflict("user_exists") from exc
            raise

    def get(self, username: str) -> DealerUser | None:
        try:
            return _to_domain(DealerUserRecord.get(username, consistent_read=True))
        except DoesNotExist:
            return None

    def of_dealer(self, dealer_id: str) -> list[DealerUser]:
        return [
            _to_domain(record)
            for record in DealerUserRecord.dealer_index.query(dealer_id, limit=USERS_MAX)
        ]

    def remove(self, username: str, dealer_id: str) -> None:
        try:
            DealerUserRecord(username).delete(condition=DealerUserRecord.dealer_id == dealer_id)
        except DeleteError as exc:
            if is_condition_failure(exc):
                raise NotFound("dealer_user_not_found") from exc
            raise
