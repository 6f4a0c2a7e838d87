"""Consent per purpose (Vietnam's personal data protection law: explicit, per purpose)."""

from __future__ import annotations

from dataclasses import dataclass

PURPOSES = ("warranty_service", "marketing")
NOTICE_VERSION = "2026-11"  # the privacy notice shown with the activation form


@dataclass(frozen=True)
class ConsentGrant:
    purpose: str
    granted: bool
    notice_version: str = NOTICE_VERSION
    evidence: str = ""  # what shows the act of consent; "" → the activation itself


def allows(purpose: str, granted: bool | None) -> bool:
    """May a message of ``purpose`` go to a person whose recorded decision is ``granted``
    (``None``: none recorded)? Direct marketing only with a consent given (silence is not
    consent); the warranty service unless withdrawn (it is what the activation is for).

    >>> allows("marketing", None), allows("marketing", True), allows("warranty_service", None)
    (False, True, True)
    >>> allows("warranty_service", False)
    False
    """
    if purpose == "marketing":
        return granted is True
    return granted is not False
