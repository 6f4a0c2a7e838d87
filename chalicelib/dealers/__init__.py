"""Dealers (issue 14): the registry of dealers and distributors, their users, shipments of units
scanned out to them, and the funnel from shipped to activated."""
