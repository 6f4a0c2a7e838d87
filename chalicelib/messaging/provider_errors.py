"""What a provider's result code means for the sender: retry, refresh, fall back, alert or stop.

The tables are exactly the reference's (docs/reference/zalo.md#zns-error-codes for Zalo ZNS
``error``, sms.md#esms-send "Adapter mapping" for eSMS ``CodeResult``). A code not in a table is
``UNKNOWN``, never ``OK``: the caller treats it as a failure worth a person's look. Deliberately
unknown: ZNS ``-110`` (third-party mappings disagree) and eSMS codes the table lists without an
adapter behaviour (102, 118, 201, 204, 789, 790, 791, 799).

>>> classify_zns(-124)
<ErrorClass.TOKEN_INVALID: 'token_invalid'>
>>> classify_esms("124")
<ErrorClass.DUPLICATE: 'duplicate'>
>>> classify_esms("999")
<ErrorClass.UNKNOWN: 'unknown'>
"""

from __future__ import annotations

import re
from enum import StrEnum


class ErrorClass(StrEnum):
    OK = "ok"
    TOKEN_INVALID = "token_invalid"  # refresh the token, then retry once
    CONFIG = "config"  # alert a person, no retry
    PERMANENT_RECIPIENT = "permanent_recipient"  # no retry for this recipient/payload; fall back
    QUOTA = "quota"  # back off or roll to the next day
    NIGHT_WINDOW = "night_window"  # reschedule to 06:00 ICT
    TRANSIENT = "transient"  # retry later
    DUPLICATE = "duplicate"  # already accepted: look up the original message
    OUT_OF_FUNDS = "out_of_funds"  # alert and pause the queue
    UNKNOWN = "unknown"


def _table(*rows: tuple[ErrorClass, tuple[int, ...]]) -> dict[int, ErrorClass]:
    table: dict[int, ErrorClass] = {}
    for error_class, codes in rows:
        for code in codes:
            if code in table:
                raise ValueError(f"code {code} is mapped twice")
            table[code] = error_class
    return table


ZNS_CLASSES = _table(
    (ErrorClass.OK, (0,)),
    (ErrorClass.TOKEN_INVALID, (-124, -216, -220)),
    (ErrorClass.CONFIG, (-101, -102, -103, -104, -105, -117, -125, -131, -135, -1351)),
    (
        ErrorClass.PERMANENT_RECIPIENT,
        (-108, -109, -111, -112, -1121, -1122, -1124, -114, -118, -119, -139, -140, -141),
    ),
    (ErrorClass.QUOTA, (-115, -144, -147, -146)),
    (ErrorClass.NIGHT_WINDOW, (-133,)),
    (ErrorClass.TRANSIENT, (-100,)),
)

ESMS_CLASSES = _table(
    (ErrorClass.OK, (100,)),
    (ErrorClass.DUPLICATE, (124,)),
    (ErrorClass.CONFIG, (101, 104, 140, 143, 146, 177)),
    (ErrorClass.OUT_OF_FUNDS, (103,)),
    (ErrorClass.PERMANENT_RECIPIENT, (99, 108)),
)

_NUMERIC = re.compile(r"-?[0-9]{1,9}")


def _as_code(value: int | str) -> int | None:
    if isinstance(value, bool):  # a bool is an int, but never a provider code
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and _NUMERIC.fullmatch(value.strip()):
        return int(value)
    return None


def classify_zns(error: int | str) -> ErrorClass:
    """The class of a ZNS ``error`` field, as int or numeric string
    (docs/reference/zalo.md#zns-error-codes)."""
    code = _as_code(error)
    return ErrorClass.UNKNOWN if code is None else ZNS_CLASSES.get(code, ErrorClass.UNKNOWN)


def classify_esms(code_result: int | str) -> ErrorClass:
    """The class of an eSMS ``CodeResult``, as int or numeric string
    (docs/reference/sms.md#esms-send).

    ``OK`` for 100 means accepted by eSMS, not delivered: the DLR callback says that.
    """
    code = _as_code(code_result)
    return ErrorClass.UNKNOWN if code is None else ESMS_CLASSES.get(code, ErrorClass.UNKNOWN)
