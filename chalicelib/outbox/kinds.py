"""Every kind of message Garanti sends: its fields, its urgency, and how it renders on each
channel within that channel's limits. Pure: no I/O.

The wording lives in the catalogues (``message_<kind>`` in ``chalicelib/core/i18n``, Vietnamese and
English); a ZNS template's wording lives at Zalo and only its parameter mapping in the brand's
messaging settings. Customer-provided values (a name) are only ever *values*: ``str.format``
substitutes once and never re-reads what it substituted, and ZNS gets them as JSON strings.

SMS texts are sent without Vietnamese marks, as SMS brandname templates are registered
(sms.md#esms-send), so they stay in the GSM-7 alphabet: 160 characters a segment, 153 when
concatenated, instead of 70/67 for unicode (issue 3).

>>> fold_to_ascii("Bảo hành đến 20/03/2027")
'Bao hanh den 20/03/2027'
>>> sms_segments("x" * 160), sms_segments("x" * 161), sms_segments("đ" * 71)
(1, 2, 2)
>>> message_id_for("activation_confirmed", "SN240001234", "2026-11-23T08:00:00+00:00")
'm_khqvvap4gj45zrxjafagovn2ia'
"""

from __future__ import annotations

import base64
import hashlib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from chalicelib.core.i18n import text
from chalicelib.outbox.model import Urgency

GSM_SEGMENT, GSM_CONCAT_SEGMENT = 160, 153
UCS2_SEGMENT, UCS2_CONCAT_SEGMENT = 70, 67
MAX_SMS_SEGMENTS = 3  # longer is refused by some brandname routes and costs 3× anyway
# a unicode SMS (Persian: 67 characters a segment) gets one more: four carry about what two
# GSM-7 segments do, enough for a confirmation's two links
MAX_UNICODE_SMS_SEGMENTS = 4


def max_segments(body: str) -> int:
    """The segments an SMS of ``body``'s alphabet may take."""
    return MAX_SMS_SEGMENTS if _gsm_length(body) is not None else MAX_UNICODE_SMS_SEGMENTS


ZNS_PARAM_MAX = 100  # ZNS rejects longer parameter values (-1122)
SECRET_KINDS = frozenset(
    {"lookup_code", "activation_code", "partner_code", "transfer_code"}
)  # their text is a secret: never shown, dropped once sent

# GSM 03.38 default alphabet and its extension table (an extension character costs two).
_GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM_EXTENDED = frozenset("\f^{}\\[~]|€")


@dataclass(frozen=True)
class MessageType:
    """``fields``: what a message of this kind carries (all strings, already formatted for the
    message's language); ``limits``: the longest value each may take, the rest is clipped.
    ``shrinkable``: customer-provided fields cut first when an SMS runs over its segments.
    ``added``: fields added after messages of this kind were first queued: a message queued
    before renders them empty instead of failing. ``purpose``: the consent purpose it is sent
    under (``activation.consent.PURPOSES``), checked by the sender before every send; ``None``
    for what the customer's own act or the warranty contract needs (a code, a confirmation, a
    request's progress), which no withdrawal stops."""

    kind: str
    urgency: Urgency
    fields: tuple[str, ...]
    limits: Mapping[str, int]
    shrinkable: tuple[str, ...] = ()
    added: tuple[str, ...] = ()
    purpose: str | None = None

    @property
    def catalogue_key(self) -> str:
        return f"message_{self.kind}"


def _type(
    kind: str,
    urgency: Urgency,
    limits: dict[str, int],
    shrinkable: tuple[str, ...] = (),
    added: tuple[str, ...] = (),
    purpose: str | None = None,
) -> MessageType:
    return MessageType(
        kind, urgency, tuple(limits), MappingProxyType(limits), shrinkable, added, purpose
    )


_NAME, _MODEL, _SERIAL, _DAY, _URL, _PHONE = 60, 60, 32, 12, 120, 20
# What every service request message carries (the tracking link opens the request).
_CLAIM = {
    "customer_name": _NAME,
    "claim_id": 16,
    "model": _MODEL,
    "serial": _SERIAL,
    "tracking_url": _URL,
    "hotline": _PHONE,
}
MESSAGE_TYPES: Mapping[str, MessageType] = MappingProxyType(
    {
        t.kind: t
        for t in (
            _type(
                "activation_confirmed",
                Urgency.NORMAL,
                {
                    "customer_name": _NAME,
                    "model": _MODEL,
                    "serial": _SERIAL,
                    "warranty_end": _DAY,
                    "certificate_url": _URL,
                    "hotline": _PHONE,
                    "not_me_url": _URL,
                },
                shrinkable=("customer_name", "model"),
                added=("not_me_url",),  # issue 11
            ),
            _type(
                "partner_activation",
                Urgency.NORMAL,
                {
                    "customer_name": _NAME,
                    "partner_name": _NAME,
                    "model": _MODEL,
                    "serial": _SERIAL,
                    "warranty_end": _DAY,
                    "certificate_url": _URL,
                    "hotline": _PHONE,
                },
                shrinkable=("customer_name", "partner_name", "model"),
            ),
            _type("lookup_code", Urgency.URGENT, {"code": 8}),
            # the phone's proof at activation when the brand asks for it (issue 11)
            _type("activation_code", Urgency.URGENT, {"code": 8}),
            # an installer partner's sign-up or sign-in (issue 13)
            _type("partner_code", Urgency.URGENT, {"code": 8}),
            # an ownership transfer (issue 17): the code to the new owner, with the page to
            # confirm on; then the new owner's confirmation and the former owner's notice
            _type(
                "transfer_code",
                Urgency.URGENT,
                {"code": 8, "model": _MODEL, "serial": _SERIAL, "transfer_url": _URL},
                shrinkable=("model",),
            ),
            _type(
                "transfer_done",
                Urgency.NORMAL,
                {
                    "customer_name": _NAME,
                    "model": _MODEL,
                    "serial": _SERIAL,
                    "warranty_end": _DAY,
                    "hotline": _PHONE,
                },
                shrinkable=("customer_name", "model"),
            ),
            _type(
                "transfer_notice",
                Urgency.NORMAL,
                {"model": _MODEL, "serial": _SERIAL, "new_owner": 20, "hotline": _PHONE},
                shrinkable=("model",),
            ),
            _type(
                "claim_status_changed",
                Urgency.NORMAL,
                {
                    "customer_name": _NAME,
                    "claim_id": 32,
                    "serial": _SERIAL,
                    "status": 40,
                    "hotline": _PHONE,
                },
                shrinkable=("customer_name",),
            ),
            _type(
                "maintenance_due",
                Urgency.NORMAL,
                {
                    "customer_name": _NAME,
                    "model": _MODEL,
                    "serial": _SERIAL,
                    "due_date": _DAY,
                    "hotline": _PHONE,
                },
                shrinkable=("customer_name", "model"),
            ),
            _type(
                "reward_approved",
                Urgency.NORMAL,
                {"partner_name": _NAME, "serial": _SERIAL, "amount": 20},
                shrinkable=("partner_name",),
            ),
            _type(
                "reward_paid",
                Urgency.NORMAL,
                {"partner_name": _NAME, "amount": 20, "paid_on": _DAY},
                shrinkable=("partner_name",),
            ),
            # staff answered a partner's case (issue 13): the partner reads it on their page
            _type(
                "partner_case_answered",
                Urgency.NORMAL,
                {"partner_name": _NAME, "subject": 60, "serial": _SERIAL},
                shrinkable=("partner_name", "subject"),
            ),
            # a dealer's weekly list of units shipped long ago and still not activated (issue 14)
            _type(
                "dealer_unactivated",
                Urgency.NORMAL,
                {
                    "dealer_name": _NAME,
                    "count": 8,
                    "days": 4,
                    "oldest": _DAY,
                    "serials": 120,
                    "url": _URL,
                },
                shrinkable=("dealer_name", "serials"),
            ),
            # a service request's customer (issue 15): one per customer-visible move or
            # expected return date, each with the tracking link
            *(
                _type(
                    kind, Urgency.NORMAL, {**_CLAIM, **extra}, shrinkable=("customer_name", "model")
                )
                for kind, extra in (
                    ("claim_received", {}),
                    ("claim_quoted", {"quote": 20}),
                    ("claim_accepted", {}),
                    ("claim_return_date", {"return_date": _DAY}),
                    ("claim_ready", {}),
                    ("claim_returned", {}),
                    ("claim_cancelled", {}),
                )
            ),
            # a unit's component comes due for maintenance (issue 16): the first reminder and,
            # without an answer, the second; the link opens the page to book, postpone or decline
            *(
                _type(
                    kind,
                    Urgency.NORMAL,
                    {
                        "customer_name": _NAME,
                        "model": _MODEL,
                        "serial": _SERIAL,
                        "component": 40,
                        "due_date": _DAY,
                        "booking_url": _URL,
                        "hotline": _PHONE,
                    },
                    shrinkable=("customer_name", "model", "component"),
                    purpose="warranty_service",  # an offer of a visit: the customer may say no
                )
                for kind in ("maintenance_due", "maintenance_due_again")
            ),
            # the desk's daily maintenance digest (issue 16): today's visits, tickets not yet
            # assigned, customers who have not answered, visits overdue, parts short
            _type(
                "maintenance_digest",
                Urgency.NORMAL,
                {
                    "day": _DAY,
                    "visits": 6,
                    "unassigned": 6,
                    "awaiting": 6,
                    "overdue": 6,
                    "short": 6,
                    "url": _URL,
                },
            ),
            # the answer to an inbound SMS that could not be answered in the same request
            _type("inbound_reply", Urgency.URGENT, {"reply": 300}),
        )
    }
)


def message_type(kind: str) -> MessageType:
    """The registered type; ``KeyError`` names an unknown kind (a programming error)."""
    return MESSAGE_TYPES[kind]


def message_id_for(kind: str, *business_key: str) -> str:
    """A deterministic outbox id for one business event: the same event always gives the same
    id, so writing it twice leaves one message. 28 characters of ``[a-z0-9_]``: usable as it is
    as the ZNS ``tracking_id`` (≤ 48, zalo.md#zns-send) and the eSMS ``RequestId`` (≤ 50,
    sms.md#esms-send), so delivery reports carrying either lead straight back to the message."""
    digest = hashlib.sha256("\x1f".join((kind, *business_key)).encode()).digest()
    return "m_" + base64.b32encode(digest).decode().lower()[:26]


def clip(value: str, limit: int) -> str:
    """``value`` cut to ``limit`` characters, an ellipsis marking the cut."""
    return value if len(value) <= limit else value[: max(limit - 1, 0)].rstrip() + "…"


def fold_to_ascii(value: str) -> str:
    """Vietnamese without its marks (``đ`` → ``d``) and a cut's ``…`` as ``...`` (one
    character outside GSM-7 would make the whole SMS unicode: 67 characters a segment instead
    of 153, too few for a confirmation with two links); the đồng sign ``₫`` as ``VND`` (a
    reward's amount); other non-ASCII characters kept.

    >>> fold_to_ascii("Thưởng 150.000 ₫ đã được duyệt")
    'Thuong 150.000 VND da duoc duyet'
    """
    value = value.replace("…", "...").replace("₫", "VND")
    decomposed = unicodedata.normalize("NFD", value.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )


def _gsm_length(value: str) -> int | None:
    """Septets ``value`` takes in GSM-7, or ``None`` when it needs unicode."""
    length = 0
    for char in value:
        if char in _GSM_BASIC:
            length += 1
        elif char in _GSM_EXTENDED:
            length += 2
        else:
            return None
    return length


def sms_segments(value: str) -> int:
    """How many SMS segments ``value`` takes (GSM-7 when it can, else unicode UCS-2)."""
    septets = _gsm_length(value)
    if septets is not None:
        return 1 if septets <= GSM_SEGMENT else -(-septets // GSM_CONCAT_SEGMENT)
    units = len(value.encode("utf-16-le")) // 2
    return 1 if units <= UCS2_SEGMENT else -(-units // UCS2_CONCAT_SEGMENT)


def _bounded(kind: MessageType, fields: Mapping[str, str]) -> dict[str, str]:
    fields = {**dict.fromkeys(kind.added, ""), **fields}
    missing = set(kind.fields) - set(fields)
    extra = set(fields) - set(kind.fields)
    if missing or extra:
        raise ValueError(f"{kind.kind}: missing {sorted(missing)}, unexpected {sorted(extra)}")
    return {
        name: clip(" ".join(str(fields[name]).split()), kind.limits[name]) for name in kind.fields
    }


def render_text(kind: str, language: str, fields: Mapping[str, str]) -> str:
    """The message as a person reads it (the dev inbox, the console): the catalogue's wording
    with diacritics, fields clipped to their limits."""
    message = message_type(kind)
    return text(message.catalogue_key, language, **_bounded(message, fields))


def render_sms(kind: str, language: str, fields: Mapping[str, str]) -> str:
    """The SMS body: folded to ASCII and at most :data:`MAX_SMS_SEGMENTS` segments (a unicode
    one :data:`MAX_UNICODE_SMS_SEGMENTS`), cutting
    the customer-provided fields (halving them) before anything else. ``ValueError`` when even
    with those fields cut to one character it does not fit (a catalogue text too long)."""
    message = message_type(kind)
    values = _bounded(message, fields)
    while True:
        body = fold_to_ascii(text(message.catalogue_key, language, **values))
        if sms_segments(body) <= max_segments(body):
            return body
        longest = max(message.shrinkable, key=lambda name: len(values[name]), default=None)
        if longest is None or len(values[longest]) <= 1:
            raise ValueError(
                f"{kind}: the {language} SMS does not fit {max_segments(body)} segments"
            )
        values[longest] = clip(values[longest], len(values[longest]) // 2)


def render_zns_data(
    kind: str, params: Mapping[str, str], fields: Mapping[str, str]
) -> dict[str, str]:
    """ZNS ``template_data``: each template parameter → the value of the field it maps to,
    within :data:`ZNS_PARAM_MAX`. Values are data, never template syntax."""
    values = _bounded(message_type(kind), fields)
    return {param: clip(values[field], ZNS_PARAM_MAX) for param, field in params.items()}
