"""The funnel's step inside the units stream's handler (``on_unit_change``): shipments,
activations and returns of dealers' units counted per dealer, model and day, through the
platform's roll-up step (``platform.rollup_events``) with the funnel's reader and store."""

from __future__ import annotations

from typing import Any

from chalicelib.dealers import wiring as dealers_wiring
from chalicelib.dealers.funnel_stream import funnel_event
from chalicelib.platform.rollup_events import count_batch


def count_funnel(event: dict[str, Any]) -> dict[str, Any]:
    """Units stream: the dealer funnel's counters."""
    return count_batch(event, funnel_event, dealers_wiring.funnel_counters, rollup="funnel")
