"""What activation tells the customer: the confirmation of an activation and the look-up code,
rendered from the catalogue and queued in the outbox."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from chalicelib.activation.otp import CODE_TTL
from chalicelib.catalog.model import ProductModel, Unit
from chalicelib.core.i18n import text
from chalicelib.core.observability import logger
from chalicelib.core.phone import phone_key
from chalicelib.core.text import mask_name
from chalicelib.outbox.compose import Outbox, format_day, new_message
from chalicelib.outbox.kinds import message_id_for
from chalicelib.outbox.model import OutboundMessage


@dataclass(frozen=True)
class ConfirmationContext:
    hotline: str
    certificate_url: str
    not_me_url: str  # "this wasn't me": the recipient disowns the activation (not_me.py)


def confirmation_id(serial: str, activated_at: datetime) -> str:
    """The outbox id of an activation's confirmation (one per activation)."""
    return message_id_for("activation_confirmed", serial, activated_at.isoformat())


def activation_confirmation(
    unit: Unit, model: ProductModel, context: ConfirmationContext, pepper: bytes, brand_id: str
) -> OutboundMessage:
    """The confirmation message for an activated unit, in the customer's language."""
    activation = unit.activation
    if activation is None:
        raise ValueError("the unit is not activated")
    language = activation.language
    return new_message(
        "activation_confirmed",
        business_key=(unit.serial, activation.activated_at.isoformat()),
        brand_id=brand_id,
        phone=activation.owner.phone,
        language=language,
        fields={
            # an owner who activated by SMS has no name on record: ZNS needs a value
            "customer_name": activation.owner.name or text("customer_fallback_name", language),
            "model": model.localized(language).name,
            "serial": unit.serial,
            "warranty_end": format_day(activation.warranty_end, language),
            "certificate_url": context.certificate_url,
            "hotline": context.hotline,
            "not_me_url": context.not_me_url,
        },
        subject=unit.serial,
        now=activation.activated_at,
        pepper=pepper,
    )


def partner_activation_message(
    unit: Unit, model: ProductModel, context: ConfirmationContext, pepper: bytes, brand_id: str
) -> OutboundMessage | None:
    """What the signed-in partner who activated the unit is told (``partner_activation``, to
    the partner's phone, in the activation's language); ``None`` for any other activation."""
    activation = unit.activation
    installer = activation.installer if activation else None
    if activation is None or installer is None or not installer.partner_id:
        return None
    language = activation.language
    return new_message(
        "partner_activation",
        business_key=(unit.serial, activation.activated_at.isoformat()),
        brand_id=brand_id,
        phone=installer.phone,
        language=language,
        fields={
            # masked: the installer knows whom they served, and a message outlives the
            # customer's erasure (it is the installer's, found by the installer's phone)
            "customer_name": mask_name(activation.owner.name)
            or text("customer_fallback_name", language),
            "partner_name": installer.name,
            "model": model.localized(language).name,
            "serial": unit.serial,
            "warranty_end": format_day(activation.warranty_end, language),
            "certificate_url": context.certificate_url,
            "hotline": context.hotline,
        },
        subject=unit.serial,
        now=activation.activated_at,
        pepper=pepper,
    )


def otp_message(
    phone: str,
    code: str,
    language: str,
    now: datetime,
    pepper: bytes,
    brand_id: str = "",
    *,
    kind: str = "lookup_code",
) -> OutboundMessage:
    """A one-time code's message (``lookup_code``, ``activation_code``, ``partner_code``). It
    lives exactly as long as the code (``CODE_TTL``): neither the sender nor a staff retry
    delivers a code that no longer opens anything (a 10-minute message lifetime once let a retry
    at 7 min 53 s send a 5-minute code)."""
    key = phone_key(pepper, phone)
    return new_message(
        kind,
        business_key=(key, f"{now.timestamp():.6f}"),
        brand_id=brand_id,
        phone=phone,
        language=language,
        fields={"code": code},
        subject=kind.removesuffix("_code"),
        now=now,
        pepper=pepper,
        expires_at=now + CODE_TTL,
    )


def queue_activation_confirmation(
    unit: Unit,
    model: ProductModel,
    context: ConfirmationContext,
    *,
    pepper: bytes,
    brand_id: str,
    outbox: Outbox,
) -> bool:
    """Queue the confirmation once, and the partner's ``partner_activation`` when a signed-in
    partner activated: ``False`` when this activation's confirmation already exists (the
    stream delivered the same record again)."""
    message = activation_confirmation(unit, model, context, pepper, brand_id)
    queued = outbox.add(message)
    logger.info(
        "activation confirmation queued" if queued else "activation confirmation already queued",
        extra={"serial": unit.serial, "message_id": message.message_id},
    )
    for_partner = partner_activation_message(unit, model, context, pepper, brand_id)
    if for_partner is not None:
        # its own deterministic id: a redelivered record adds neither message twice
        outbox.add(for_partner)
    return queued
