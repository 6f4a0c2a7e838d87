"""Request bodies of the shipments (``/shipments``)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StrictStr

from chalicelib.core.errors import Invalid
from chalicelib.dealers.model import normalize_dealer_code
from chalicelib.dealers.shipments import clean_document_number, clean_scan_code
from chalicelib.platform.schemas import IsoDay, RequestBody, domain_check


def _dealer_code(raw: str) -> str:
    try:
        return normalize_dealer_code(raw)
    except Invalid:
        raise Invalid("dealer_code_invalid") from None


DealerCode = Annotated[StrictStr, Field(max_length=64), domain_check(_dealer_code)]
DocumentNumber = Annotated[StrictStr, Field(max_length=200), domain_check(clean_document_number)]
ScanCode = Annotated[StrictStr, Field(max_length=200), domain_check(clean_scan_code)]
ReturnSerial = Annotated[StrictStr, Field(min_length=1, max_length=64)]


class ShipmentCreateRequest(RequestBody):
    """A new draft: the dealer (by its code), the day the goods leave, the delivery note."""

    dealer_code: DealerCode
    ship_date: IsoDay
    document_number: DocumentNumber


class ScanRequest(RequestBody):
    """One scanned code: a unit's serial or a carton's code (an SSCC with or without ``00``)."""

    code: ScanCode


class ReturnRequest(RequestBody):
    """Serials scanned back from the dealer (at most 500 a request)."""

    serials: list[ReturnSerial] = Field(min_length=1, max_length=500)
