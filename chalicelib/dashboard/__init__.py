"""The dashboard: daily roll-up counters kept by the units and notifications streams, and the
console's summary read from them (never from the units)."""
