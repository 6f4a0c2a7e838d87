"""Adapters, built once per container on first use (never per request, never at import)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING

from chalicelib.catalog.brand_repository import BrandRepository
from chalicelib.catalog.model_repository import ProductModelRepository
from chalicelib.catalog.service import ModelCache
from chalicelib.catalog.unit_repository import UnitRepository
from chalicelib.core.settings import get_settings
from chalicelib.platform.secrets import Secrets, load_secrets

if TYPE_CHECKING:  # the outbox and messaging adapters load on first use, not at import
    from chalicelib.activation.otp_repository import OtpRepository
    from chalicelib.labels.job_repository import LabelJobRepository
    from chalicelib.labels.service import RunContext
    from chalicelib.labels.sheets import SheetTexts
    from chalicelib.labels.template_repository import LabelTemplateRepository
    from chalicelib.messaging.alerts import SqsAlerts
    from chalicelib.messaging.channels import BuiltChannels
    from chalicelib.messaging.config import BrandMessaging, MessagingConfig
    from chalicelib.messaging.providers.esms import EsmsSender
    from chalicelib.messaging.providers.oa_chat import OaChat
    from chalicelib.messaging.sender import Channels
    from chalicelib.messaging.token_repository import ZaloTokenStore
    from chalicelib.outbox.repository import NotificationRepository
    from chalicelib.platform.rate_limits import RateLimits
    from chalicelib.platform.storage import S3Storage


def secrets() -> Secrets:
    """The stage's keys (SSM, cached by Powertools for a few minutes)."""
    return load_secrets(get_settings().secrets_parameter)


@functools.cache
def unit_repository() -> UnitRepository:
    return UnitRepository()


@functools.cache
def model_repository() -> ProductModelRepository:
    return ProductModelRepository(get_settings().brand_id)


@functools.cache
def model_cache() -> ModelCache:
    return ModelCache(model_repository())


@functools.cache
def brand_repository() -> BrandRepository:
    return BrandRepository()


@functools.cache
def otp_repository() -> OtpRepository:
    from chalicelib.activation.otp_repository import OtpRepository

    return OtpRepository()


@functools.cache
def rate_limits() -> RateLimits:
    from chalicelib.platform.rate_limits import RateLimits

    return RateLimits()


@functools.cache
def notification_repository() -> NotificationRepository:
    from chalicelib.outbox.repository import NotificationRepository

    return NotificationRepository()


def messaging_config() -> MessagingConfig:
    """The stage's messaging settings (SSM, cached by Powertools for a few minutes)."""
    from chalicelib.messaging.config import load_messaging_config

    return load_messaging_config(get_settings().messaging_parameter)


def brand_messaging() -> BrandMessaging:
    return messaging_config().brand(get_settings().brand_id)


@functools.cache
def alerts() -> SqsAlerts:
    from chalicelib.messaging.alerts import SqsAlerts

    return SqsAlerts(get_settings().delivery_failures_queue)


def channels() -> Channels:
    """The senders of this stage's brand, rebuilt only when its settings change (the parsed
    settings object is cached per parameter value, so identity means "unchanged")."""
    return _built().channels


def esms_status_api() -> EsmsSender | None:
    """The brand's eSMS client, when it sends SMS through eSMS (``GetSendStatus``)."""
    return _built().esms


def zalo_tokens() -> ZaloTokenStore | None:
    """The brand's Zalo OA token store, when it sends ZNS."""
    return _built().zalo_tokens


def oa_chat() -> OaChat | None:
    """The brand's Zalo OA chat, when it has an OA: replies to what users write to it, with the
    ZNS sender's token store and the short timeout of a reply inside a webhook (A1.4: 2 s)."""
    from chalicelib.messaging.providers.http import new_pool
    from chalicelib.messaging.providers.oa_chat import REPLY_TIMEOUT, OaChat

    zns, tokens = brand_messaging().zns, zalo_tokens()
    if zns is None or tokens is None:
        return None
    hit = _OA_CHATS.get(id(tokens))
    if hit is None or hit[0] is not tokens:  # the settings changed: new token store, new chat
        _OA_CHATS.clear()
        hit = (tokens, OaChat(tokens, new_pool(), base_url=zns.oa_url, timeout=REPLY_TIMEOUT))
        _OA_CHATS[id(tokens)] = hit
    return hit[1]


_BUILT: dict[int, tuple[BrandMessaging, BuiltChannels]] = {}
_OA_CHATS: dict[int, tuple[ZaloTokenStore, OaChat]] = {}


def _built() -> BuiltChannels:
    from chalicelib.messaging.channels import build_channels  # the sender's imports only

    brand = brand_messaging()
    hit = _BUILT.get(id(brand))
    if hit is None or hit[0] is not brand:
        _BUILT.clear()
        hit = (brand, build_channels(brand, messaging_config().hooks, get_settings()))
        _BUILT[id(brand)] = hit
    return hit[1]


@functools.cache
def label_jobs() -> LabelJobRepository:
    from chalicelib.labels.job_repository import LabelJobRepository

    return LabelJobRepository()


def label_templates() -> LabelTemplateRepository:
    from chalicelib.labels.template_repository import LabelTemplateRepository

    return LabelTemplateRepository(get_settings().brand_id)


@functools.cache
def storage() -> S3Storage:
    from chalicelib.platform.storage import S3Storage

    return S3Storage(get_settings().uploads_bucket)


def label_texts() -> SheetTexts:
    """The words every sticker of the brand carries: its short name and the instruction."""
    from chalicelib.core.i18n import LANGUAGES, text
    from chalicelib.labels.sheets import SheetTexts

    brand = brand_repository().get(get_settings().brand_id)
    return SheetTexts(
        brand=brand.theme.short_name or brand.name,
        instruction={lang: text("label_instruction", lang) for lang in LANGUAGES},
    )


def label_job_context(remaining_seconds: Callable[[], float] | None = None) -> RunContext:
    """What a label job's run needs (the renderer and its fonts load here, on first use)."""
    from datetime import UTC, datetime

    from chalicelib.labels.qr_pool import available_cpus
    from chalicelib.labels.service import RunContext
    from chalicelib.labels.sheets import render_sheets

    return RunContext(
        jobs=label_jobs(),
        units=unit_repository(),
        storage=storage(),
        keyring=secrets().qr_keyring,
        portal_url=get_settings().portal_url,
        texts=label_texts(),
        render=render_sheets,
        clock=lambda: datetime.now(UTC),
        workers=get_settings().label_workers or available_cpus(),
        remaining_seconds=remaining_seconds,
    )
