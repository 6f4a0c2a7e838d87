"""A request's photos: the browser PUTs each original straight to the uploads bucket
(presigned, under ``claim-uploads/``), the request names their keys, and the claims stream
function (never the API function) checks each one (size, real format, pixels), makes a WebP at
most 1600 px a side with no metadata (no EXIF, no GPS of a customer's home) under
``claim-photos/<claim_id>/``, and deletes the original. The cleaned photo's name is the
upload's, so a redelivered record finds its work done.

>>> cleaned_key("SR-7K3M9Q2X", "claim-uploads/0123456789abcdef")
'claim-photos/SR-7K3M9Q2X/0123456789abcdef.webp'
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from chalicelib.catalog import images
from chalicelib.core.errors import Invalid, NotFound

UPLOAD_PREFIX = "claim-uploads/"
PHOTO_PREFIX = "claim-photos/"
PHOTO_BOX = (1600, 1600)
MAX_PHOTOS = 6
PHOTO_LINK_SECONDS = 15 * 60


class PhotoStorage(images.ImageStorage, Protocol):
    def download_url(self, key: str, *, expires_seconds: int) -> str: ...


def start_upload(content_type: str, size: int, *, storage: PhotoStorage) -> images.ImageUpload:
    """A presigned PUT for one photo (JPEG, PNG or WebP, at most 5 MB)."""
    return images.start_image_upload(UPLOAD_PREFIX, content_type, size, storage=storage)


def check_uploaded(keys: Sequence[str], *, storage: PhotoStorage) -> list[str]:
    """The keys a request names: each an upload of ours that is there (a HEAD each, never the
    bytes); at most six, none twice."""
    if len(keys) > MAX_PHOTOS:
        raise Invalid("claim_too_many_photos", limit=MAX_PHOTOS)
    if len(set(keys)) != len(keys):
        raise Invalid("claim_photo_repeated")
    for key in keys:
        name = key.removeprefix(UPLOAD_PREFIX)
        if not key.startswith(UPLOAD_PREFIX) or not name.isalnum() or len(name) > 64:
            raise Invalid("claim_photo_unknown")
        if storage.size_of(key) is None:
            raise NotFound("claim_photo_missing")
    return list(keys)


def cleaned_key(claim_id: str, upload_key: str) -> str:
    return f"{PHOTO_PREFIX}{claim_id}/{upload_key.removeprefix(UPLOAD_PREFIX)}.webp"


def clean(claim_id: str, upload_key: str, *, storage: PhotoStorage) -> tuple[str, str]:
    """``(key, state)``: the cleaned photo (``ready``), or the original refused (``refused``:
    too large, not an image, gone). Done again, it finds the cleaned photo and says so."""
    destination = cleaned_key(claim_id, upload_key)
    if storage.size_of(destination) is not None:
        return destination, "ready"
    size = storage.size_of(upload_key)
    if size is None:
        return upload_key, "refused"
    try:
        if size > images.MAX_IMAGE_BYTES:
            return upload_key, "refused"
        webp = images.make_thumbnail(storage.read_bytes(upload_key), PHOTO_BOX)
    except Invalid:
        return upload_key, "refused"
    finally:
        storage.delete(upload_key)
    storage.put_bytes(destination, webp, content_type="image/webp")
    return destination, "ready"
