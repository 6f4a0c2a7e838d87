"""A day as each language writes it in a message or a reason: ``31/05/2025`` in Vietnamese,
``31 May 2025`` in English (never ambiguous), and in Persian on the Solar Hijri calendar with its
month's name (``10 خرداد 1404``), the calendar a Persian reader lives by. Pure.

The conversion is the well-known arithmetic one (Borkowski's, as the browsers' ``Intl`` agrees
for every day of 1900–2100: a test compares them); a dependency for twenty lines was not worth
it, and it is only ever used to write a day.

>>> solar_hijri(date(2025, 3, 21)), solar_hijri(date(2026, 12, 3))
((1404, 1, 1), (1405, 9, 12))
>>> [written_day(date(2025, 5, 31), language) for language in ("vi", "en", "fa")]
['31/05/2025', '31 May 2025', '10 خرداد 1404']
"""

from __future__ import annotations

from datetime import date

MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")  # fmt: skip
MONTHS_FA = ("فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر",
             "دی", "بهمن", "اسفند")  # fmt: skip
_BEFORE_MONTH = (0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334)


def solar_hijri(day: date) -> tuple[int, int, int]:
    """``day`` on the Solar Hijri calendar: (year, month, day)."""
    year = day.year + 1 if day.month > 2 else day.year
    days = (
        355666 + 365 * day.year + (year + 3) // 4 - (year + 99) // 100 + (year + 399) // 400
        + day.day + _BEFORE_MONTH[day.month - 1]
    )  # fmt: skip
    jy = -1595 + 33 * (days // 12053)
    days %= 12053
    jy += 4 * (days // 1461)
    days %= 1461
    if days > 365:
        jy += (days - 1) // 365
        days = (days - 1) % 365
    if days < 186:
        return jy, 1 + days // 31, 1 + days % 31
    return jy, 7 + (days - 186) // 30, 1 + (days - 186) % 30


def written_day(day: date, language: str) -> str:
    if language == "en":
        return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"
    if language == "fa":
        year, month, number = solar_hijri(day)
        return f"{number} {MONTHS_FA[month - 1]} {year}"
    return day.strftime("%d/%m/%Y")
