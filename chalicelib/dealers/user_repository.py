"""Dealer users' mappings in DynamoDB (``dealer_users``), through the organisations' shared
repository: one item per username, written only if absent, removed only if it still names the
dealer."""

from __future__ import annotations

from chalicelib.dealers.tables import DealerUserRecord
from chalicelib.platform.member_repository import MemberRepository


class DealerUserRepository(MemberRepository):
    def __init__(self) -> None:
        super().__init__(DealerUserRecord, "dealer_id", "dealer_index", "dealer_user_not_found")
