"""VietQR transfer codes: the NAPAS profile of EMVCo's merchant-presented QR (an inter-bank
transfer to an account, service ``QRIBFTTA``). Pure: no I/O.

A code is a string of TLV objects (a two-digit tag, a two-digit length, the value): payload
format ``01``; initiation ``12`` with an amount (a code for one payment), ``11`` without; tag
``38`` holds NAPAS's GUID ``A000000727``, the beneficiary (``00`` the bank's BIN, ``01`` the
account number) and the service; then currency ``704`` (VND), the amount, country ``VN``, the
purpose in ``62``/``08``, and last ``63``: the CRC-16/CCITT-FALSE (polynomial 0x1021, start
0xFFFF, no reflection) of everything before it, ``6304`` included, in four upper-case hex digits.

Checked byte for byte against two published codes: the README of ``github.com/subiz/vietqr``
(120,000 VND to VietinBank 0011001932418, "ung ho lu lut") and the documentation of the Dart
package ``vietqr_gen`` (pub.dev, a static code for Techcombank 9602091996):

>>> code = transfer_code("970415", "0011001932418", 120_000, "ung ho lu lut")
>>> code == (
...     "00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA"
...     "530370454061200005802VN62170813ung ho lu lut6304C15C"
... )
True
>>> transfer_code("970407", "9602091996")
'00020101021138540010A00000072701240006970407011096020919960208QRIBFTTA53037045802VN630434A0'
>>> f"{crc16_ccitt_false(b'123456789'):04X}"
'29B1'
"""

from __future__ import annotations

import re
import unicodedata

NAPAS_GUID = "A000000727"
SERVICE_TO_ACCOUNT = "QRIBFTTA"
CURRENCY_VND = "704"
COUNTRY = "VN"
PURPOSE_MAX = 25  # what tag 62/08 carries in NAPAS's profile
_PURPOSE_CHARS = re.compile(r"[^A-Za-z0-9 .\-]")


def tlv(tag: str, value: str) -> str:
    """One EMVCo data object: ``tlv("53", "704")`` → ``'5303704'``; a value is at most 99."""
    if len(tag) != 2 or len(value) > 99:
        raise ValueError(f"EMVCo object {tag!r} cannot hold {len(value)} characters")
    return f"{tag}{len(value):02d}{value}"


def crc16_ccitt_false(data: bytes) -> int:
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc


def transfer_purpose(text: str) -> str:
    """What a bank app shows as the transfer's content: ASCII (Vietnamese marks dropped, ``đ`` →
    ``d``), letters, digits, spaces, dots and dashes only, at most 25 characters.

    >>> transfer_purpose("Thưởng lắp đặt tháng 11/2026 — Garanti")
    'Thuong lap dat thang 1120'
    """
    folded = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(c for c in folded if not unicodedata.combining(c))
    return " ".join(_PURPOSE_CHARS.sub("", bare).split())[:PURPOSE_MAX].strip()


def transfer_code(bank_bin: str, account: str, amount: int | None = None, purpose: str = "") -> str:
    """The VietQR code of a transfer of ``amount`` VND (none: the payer types it) to ``account``
    at the bank of ``bank_bin``, with ``purpose`` (already :func:`transfer_purpose`-clean)."""
    if amount is not None and amount <= 0:
        raise ValueError("a transfer code's amount is positive")
    beneficiary = tlv("00", bank_bin) + tlv("01", account)
    merchant = tlv("00", NAPAS_GUID) + tlv("01", beneficiary) + tlv("02", SERVICE_TO_ACCOUNT)
    body = tlv("00", "01") + tlv("01", "12" if amount else "11") + tlv("38", merchant)
    body += tlv("53", CURRENCY_VND)
    if amount:
        body += tlv("54", str(amount))
    body += tlv("58", COUNTRY)
    if purpose:
        body += tlv("62", tlv("08", purpose))
    body += "6304"
    return body + f"{crc16_ccitt_false(body.encode('ascii')):04X}"
