"""The dashboard's steps inside the units and notifications streams' handlers
(``on_unit_change`` and ``on_notification_change``): the platform's roll-up step
(``platform.rollup_events``) with the dashboard's readers and store."""

from __future__ import annotations

from typing import Any

from chalicelib.dashboard import wiring as dashboard_wiring
from chalicelib.dashboard.stream_counts import activation_event, message_event
from chalicelib.platform.rollup_events import count_batch


def count_activations(event: dict[str, Any]) -> dict[str, Any]:
    """Units stream: activations per day, model and channel."""
    return count_batch(event, activation_event, dashboard_wiring.rollups, rollup="dashboard")


def count_messages(event: dict[str, Any]) -> dict[str, Any]:
    """Notifications stream: messages delivered and failed per day and channel."""
    return count_batch(event, message_event, dashboard_wiring.rollups, rollup="dashboard")
