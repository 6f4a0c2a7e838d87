"""The uploads bucket through S3Storage on the emulator: a presigned PUT the browser would send,
its size checked before anything reads it, streamed in and out, deleted."""

from __future__ import annotations

import io

import pytest
import requests

from chalicelib.platform import wiring as platform_wiring

pytestmark = pytest.mark.usefixtures("aws")


def test_a_presigned_put_lands_in_the_bucket_and_streams_back() -> None:
    storage = platform_wiring.storage()
    url = storage.upload_url("imports/u1.csv", content_type="text/csv", expires_seconds=60)

    put = requests.put(url, data=b"serial,model\nA-1,M\n", headers={"Content-Type": "text/csv"})

    assert put.status_code == 200, put.text
    assert storage.size_of("imports/u1.csv") == 19
    into = io.BytesIO()
    storage.download_to("imports/u1.csv", into)
    assert into.getvalue() == storage.read_bytes("imports/u1.csv") == b"serial,model\nA-1,M\n"


def test_nothing_uploaded_has_no_size_and_a_deleted_file_is_gone() -> None:
    storage = platform_wiring.storage()
    assert storage.size_of("imports/never.csv") is None

    storage.upload_from(
        "exports/e1.xlsx",
        io.BytesIO(b"PK\x03\x04"),
        content_type="application/zip",
        filename="e.xlsx",
    )
    assert storage.size_of("exports/e1.xlsx") == 4
    storage.delete("exports/e1.xlsx")
    assert storage.size_of("exports/e1.xlsx") is None
