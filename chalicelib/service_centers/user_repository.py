"""Service centre users' mappings in DynamoDB (``service_center_users``), through the
organisations' shared repository (:mod:`chalicelib.platform.member_repository`)."""

from __future__ import annotations

from chalicelib.platform.member_repository import MemberRepository
from chalicelib.service_centers.tables import ServiceCenterUserRecord


class ServiceCenterUserRepository(MemberRepository):
    def __init__(self) -> None:
        super().__init__(
            ServiceCenterUserRecord, "center_id", "center_index", "service_user_not_found"
        )
