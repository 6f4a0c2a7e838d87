"""Per-brand messaging settings: which providers carry a brand's messages, their credentials,
the ZNS templates and the spend cap. One JSON SecureString in SSM Parameter Store
(``GARANTI_MESSAGING_PARAMETER``, default ``/garanti/<stage>/messaging``), never the repo.

The shape (every block optional except ``hooks``; a brand with neither ``zns`` nor ``sms``
uses the dev inbox, which the ``local`` stage only allows)::

    {
      "hooks": {"public_url": "https://api.example.vn", "path_token": "<≥ 32 random chars>"},
      "brands": {
        "demo": {
          "zns": {"app_id": "…", "oa_id": "…", "secret_key": "…", "webhook_secret": "…",
                  "send_url": "https://business.openapi.zalo.me",
                  "oauth_url": "https://oauth.zaloapp.com",
                  "oa_url": "https://openapi.zalo.me"},
          "sms": {"provider": "esms",
                  "esms": {"api_key": "…", "secret_key": "…", "brandname": "…",
                           "base_url": "https://rest.esms.vn", "sandbox": false,
                           "mo_private_key": "…", "mo_cpid": "…"},
                  "speedsms": {"access_token": "…", "sender": "…"},
                  "twilio": {"account_sid": "AC…", "auth_token": "…",
                             "messaging_service_sid": "MG…"},
                  "aws_sms": {"origination_identity": "…", "configuration_set": "…"}},
          "templates": {"activation_confirmed": {"zns_template_id": "7895417a7d3f9461cd2e",
                        "zns_params": {"customer": "customer_name", "serial": "serial"}}},
          "daily_spend_cap_vnd": "2000000",
          "unit_cost_vnd": {"zns": "300", "sms": "850"}
        }
      }
    }

``zns_params`` maps each ZNS template parameter to one of the message type's fields
(:mod:`chalicelib.outbox.kinds`), so the template's wording lives at Zalo and ours in the
catalogues, and customer text is only ever a parameter value, never template syntax.
"""

from __future__ import annotations

import functools
import json
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from chalicelib.outbox.kinds import MESSAGE_TYPES
from chalicelib.platform.cache import on_reset

CACHE_SECONDS = 300
Secret = Annotated[str, Field(min_length=1, max_length=512)]
Url = Annotated[str, Field(pattern=r"^https?://[^\s/?#]+(:[0-9]+)?(/[^\s?#]*)?$", max_length=300)]
Money = Annotated[Decimal, Field(ge=0, le=Decimal("1000000000"), allow_inf_nan=False)]


class MessagingConfigError(RuntimeError):
    """The messaging parameter is missing or malformed: said without any secret value."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, hide_input_in_errors=True)

    def __repr__(self) -> str:  # settings hold secrets: never print their values
        return f"{type(self).__name__}(…)"

    __str__ = __repr__


class HooksConfig(_Strict):
    public_url: Url  # the API's public base URL: Twilio signs it, providers call it back
    path_token: Annotated[str, Field(min_length=32, max_length=128, pattern=r"^[A-Za-z0-9_-]+$")]


class ZnsConfig(_Strict):
    app_id: Annotated[str, Field(min_length=1, max_length=64)]
    oa_id: Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
    # the app's secret: the token refresh's ``secret_key`` header (zalo.md#token-refresh)
    secret_key: Secret
    webhook_secret: Secret  # the OA secret key: webhook ``mac`` (zalo.md#webhooks)
    send_url: Url = "https://business.openapi.zalo.me"
    oauth_url: Url = "https://oauth.zaloapp.com"
    oa_url: Url = "https://openapi.zalo.me"  # the OA API: replies in the OA chat

    @property
    def token_id(self) -> str:
        return f"zalo#{self.oa_id}"


class EsmsConfig(_Strict):
    api_key: Secret
    secret_key: Secret
    brandname: Annotated[str, Field(min_length=1, max_length=32)]
    base_url: Url = "https://rest.esms.vn"
    sandbox: bool = False
    mo_private_key: Secret | None = None  # inbound (MO) ``sign`` key (sms.md#esms-inbound-sms)
    mo_cpid: Annotated[str, Field(max_length=64)] | None = None


class SpeedSmsConfig(_Strict):
    access_token: Secret
    sender: Annotated[str, Field(min_length=1, max_length=32)]
    base_url: Url = "https://api.speedsms.vn"


class TwilioConfig(_Strict):
    account_sid: Annotated[str, Field(pattern=r"^AC[0-9a-fA-F]{32}$")]
    auth_token: Secret
    messaging_service_sid: Annotated[str, Field(pattern=r"^MG[0-9a-fA-F]{32}$")]
    base_url: Url = "https://api.twilio.com"


class AwsSmsConfig(_Strict):
    origination_identity: Annotated[str, Field(min_length=1, max_length=256)]
    configuration_set: Annotated[str, Field(max_length=64)] | None = None
    max_price: Annotated[str, Field(pattern=r"^[0-9]{0,2}\.[0-9]{1,5}$")] | None = None


SmsProvider = Literal["esms", "speedsms", "twilio", "aws_sms"]


class SmsConfig(_Strict):
    provider: SmsProvider
    esms: EsmsConfig | None = None
    speedsms: SpeedSmsConfig | None = None
    twilio: TwilioConfig | None = None
    aws_sms: AwsSmsConfig | None = None

    @model_validator(mode="after")
    def _chosen_is_configured(self) -> SmsConfig:
        if getattr(self, self.provider) is None:
            raise ValueError(
                f"sms.provider is {self.provider!r} but sms.{self.provider} is missing"
            )
        return self


class TemplateConfig(_Strict):
    zns_template_id: Annotated[str, Field(min_length=1, max_length=64)]
    zns_params: dict[
        Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_]+$")],
        Annotated[str, Field(min_length=1, max_length=64)],
    ]


class BrandMessaging(_Strict):
    zns: ZnsConfig | None = None
    sms: SmsConfig | None = None
    templates: dict[str, TemplateConfig] = Field(default_factory=dict)
    daily_spend_cap_vnd: Money | None = None  # None: no cap
    # Hold normal messages from 22:00 to 06:00 ICT (the ZNS night ban,
    # zalo.md#zns-error-codes). False for an OA
    # whose templates Zalo exempts; a -133 answer still reschedules to 06:00.
    night_window: bool = True
    unit_cost_vnd: dict[Literal["zns", "sms", "dev_inbox"], Money] = Field(default_factory=dict)

    @field_validator("templates", mode="after")
    @classmethod
    def _known_fields(cls, value: dict[str, TemplateConfig]) -> dict[str, TemplateConfig]:
        for kind, template in value.items():
            message_type = MESSAGE_TYPES.get(kind)
            if message_type is None:
                raise ValueError(f"templates: unknown message type {kind!r}")
            unknown = set(template.zns_params.values()) - set(message_type.fields)
            if unknown:
                raise ValueError(f"templates.{kind}: fields {sorted(unknown)} are not {kind}'s")
        return value

    def zns_template(self, kind: str) -> TemplateConfig | None:
        """The ZNS template for ``kind``, when the brand has ZNS and a template for it."""
        return self.templates.get(kind) if self.zns is not None else None

    def estimated_cost(self, channel: str) -> Decimal:
        """What one message on ``channel`` is assumed to cost until the provider reports it."""
        for name, cost in self.unit_cost_vnd.items():
            if name == channel:
                return cost
        return Decimal(0)


class MessagingConfig(_Strict):
    hooks: HooksConfig
    brands: dict[Annotated[str, Field(min_length=1, max_length=64)], BrandMessaging]

    def brand(self, brand_id: str) -> BrandMessaging:
        """A brand's settings; a brand not listed has none (the dev inbox, local stage only)."""
        return self.brands.get(brand_id) or BrandMessaging()


def parse_messaging_config(raw: str) -> MessagingConfig:
    """Parse and validate; the error names the field, never a value (values may be secrets).

    >>> config = parse_messaging_config('{"hooks": {"public_url": "http://127.0.0.1:8000",'
    ...     ' "path_token": "' + "t" * 32 + '"}, "brands": {}}')
    >>> config.brand("demo").sms is None
    True
    >>> parse_messaging_config('{"hooks": {}}')
    Traceback (most recent call last):
    ...
    chalicelib.messaging.config.MessagingConfigError: messaging parameter: \
hooks.public_url: Field required; hooks.path_token: Field required; brands: Field required
    """
    try:
        data = json.loads(raw, parse_float=Decimal)
    except ValueError as exc:
        raise MessagingConfigError("messaging parameter: not JSON") from exc
    try:
        return MessagingConfig.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            ".".join(str(part) for part in error["loc"]) + ": " + error["msg"]
            for error in exc.errors(include_input=False, include_url=False)
        )
        raise MessagingConfigError(f"messaging parameter: {problems}") from None


@functools.lru_cache(maxsize=4)
def _parse_cached(raw: str) -> MessagingConfig:
    return parse_messaging_config(raw)


on_reset(_parse_cached.cache_clear)


def load_messaging_config(parameter_name: str) -> MessagingConfig:
    """The stage's messaging settings; one SSM call per ``CACHE_SECONDS`` at most."""
    from aws_lambda_powertools.utilities import parameters  # imported on first use only

    raw = parameters.get_parameter(parameter_name, decrypt=True, max_age=CACHE_SECONDS)
    if not isinstance(raw, str):
        raise MessagingConfigError("messaging parameter: must be a JSON string")
    return _parse_cached(raw)
