"""A ticket's photos: the phone PUTs the original straight to the uploads bucket (presigned,
under ``ticket-uploads/<ticket_id>/``); finishing it checks the file (size, real format, pixel
count), stores a WebP at most 1600 px a side without metadata (no GPS of the customer's home)
under ``ticket-photos/<ticket_id>/``, named by its content's digest, and deletes the original.

Done in the API function, one photo a call, as a partner's case photos are: the caller is a
signed-in technician or the desk, and the technician sees the photo on the ticket at once (a
service request's photos come from the public portal and are cleaned by the claims stream).
Photos are never public: the ticket's readers get links presigned for 15 minutes.

>>> upload_folder("MT-2KJY2THT"), photo_folder("MT-2KJY2THT")
('ticket-uploads/MT-2KJY2THT/', 'ticket-photos/MT-2KJY2THT/')
"""

from __future__ import annotations

from typing import Protocol

from chalicelib.catalog import images

UPLOAD_PREFIX = "ticket-uploads/"
PHOTO_PREFIX = "ticket-photos/"
PHOTO_BOX = (1600, 1600)  # a part's label stays readable; a phone photo shrinks to ~200 KB
PHOTO_LINK_SECONDS = 15 * 60


class PhotoStorage(images.ImageStorage, Protocol):
    def download_url(self, key: str, *, expires_seconds: int) -> str: ...


def upload_folder(ticket_id: str) -> str:
    return f"{UPLOAD_PREFIX}{ticket_id}/"


def photo_folder(ticket_id: str) -> str:
    return f"{PHOTO_PREFIX}{ticket_id}/"


def start_upload(
    ticket_id: str, content_type: str, size: int, *, storage: PhotoStorage
) -> images.ImageUpload:
    """A presigned PUT for one photo of the ticket (JPEG, PNG or WebP, at most 5 MB)."""
    return images.start_image_upload(upload_folder(ticket_id), content_type, size, storage=storage)


def finish_upload(ticket_id: str, key: str, *, storage: PhotoStorage) -> str:
    """The uploaded original checked and stored as a clean WebP; returns the stored key. An
    upload of another ticket is ``image_upload_unknown``; the original is deleted whatever
    happens."""
    return images.finish_image_upload(
        upload_folder(ticket_id), key, photo_folder(ticket_id), storage=storage, box=PHOTO_BOX
    )


def links(keys: tuple[str, ...], *, storage: PhotoStorage) -> dict[str, str]:
    """A presigned GET for each of the ticket's photos."""
    return {key: storage.download_url(key, expires_seconds=PHOTO_LINK_SECONDS) for key in keys}
