"""Delivery reports from the providers, already authenticated by the hooks: find the message a
report is about, check the report is really about its last send, and move it forwards once.

A report only ever moves a message forwards with one conditional write
(:meth:`~chalicelib.outbox.repository.NotificationRepository.apply_report`), so the
same report delivered three times changes the message once, and a late report never moves a
delivered message back. A reported price replaces the estimate the sender counted in the
brand's daily spend (the difference goes to the counter of the day it was accepted).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol

from chalicelib.catalog.warranty import business_day
from chalicelib.core.errors import NotFound
from chalicelib.core.observability import logger
from chalicelib.core.phone import log_safe
from chalicelib.outbox.model import DeliveryState, OutboundMessage, Report, spend_bucket

if TYPE_CHECKING:
    from chalicelib.messaging.providers.esms import EsmsSendStatus

MAX_MESSAGE_ID = 64
ESMS_DONE = 5
ESMS_FINAL = frozenset({4, 5})  # 4 rejected, 5 done; 1 pending approval, 2 waiting, 7 sent


class EsmsStatusApi(Protocol):
    def status(self, sms_id: str) -> EsmsSendStatus: ...


class ReportOutbox(Protocol):
    def get(self, message_id: str) -> OutboundMessage: ...
    def apply_report(self, message_id: str, report: Report) -> bool: ...


@dataclass(frozen=True)
class ProviderReport:
    """What a provider said about one send."""

    state: DeliveryState  # DELIVERED or FAILED (ACCEPTED for a late acceptance)
    provider: str
    provider_message_id: str
    error_code: str | None
    cost: Decimal | None  # VND, when the provider reports it
    at: datetime
    source: str = "delivery_report"  # or "status_api": the answer to the sweep's question


def find(message_id: str, *, outbox: ReportOutbox) -> OutboundMessage | None:
    """The message a report names (its id, as the ZNS ``tracking_id`` or eSMS ``RequestId``
    carry it); ``None`` for anything else."""
    if not message_id or len(message_id) > MAX_MESSAGE_ID:
        return None
    try:
        return outbox.get(message_id)
    except NotFound:
        return None


def sent_by(message: OutboundMessage, provider: str, provider_message_id: str) -> bool:
    """Whether a report from ``provider`` naming ``provider_message_id`` is about ``message``:
    its last send went through ``provider`` and, when we stored the provider's id, it is this
    one (a late ZNS receipt for a message that has since fallen back to SMS is not)."""
    if message.provider not in (None, provider):
        return False
    stored = message.provider_message_id
    return stored is None or stored == provider_message_id


def report_for(message: OutboundMessage, said: ProviderReport) -> Report:
    """The outbox write for ``said``, with the spend correction when a real price replaces the
    sender's estimate (counted once: the write is conditional on the state moving)."""
    bucket, delta = None, None
    if (
        said.cost is not None
        and message.cost is not None
        and not message.cost_reported
        and message.brand_id
        and message.accepted_at is not None
    ):
        bucket = spend_bucket(message.brand_id, business_day(message.accepted_at))
        delta = said.cost - message.cost
    return Report(
        state=said.state,
        provider=said.provider,
        at=said.at,
        provider_message_id=said.provider_message_id,
        error_code=said.error_code,
        cost=said.cost,
        spend_bucket=bucket,
        cost_delta=delta,
        source=said.source,
    )


def apply(message: OutboundMessage, said: ProviderReport, *, outbox: ReportOutbox) -> bool:
    """Move ``message`` forwards as ``said``; ``False`` when it changed nothing (a repeat, or a
    report that would move it backwards)."""
    changed = outbox.apply_report(message.message_id, report_for(message, said))
    logger.info(
        "delivery report applied" if changed else "delivery report changed nothing",
        extra={
            "provider": said.provider,
            "message_id": message.message_id,
            "state": said.state.value,
            "code": said.error_code,
            "to": log_safe(message.recipient_phone),
        },
    )
    return changed


def esms_state(send_status: int, success: int, failed: int) -> DeliveryState | None:
    """What eSMS's ``GetSendStatus`` says of one SMS (sms.md#esms-delivery-report): 5 with a success
    and no failure is delivered; 5 otherwise, or 4 (rejected), is failed; 1, 2 and 7 are not final
    yet."""
    if send_status == ESMS_DONE and success > 0 and failed == 0:
        return DeliveryState.DELIVERED
    if send_status in ESMS_FINAL:
        return DeliveryState.FAILED
    return None


class StatusChecker(Protocol):
    """A provider's status API, for accepted messages whose report never came."""

    providers: frozenset[str]

    def check(self, message: OutboundMessage, now: datetime) -> ProviderReport | None: ...


class EsmsStatusChecker:
    """``GetSendStatus`` for messages eSMS accepted (docs/reference/sms.md#esms-delivery-report)."""

    providers = frozenset({"esms"})

    def __init__(self, esms: EsmsStatusApi) -> None:
        self._esms = esms

    def check(self, message: OutboundMessage, now: datetime) -> ProviderReport | None:
        from chalicelib.messaging.providers.esms import EsmsStatusError

        if not message.provider_message_id:
            return None
        try:
            status = self._esms.status(message.provider_message_id)
        except EsmsStatusError as exc:
            logger.warning(
                "esms status unavailable",
                extra={"message_id": message.message_id, "reason": exc.reason},
            )
            return None
        state = esms_state(status.send_status, status.success, status.failed)
        if state is None:
            return None
        code = None if state is DeliveryState.DELIVERED else f"esms_status_{status.send_status}"
        return ProviderReport(
            state, "esms", message.provider_message_id, code, status.total_price, now
        )
