"""DynamoDB JSON that survives ``json.dumps``: binary values as base64 text, as Lambda gives them.

boto3's low-level clients return ``{"B": b"..."}`` and ``{"BS": [b"..."]}``; a Lambda stream
event and a DynamoDB export carry the same values as base64 strings.

>>> to_json_safe({"photo": {"B": b"\\x00\\x01"}})
{'photo': {'B': 'AAE='}}
>>> from_json_safe({"photo": {"B": "AAE="}})
{'photo': {'B': b'\\x00\\x01'}}
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any


def _encode_value(value: Any) -> Any:
    if not isinstance(value, Mapping) or len(value) != 1:
        return value
    ((kind, inner),) = value.items()
    if kind == "B" and isinstance(inner, (bytes, bytearray)):
        return {"B": base64.b64encode(bytes(inner)).decode("ascii")}
    if kind == "BS" and isinstance(inner, list):
        return {
            "BS": [
                base64.b64encode(bytes(v)).decode("ascii")
                if isinstance(v, (bytes, bytearray))
                else v
                for v in inner
            ]
        }
    if kind == "M" and isinstance(inner, Mapping):
        return {"M": to_json_safe(inner)}
    if kind == "L" and isinstance(inner, list):
        return {"L": [_encode_value(v) for v in inner]}
    return {kind: inner}


def _decode_value(value: Any) -> Any:
    if not isinstance(value, Mapping) or len(value) != 1:
        return value
    ((kind, inner),) = value.items()
    if kind == "B" and isinstance(inner, str):
        return {"B": base64.b64decode(inner)}
    if kind == "BS" and isinstance(inner, list):
        return {"BS": [base64.b64decode(v) if isinstance(v, str) else v for v in inner]}
    if kind == "M" and isinstance(inner, Mapping):
        return {"M": from_json_safe(inner)}
    if kind == "L" and isinstance(inner, list):
        return {"L": [_decode_value(v) for v in inner]}
    return {kind: inner}


def to_json_safe(item: Mapping[str, Any]) -> dict[str, Any]:
    """An item (attribute name → AttributeValue) with binary values as base64 text."""
    return {name: _encode_value(value) for name, value in item.items()}


def from_json_safe(item: Mapping[str, Any]) -> dict[str, Any]:
    """The inverse of :func:`to_json_safe`: base64 text back to bytes for boto3."""
    return {name: _decode_value(value) for name, value in item.items()}
