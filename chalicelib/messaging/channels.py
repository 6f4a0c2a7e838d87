"""Builds a brand's senders from its messaging settings (credentials from SSM, never the repo).

Imported by the sender and the hooks only: the provider adapters stay out of the API's cold
start.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from chalicelib.core.settings import Settings
from chalicelib.messaging.config import BrandMessaging, HooksConfig, SmsConfig
from chalicelib.messaging.providers.esms import EsmsSender
from chalicelib.messaging.providers.http import new_pool
from chalicelib.messaging.providers.port import MessageSender
from chalicelib.messaging.providers.speedsms import SpeedSmsSender
from chalicelib.messaging.providers.twilio import TwilioSender
from chalicelib.messaging.providers.zns import ZnsSender, refresh_access_token
from chalicelib.messaging.sender import Channels, DevInboxSender
from chalicelib.messaging.token_repository import ZaloTokenStore


@dataclass(frozen=True)
class BuiltChannels:
    channels: Channels
    zalo_tokens: ZaloTokenStore | None
    esms: EsmsSender | None  # for delivery-report confirmation (GetSendStatus)


def esms_callback_url(hooks: HooksConfig) -> str:
    return f"{hooks.public_url.rstrip('/')}/hooks/esms/dlr/{hooks.path_token}"


def twilio_callback_url(hooks: HooksConfig) -> str:
    return f"{hooks.public_url.rstrip('/')}/hooks/twilio/status"


def zalo_token_store(brand: BrandMessaging) -> ZaloTokenStore | None:
    zns = brand.zns
    if zns is None:
        return None
    refresher = functools.partial(
        refresh_access_token, new_pool(), zns.app_id, zns.secret_key, oauth_url=zns.oauth_url
    )
    return ZaloTokenStore(zns.token_id, refresher)


def _sms_sender(sms: SmsConfig, hooks: HooksConfig, settings: Settings) -> MessageSender:
    if sms.provider == "esms" and sms.esms is not None:
        return EsmsSender(
            api_key=sms.esms.api_key,
            secret_key=sms.esms.secret_key,
            brandname=sms.esms.brandname,
            base_url=sms.esms.base_url,
            callback_url=esms_callback_url(hooks),
            sandbox=sms.esms.sandbox,
            pool=new_pool(),
        )
    if sms.provider == "speedsms" and sms.speedsms is not None:
        return SpeedSmsSender(
            access_token=sms.speedsms.access_token,
            sender=sms.speedsms.sender,
            base_url=sms.speedsms.base_url,
            pool=new_pool(),
        )
    if sms.provider == "twilio" and sms.twilio is not None:
        return TwilioSender(
            account_sid=sms.twilio.account_sid,
            auth_token=sms.twilio.auth_token,
            messaging_service_sid=sms.twilio.messaging_service_sid,
            status_callback=twilio_callback_url(hooks),
            base_url=sms.twilio.base_url,
            pool=new_pool(),
        )
    if sms.provider == "aws_sms" and sms.aws_sms is not None:
        from chalicelib.messaging.providers.aws_sms import AwsSmsSender, sms_voice_client

        return AwsSmsSender(
            client=sms_voice_client(settings.region),
            origination_identity=sms.aws_sms.origination_identity,
            configuration_set=sms.aws_sms.configuration_set,
            max_price=sms.aws_sms.max_price,
        )
    raise ValueError(f"sms provider {sms.provider!r} is not configured")  # config validates


def build_channels(brand: BrandMessaging, hooks: HooksConfig, settings: Settings) -> BuiltChannels:
    tokens = zalo_token_store(brand)
    zns = (
        ZnsSender(tokens, new_pool(), base_url=brand.zns.send_url)
        if brand.zns is not None and tokens is not None
        else None
    )
    sms = _sms_sender(brand.sms, hooks, settings) if brand.sms is not None else None
    dev_inbox = DevInboxSender() if settings.is_local and zns is None and sms is None else None
    esms = sms if isinstance(sms, EsmsSender) else None
    return BuiltChannels(Channels(zns=zns, sms=sms, dev_inbox=dev_inbox), tokens, esms)
