"""The customer's side of service requests against the emulator: the QR signature or the
"my products" session proves who may file; two photos go straight to the bucket and are
cleaned by the claims stream function (the API function never reads their bytes, and their
location data is gone); the tracking link shows the visible steps and the verdict's reasons;
the customer accepts a quote, confirms the return and rates once."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests
from PIL import Image

from chalicelib.catalog.model import Owner
from chalicelib.catalog.unit_repository import UnitRepository
from chalicelib.core.phone import phone_key
from chalicelib.platform import wiring as platform_wiring
from tests.integration.test_partner_cases import photo
from tests.support import factories as f
from tests.support import seed
from tests.support.api import Api, StaffTokens, error_code
from tests.support.aws import Emulator
from tests.support.streams import StreamReader, deliver, failed_sequence_numbers

SERIAL = "GAR-SR-101"


@pytest.fixture
def unit(aws: Emulator) -> str:
    seed.model("AC-9")
    seed.units([SERIAL])
    UnitRepository().activate(
        SERIAL,
        f.activation(
            at=datetime.now(UTC) - timedelta(days=10),
            owner_=Owner("Nguyễn Thị Lan", "+84912345678"),
        ),
        owner_key=phone_key(f.PEPPER, "+84912345678"),
        consents=(),
    )
    return SERIAL


def request_body(**overrides: Any) -> dict[str, Any]:
    return {
        "serial": SERIAL,
        "sig": seed.token(SERIAL),
        "claim_type": "warranty",
        "customer": {"name": "Nguyễn Thị Lan", "phone": "0912345678"},
        "description": "Máy chảy nước",
        **overrides,
    }


def upload(api: Api) -> str:
    data = photo()
    started = api.post(
        "/service-requests/photos", json_body={"content_type": "image/jpeg", "size": len(data)}
    )
    assert started.status_code == 201, started.body
    target = started.json_body["upload"]
    assert requests.put(target["url"], data=data, headers=target["headers"], timeout=10).ok
    return str(started.json_body["key"])


def test_a_customer_files_with_two_photos_the_stream_cleans_them_not_the_api(
    api: Api, staff: StaffTokens, unit: str, aws: Emulator
) -> None:
    stream = StreamReader(aws, "garanti-local-claims")
    keys = [upload(api), upload(api)]

    filed = api.post("/service-requests", json_body=request_body(photos=keys))

    assert filed.status_code == 201, filed.body
    claim_id = filed.json_body["claim_id"]
    assert filed.json_body["verdict"]["status"] == "in_warranty"
    assert filed.json_body["tracking_url"].startswith(f"http://portal.test/r/{claim_id}?t=")
    storage = platform_wiring.storage()
    # the API function only looked the uploads up: they are untouched, nothing is cleaned yet
    assert all(storage.size_of(k) == len(photo()) for k in keys)
    staff_view = api.get(f"/claims/{claim_id}", token=staff("cs")).json_body["claim"]
    assert [p["state"] for p in staff_view["photos"]] == ["uploaded", "uploaded"]

    records = stream.new_records()
    first = deliver("on_claim_change", records)
    again = deliver("on_claim_change", records)  # redelivered: finds the work done

    assert failed_sequence_numbers(first) == failed_sequence_numbers(again) == []
    photos = api.get(f"/claims/{claim_id}", token=staff("cs")).json_body["claim"]["photos"]
    assert [p["state"] for p in photos] == ["ready", "ready"]
    assert all(p["key"].startswith(f"claim-photos/{claim_id}/") for p in photos)
    assert all(storage.size_of(k) is None for k in keys)  # originals gone
    cleaned = Image.open(io.BytesIO(storage.read_bytes(photos[0]["key"])))
    assert cleaned.format == "WEBP" and max(cleaned.size) <= 1600
    assert not cleaned.getexif() and "exif" not in cleaned.info
    assert photos[0]["url"]


def test_filing_needs_the_qr_signature_or_the_owner_s_session(api: Api, unit: str) -> None:
    forged = api.post("/service-requests", json_body=request_body(sig="A" * 24))
    bare = api.post("/service-requests", json_body=request_body(sig=None))
    from chalicelib.activation.lookup import issue_lookup_token

    # the owner signed in on "my products" (the session the look-up code's route issues)
    token = issue_lookup_token(
        phone_key(f.PEPPER, "+84912345678"),
        now=datetime.now(UTC),
        token_key=platform_wiring.secrets().lookup_token_key,
    ).token
    owner = api.post(
        "/service-requests",
        json_body=request_body(sig=None),
        headers={"Authorization": f"Bearer {token}"},
    )

    assert (forged.status_code, error_code(forged)) == (403, "claim_proof_required")
    assert (bare.status_code, error_code(bare)) == (403, "claim_proof_required")
    assert owner.status_code == 201, owner.body
    mine = api.get(
        f"/service-requests/{owner.json_body['claim_id']}",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert mine.status_code == 200


def test_the_tracking_link_shows_the_visible_steps_and_lets_the_customer_act(
    api: Api, staff: StaffTokens, unit: str
) -> None:
    filed = api.post("/service-requests", json_body=request_body()).json_body
    claim_id, token = filed["claim_id"], filed["token"]
    path = f"/service-requests/{claim_id}?t={token}"

    def staff_move(to: str, **extra: Any) -> None:
        version = api.get(f"/claims/{claim_id}", token=staff("cs")).json_body["claim"]["version"]
        moved = api.post(
            f"/claims/{claim_id}/moves",
            json_body={"to": to, "version": version, **extra},
            token=staff("cs"),
        )
        assert moved.status_code == 200, moved.body

    staff_move("triaged")
    staff_move("quoted", quote_vnd=450_000)
    shown = api.get(path).json_body
    accepted = api.post(
        f"/service-requests/{claim_id}/moves?t={token}", json_body={"to": "quote_accepted"}
    )
    guessed = api.get(f"/service-requests/{claim_id}?t=AAAAAAAAAAAAAAAA")
    early_rating = api.post(
        f"/service-requests/{claim_id}/rating?t={token}", json_body={"rating": 5}
    )

    assert (shown["step"], shown["quote_vnd"]) == ("quoted", 450_000)
    assert shown["actions"] == ["quote_accepted", "quote_declined"]
    assert [s["step"] for s in shown["timeline"]] == ["received", "checked", "quoted"]
    assert shown["verdict"]["reasons"][0]["message"]
    assert accepted.status_code == 200 and accepted.json_body["state"] == "quote_accepted"
    assert (guessed.status_code, error_code(guessed)) == (404, "claim_not_found")
    assert (early_rating.status_code, error_code(early_rating)) == (409, "claim_not_returned")
