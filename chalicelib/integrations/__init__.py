"""Outbound adapters, each behind a small Protocol."""
