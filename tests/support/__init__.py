"""Test support: factories, in-memory fakes, the AWS emulator fixtures and stream helpers."""
