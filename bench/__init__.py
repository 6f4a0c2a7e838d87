"""Benchmarks printed by `make bench`: figures as ratios measured in one run, never asserted."""
