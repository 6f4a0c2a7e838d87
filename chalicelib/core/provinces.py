"""Vietnam's 34 provincial-level units since 1 July 2025 (Resolution 202/2025/QH15): the six
centrally-run cities, then the 28 provinces, as they are written (the portal's landing page
offers the same names: ``web/portal/js/landing.js``, a test keeps the two lists equal).

>>> len(PROVINCES), is_province("Huế"), is_province("Hue")
(34, True, False)
"""

from __future__ import annotations

import unicodedata

from chalicelib.core.errors import Invalid

CITIES: tuple[str, ...] = (
    "Hà Nội",
    "Thành phố Hồ Chí Minh",
    "Hải Phòng",
    "Đà Nẵng",
    "Cần Thơ",
    "Huế",
)
PROVINCES_ONLY: tuple[str, ...] = (
    "An Giang", "Bắc Ninh", "Cà Mau", "Cao Bằng", "Đắk Lắk", "Điện Biên", "Đồng Nai", "Đồng Tháp",
    "Gia Lai", "Hà Tĩnh", "Hưng Yên", "Khánh Hòa", "Lai Châu", "Lâm Đồng", "Lạng Sơn", "Lào Cai",
    "Nghệ An", "Ninh Bình", "Phú Thọ", "Quảng Ngãi", "Quảng Ninh", "Quảng Trị", "Sơn La",
    "Tây Ninh", "Thái Nguyên", "Thanh Hóa", "Tuyên Quang", "Vĩnh Long",
)  # fmt: skip
PROVINCES: tuple[str, ...] = CITIES + PROVINCES_ONLY
_KNOWN = frozenset(PROVINCES)


def is_province(name: str) -> bool:
    """One of the 34 names, exactly as written (after NFC: a decomposed "Huế" is the same)."""
    return unicodedata.normalize("NFC", name) in _KNOWN


def normalize_province(raw: str) -> str:
    """One of the 34 names, as written, with spaces collapsed; else ``Invalid("province_invalid")``.

    >>> normalize_province("Thành phố  Hồ Chí Minh")
    'Thành phố Hồ Chí Minh'
    """
    value = " ".join(unicodedata.normalize("NFC", raw).split())
    if not is_province(value):
        raise Invalid("province_invalid")
    return value
