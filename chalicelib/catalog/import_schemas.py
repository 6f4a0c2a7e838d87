"""Request body of the unit import route: the file the browser is about to upload."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StrictInt, StrictStr

from chalicelib.platform.schemas import RequestBody


class UnitImportRequest(RequestBody):
    """``{"filename": "units.xlsx", "size_bytes": 48213}``: the name says the kind (.csv or
    .xlsx), the size is checked now and again once the file is in the bucket."""

    filename: Annotated[StrictStr, Field(min_length=1, max_length=120)]
    size_bytes: Annotated[StrictInt, Field(ge=1)]
