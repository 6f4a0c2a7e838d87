"""Zalo Official Account adapters: ZNS template messages and the OA access-token refresh."""
