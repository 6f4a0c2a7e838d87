"""Activation by inbound message: one service for every channel (eSMS and SpeedSMS MO, Zalo chat).

``BH SN240001234`` texted from ``84912345678`` activates serial ``SN240001234`` for
``+84912345678`` and answers ``Serial SN240001234 da duoc kich hoat … den het ngay 09/03/2028``.

Rules:

- The sender's number is the owner's (SMS). A foreign, landline or service number activates
  nothing and gets no reply (``foreign_number``): replying to those numbers is what SMS pumping
  is after (reference C10). Zalo chat carries no number, so the text must name one
  (``BH SN240001234 0912345678``), else the reply asks for it (``phone_needed``).
- Each message is answered once: the answer is stored under ``<provider>#<provider's id>`` for
  :data:`REPLAY_WINDOW` (a conditional put), and a provider that delivers the same message
  again gets the stored answer with nothing activated twice. Two deliveries racing each other
  both activate through :func:`~chalicelib.services.activation.activate_serial`, whose single
  conditional transaction lets one win; both answer what was stored first.
- Texting the activation keyword is the explicit act of consent to ``warranty_service``; the
  evidence recorded is ``<provider>:<provider's message id>``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

from chalicelib.domain.inbound import parse_inbound
from chalicelib.domain.inbound_replies import (
    activated_reply,
    already_activated_reply,
    help_reply,
    not_sold_reply,
    unknown_serial_reply,
)
from chalicelib.domain.phone import log_safe, normalize_vn_mobile
from chalicelib.domain.warranty import business_day
from chalicelib.errors import Conflict, Invalid, NotFound
from chalicelib.i18n import DEFAULT_LANGUAGE, text
from chalicelib.observability import logger
from chalicelib.services.activation import ActivationUnits, ModelReader, activate_serial
from chalicelib.services.notifications import Outbox, new_message

REPLAY_WINDOW = timedelta(hours=72)  # past every provider's retries (eSMS: 5, Zalo: ~2 h)
_TOKEN_EDGES = "()[]{}<>,;:.!?\"'"
_DIGITS = re.compile(r"\+?[0-9][0-9.\-]*")


class Outcome(StrEnum):
    ACTIVATED = "activated"
    ALREADY_ACTIVATED = "already_activated"
    UNKNOWN_SERIAL = "unknown_serial"
    NOT_SOLD = "not_sold"  # void, or otherwise not in an activatable status
    DEADLINE_PASSED = "deadline_passed"
    HELP = "help"  # the text is not an activation command
    PHONE_NEEDED = "phone_needed"  # Zalo: the text names no Vietnamese mobile number
    FOREIGN_NUMBER = "foreign_number"  # not a Vietnamese mobile: refused, no reply


@dataclass(frozen=True)
class InboundText:
    """One inbound message as the hooks hand it over. ``sender_phone_raw``: the number as the
    provider wrote it (``84912345678``), ``""`` when the channel carries none (Zalo chat)."""

    channel: str  # sms | zalo
    provider: str  # esms | speedsms | zalo
    provider_message_id: str
    sender_phone_raw: str
    text: str
    received_at: datetime

    @property
    def inbound_id(self) -> str:
        return f"{self.provider}#{self.provider_message_id}"

    @property
    def evidence(self) -> str:
        return f"{self.provider}:{self.provider_message_id}"


@dataclass(frozen=True)
class InboundReply:
    """The answer: ``text`` is ``""`` when nothing must be sent back. ``phone`` is the E.164
    number a reply goes to (``None`` for a refused or unknown number); ``duplicate``: the
    message was answered before and this is the stored answer."""

    outcome: str
    text: str
    phone: str | None
    duplicate: bool = False


class AnsweredMessage(Protocol):
    @property
    def outcome(self) -> str: ...
    @property
    def reply(self) -> str: ...


class InboundLog(Protocol):
    def find(self, inbound_id: str, now: datetime) -> AnsweredMessage | None: ...
    def remember(
        self, inbound_id: str, *, outcome: str, reply: str, now: datetime, expires: datetime
    ) -> AnsweredMessage: ...


def handle_inbound(
    inbound: InboundText,
    *,
    log: InboundLog,
    units: ActivationUnits,
    models: ModelReader,
    pepper: bytes,
    language: str = DEFAULT_LANGUAGE,
) -> InboundReply:
    """Answer one inbound message, activating the serial it names at most once (see the module
    doc). Never raises for what the customer wrote; storage errors propagate (the provider
    retries, and the stored answer makes the retry safe)."""
    now = inbound.received_at
    phone: str | None = None
    if inbound.sender_phone_raw:
        try:
            phone = normalize_vn_mobile(inbound.sender_phone_raw)
        except Invalid:
            answer = _remember(inbound, log, Outcome.FOREIGN_NUMBER, "", now)
            return _answered(inbound, answer, None, duplicate=False)
    stored = log.find(inbound.inbound_id, now)
    if stored is not None:
        return _answered(inbound, stored, phone, duplicate=True)
    command = parse_inbound(inbound.text)
    if command.action != "activate" or command.serial is None:
        outcome, reply = Outcome.HELP, help_reply(command, language)
    else:
        if phone is None:  # a channel without the sender's number: the text must name one
            phone = phone_in_text(inbound.text, exclude=command.serial)
        if phone is None:
            outcome, reply = Outcome.PHONE_NEEDED, text("inbound_reply_phone_needed", language)
        else:
            outcome, reply = _activate(
                inbound, command.serial, phone, units, models, pepper, language
            )
    answer = _remember(inbound, log, outcome, reply, now)
    # a concurrent delivery of the same message stored its answer first: that one holds
    duplicate = (answer.outcome, answer.reply) != (outcome.value, reply)
    return _answered(inbound, answer, phone, duplicate=duplicate)


def queue_reply(
    inbound: InboundText,
    reply: InboundReply,
    *,
    outbox: Outbox,
    brand_id: str,
    pepper: bytes,
    language: str = DEFAULT_LANGUAGE,
) -> bool:
    """Queue the reply in the outbox for a channel that cannot answer in the same request
    (SpeedSMS). Its id is deterministic in the inbound message, so a repeated delivery queues
    nothing more (``False``); nothing is queued for a reply-less outcome."""
    if not reply.text or reply.phone is None:
        return False
    message = new_message(
        "inbound_reply",
        business_key=(inbound.provider, inbound.provider_message_id),
        brand_id=brand_id,
        phone=reply.phone,
        language=language,
        fields={"reply": reply.text},
        subject="inbound",
        now=inbound.received_at,
        pepper=pepper,
    )
    return outbox.add(message)


def phone_in_text(message: str, *, exclude: str = "") -> str | None:
    """The first Vietnamese mobile number written in ``message`` (E.164), ignoring the token
    ``exclude`` (the serial); digits may be grouped by spaces, dots or dashes.

    >>> phone_in_text("BH SN240001234 0912 345 678", exclude="SN240001234")
    '+84912345678'
    >>> phone_in_text("BH SN240001234 +447700900123") is None
    True
    """
    tokens = [token.strip(_TOKEN_EDGES) for token in message.split()]
    for start, token in enumerate(tokens):
        if not _DIGITS.fullmatch(token) or token.upper() == exclude.upper():
            continue
        candidate = ""
        for following in tokens[start : start + 4]:  # "0912 345 678": up to four groups
            if not _DIGITS.fullmatch(following):
                break
            candidate += following
            try:
                return normalize_vn_mobile(candidate)
            except Invalid:
                continue
    return None


def _activate(
    inbound: InboundText,
    serial: str,
    phone: str,
    units: ActivationUnits,
    models: ModelReader,
    pepper: bytes,
    language: str,
) -> tuple[Outcome, str]:
    try:
        activation = activate_serial(
            serial,
            phone,
            channel=inbound.channel,
            evidence=inbound.evidence,
            language=language,
            now=inbound.received_at,
            pepper=pepper,
            units=units,
            models=models,
        )
    except NotFound:
        return Outcome.UNKNOWN_SERIAL, unknown_serial_reply(serial, language=language)
    except Conflict as conflict:
        if conflict.code != "already_activated":
            return Outcome.NOT_SOLD, not_sold_reply(serial, language=language)
        activated_at = _activated_at(conflict, serial, units)
        if activated_at is None:
            return Outcome.NOT_SOLD, not_sold_reply(serial, language=language)
        reply = already_activated_reply(
            serial, activated_on=business_day(activated_at), language=language
        )
        return Outcome.ALREADY_ACTIVATED, reply
    except Invalid as invalid:
        if invalid.code != "activation_deadline_passed":
            raise
        return Outcome.DEADLINE_PASSED, text(
            "inbound_reply_deadline_passed", language, serial=serial
        )
    return Outcome.ACTIVATED, activated_reply(
        serial, warranty_end=activation.warranty_end, language=language
    )


def _activated_at(conflict: Conflict, serial: str, units: ActivationUnits) -> datetime | None:
    """When the unit was activated: from the conflict, else (a record without the time) read;
    ``None`` if it is no longer activated."""
    stored = conflict.details.get("activated_at")
    if isinstance(stored, str):
        return datetime.fromisoformat(stored)
    activation = units.get(serial).activation
    return activation.activated_at if activation else None


def _remember(
    inbound: InboundText, log: InboundLog, outcome: Outcome, reply: str, now: datetime
) -> AnsweredMessage:
    return log.remember(
        inbound.inbound_id,
        outcome=outcome.value,
        reply=reply,
        now=now,
        expires=now + REPLAY_WINDOW,
    )


def _answered(
    inbound: InboundText, answer: AnsweredMessage, phone: str | None, *, duplicate: bool
) -> InboundReply:
    logger.info(
        "inbound message answered",
        extra={
            "provider": inbound.provider,
            "channel": inbound.channel,
            "provider_message_id": inbound.provider_message_id[:64],
            "outcome": answer.outcome,
            "duplicate": duplicate,
            "sender": log_safe(phone) if phone else None,
        },
    )
    return InboundReply(outcome=answer.outcome, text=answer.reply, phone=phone, duplicate=duplicate)
