"""The reports' store, built on first use."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chalicelib.core.settings import get_settings
from chalicelib.platform.cache import once_per_container

if TYPE_CHECKING:
    from chalicelib.reports.repository import ReportCounters


@once_per_container
def counters() -> ReportCounters:
    from chalicelib.reports.repository import ReportCounters

    return ReportCounters(get_settings().brand_id)
