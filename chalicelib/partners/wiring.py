"""Partners' adapters: the partners, their sessions, the reward rules and the ledger, the cases,
built on first use."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalicelib.platform.cache import once_per_container

if TYPE_CHECKING:
    from chalicelib.core.personal_data import PersonalData
    from chalicelib.partners.case_repository import CaseRepository
    from chalicelib.partners.payout_repository import PayoutRepository, PayoutSettingRepository
    from chalicelib.partners.repository import PartnerRepository
    from chalicelib.partners.reward_repository import RewardLedgerRepository, RewardRuleRepository
    from chalicelib.partners.session_repository import PartnerSessionRepository


@once_per_container
def partner_repository() -> PartnerRepository:
    from chalicelib.partners.repository import PartnerRepository

    return PartnerRepository()


def approved_partner_by_phone(phone: str, pepper: bytes) -> tuple[str, str] | None:
    """The id and registered name of the approved partner with this phone (one query on the
    partners' ``phone_index``), else ``None``: the activation step tells a partner who typed
    their phone on the public form, not signed in, that the activation counted for them."""
    from chalicelib.core.phone import phone_key
    from chalicelib.partners.model import PartnerStatus

    partner = partner_repository().find_by_phone(phone_key(pepper, phone))
    if partner is None or partner.status is not PartnerStatus.APPROVED:
        return None
    return partner.partner_id, partner.details.name


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


def personal_data() -> list[PersonalData]:
    """The reward entries of a person's activations, and installers' cases about their units
    (``core.personal_data``)."""
    from chalicelib.partners.personal_data_repository import CaseData, RewardCustomerData

    return [RewardCustomerData(), CaseData()]
