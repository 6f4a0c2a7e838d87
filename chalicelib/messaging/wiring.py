"""Messaging's adapters, the one place that builds them: the stage's messaging settings, a
brand's senders (ZNS, one SMS provider or the dev inbox), the Zalo token store and OA chat, the
eSMS status API, the alerts queue, the ZNS circuit breaker and the hooks' stores.

Built on first use, never at import, so the provider adapters stay out of the API's cold start;
a brand's senders are rebuilt only when its settings change (``Rebuilt``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from chalicelib.core.settings import Settings, get_settings
from chalicelib.platform.cache import Rebuilt, once_per_container

if TYPE_CHECKING:
    import urllib3

    from chalicelib.core.personal_data import PersonalData
    from chalicelib.messaging.alerts import SqsAlerts
    from chalicelib.messaging.breaker import CircuitBreaker
    from chalicelib.messaging.config import (
        BrandMessaging,
        EsmsConfig,
        HooksConfig,
        MessagingConfig,
        SmsConfig,
    )
    from chalicelib.messaging.delivery_reports import EsmsStatusChecker
    from chalicelib.messaging.inbound_repository import InboundRepository
    from chalicelib.messaging.providers.esms import EsmsSender
    from chalicelib.messaging.providers.oa_chat import OaChat
    from chalicelib.messaging.providers.port import MessageSender
    from chalicelib.messaging.sender import Channels
    from chalicelib.messaging.token_repository import ZaloTokenStore
    from chalicelib.messaging.zalo_user_repository import ZaloUserRepository

# A status question asked inside a webhook (the eSMS delivery report) must answer fast.
HOOK_STATUS_TIMEOUT = {"connect": 0.5, "read": 1.0}


def messaging_config() -> MessagingConfig:
    """The stage's messaging settings (SSM, cached by Powertools for a few minutes)."""
    from chalicelib.messaging.config import load_messaging_config

    return load_messaging_config(get_settings().messaging_parameter)


def brand_messaging() -> BrandMessaging:
    return messaging_config().brand(get_settings().brand_id)


@once_per_container
def alerts() -> SqsAlerts:
    from chalicelib.messaging.alerts import SqsAlerts

    return SqsAlerts(get_settings().delivery_failures_queue)


@once_per_container
def zns_breaker() -> CircuitBreaker:
    """The container's ZNS circuit breaker, like its connection pools: one per container."""
    from chalicelib.messaging.breaker import CircuitBreaker

    return CircuitBreaker()


@once_per_container
def inbound_repository() -> InboundRepository:
    from chalicelib.messaging.inbound_repository import InboundRepository

    return InboundRepository()


@once_per_container
def zalo_user_repository() -> ZaloUserRepository:
    from chalicelib.messaging.zalo_user_repository import ZaloUserRepository
    from chalicelib.platform import wiring as platform_wiring

    return ZaloUserRepository(platform_wiring.secrets().pepper)


# -- a brand's senders ----------------------------------------------------------------------------


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
    import functools

    from chalicelib.messaging.providers.http import new_pool
    from chalicelib.messaging.providers.zns import refresh_access_token
    from chalicelib.messaging.token_repository import ZaloTokenStore

    zns = brand.zns
    if zns is None:
        return None
    refresher = functools.partial(
        refresh_access_token, new_pool(), zns.app_id, zns.secret_key, oauth_url=zns.oauth_url
    )
    return ZaloTokenStore(zns.token_id, refresher)


def esms_sender(
    config: EsmsConfig, *, callback_url: str | None = None, timeout: urllib3.Timeout | None = None
) -> EsmsSender:
    from chalicelib.messaging.providers.esms import EsmsSender
    from chalicelib.messaging.providers.http import DEFAULT_TIMEOUT, new_pool

    return EsmsSender(
        api_key=config.api_key,
        secret_key=config.secret_key,
        brandname=config.brandname,
        base_url=config.base_url,
        callback_url=callback_url,
        sandbox=config.sandbox,
        pool=new_pool(),
        timeout=timeout or DEFAULT_TIMEOUT,
    )


def _sms_sender(sms: SmsConfig, hooks: HooksConfig, settings: Settings) -> MessageSender:
    from chalicelib.messaging.providers.http import new_pool

    if sms.provider == "esms" and sms.esms is not None:
        return esms_sender(sms.esms, callback_url=esms_callback_url(hooks))
    if sms.provider == "speedsms" and sms.speedsms is not None:
        from chalicelib.messaging.providers.speedsms import SpeedSmsSender

        return SpeedSmsSender(
            access_token=sms.speedsms.access_token,
            sender=sms.speedsms.sender,
            base_url=sms.speedsms.base_url,
            pool=new_pool(),
        )
    if sms.provider == "twilio" and sms.twilio is not None:
        from chalicelib.messaging.providers.twilio import TwilioSender

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
    from chalicelib.messaging.providers.esms import EsmsSender
    from chalicelib.messaging.providers.http import new_pool
    from chalicelib.messaging.providers.zns import ZnsSender
    from chalicelib.messaging.sender import Channels, DevInboxSender

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


_BUILT: Rebuilt[BrandMessaging, BuiltChannels] = Rebuilt(
    lambda brand: build_channels(brand, messaging_config().hooks, get_settings())
)


def channels() -> Channels:
    """The senders of this stage's brand, rebuilt only when its settings change."""
    return _BUILT.get(brand_messaging()).channels


def zalo_tokens() -> ZaloTokenStore | None:
    """The brand's Zalo OA token store, when it sends ZNS."""
    return _BUILT.get(brand_messaging()).zalo_tokens


def esms_status_api() -> EsmsSender | None:
    """The brand's eSMS client, when it sends SMS through eSMS (``GetSendStatus``)."""
    return _BUILT.get(brand_messaging()).esms


def status_checker() -> EsmsStatusChecker | None:
    """What the sweep asks about an accepted SMS whose delivery report never came: eSMS's status
    API when the brand sends SMS through eSMS (the other providers have no status query here)."""
    from chalicelib.messaging.delivery_reports import EsmsStatusChecker

    esms = esms_status_api()
    return EsmsStatusChecker(esms) if esms is not None else None


def _oa_chat(tokens: ZaloTokenStore) -> OaChat:
    from chalicelib.messaging.providers.http import new_pool
    from chalicelib.messaging.providers.oa_chat import REPLY_TIMEOUT, OaChat

    zns = brand_messaging().zns
    assert zns is not None  # a token store exists only for a brand with an OA
    return OaChat(tokens, new_pool(), base_url=zns.oa_url, timeout=REPLY_TIMEOUT)


_OA_CHATS: Rebuilt[ZaloTokenStore, OaChat] = Rebuilt(_oa_chat)


def oa_chat() -> OaChat | None:
    """The brand's Zalo OA chat, when it has an OA: replies to what users write to it, with the
    ZNS sender's token store and the short timeout of a reply inside a webhook (2 s)."""
    tokens = zalo_tokens()
    return _OA_CHATS.get(tokens) if tokens is not None else None


def _hook_status_client(config: EsmsConfig) -> EsmsSender:
    import urllib3

    return esms_sender(config, timeout=urllib3.Timeout(**HOOK_STATUS_TIMEOUT))


_HOOK_STATUS_CLIENTS: Rebuilt[EsmsConfig, EsmsSender] = Rebuilt(_hook_status_client)


def esms_config() -> EsmsConfig | None:
    sms = brand_messaging().sms
    return sms.esms if sms is not None else None


def hook_status_client() -> EsmsSender | None:
    """An eSMS client with a short timeout for ``GetSendStatus`` inside the delivery-report hook."""
    config = esms_config()
    return _HOOK_STATUS_CLIENTS.get(config) if config is not None else None


def personal_data() -> list[PersonalData]:
    """What a person shared with the Zalo OA, and their recent texts (``core.personal_data``)."""
    from chalicelib.messaging.personal_data_repository import InboundData, ZaloUserData

    return [ZaloUserData(), InboundData()]
