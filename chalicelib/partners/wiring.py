"""Partners' adapters: the partners, their sessions, the reward rules and the ledger, the cases,
built on first use."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalicelib.platform.cache import once_per_container

if TYPE_CHECKING:
    from chalicelib.partners.case_repository import CaseRepository
    from chalicelib.partners.payout_repository import PayoutRepository, PayoutSettingRepository
    from chalicelib.partners.repository import PartnerRepository
    from chalicelib.partners.reward_repository import RewardLedgerRepository, RewardRuleRepository
    from chalicelib.partners.session_repository import PartnerSessionRepository


@once_per_container
def partner_repository() -> PartnerRepository:
    from chalicelib.partners.repository import PartnerRepository

    return PartnerRepository()


@once_per_container
def session_repository() -> PartnerSessionRepository:
    from chalicelib.partners.session_repository import PartnerSessionRepository

    return PartnerSessionRepository()


@once_per_container
def reward_rule_repository() -> RewardRuleRepository:
    from chalicelib.core.settings import get_settings
    from chalicelib.partners.reward_repository import RewardRuleRepository

    return RewardRuleRepository(get_settings().brand_id)


@once_per_container
def reward_ledger() -> RewardLedgerRepository:
    from chalicelib.partners.reward_repository import RewardLedgerRepository

    return RewardLedgerRepository()


@once_per_container
def case_repository() -> CaseRepository:
    from chalicelib.partners.case_repository import CaseRepository

    return CaseRepository()


@once_per_container
def payout_settings() -> PayoutSettingRepository:
    from chalicelib.core.settings import get_settings
    from chalicelib.partners.payout_repository import PayoutSettingRepository

    return PayoutSettingRepository(get_settings().brand_id)


@once_per_container
def payout_repository() -> PayoutRepository:
    from chalicelib.core.settings import get_settings
    from chalicelib.partners.payout_repository import PayoutRepository

    return PayoutRepository(get_settings().brand_id)
