"""A product model's picture: the browser uploads the original straight to the uploads bucket
(presigned PUT), then the server checks it, makes a small WebP without metadata and points the
model at it.

The thumbnail lives at ``media/models/<code>/<digest>.webp`` in the uploads bucket and the model's
``image_url`` is the portal path ``/media/models/<code>/<digest>.webp``: the portal's CloudFront
distribution serves ``/media/*`` from that prefix of the bucket (the devstack's web server does
the same locally). A new picture has a new name, so caches never show a stale one.
"""

from __future__ import annotations

import hashlib
import io
import secrets
import warnings
from dataclasses import dataclass
from typing import Protocol

from chalicelib.catalog.model import ProductModel
from chalicelib.core.errors import Invalid, NotFound, PayloadTooLarge

IMAGE_TYPES = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}
MAX_IMAGE_BYTES = 5 * 1024 * 1024
# A 5 MB PNG of one colour can decode to gigabytes: the header's size is checked before any
# pixel is decoded (40 MP: a 48 MP phone photo is refused, a 8000 × 5000 scan is not).
MAX_IMAGE_PIXELS = 40_000_000
THUMBNAIL_SIDE = 640  # the portal's product card is at most 320 CSS px wide: sharp at 2×
UPLOAD_PREFIX = "model-images/"  # originals, deleted once read (the bucket expires leftovers)
LOGO_UPLOAD_PREFIX = "brand-logos/"
LOGO_BOX = (384, 128)  # the portal's header shows the logo at 96 × 32 CSS px
MEDIA_PREFIX = "media/"  # public through the portal's /media/* path
UPLOAD_EXPIRES_SECONDS = 15 * 60


class ImageStorage(Protocol):
    def upload_url(self, key: str, *, content_type: str, expires_seconds: int) -> str: ...
    def size_of(self, key: str) -> int | None: ...
    def read_bytes(self, key: str) -> bytes: ...
    def put_bytes(self, key: str, data: bytes, *, content_type: str) -> None: ...
    def delete(self, key: str) -> None: ...


class ModelImages(Protocol):
    def get(self, code: str) -> ProductModel: ...
    def set_image(self, code: str, image_url: str, *, by: str) -> ProductModel: ...


@dataclass(frozen=True)
class ImageUpload:
    """Where the browser PUTs the file, with the headers the signature covers."""

    key: str
    url: str
    headers: dict[str, str]


def _check_declared(content_type: str, size: int) -> None:
    if content_type not in IMAGE_TYPES:
        raise Invalid("image_type_unsupported", types=sorted(IMAGE_TYPES))
    if size > MAX_IMAGE_BYTES:
        raise PayloadTooLarge("image_too_large", max_bytes=MAX_IMAGE_BYTES)


def _start(folder: str, content_type: str, size: int, storage: ImageStorage) -> ImageUpload:
    _check_declared(content_type, size)
    key = f"{folder}{secrets.token_hex(8)}"
    url = storage.upload_url(key, content_type=content_type, expires_seconds=UPLOAD_EXPIRES_SECONDS)
    return ImageUpload(key, url, {"Content-Type": content_type})


def _finish(folder: str, key: str, storage: ImageStorage, box: tuple[int, int], media: str) -> str:
    """The uploaded original checked and re-encoded under ``media``; returns the portal path."""
    return "/" + finish_image_upload(
        folder, key, f"{MEDIA_PREFIX}{media}", storage=storage, box=box
    )


def start_image_upload(
    folder: str, content_type: str, size: int, *, storage: ImageStorage
) -> ImageUpload:
    """A presigned PUT for a picture under ``folder`` (a key prefix ending in ``/``): another
    capability's pictures (a partner's case photos) use the same types, size and checks."""
    return _start(folder, content_type, size, storage)


def finish_image_upload(
    folder: str, key: str, destination: str, *, storage: ImageStorage, box: tuple[int, int]
) -> str:
    """The original at ``key`` (which must be directly under ``folder``) checked (size, then its
    real format and pixel count), re-encoded as a WebP without metadata that fits ``box`` and
    stored under the ``destination`` prefix, named by its content's digest; returns its key.
    The original is deleted whatever happens."""
    if not key.startswith(folder) or ".." in key or "/" in key.removeprefix(folder):
        raise Invalid("image_upload_unknown")
    size = storage.size_of(key)
    if size is None:
        raise NotFound("image_upload_missing")
    try:
        if size > MAX_IMAGE_BYTES:
            raise PayloadTooLarge("image_too_large", max_bytes=MAX_IMAGE_BYTES)
        thumbnail = make_thumbnail(storage.read_bytes(key), box)
    finally:
        storage.delete(key)
    digest = hashlib.sha256(thumbnail).hexdigest()[:20]
    stored = f"{destination}{digest}.webp"
    storage.put_bytes(stored, thumbnail, content_type="image/webp")
    return stored


def start_upload(
    code: str, content_type: str, size: int, *, models: ModelImages, storage: ImageStorage
) -> ImageUpload:
    """A presigned PUT for a new picture of model ``code`` (which must exist); the declared
    type and size are checked now, the real ones when the upload is finished."""
    models.get(code)
    return _start(f"{UPLOAD_PREFIX}{code}/", content_type, size, storage)


def finish_upload(
    code: str, key: str, *, by: str, models: ModelImages, storage: ImageStorage
) -> ProductModel:
    """Check the uploaded original (size, then its real format and pixel count), store its
    thumbnail and make it the model's picture. The original is deleted whatever happens.
    Finishing the same upload twice gives the same picture (its name is its content's digest)."""
    box = (THUMBNAIL_SIDE, THUMBNAIL_SIDE)
    path = _finish(f"{UPLOAD_PREFIX}{code}/", key, storage, box, f"models/{code}/")
    return models.set_image(code, path, by=by)


def start_logo_upload(content_type: str, size: int, *, storage: ImageStorage) -> ImageUpload:
    """A presigned PUT for a new brand logo (the same types and size as a model's picture)."""
    return _start(LOGO_UPLOAD_PREFIX, content_type, size, storage)


def finish_logo_upload(key: str, *, storage: ImageStorage) -> str:
    """The uploaded logo checked and re-encoded (at most 384 × 128 px, twice the portal's
    header size); returns its portal path for the brand's ``logo_url``, which the brand's
    next save stores (the brand itself is not changed here)."""
    return _finish(LOGO_UPLOAD_PREFIX, key, storage, LOGO_BOX, "brand/")


def make_thumbnail(data: bytes, box: tuple[int, int] = (THUMBNAIL_SIDE, THUMBNAIL_SIDE)) -> bytes:
    """``data`` (JPEG, PNG or WebP) as a WebP that fits ``box`` (px), turned upright by its
    EXIF orientation, then with no metadata at all (EXIF, GPS, XMP, ICC)."""
    from PIL import Image, ImageOps, UnidentifiedImageError  # heavy: this route only

    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=list(IMAGE_TYPES.values()))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise Invalid("image_too_many_pixels", max_pixels=MAX_IMAGE_PIXELS) from exc
        except (UnidentifiedImageError, OSError) as exc:
            raise Invalid("image_unreadable") from exc
        if image.width * image.height > MAX_IMAGE_PIXELS:
            raise Invalid("image_too_many_pixels", max_pixels=MAX_IMAGE_PIXELS)
        try:
            image.draft("RGB", box)  # JPEG: decode at a smaller scale
            upright = ImageOps.exif_transpose(image)
            mode = (
                "RGBA"
                if upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info
                else "RGB"
            )
            upright = upright.convert(mode)
            upright.thumbnail(box, Image.Resampling.LANCZOS)
        except (OSError, ValueError, Image.DecompressionBombWarning) as exc:
            raise Invalid("image_unreadable") from exc
    # only the pixels go on: a fresh image has no info, EXIF or ICC profile to carry over
    clean = Image.frombytes(upright.mode, upright.size, upright.tobytes())
    out = io.BytesIO()
    clean.save(out, format="WEBP", quality=82, method=4)
    return out.getvalue()
