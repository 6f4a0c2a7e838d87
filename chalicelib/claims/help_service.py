"""Self-help use cases: staff save a model's manual and common faults, upload a PDF manual
straight to the bucket; the portal reads them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from chalicelib.catalog.model import ProductModel
from chalicelib.claims.help import (
    MANUAL_TYPE,
    MAX_MANUAL_BYTES,
    UPLOAD_EXPIRES_SECONDS,
    Fault,
    ModelHelp,
    check_manual,
    new_manual_key,
)
from chalicelib.core.errors import Conflict, Invalid, NotFound, PayloadTooLarge


class HelpStore(Protocol):
    def get(self, model_code: str) -> ModelHelp: ...
    def save(self, help: ModelHelp) -> None: ...


class ModelReader(Protocol):
    def get(self, code: str) -> ProductModel: ...


class ManualStorage(Protocol):
    def upload_url(self, key: str, *, content_type: str, expires_seconds: int) -> str: ...
    def size_of(self, key: str) -> int | None: ...


@dataclass(frozen=True)
class ManualUpload:
    key: str
    url: str
    headers: dict[str, str]


@dataclass(frozen=True)
class HelpChange:
    manual_url: str
    manual_key: str
    faults: Sequence[Fault]
    expected_version: int
    actor: str
    at: datetime


def start_manual_upload(
    model_code: str, size: int, *, models: ModelReader, storage: ManualStorage
) -> ManualUpload:
    """A presigned PUT for a model's PDF manual (at most 20 MB): the browser sends the file
    straight to the bucket, then saves the help with the key."""
    if size > MAX_MANUAL_BYTES:
        raise PayloadTooLarge("manual_too_large", max_bytes=MAX_MANUAL_BYTES)
    code = models.get(model_code).code
    key = new_manual_key(code)
    url = storage.upload_url(key, content_type=MANUAL_TYPE, expires_seconds=UPLOAD_EXPIRES_SECONDS)
    return ManualUpload(key, url, {"Content-Type": MANUAL_TYPE})


def save_help(
    model_code: str,
    change: HelpChange,
    *,
    models: ModelReader,
    helps: HelpStore,
    storage: ManualStorage,
) -> ModelHelp:
    """The model's help, replaced whole (``Conflict("model_help_changed")`` when someone saved
    since ``expected_version``); an uploaded manual must be in the bucket, within 20 MB."""
    code = models.get(model_code).code
    current = helps.get(code)
    if change.expected_version != current.version:
        raise Conflict("model_help_changed", version=current.version)
    help = ModelHelp(
        code,
        manual_url=change.manual_url,
        manual_key=change.manual_key,
        faults=tuple(change.faults),
        version=current.version + 1,
        updated_by=change.actor,
        updated_at=change.at,
    )
    check_manual(help)
    if help.manual_key and help.manual_key != current.manual_key:
        _check_uploaded(help.manual_key, storage)
    helps.save(help)
    return help


def _check_uploaded(key: str, storage: ManualStorage) -> None:
    size = storage.size_of(key)
    if size is None:
        raise NotFound("manual_upload_missing")
    if size > MAX_MANUAL_BYTES:
        raise PayloadTooLarge("manual_too_large", max_bytes=MAX_MANUAL_BYTES)
    if size == 0:
        raise Invalid("manual_upload_empty")


def help_of_model(model_code: str, *, models: ModelReader, helps: HelpStore) -> ModelHelp:
    """What the portal shows before a request: ``model_not_found`` for an unknown model."""
    return helps.get(models.get(model_code).code)
