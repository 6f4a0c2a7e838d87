"""The rewards' step inside the units stream's handler (``on_unit_change``): a unit that became
activated by an installer (channel ``partner``) gets its one reward decision in the ledger.

Records are decided in order (a partner's burst and serial-run signals count the entries written
before): a record that fails stops the step there and is reported as the batch item failure, so
Lambda delivers it and what follows again; what was decided already is not decided twice (the
ledger's put is conditional on the serial having no entry)."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from chalicelib.catalog import wiring as catalog_wiring
from chalicelib.catalog.model import UnitStatus
from chalicelib.catalog.unit_stream import unit_from_image
from chalicelib.catalog.warranty import business_day
from chalicelib.core.observability import logger
from chalicelib.core.phone import phone_key
from chalicelib.core.settings import get_settings
from chalicelib.core.text import mask_name
from chalicelib.partners import reward_service
from chalicelib.partners import wiring as partner_wiring
from chalicelib.partners.rewards import Flag, FraudThresholds, Installation, RewardRule, held_for
from chalicelib.platform import wiring as platform_wiring
from chalicelib.platform.streams import image_text

_ACTIVATED = UnitStatus.ACTIVATED.value


def installation_of(record: dict[str, Any], pepper: bytes) -> Installation | None:
    """The installation a stream record reports: a unit moving into ``activated`` with channel
    ``partner`` and an installer; anything else is ``None``."""
    change = record.get("dynamodb", {})
    old, new = change.get("OldImage"), change.get("NewImage")
    if record.get("eventName") != "MODIFY" or image_text(new, "status") != _ACTIVATED:
        return None
    if image_text(old, "status") == _ACTIVATED or image_text(new, "channel") != "partner":
        return None
    unit = unit_from_image(new)
    activation = unit.activation
    if activation is None or activation.installer is None:
        return None
    return Installation(
        serial=unit.serial,
        model_code=unit.model_code,
        activated_at=activation.activated_at,
        activation_day=business_day(activation.activated_at),
        installer_phone=activation.installer.phone,
        partner_id=activation.installer.partner_id,
        customer_phone=activation.owner.phone,
        customer_key=phone_key(pepper, activation.owner.phone),
        customer_name_masked=mask_name(activation.owner.name),
        shipped=bool(unit.dealer_id),  # a shipment's dealer stays on the unit once activated
    )


def thresholds() -> FraudThresholds:
    settings = get_settings()
    return FraudThresholds(
        burst_count=settings.reward_burst_count,
        burst_minutes=settings.reward_burst_minutes,
        sequence_run=settings.reward_sequence_run,
        units_per_customer=settings.reward_units_per_customer,
        require_shipment=settings.reward_require_shipment,
    )


def earn_rewards(event: dict[str, Any]) -> dict[str, Any]:
    """Units stream: each installer's activation → its one ledger entry."""
    records: list[dict[str, Any]] = event.get("Records", [])
    pepper = platform_wiring.secrets().pepper if records else b""
    rule_store = partner_wiring.reward_rule_repository()

    @functools.cache
    def rules_for(model_code: str, category: str) -> Iterable[RewardRule]:
        # once per model and batch: the model's rules and its category's
        return (*rule_store.for_model(model_code), *rule_store.for_category(category))

    @functools.cache
    def category_of(model_code: str) -> str:
        return catalog_wiring.model_cache().get(model_code).category

    for record in records:
        try:
            installation = installation_of(record, pepper)
            if installation is None:
                continue
            installation = replace(installation, category=category_of(installation.model_code))
            entry, written = reward_service.decide_reward(
                installation,
                limits=thresholds(),
                rules_for=rules_for,
                phone_key=functools.partial(phone_key, pepper),
                partners=partner_wiring.partner_repository(),
                ledger=partner_wiring.reward_ledger(),
            )
            logger.info(
                "reward decided" if written else "reward decided before",
                extra={"serial": entry.serial, "state": entry.state.value},
            )
        except Exception:  # noqa: BLE001 - reported: Lambda delivers it (and what follows) again
            logger.exception("reward step failed", extra={"event_id": record.get("eventID")})
            sequence = record["dynamodb"]["SequenceNumber"]
            return {"batchItemFailures": [{"itemIdentifier": sequence}]}
    return {"batchItemFailures": []}


CONFIRMATION = "activation_confirmed"  # the customer's message whose loss holds the reward
HOLD_ATTEMPTS = 3  # a staff decision racing the hold: read the entry again, at most this often


def hold_undelivered(event: dict[str, Any]) -> dict[str, Any]:
    """Notifications stream: a customer's confirmation that finally failed (every channel
    tried) holds the serial's pending reward for review with ``confirmation_undelivered``: the
    phone an installer typed may not be the customer's. Idempotent: a redelivered record finds
    the entry held with the flag already, and a decided entry is left as it is."""
    records: list[dict[str, Any]] = event.get("Records", [])
    for record in records:
        try:
            serial = _undelivered_confirmation(record)
            if serial is not None:
                _hold(serial)
        except Exception:  # noqa: BLE001 - reported: Lambda delivers it (and what follows) again
            logger.exception("reward hold failed", extra={"event_id": record.get("eventID")})
            sequence = record["dynamodb"]["SequenceNumber"]
            return {"batchItemFailures": [{"itemIdentifier": sequence}]}
    return {"batchItemFailures": []}


NOT_DELIVERY_FAILURES = frozenset({"personal_data_erased", "consent_withdrawn"})


def _undelivered_confirmation(record: dict[str, Any]) -> str | None:
    """The serial of a confirmation that has just become ``failed``, else ``None``."""
    change = record.get("dynamodb", {})
    old, new = change.get("OldImage"), change.get("NewImage")
    if new is None or image_text(new, "template") != CONFIRMATION:
        return None
    if image_text(new, "status") != "failed" or image_text(old, "status") == "failed":
        return None
    if image_text(new, "reason") in NOT_DELIVERY_FAILURES:
        return None  # never tried: the customer's data was erased, or a consent withdrawn
    return image_text(new, "subject") or None


def _hold(serial: str) -> None:
    ledger = partner_wiring.reward_ledger()
    for _ in range(HOLD_ATTEMPTS):
        entry = ledger.get(serial)
        held = (
            None
            if entry is None
            else held_for(entry, Flag.CONFIRMATION_UNDELIVERED, at=datetime.now(UTC))
        )
        if entry is None or held is None:
            return  # no reward (yet, or ever) for this serial, or decided, or held already
        if ledger.hold(entry, held):
            logger.info("reward held", extra={"serial": serial, "flag": "confirmation_undelivered"})
            return
    raise RuntimeError("the entry kept changing while it was held")  # reported, redelivered
