"""Maintenance's adapters, built once per container."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalicelib.platform.cache import once_per_container

if TYPE_CHECKING:
    from chalicelib.core.personal_data import Expiring, PersonalData
    from chalicelib.maintenance.line_repository import LineRepository
    from chalicelib.maintenance.plan_repository import PlanRepository
    from chalicelib.maintenance.receivable_repository import ReceivableRepository
    from chalicelib.maintenance.stock_repository import StockRepository
    from chalicelib.maintenance.ticket_repository import TicketRepository


@once_per_container
def plan_repository() -> PlanRepository:
    from chalicelib.maintenance.plan_repository import PlanRepository

    return PlanRepository()


@once_per_container
def line_repository() -> LineRepository:
    from chalicelib.maintenance.line_repository import LineRepository

    return LineRepository()


@once_per_container
def ticket_repository() -> TicketRepository:
    from chalicelib.maintenance.ticket_repository import TicketRepository

    return TicketRepository()


@once_per_container
def stock_repository() -> StockRepository:
    from chalicelib.core.settings import get_settings
    from chalicelib.maintenance.stock_repository import StockRepository

    return StockRepository(get_settings().brand_id)


@once_per_container
def receivable_repository() -> ReceivableRepository:
    from chalicelib.maintenance.receivable_repository import ReceivableRepository

    return ReceivableRepository()


def personal_data() -> list[PersonalData]:
    """The visits to a person's units and their receivables (``core.personal_data``)."""
    from chalicelib.maintenance.personal_data_repository import MaintenanceData

    return [MaintenanceData()]


def expiring() -> list[Expiring]:
    """What outlives its retention period (``core.personal_data.Expiring``)."""
    from chalicelib.maintenance.personal_data_repository import VisitRetention

    return [VisitRetention()]
