"""Activation by inbound message: one service for every channel (eSMS and SpeedSMS MO, Zalo chat).

``BH SN240001234`` texted from ``84912345678`` activates serial ``SN240001234`` for
``+84912345678`` and answers ``Serial SN240001234 da duoc kich hoat … den het ngay 09/03/2028``.

Rules:

- SMS: the sender's number is the owner's. A foreign, landline or service number activates
  nothing and gets no reply (``foreign_number``): replying to those numbers is what SMS pumping
  is after (docs/reference/security.md#t-c10).
- Zalo chat carries no number, and one typed in the text proves nothing (anyone who read a
  printed serial could register it to any number). The owner's number is the one the user
  shared with the OA (``user_submit_info``, verified by Zalo; :func:`record_shared_info`);
  until they share one, ``BH <serial>`` activates nothing and the reply asks them to share it,
  with Zalo's one-tap "share my info" card (``phone_needed``). Replies go to the chat at once.
- Each message is claimed for its sender before anything is acted on, then answered once: the
  claim, then the answer, are stored under ``<provider>#<provider's id>`` for
  :data:`REPLAY_WINDOW` (conditional puts), and a provider that delivers the same message
  again gets the stored answer with nothing activated, or sent to the chat, twice. Two
  deliveries racing each other both activate through
  :func:`~chalicelib.activation.service.activate_serial`, whose single conditional
  transaction lets one win; both answer what was stored first.
- An SMS is answered only for the number of its first delivery. eSMS's ``sign`` does not cover
  ``sender``: the claim keeps the key of the first sender, and the same ``smsid`` from another
  number activates nothing and gets no reply (``other_sender``), even while the first delivery
  is still at work. A signed MO whose
  ``receiverTime`` is more than :data:`MO_MAX_AGE` old, or more than :data:`MO_MAX_SKEW` ahead,
  is refused before anything is read or stored (``hook_message_out_of_window``): the window is
  shorter than :data:`REPLAY_WINDOW`, so no MO can be replayed once its stored answer expired.
- Texting the activation keyword is the explicit act of consent to ``warranty_service``; the
  evidence recorded is ``<provider>:<provider's message id>`` (``zalo:<msg_id>``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

from chalicelib.activation.inbound import parse_inbound
from chalicelib.activation.inbound_replies import (
    activated_reply,
    already_activated_reply,
    help_reply,
    not_sold_reply,
    unknown_serial_reply,
)
from chalicelib.activation.service import ActivationUnits, ModelReader, activate_serial
from chalicelib.catalog.warranty import business_day
from chalicelib.core.errors import Conflict, Invalid, NotFound
from chalicelib.core.i18n import DEFAULT_LANGUAGE, text
from chalicelib.core.observability import logger
from chalicelib.core.phone import log_safe, mask_phone, normalize_vn_mobile, phone_key
from chalicelib.core.text import clean_text
from chalicelib.outbox.compose import Outbox, new_message

REPLAY_WINDOW = timedelta(hours=72)  # past every provider's retries (eSMS: 5, Zalo: ~2 h)
# eSMS retries an MO it could not deliver a few times within minutes; a day covers an outage of
# ours, and is well inside REPLAY_WINDOW (docs/reference/sms.md#esms-inbound-sms)
MO_MAX_AGE = timedelta(hours=24)
MO_MAX_SKEW = timedelta(minutes=5)  # the provider's clock ahead of ours
NAME_MAX = 100  # characters of a shared name kept, as the portal's name field


class Outcome(StrEnum):
    ACTIVATED = "activated"
    ALREADY_ACTIVATED = "already_activated"
    UNKNOWN_SERIAL = "unknown_serial"
    NOT_SOLD = "not_sold"  # void, or otherwise not in an activatable status
    DEADLINE_PASSED = "deadline_passed"
    HELP = "help"  # the text is not an activation command
    PHONE_NEEDED = "phone_needed"  # Zalo: the user has not shared a phone with the OA
    FOREIGN_NUMBER = "foreign_number"  # not a Vietnamese mobile: refused, no reply
    OTHER_SENDER = "other_sender"  # an smsid answered for another number: a replay, no reply


class ShareOutcome(StrEnum):
    STORED = "phone_shared"
    NOT_USABLE = "phone_not_usable"  # not a Vietnamese mobile (or none): not stored
    DUPLICATE = "duplicate"  # the same event delivered again: answered before


@dataclass(frozen=True)
class InboundText:
    """One inbound message as the hooks hand it over. ``sender_phone_raw``: the number as the
    provider wrote it (``84912345678``), ``""`` when the channel carries none (Zalo chat: see
    :class:`ZaloChatText`)."""

    channel: str  # sms | zalo
    provider: str  # esms | speedsms | zalo
    provider_message_id: str
    sender_phone_raw: str
    text: str
    received_at: datetime
    sent_at: datetime | None = None  # when the provider received it (eSMS ``receiverTime``)

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
    @property
    def sender(self) -> str | None: ...
    @property
    def answered(self) -> bool: ...


class InboundLog(Protocol):
    def find(self, inbound_id: str, now: datetime) -> AnsweredMessage | None: ...
    def claim(
        self, inbound_id: str, *, sender: str, now: datetime, expires: datetime
    ) -> AnsweredMessage: ...
    def remember(
        self,
        inbound_id: str,
        *,
        outcome: str,
        reply: str,
        sender: str,
        now: datetime,
        expires: datetime,
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
    """Answer one inbound SMS, activating the serial it names for the sender's number at most
    once (see the module doc). Never raises for what the customer wrote; ``Invalid``
    (``hook_message_out_of_window``) for a message the provider received too long ago or
    ahead of our clock; storage errors propagate (the provider retries, and the stored answer
    makes the retry safe)."""
    _require_recent(inbound)
    try:
        phone = normalize_vn_mobile(inbound.sender_phone_raw)
    except Invalid:
        sender = phone_key(pepper, inbound.sender_phone_raw)
        answer = _remember(inbound, log, Outcome.FOREIGN_NUMBER, "", sender)
        if answer.sender != sender:
            return _other_sender(inbound)
        return _answered(inbound, answer, None, duplicate=False)
    return _answer_once(
        inbound,
        phone,
        "",
        sender=phone_key(pepper, phone),
        log=log,
        units=units,
        models=models,
        pepper=pepper,
        language=language,
    )


def _require_recent(inbound: InboundText) -> None:
    """Refuse a message the provider received outside [now - MO_MAX_AGE, now + MO_MAX_SKEW]."""
    if inbound.sent_at is None:
        return
    age = inbound.received_at - inbound.sent_at
    if age > MO_MAX_AGE or -age > MO_MAX_SKEW:
        raise Invalid(
            "hook_message_out_of_window",
            max_age_hours=int(MO_MAX_AGE.total_seconds()) // 3600,
        )


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


def _answer_once(
    inbound: InboundText,
    phone: str | None,
    name: str,
    *,
    sender: str,
    log: InboundLog,
    units: ActivationUnits,
    models: ModelReader,
    pepper: bytes,
    language: str,
) -> InboundReply:
    """The stored answer of a message seen before; else parse, activate for ``phone`` (``None``:
    ask for one) and store the answer; nothing for a ``sender`` (the key of the number, ``""`` for
    a signed channel) other than the one the message was first answered for."""
    now = inbound.received_at
    held = log.claim(inbound.inbound_id, sender=sender, now=now, expires=now + REPLAY_WINDOW)
    if held.sender != sender:
        return _other_sender(inbound)
    if held.answered:
        return _answered(inbound, held, phone, duplicate=True)
    # our claim, or the same sender's (its retry after a crash, a concurrent delivery): act
    command = parse_inbound(inbound.text)
    if command.action != "activate" or command.serial is None:
        outcome, reply = Outcome.HELP, help_reply(command, language)
    elif phone is None:
        outcome, reply = Outcome.PHONE_NEEDED, text("zalo_reply_share_phone", language)
    else:
        outcome, reply = _activate(
            inbound, command.serial, phone, name, units, models, pepper, language
        )
    answer = _remember(inbound, log, outcome, reply, sender)
    if answer.sender != sender:
        return _other_sender(inbound)
    # a concurrent delivery of the same message stored its answer first: that one holds
    duplicate = (answer.outcome, answer.reply) != (outcome.value, reply)
    return _answered(inbound, answer, phone, duplicate=duplicate)


def _activate(
    inbound: InboundText,
    serial: str,
    phone: str,
    name: str,
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
            name=name,
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
    inbound: InboundText, log: InboundLog, outcome: Outcome, reply: str, sender: str
) -> AnsweredMessage:
    now = inbound.received_at
    return log.remember(
        inbound.inbound_id,
        outcome=outcome.value,
        reply=reply,
        sender=sender,
        now=now,
        expires=now + REPLAY_WINDOW,
    )


def _other_sender(inbound: InboundText) -> InboundReply:
    """A message answered before for another number (a signed MO replayed with a new
    ``sender``): no reply, nothing activated."""
    logger.warning(
        "inbound message replayed from another sender",
        extra={
            "provider": inbound.provider,
            "provider_message_id": inbound.provider_message_id[:64],
        },
    )
    return InboundReply(outcome=Outcome.OTHER_SENDER.value, text="", phone=None, duplicate=True)


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


# --- Zalo OA chat ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ZaloChatText:
    """A ``user_send_text`` event (zalo.md#webhooks): ``user_id`` is the writer's id for our OA
    (``sender.id``), ``msg_id`` Zalo's id of the message (the de-duplication key)."""

    user_id: str
    msg_id: str
    text: str
    received_at: datetime

    def as_inbound(self) -> InboundText:
        return InboundText(
            channel="zalo",
            provider="zalo",
            provider_message_id=self.msg_id,
            sender_phone_raw="",
            text=self.text,
            received_at=self.received_at,
        )


@dataclass(frozen=True)
class ZaloSharedInfo:
    """A ``user_submit_info`` event: the phone and name of the user's Zalo account as Zalo sends
    them (``84912345678``), and the event's ``timestamp``. The event has no id of its own; a
    retry repeats the same body, so the user, the timestamp and what was shared identify it."""

    user_id: str
    phone_raw: str
    name_raw: str
    timestamp: str
    received_at: datetime

    @property
    def inbound_id(self) -> str:
        shared = hashlib.sha256(f"{self.phone_raw}\x1f{self.name_raw}".encode()).hexdigest()
        return f"zalo#info:{self.user_id}:{self.timestamp}:{shared[:16]}"


class SharedContact(Protocol):
    @property
    def phone(self) -> str: ...  # E.164
    @property
    def name(self) -> str: ...  # "" when none was shared


class ZaloContacts(Protocol):
    """Zalo user id → the phone and name the user shared with the OA."""

    def find(self, user_id: str) -> SharedContact | None: ...
    def save(self, user_id: str, *, phone: str, name: str, shared_at: datetime) -> None: ...


class ChatDelivery(Protocol):
    @property
    def accepted(self) -> bool: ...
    @property
    def error_code(self) -> str | None: ...


class ZaloChat(Protocol):
    """Messages to a user in the OA chat. Never raises for Zalo's answer."""

    def send_text(self, user_id: str, text: str) -> ChatDelivery: ...
    def request_user_info(self, user_id: str, title: str, subtitle: str) -> ChatDelivery: ...


def handle_zalo_text(
    message: ZaloChatText,
    *,
    contacts: ZaloContacts,
    chat: ZaloChat,
    log: InboundLog,
    units: ActivationUnits,
    models: ModelReader,
    pepper: bytes,
    language: str = DEFAULT_LANGUAGE,
) -> InboundReply:
    """Answer one message written to the OA, in the chat. ``BH <serial>`` activates for the
    phone the user shared with the OA, never for a number written in the text; until they
    shared one, the reply asks for it and Zalo's "share my info" card follows. A message
    delivered again activates and sends nothing. A reply Zalo refuses is logged, and the
    activation stands (its confirmation also goes out through the outbox, by ZNS or SMS)."""
    contact = contacts.find(message.user_id)
    reply = _answer_once(
        message.as_inbound(),
        contact.phone if contact else None,
        contact.name if contact else "",
        sender="",  # Zalo signs the whole event: its sender cannot be swapped
        log=log,
        units=units,
        models=models,
        pepper=pepper,
        language=language,
    )
    if reply.duplicate or not reply.text:
        return reply
    delivery = chat.send_text(message.user_id, reply.text)
    if delivery.accepted and reply.outcome == Outcome.PHONE_NEEDED:
        delivery = chat.request_user_info(
            message.user_id,
            text("zalo_share_phone_title", language),
            text("zalo_share_phone_subtitle", language),
        )
    if not delivery.accepted:
        _reply_not_sent(message.msg_id, reply.outcome, delivery)
    return reply


def record_shared_info(
    info: ZaloSharedInfo,
    *,
    contacts: ZaloContacts,
    chat: ZaloChat,
    log: InboundLog,
    language: str = DEFAULT_LANGUAGE,
) -> ShareOutcome:
    """Remember the phone (and name) a user shared with the OA, verified by Zalo, so their
    ``BH <serial>`` activates for it, and tell them in the chat. A number that is not a
    Vietnamese mobile is not stored; the reply says it cannot be used. The same event delivered
    again stores and sends nothing more (``DUPLICATE``)."""
    now = info.received_at
    if log.find(info.inbound_id, now) is not None:
        logger.info("zalo phone share answered before", extra={"outcome": "duplicate"})
        return ShareOutcome.DUPLICATE
    try:
        phone: str | None = normalize_vn_mobile(info.phone_raw)
    except Invalid:
        phone = None
    if phone is None:
        outcome, reply = ShareOutcome.NOT_USABLE, text("zalo_reply_phone_not_usable", language)
    else:
        contacts.save(info.user_id, phone=phone, name=_shared_name(info.name_raw), shared_at=now)
        reply = text("zalo_reply_phone_shared", language, phone=mask_phone(phone))
        outcome = ShareOutcome.STORED
    log.remember(
        info.inbound_id,
        outcome=outcome.value,
        reply=reply,
        sender="",
        now=now,
        expires=now + REPLAY_WINDOW,
    )
    logger.info(
        "zalo phone share answered",
        extra={"outcome": outcome.value, "sender": log_safe(phone) if phone else None},
    )
    delivery = chat.send_text(info.user_id, reply)
    if not delivery.accepted:
        _reply_not_sent(info.timestamp, outcome.value, delivery)
    return outcome


def _shared_name(raw: str) -> str:
    """The account name as the portal would store it; ``""`` when it cannot be (control or
    bidi characters): the name is optional, the phone is what matters."""
    try:
        return clean_text(raw[:NAME_MAX], max_length=NAME_MAX, code_prefix="name", required=False)
    except Invalid:
        return ""


def _reply_not_sent(reference: str, outcome: str, delivery: ChatDelivery) -> None:
    logger.warning(
        "zalo chat reply not sent",
        extra={"reference": reference[:64], "outcome": outcome, "error_code": delivery.error_code},
    )
