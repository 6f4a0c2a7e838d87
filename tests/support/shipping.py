"""Dealers and shipped units as the dealers and shipments slices write them (issue 14), for the
funnel's tests and bench: the demo's own writers (``devstack.demo_funnel``), one definition."""

from __future__ import annotations

from devstack.demo_funnel import dealer, ship, unship

__all__ = ["dealer", "ship", "unship"]
