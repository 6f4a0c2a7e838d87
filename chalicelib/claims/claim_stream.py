"""The claims stream as the claims capability publishes it: what other capabilities' stream
steps read (the reports' counters today). The requests' table is the claims'; a subscriber
decodes a record's image here and never touches the table's model itself."""

from __future__ import annotations

from typing import Any

from chalicelib.claims.model import Claim
from chalicelib.claims.repository import claim_from_image as _decode


def claim_from_image(image: dict[str, Any]) -> Claim:
    """A service request from a stream image (DynamoDB JSON)."""
    return _decode(image)
