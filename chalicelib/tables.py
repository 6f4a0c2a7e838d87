"""Every table of every capability, for ``infra/`` (the CloudFormation tables) and ``devstack/``
(the emulator's tables): each capability declares its own in its ``tables`` module, and this list
is the one place that gathers them, so the code, the emulator and AWS cannot disagree."""

from __future__ import annotations

from pynamodb.models import Model

from chalicelib.activation.tables import OtpRecord
from chalicelib.audit.tables import AuditRecord
from chalicelib.catalog.tables import (
    BrandRecord,
    CartonRecord,
    CustomerRecord,
    ProductModelRecord,
    UnitImportRecord,
    UnitRecord,
    UnitTransferRecord,
)
from chalicelib.claims.forms_tables import ClaimFormRecord
from chalicelib.claims.help_tables import ModelHelpRecord
from chalicelib.claims.tables import ClaimCountRecord, ClaimHistoryRecord, ClaimRecord
from chalicelib.dashboard.tables import RollupRecord
from chalicelib.dealers.funnel_tables import DealerRollupRecord
from chalicelib.dealers.shipment_tables import (
    ShipmentClaimRecord,
    ShipmentRecord,
    ShipmentScanRecord,
)
from chalicelib.dealers.tables import DealerRecord, DealerUserRecord
from chalicelib.labels.tables import LabelJobRecord
from chalicelib.maintenance.stock_tables import (
    LocationRecord,
    MovementRecord,
    PartRecord,
    ReceivableMonthRecord,
    ReceivableRecord,
    StockRecord,
)
from chalicelib.maintenance.tables import (
    MaintenanceLineRecord,
    MaintenancePlanRecord,
    MaintenanceTicketRecord,
    TicketHistoryRecord,
)
from chalicelib.messaging.tables import InboundMessageRecord, ProviderTokenRecord, ZaloUserRecord
from chalicelib.outbox.tables import NotificationRecord
from chalicelib.partners.case_tables import CaseRecord
from chalicelib.partners.payout_tables import (
    PayoutBatchRecord,
    PayoutLineRecord,
    PayoutSettingRecord,
)
from chalicelib.partners.reward_tables import RewardPeriodRecord, RewardRecord, RewardRuleRecord
from chalicelib.partners.tables import PartnerRecord, PartnerSessionRecord
from chalicelib.platform.tables import ExportJobRecord, RateLimitRecord
from chalicelib.privacy.tables import PrivacyRequestRecord
from chalicelib.reports.tables import ReportRollupRecord
from chalicelib.service_centers.tables import ServiceCenterRecord, ServiceCenterUserRecord

ALL_TABLES: tuple[type[Model], ...] = (
    BrandRecord,
    ProductModelRecord,
    UnitRecord,
    CustomerRecord,
    OtpRecord,
    RateLimitRecord,
    NotificationRecord,
    ProviderTokenRecord,
    InboundMessageRecord,
    ZaloUserRecord,
    LabelJobRecord,
    AuditRecord,
    ExportJobRecord,
    RollupRecord,
    UnitImportRecord,
    PartnerRecord,
    PartnerSessionRecord,
    RewardRuleRecord,
    RewardRecord,
    RewardPeriodRecord,
    CaseRecord,
    PayoutSettingRecord,
    PayoutBatchRecord,
    PayoutLineRecord,
    DealerRecord,
    DealerUserRecord,
    CartonRecord,
    ShipmentRecord,
    ShipmentScanRecord,
    ShipmentClaimRecord,
    DealerRollupRecord,
    ClaimRecord,
    ClaimHistoryRecord,
    ServiceCenterRecord,
    ServiceCenterUserRecord,
    ClaimCountRecord,
    ClaimFormRecord,
    ModelHelpRecord,
    MaintenancePlanRecord,
    MaintenanceLineRecord,
    MaintenanceTicketRecord,
    TicketHistoryRecord,
    PartRecord,
    LocationRecord,
    StockRecord,
    MovementRecord,
    ReceivableRecord,
    ReceivableMonthRecord,
    ReportRollupRecord,
    PrivacyRequestRecord,
    UnitTransferRecord,
)
