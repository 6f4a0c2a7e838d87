"""Adapters, built once per container on first use (never per request, never at import)."""

from __future__ import annotations

import functools

from chalicelib.integrations.secrets import Secrets, load_secrets
from chalicelib.persistence.brands import BrandRepository
from chalicelib.persistence.notifications import NotificationRepository
from chalicelib.persistence.otp import OtpRepository
from chalicelib.persistence.product_models import ProductModelRepository
from chalicelib.persistence.units import UnitRepository
from chalicelib.services.catalog import ModelCache
from chalicelib.services.notifications import DevInboxProvider, MessageProvider
from chalicelib.settings import get_settings


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
    return OtpRepository()


@functools.cache
def notification_repository() -> NotificationRepository:
    return NotificationRepository()


@functools.cache
def message_provider() -> MessageProvider:
    # settings allow only "dev_inbox" until the real providers land (ZNS, SMS)
    return DevInboxProvider()
