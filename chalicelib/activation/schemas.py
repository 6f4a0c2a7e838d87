"""Request bodies of the customer's routes: activation and look-up by phone."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import Field, StrictBool, StrictStr

from chalicelib.activation.consent import ConsentGrant
from chalicelib.activation.service import ActivationCommand
from chalicelib.catalog.model import Installer, Owner
from chalicelib.catalog.serials import normalize_serial
from chalicelib.core.errors import FieldError, Invalid
from chalicelib.platform.schemas import (
    Address,
    IsoDay,
    Language,
    PersonName,
    Phone,
    Province,
    RequestBody,
    text_field,
)

NOTES_MAX = 500
Store = Annotated[StrictStr, text_field("store", 120, required=False)]
Notes = Annotated[StrictStr, text_field("note", NOTES_MAX, required=False)]


class CustomerIn(RequestBody):
    name: PersonName
    phone: Phone
    address: Address = ""
    province: Province = ""


class ConsentsIn(RequestBody):
    warranty_service: StrictBool
    marketing: StrictBool = False


QrToken = Annotated[StrictStr, Field(min_length=1, max_length=80)]
Code = Annotated[StrictStr, Field(pattern=r"^\d{6}$")]
SerialIn = Annotated[StrictStr, Field(min_length=1, max_length=40)]


class InstallerIn(RequestBody):
    """Who installed it. ``name`` and ``phone`` are required unless a partner is signed in
    (their own then stand, whatever the body says)."""

    name: PersonName | None = None
    phone: Phone | None = None
    store: Store = ""
    installed_on: IsoDay
    notes: Notes = ""

    def to_installer(self, partner: tuple[str, str, str] | None) -> Installer:
        """The installer; ``partner``: the signed-in partner's (id, name, phone), if any."""
        if partner is not None:
            partner_id, name, phone = partner
        elif self.name and self.phone:
            partner_id, name, phone = "", self.name, self.phone
        else:
            missing = [f for f in ("name", "phone") if not getattr(self, f)]
            raise Invalid(
                fields=[FieldError(f"installer.{f}", "installer_required") for f in missing]
            )
        return Installer(
            name=name,
            phone=phone,
            installed_on=self.installed_on,
            partner_id=partner_id,
            store=self.store,
            notes=self.notes,
        )


class ActivationRequest(RequestBody):
    token: QrToken
    customer: CustomerIn
    consents: ConsentsIn
    language: Language = "vi"
    phone_code: Code | None = None  # when the brand confirms phones (POST /activations/code)
    installer: InstallerIn | None = None  # "I installed this product": channel ``partner``


class PartnerActivationRequest(RequestBody):
    """A partner app's activation: the unit by its QR ``token`` or its ``serial`` (one of
    them), the customer, and the installation (the installer is the signed-in partner)."""

    token: QrToken | None = None
    serial: SerialIn | None = None
    customer: CustomerIn
    consents: ConsentsIn
    language: Language = "vi"
    phone_code: Code | None = None
    installer: InstallerIn


IDEMPOTENCY_KEY = re.compile(r"[A-Za-z0-9_\-]{8,100}")  # a UUID is 36 of these


def idempotency_key(raw: object) -> str:
    """An ``Idempotency-Key`` header's value ("" when absent); ``Invalid`` when it is not a
    plain token."""
    if raw is None:
        return ""
    if not IDEMPOTENCY_KEY.fullmatch(str(raw)):
        raise Invalid("idempotency_key_invalid")
    return str(raw)


def activation_command(
    request: ActivationRequest | PartnerActivationRequest,
    *,
    installer: Installer | None,
    idempotency_key: str,
) -> ActivationCommand:
    """The service's command for a customer's (``web``) or an installer's (``partner``)
    activation request."""
    customer, serial = request.customer, ""
    if isinstance(request, PartnerActivationRequest):
        if (request.token is None) == (request.serial is None):
            raise Invalid("unit_reference_required")
        serial = normalize_serial(request.serial) if request.serial else ""
    return ActivationCommand(
        token=request.token or "",
        serial=serial,
        owner=Owner(
            name=customer.name,
            phone=customer.phone,
            province=customer.province,
            address=customer.address,
        ),
        consents=(
            ConsentGrant("warranty_service", request.consents.warranty_service),
            ConsentGrant("marketing", request.consents.marketing),
        ),
        language=request.language,
        channel="web" if installer is None else "partner",
        idempotency_key=idempotency_key,
        phone_code=request.phone_code or "",
        installer=installer,
    )


class ActivationCodeRequest(RequestBody):
    """A code to the phone that is about to own the unit behind ``token``."""

    token: QrToken
    phone: Phone
    language: Language = "vi"


class NotMeRequest(RequestBody):
    """The two parts of the confirmation's "this wasn't me" link ``/n/<token>/<code>``."""

    token: QrToken
    code: Annotated[StrictStr, Field(pattern=r"^[A-Za-z2-7]{16}$")]


class OtpRequest(RequestBody):
    phone: Phone
    language: Language = "vi"


class OtpVerifyRequest(RequestBody):
    phone: Phone
    code: Code
