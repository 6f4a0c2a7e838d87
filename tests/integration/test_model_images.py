"""A model's picture: a presigned PUT straight to the uploads bucket, then the server checks the
file, makes a WebP thumbnail without metadata and sets the model's image_url."""

from __future__ import annotations

import io
import zlib
from typing import Any

import pytest
import requests
from PIL import Image

from chalicelib.catalog.images import MAX_IMAGE_BYTES, make_thumbnail
from chalicelib.core.errors import Invalid
from chalicelib.platform import wiring as platform_wiring
from tests.support import factories as f
from tests.support.api import Api, StaffTokens, error_code


@pytest.fixture
def admin(staff: StaffTokens) -> str:
    return staff("admin")


@pytest.fixture
def model(api: Api, admin: str) -> str:
    api.post("/models", json_body=f.model_body("AC-9"), token=admin)
    return "AC-9"


def photo(size: tuple[int, int] = (1600, 1200), *, fmt: str = "JPEG", gps: bool = True) -> bytes:
    """A camera-like picture: EXIF with the camera, its orientation and where it was taken."""
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0112] = 6  # Orientation: rotate 90° to show it upright
    if gps:
        exif[0x8825] = {1: "N", 2: (10.0, 46.0, 30.0)}  # GPSInfo: Ho Chi Minh City
    out = io.BytesIO()
    image.save(out, format=fmt, exif=exif.tobytes())
    return out.getvalue()


def upload(api: Api, token: str, code: str, data: bytes, content_type: str) -> dict[str, Any]:
    started = api.post(
        f"/models/{code}/image",
        json_body={"content_type": content_type, "size": len(data)},
        token=token,
    )
    assert started.status_code == 201, started.json_body
    target = started.json_body["upload"]
    put = requests.put(target["url"], data=data, headers=target["headers"], timeout=10)
    assert put.status_code == 200, put.text
    return dict(started.json_body)


def test_an_uploaded_photo_becomes_an_upright_thumbnail_without_metadata(
    api: Api, admin: str, model: str
) -> None:
    started = upload(api, admin, model, photo(), "image/jpeg")

    done = api.post(f"/models/{model}/image/done", json_body={"key": started["key"]}, token=admin)

    assert done.status_code == 200, done.json_body
    image_url = done.json_body["image_url"]
    assert image_url.startswith("/media/models/AC-9/") and image_url.endswith(".webp")
    assert done.json_body["image_src"].endswith(image_url)
    assert done.json_body["updated_by"] == "admin"
    storage = platform_wiring.storage()
    thumbnail = Image.open(io.BytesIO(storage.read_bytes(image_url.lstrip("/"))))
    assert thumbnail.format == "WEBP"
    assert thumbnail.size == (480, 640)  # 1600×1200 turned upright, then at most 640 a side
    assert dict(thumbnail.getexif()) == {}
    assert not {"exif", "xmp", "icc_profile"} & thumbnail.info.keys()
    assert storage.size_of(started["key"]) is None  # the original is gone
    assert api.get(f"/models/{model}", token=admin).json_body["image_url"] == image_url


def test_finishing_the_same_upload_twice_finds_nothing_the_second_time(
    api: Api, admin: str, model: str
) -> None:
    started = upload(api, admin, model, photo(fmt="PNG", gps=False), "image/png")
    api.post(f"/models/{model}/image/done", json_body={"key": started["key"]}, token=admin)

    again = api.post(f"/models/{model}/image/done", json_body={"key": started["key"]}, token=admin)

    assert (again.status_code, error_code(again)) == (404, "image_upload_missing")


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"content_type": "image/gif", "size": 1000}, 400, "image_type_unsupported"),
        ({"content_type": "image/svg+xml", "size": 1000}, 400, "image_type_unsupported"),
        ({"content_type": "image/png", "size": MAX_IMAGE_BYTES + 1}, 413, "image_too_large"),
    ],
)
def test_a_declared_type_or_size_out_of_bounds_gets_no_upload_link(
    api: Api, admin: str, model: str, body: dict[str, Any], status: int, code: str
) -> None:
    response = api.post(f"/models/{model}/image", json_body=body, token=admin)

    assert (response.status_code, error_code(response)) == (status, code)
    assert "upload" not in (response.json_body or {})


def test_an_upload_larger_than_declared_is_refused_after_it_lands(
    api: Api, admin: str, model: str
) -> None:
    started = api.post(
        f"/models/{model}/image", json_body={"content_type": "image/png", "size": 10}, token=admin
    ).json_body
    too_big = b"\x89PNG" + b"\0" * MAX_IMAGE_BYTES
    requests.put(started["upload"]["url"], data=too_big, headers=started["upload"]["headers"])

    done = api.post(f"/models/{model}/image/done", json_body={"key": started["key"]}, token=admin)

    assert (done.status_code, error_code(done)) == (413, "image_too_large")
    assert platform_wiring.storage().size_of(started["key"]) is None
    assert api.get(f"/models/{model}", token=admin).json_body["image_url"].startswith("/assets/")


def test_a_file_that_is_not_a_picture_is_refused_whatever_its_declared_type(
    api: Api, admin: str, model: str
) -> None:
    started = upload(api, admin, model, b"<svg onload=alert(1)>", "image/jpeg")

    done = api.post(f"/models/{model}/image/done", json_body={"key": started["key"]}, token=admin)

    assert (done.status_code, error_code(done)) == (400, "image_unreadable")


def test_another_models_upload_key_is_refused(api: Api, admin: str, model: str) -> None:
    done = api.post(
        f"/models/{model}/image/done", json_body={"key": "labels/OTHER/sheet.pdf"}, token=admin
    )

    assert (done.status_code, error_code(done)) == (400, "image_upload_unknown")


def test_only_an_admin_uploads_a_picture(api: Api, staff: StaffTokens, model: str) -> None:
    response = api.post(
        f"/models/{model}/image",
        json_body={"content_type": "image/png", "size": 10},
        token=staff("cs"),
    )

    assert response.status_code == 403


def test_a_picture_of_a_missing_model_is_not_found(api: Api, admin: str) -> None:
    response = api.post(
        "/models/NOPE/image", json_body={"content_type": "image/png", "size": 10}, token=admin
    )

    assert (response.status_code, error_code(response)) == (404, "model_not_found")


def decompression_bomb(side: int) -> bytes:
    """A PNG of ``side`` × ``side`` black pixels (greyscale), a few KB compressed."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")

    header = side.to_bytes(4, "big") * 2 + bytes([8, 0, 0, 0, 0])
    rows = zlib.compress(b"\0" * (side + 1) * side, 9)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize("side", [7_000, 10_000])  # 49 MP (our bound), 100 MP (Pillow's too)
def test_a_decompression_bomb_is_refused_before_its_pixels_are_decoded(side: int) -> None:
    bomb = decompression_bomb(side)

    assert len(bomb) < MAX_IMAGE_BYTES
    with pytest.raises(Invalid) as refused:
        make_thumbnail(bomb)
    assert refused.value.code == "image_too_many_pixels"


def test_an_uploaded_logo_is_re_encoded_and_named_for_the_brand_s_next_save(
    api: Api, admin: str
) -> None:
    image = Image.new("RGBA", (1200, 300), (0, 0, 0, 0))
    out = io.BytesIO()
    image.save(out, format="PNG")
    started = api.post(
        "/brand/logo",
        json_body={"content_type": "image/png", "size": len(out.getvalue())},
        token=admin,
    ).json_body
    requests.put(
        started["upload"]["url"], data=out.getvalue(), headers=started["upload"]["headers"]
    )

    done = api.post("/brand/logo/done", json_body={"key": started["key"]}, token=admin)
    saved = api.put(
        "/brand",
        json_body={
            "name": "Ánh Dương",
            "serial_prefix": "GAR",
            "theme": {"logo_url": done.json_body["logo_url"]},
        },
        token=admin,
    )

    assert done.status_code == 200, done.json_body
    path = done.json_body["logo_url"]
    assert path.startswith("/media/brand/") and path.endswith(".webp")
    assert done.json_body["logo_src"].endswith(path)
    logo = Image.open(io.BytesIO(platform_wiring.storage().read_bytes(path.lstrip("/"))))
    assert (logo.size, logo.mode) == ((384, 96), "RGBA")  # fits 384 × 128, transparency kept
    assert saved.json_body["theme"]["logo_url"] == path
    assert api.get("/public/settings").json_body["brand"]["logo_url"] == path


def test_a_model_upload_key_is_not_a_logo(api: Api, admin: str, model: str) -> None:
    started = upload(api, admin, model, photo(gps=False), "image/jpeg")

    done = api.post("/brand/logo/done", json_body={"key": started["key"]}, token=admin)

    assert (done.status_code, error_code(done)) == (400, "image_upload_unknown")
