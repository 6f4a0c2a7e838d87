"""Units stream → consequences of activation (today: the confirmation message)."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from typing import Any

from chalicelib.activation.not_me import not_me_code
from chalicelib.audit import events as audited_changes
from chalicelib.catalog import wiring as catalog_wiring
from chalicelib.catalog.model import Unit, UnitStatus
from chalicelib.catalog.unit_stream import unit_from_image
from chalicelib.core.observability import logger
from chalicelib.core.settings import get_settings
from chalicelib.outbox import wiring as outbox_wiring
from chalicelib.partners import wiring as partner_wiring
from chalicelib.platform import wiring as platform_wiring
from chalicelib.platform.streams import process_stream


def on_record(record: Any, hotline: Callable[[], str], *, audited: bool = False) -> None:
    """Every change → an audit entry (unless ``audited``: the batch's entries are written
    already). MODIFY into ``activated`` → queue the confirmation. INSERT (registration) and
    REMOVE have no other consequence yet; a redelivered record records and queues nothing new
    (deterministic ids)."""
    if not audited:
        audited_changes.record_unit_change(record.raw_event)
    if record.raw_event.get("eventName") != "MODIFY":
        return
    change = record.raw_event["dynamodb"]
    old_status = change.get("OldImage", {}).get("status", {}).get("S")
    new_status = change.get("NewImage", {}).get("status", {}).get("S")
    if new_status != UnitStatus.ACTIVATED.value or old_status == UnitStatus.ACTIVATED.value:
        return
    from chalicelib.activation import messages  # the outbox: loaded by the first activation

    settings = get_settings()
    links, pepper = platform_wiring.unit_links(), platform_wiring.secrets().pepper
    unit = with_typed_partner(unit_from_image(change["NewImage"]), pepper)
    activated_at = unit.activation.activated_at if unit.activation else None
    not_me = not_me_code(pepper, unit.serial, activated_at) if activated_at else ""
    messages.queue_activation_confirmation(
        unit,
        catalog_wiring.model_cache().get(unit.model_code),
        messages.ConfirmationContext(
            hotline=hotline(),
            certificate_url=links.certificate(unit.serial),
            not_me_url=links.not_me(unit.serial, not_me),
        ),
        pepper=pepper,
        brand_id=settings.brand_id,
        outbox=outbox_wiring.notification_repository(),
    )


def with_typed_partner(unit: Unit, pepper: bytes) -> Unit:
    """An installer who typed their details on the public form, not signed in, and whose phone
    is an approved partner's, is that partner (named as registered): they get the
    ``partner_activation`` message a signed-in partner gets. Any other typed phone gets nothing
    (no message to a number anyone can type)."""
    activation = unit.activation
    installer = activation.installer if activation else None
    if activation is None or installer is None or installer.partner_id:
        return unit
    found = partner_wiring.approved_partner_by_phone(installer.phone, pepper)
    if found is None:
        return unit
    partner_id, name = found
    installer = dataclasses.replace(installer, partner_id=partner_id, name=name)
    return dataclasses.replace(
        unit, activation=dataclasses.replace(activation, installer=installer)
    )


def _brand_hotline() -> str:
    settings = get_settings()
    brand = catalog_wiring.brand_repository().get(settings.brand_id)
    return brand.hotline_or(settings.hotline)


def handle(event: dict[str, Any], context: Any) -> dict[str, Any]:
    # the brand's hotline is read once per batch (at its first activation), not per record
    hotline = functools.cache(_brand_hotline)
    audited = _audit_batch(event)
    return process_stream(
        event, context, lambda record: on_record(record, hotline, audited=audited)
    )


def _audit_batch(event: dict[str, Any]) -> bool:
    """The batch's audit entries in one go; ``False`` when that failed (a record that cannot be
    read, the table refusing): each record then writes its own, and fails on its own."""
    try:
        audited_changes.record_unit_changes(event.get("Records", []))
    except Exception:  # noqa: BLE001 - any failure: each record retries its own entry
        logger.warning("audit batch failed, recording record by record", exc_info=True)
        return False
    return True
