"""Activation by the customer (after a QR scan, or by serial from an SMS or a Zalo chat), the
public unit view and the certificate."""

from __future__ import annotations

import hmac
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from chalicelib.activation.certificate import certificate_code, code_matches
from chalicelib.activation.consent import ConsentGrant
from chalicelib.catalog.model import (
    Activation,
    Owner,
    ProductModel,
    PublicStatus,
    Unit,
)
from chalicelib.catalog.serials import confusable_variants
from chalicelib.catalog.warranty import WarrantyTerms, business_day
from chalicelib.core.errors import Conflict, Invalid, NotFound
from chalicelib.core.observability import logger
from chalicelib.core.phone import phone_key
from chalicelib.core.qr_token import QrKeyring, UnitLinks
from chalicelib.core.text import mask_name


class ActivationUnits(Protocol):
    def get(self, serial: str) -> Unit: ...
    def activate(
        self,
        serial: str,
        activation: Activation,
        *,
        owner_key: str,
        consents: Sequence[ConsentGrant],
    ) -> None: ...


class SerialUnits(Protocol):
    def get(self, serial: str) -> Unit: ...
    def existing_serials(self, serials: Iterable[str]) -> set[str]: ...


class ModelReader(Protocol):
    def get(self, code: str) -> ProductModel: ...


@dataclass(frozen=True)
class ActivationCommand:
    token: str
    owner: Owner
    consents: tuple[ConsentGrant, ...]
    language: str
    channel: str = "web"


@dataclass(frozen=True)
class ActivationResult:
    serial: str
    model: ProductModel
    activation: Activation
    certificate_url: str


@dataclass(frozen=True)
class PublicUnitView:
    """What the landing page may show anyone holding the QR: genuine or not, and the state."""

    serial: str
    model: ProductModel
    status: PublicStatus
    activated_on: date | None
    warranty_end: date | None
    owner_masked: str | None


def resolve_token(token: str, keyring: QrKeyring) -> str:
    """The serial a token carries; a forged, truncated or unknown-key token raises the same
    ``NotFound`` as an unknown unit, before any database read."""
    serial = keyring.verify(token)
    if serial is None:
        raise NotFound("unit_not_found")
    return serial


def public_view(unit: Unit, model: ProductModel, today: date, *, owner: bool) -> PublicUnitView:
    activation = unit.activation
    return PublicUnitView(
        serial=unit.serial,
        model=model,
        status=unit.public_status(today),
        activated_on=business_day(activation.activated_at) if activation else None,
        warranty_end=activation.warranty_end if activation else None,
        owner_masked=(mask_name(activation.owner.name) or None) if activation and owner else None,
    )


def view_unit(
    token: str, *, today: date, keyring: QrKeyring, units: ActivationUnits, models: ModelReader
) -> PublicUnitView:
    """The public view of the unit behind a QR token (one read; the model comes cached)."""
    unit = units.get(resolve_token(token, keyring))
    return public_view(unit, models.get(unit.model_code), today, owner=True)


def find_by_serial(serial: str, units: SerialUnits) -> Unit:
    """The unit ``serial`` names, as typed; on a miss, the one unit whose serial differs from it
    only in look-alike characters (0/O, 1/I/L: at most ``MAX_VARIANTS`` spellings, one
    BatchGetItem of keys). Two or more such units answer ``NotFound`` like none: a look-up
    names one unit that looks like what was typed, never a list to pick from."""
    try:
        return units.get(serial)
    except NotFound:
        found = units.existing_serials(confusable_variants(serial))
        if len(found) != 1:
            raise
        return units.get(found.pop())


def view_serial(
    serial: str, *, today: date, units: SerialUnits, models: ModelReader
) -> PublicUnitView:
    """What the serial printed on a product says (the portal's look-up): genuine or not, its
    status and dates, never who owns it. Anyone can read a label, so the caller rate-limits
    (one look-up, whatever spellings it tried)."""
    unit = find_by_serial(serial, units)
    return public_view(unit, models.get(unit.model_code), today, owner=False)


@dataclass(frozen=True)
class Certificate:
    """What the printed certificate shows: the unit's public view (the owner's name masked),
    its verification code, the activation's warranty window and the model's terms, and the
    owner's full name only for a viewer who proved by a look-up code that they own it."""

    view: PublicUnitView
    code: str
    activation: Activation
    terms: WarrantyTerms
    owner_name: str | None


def view_certificate(
    token: str,
    *,
    today: date,
    viewer_key: str | None,
    keyring: QrKeyring,
    pepper: bytes,
    units: ActivationUnits,
    models: ModelReader,
) -> Certificate:
    """The certificate behind ``<portal>/c/<token>``: ``NotFound("unit_not_found")`` for a
    forged token or unknown unit, ``NotFound("certificate_not_found")`` before activation.
    ``viewer_key``: the owner key of the viewer's look-up token, if any (its phone's HMAC)."""
    unit = units.get(resolve_token(token, keyring))
    activation = unit.activation
    if activation is None:
        raise NotFound("certificate_not_found")
    model = models.get(unit.model_code)
    owns = viewer_key is not None and hmac.compare_digest(
        viewer_key, phone_key(pepper, activation.owner.phone)
    )
    return Certificate(
        view=public_view(unit, model, today, owner=True),
        code=certificate_code(pepper, unit.serial, activation.activated_at),
        activation=activation,
        terms=model.terms,
        owner_name=(activation.owner.name or None) if owns else None,
    )


def verify_certificate(
    serial: str,
    code: str,
    *,
    today: date,
    pepper: bytes,
    units: SerialUnits,
    models: ModelReader,
) -> PublicUnitView:
    """A paper certificate checked: the code must be this activation's (look-alike characters
    in the serial or the code are read as :func:`find_by_serial` and
    :func:`~chalicelib.activation.certificate.fold_code` say). An unknown serial, a unit not
    activated and a wrong code all answer the same ``NotFound``."""
    try:
        unit = find_by_serial(serial, units)
    except NotFound:
        raise NotFound("certificate_not_found") from None
    activation = unit.activation
    if activation is None or not code_matches(pepper, unit.serial, activation.activated_at, code):
        raise NotFound("certificate_not_found")
    return public_view(unit, models.get(unit.model_code), today, owner=True)


def activate(
    command: ActivationCommand,
    *,
    now: datetime,
    links: UnitLinks,
    pepper: bytes,
    units: ActivationUnits,
    models: ModelReader,
) -> ActivationResult:
    """Activate the unit behind ``command.token`` exactly once.

    One read (the unit), one write (a transaction: the unit's conditional update plus the
    customer's consent record). Under concurrency exactly one caller wins; the others get
    ``Conflict("already_activated")`` carrying when, never by whom.
    """
    if not any(c.purpose == "warranty_service" and c.granted for c in command.consents):
        raise Invalid("consent_required")
    serial = resolve_token(command.token, links.keyring)
    model, activation = _activate_unit(
        serial,
        owner=command.owner,
        consents=command.consents,
        channel=command.channel,
        language=command.language,
        now=now,
        pepper=pepper,
        units=units,
        models=models,
    )
    return ActivationResult(
        serial=serial,
        model=model,
        activation=activation,
        certificate_url=links.certificate_for(command.token),
    )


def activate_serial(
    serial: str,
    phone: str,
    *,
    channel: str,
    evidence: str,
    language: str,
    now: datetime,
    pepper: bytes,
    units: ActivationUnits,
    models: ModelReader,
    name: str = "",
) -> Activation:
    """Activate ``serial`` for the owner of ``phone`` (E.164) who texted the activation keyword
    from it (SMS) or from the Zalo account that shared it: the text is the explicit
    ``warranty_service`` consent, ``evidence`` names it (``esms:<smsid>``). ``name``: what the
    channel knows (a Zalo share); an SMS names nobody, so it stays empty.

    Same rules and the same single transaction as the QR path; raises ``NotFound
    ("unit_not_found")``, ``Conflict("already_activated", activated_at=…)``, ``Conflict
    ("unit_not_activatable")`` or ``Invalid("activation_deadline_passed")``.
    """
    _, activation = _activate_unit(
        serial,
        owner=Owner(name=name, phone=phone),
        consents=(ConsentGrant("warranty_service", True, evidence=evidence),),
        channel=channel,
        language=language,
        now=now,
        pepper=pepper,
        units=units,
        models=models,
    )
    return activation


def _activate_unit(
    serial: str,
    *,
    owner: Owner,
    consents: Sequence[ConsentGrant],
    channel: str,
    language: str,
    now: datetime,
    pepper: bytes,
    units: ActivationUnits,
    models: ModelReader,
) -> tuple[ProductModel, Activation]:
    """One read (the unit), the warranty window from its model's terms, one transaction."""
    unit = units.get(serial)
    if unit.activation is not None:
        raise Conflict("already_activated", activated_at=unit.activation.activated_at.isoformat())
    model = models.get(unit.model_code)
    today = business_day(now)
    model.terms.check_activation_allowed(
        activated_on=today, manufactured_on=unit.manufactured_on, shipped_on=unit.shipped_on
    )
    window = model.terms.window(
        activated_on=today, manufactured_on=unit.manufactured_on, shipped_on=unit.shipped_on
    )
    activation = Activation(
        activated_at=now,
        warranty_start=window.start,
        warranty_end=window.end,
        warranty_reason=window.reason,
        channel=channel,
        owner=owner,
        language=language,
    )
    units.activate(serial, activation, owner_key=phone_key(pepper, owner.phone), consents=consents)
    logger.info("unit activated", extra={"serial": serial, "channel": channel})
    return model, activation
