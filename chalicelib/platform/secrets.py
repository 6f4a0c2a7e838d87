"""Secrets from SSM Parameter Store (one SecureString JSON parameter per stage), cached per
container by Powertools ``parameters``. Never in the repo, never in environment variables.

The parameter's value::

    {"qr_keys": {"1": "<hex, ≥16 bytes>", "2": "…"}, "qr_active_key": 2,
     "pepper": "<hex, ≥16 bytes>", "lookup_token_key": "<hex, ≥32 bytes>"}

Rotating the QR key: add a key id, make it active, keep the old one so printed stickers work.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from secrets import token_bytes

from chalicelib.core.qr_token import QrKeyring
from chalicelib.platform.cache import on_reset

CACHE_SECONDS = 300


class SecretsError(RuntimeError):
    """The secrets parameter is missing or malformed: fail fast, never run without keys."""


@dataclass(frozen=True)
class Secrets:
    qr_keyring: QrKeyring
    pepper: bytes
    lookup_token_key: bytes


def parse_secrets(raw: str) -> Secrets:
    try:
        data = json.loads(raw)
        keys = {int(key_id): bytes.fromhex(key) for key_id, key in data["qr_keys"].items()}
        ring = QrKeyring(active_key_id=int(data["qr_active_key"]), keys=keys)
        pepper = bytes.fromhex(data["pepper"])
        lookup_key = bytes.fromhex(data["lookup_token_key"])
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise SecretsError(f"the secrets parameter is malformed: {type(exc).__name__}") from exc
    if len(pepper) < 16 or len(lookup_key) < 32:
        raise SecretsError("the pepper needs ≥16 bytes and the lookup token key ≥32 bytes")
    return Secrets(qr_keyring=ring, pepper=pepper, lookup_token_key=lookup_key)


def generate_secrets(key_bytes: int = 32) -> dict[str, object]:
    """Fresh keys in the parameter's format (the devstack's, or a new stage's first deploy)."""
    return {
        "qr_keys": {"1": token_bytes(key_bytes).hex()},
        "qr_active_key": 1,
        "pepper": token_bytes(key_bytes).hex(),
        "lookup_token_key": token_bytes(key_bytes).hex(),
    }


@functools.lru_cache(maxsize=4)
def _parse_cached(raw: str) -> Secrets:
    return parse_secrets(raw)


on_reset(_parse_cached.cache_clear)


def load_secrets(parameter_name: str) -> Secrets:
    """The stage's secrets; the SSM call happens at most once per ``CACHE_SECONDS``."""
    from aws_lambda_powertools.utilities import parameters  # imported on first use only

    raw = parameters.get_parameter(parameter_name, decrypt=True, max_age=CACHE_SECONDS)
    if not isinstance(raw, str):
        raise SecretsError("the secrets parameter must be a JSON string")
    return _parse_cached(raw)
