"""Replies to inbound commands, one catalogue key per outcome or parse reason.

The Vietnamese words carry no diacritics on purpose: a Unicode SMS holds 70 characters a
segment, a GSM-7 one 160, and every reply fits one GSM-7 segment (checked by the unit tests with
the longest serial). Dates are ``dd/mm/yyyy`` in both languages, as printed on the certificate.

>>> activated_reply("SN240001234", warranty_end=date(2027, 3, 31), language="en")
'The electronic warranty for serial SN240001234 is active until 31/03/2027. Thank you!'
"""

from __future__ import annotations

from datetime import date

from chalicelib.activation.inbound import InboundCommand
from chalicelib.core.i18n import DEFAULT_LANGUAGE, text

REPLY_KEYS = (
    "inbound_reply_activated",
    "inbound_reply_already_activated",
    "inbound_reply_help",
    "inbound_reply_not_sold",
    "inbound_reply_unknown_serial",
)


def help_reply(command: InboundCommand, language: str = DEFAULT_LANGUAGE) -> str:
    """How to text us, worded after the reason the message did not parse (the serial is offered
    back for ``inbound_serial_only``)."""
    if command.reason is None:
        return text("inbound_reply_help", language)
    return text(command.reason, language, serial=command.serial or "")


def activated_reply(serial: str, *, warranty_end: date, language: str = DEFAULT_LANGUAGE) -> str:
    return text("inbound_reply_activated", language, serial=serial, date=_day(warranty_end))


def already_activated_reply(
    serial: str, *, activated_on: date, language: str = DEFAULT_LANGUAGE
) -> str:
    """Says when, never by whom: the same disclosure as the API's ``already_activated``."""
    return text("inbound_reply_already_activated", language, serial=serial, date=_day(activated_on))


def unknown_serial_reply(serial: str, *, language: str = DEFAULT_LANGUAGE) -> str:
    return text("inbound_reply_unknown_serial", language, serial=serial)


def not_sold_reply(serial: str, *, language: str = DEFAULT_LANGUAGE) -> str:
    return text("inbound_reply_not_sold", language, serial=serial)


def _day(value: date) -> str:
    return f"{value:%d/%m/%Y}"
