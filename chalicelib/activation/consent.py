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
