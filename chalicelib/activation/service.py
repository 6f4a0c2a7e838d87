"""Activation by the customer (after a QR scan, or by serial from an SMS or a Zalo chat), the
public unit view and the certificate."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Protocol

from chalicelib.activation.certificate import certificate_code, code_matches
from chalicelib.activation.consent import ConsentGrant
from chalicelib.catalog.model import (
    Activation,
    Installer,
    Owner,
    ProductModel,
    PublicStatus,
    Unit,
)
from chalicelib.catalog.serials import confusable_variants
from chalicelib.catalog.warranty import WarrantyTerms, business_day
from chalicelib.core.errors import (
    Conflict,
    FieldError,
    Forbidden,
    Invalid,
    NotFound,
    Unprocessable,
)
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


class PhoneProof(Protocol):
    """Checks and uses up the one-time code sent to ``phone``; raises ``Forbidden`` if it is
    not a live, correct code (``lookup.confirm_phone``)."""

    def __call__(self, phone: str, code: str) -> None: ...


class DisputedUnits(Protocol):
    def get(self, serial: str) -> Unit: ...
    def flag_disputed(self, serial: str, activated_at: datetime, *, at: datetime) -> bool: ...


class DisputedMessages(Protocol):
    def mark_disputed(self, message_id: str, at: datetime) -> bool: ...


@dataclass(frozen=True)
class ActivationCommand:
    token: str
    owner: Owner
    consents: tuple[ConsentGrant, ...]
    language: str
    channel: str = "web"
    idempotency_key: str = ""  # the client's attempt: a retry of it gets the same answer
    phone_code: str = ""  # the one-time code sent to the owner's phone, when the brand asks
    installer: Installer | None = None  # an installer's activation (channel ``partner``)
    serial: str = ""  # a partner app may name the unit by its serial instead of its QR token


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
    sold_through: str | None = None  # the dealer's name, when the unit was shipped to one


class DealerNames(Protocol):
    """Dealers' names (``dealers.wiring.dealer_names()``: cached a minute per dealer)."""

    def name_of(self, dealer_id: str) -> str | None: ...


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
    token: str,
    *,
    today: date,
    keyring: QrKeyring,
    units: ActivationUnits,
    models: ModelReader,
    dealers: DealerNames | None = None,
) -> PublicUnitView:
    """The public view of the unit behind a QR token (one read; the model comes cached), with
    the name of the dealer it was shipped to (the buyer's check of where it came from; the
    name is cached, so no extra read most of the time)."""
    unit = units.get(resolve_token(token, keyring))
    view = public_view(unit, models.get(unit.model_code), today, owner=True)
    if dealers is not None and unit.dealer_id:
        return replace(view, sold_through=dealers.name_of(unit.dealer_id))
    return view


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
    phone_proof: PhoneProof | None = None,
) -> ActivationResult:
    """Activate the unit behind ``command.token`` exactly once.

    One read (the unit), one write (a transaction: the unit's conditional update plus the
    customer's consent record). Under concurrency exactly one caller wins; the others get
    ``Conflict("already_activated")`` carrying when, never by whom.

    With an ``idempotency_key``, the key and an HMAC of the request are stored with the
    activation: a retry of the same attempt (same key, same request) gets the original
    activation back, even when it lost the race to its own first try; the same key with another
    request is ``Unprocessable("idempotency_key_reused")``.

    With ``phone_proof`` (the brand confirms phones), the owner's phone must be proved by the
    code sent to it: ``Forbidden("phone_code_required")`` without one, the proof's refusal for a
    wrong, expired or used one. The code is used up only by an activation that passed every
    other rule, right before its write; a retry of an activated attempt needs no code.
    """
    if not any(c.purpose == "warranty_service" and c.granted for c in command.consents):
        raise Invalid("consent_required")
    serial = command.serial or resolve_token(command.token, links.keyring)
    digest = request_digest(command, serial, pepper) if command.idempotency_key else ""
    unit = units.get(serial)
    earlier = _same_attempt(unit, command.idempotency_key, digest)
    if earlier is None:
        try:
            _, earlier = _activate_unit(
                unit,
                owner=command.owner,
                consents=command.consents,
                channel=command.channel,
                language=command.language,
                attempt=(command.idempotency_key, digest),
                installer=command.installer,
                before_write=_phone_check(command, phone_proof),
                now=now,
                pepper=pepper,
                units=units,
                models=models,
            )
        except Conflict:
            if unit.activation is not None or not command.idempotency_key:
                raise
            # the write lost a race, maybe to a parallel retry of this very attempt: its answer
            earlier = _same_attempt(units.get(serial), command.idempotency_key, digest)
            if earlier is None:
                raise
    return ActivationResult(
        serial=serial,
        model=models.get(unit.model_code),
        activation=earlier,
        certificate_url=(
            links.certificate_for(command.token) if command.token else links.certificate(serial)
        ),
    )


def request_digest(command: ActivationCommand, serial: str, pepper: bytes) -> str:
    """What identifies an attempt's request (an HMAC: the stored digest reveals no phone)."""
    canonical = json.dumps(
        [
            serial,
            command.owner.name,
            command.owner.phone,
            command.owner.province,
            command.owner.address,
            sorted((c.purpose, c.granted) for c in command.consents),
            command.language,
            _installer_fields(command.installer),
        ],
        ensure_ascii=False,
    )
    return hmac.new(pepper, f"activation|{canonical}".encode(), hashlib.sha256).hexdigest()


def _installer_fields(installer: Installer | None) -> list[str] | None:
    if installer is None:
        return None
    return [
        installer.name,
        installer.phone,
        installer.partner_id,
        installer.store,
        installer.installed_on.isoformat(),
        installer.notes,
    ]


def check_installation_day(installer: Installer, *, today: date, unit: Unit) -> None:
    """An installation happened on a real day: not after today (Vietnam's calendar), not
    before the unit was made. ``Invalid`` on ``installer.installed_on`` otherwise.

    >>> from chalicelib.catalog.model import UnitStatus
    >>> unit = Unit("SN-1", "AC-9", UnitStatus.REGISTERED, manufactured_on=date(2026, 1, 5))
    >>> fitter = Installer("An", "+84912345678", date(2026, 1, 4))
    >>> try:
    ...     check_installation_day(fitter, today=date(2026, 3, 1), unit=unit)
    ... except Invalid as refused:
    ...     print(refused.fields[0].code)
    installed_on_before_manufacture
    """
    day = installer.installed_on
    if day > today:
        raise Invalid(fields=[FieldError("installer.installed_on", "installed_on_in_future")])
    if unit.manufactured_on is not None and day < unit.manufactured_on:
        raise Invalid(
            fields=[FieldError("installer.installed_on", "installed_on_before_manufacture")]
        )


def _phone_check(command: ActivationCommand, proof: PhoneProof | None) -> Callable[[], None] | None:
    """The proof of the owner's phone to run before the write, if the brand asks for one (run
    last: an activated unit says so, whether a code came or not)."""
    if proof is None:
        return None

    def check() -> None:
        if not command.phone_code:
            raise Forbidden("phone_code_required")
        proof(command.owner.phone, command.phone_code)

    return check


def _same_attempt(unit: Unit, key: str, digest: str) -> Activation | None:
    """The unit's activation when it came from this very attempt (``key``), else ``None``."""
    activation = unit.activation
    if not key or activation is None or activation.idempotency_key != key:
        return None
    if not hmac.compare_digest(activation.request_digest, digest):
        raise Unprocessable("idempotency_key_reused")
    return activation


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
    installer: Installer | None = None,
    province: str = "",
    before_write: Callable[[], None] | None = None,
) -> Activation:
    """Activate ``serial`` for the owner of ``phone`` (E.164) who texted the activation keyword
    from it (SMS) or from the Zalo account that shared it: the text is the explicit
    ``warranty_service`` consent, ``evidence`` names it (``esms:<smsid>``). ``name``: what the
    channel knows (a Zalo share); an SMS names nobody, so it stays empty. ``installer``: who
    installed it, for an activation on the installer's word (the demo's partner activations).
    ``before_write``: a last check once every rule passed (a dealer's activation proves the
    buyer's phone by the code sent to it, used up only by an activation about to be written).

    Same rules and the same single transaction as the QR path; raises ``NotFound
    ("unit_not_found")``, ``Conflict("already_activated", activated_at=…)``, ``Conflict
    ("unit_not_activatable")`` or ``Invalid("activation_deadline_passed")``.
    """
    _, activation = _activate_unit(
        units.get(serial),
        owner=Owner(name=name, phone=phone, province=province),
        consents=(ConsentGrant("warranty_service", True, evidence=evidence),),
        channel=channel,
        language=language,
        now=now,
        pepper=pepper,
        units=units,
        models=models,
        installer=installer,
        before_write=before_write,
    )
    return activation


def _activate_unit(
    unit: Unit,
    *,
    owner: Owner,
    consents: Sequence[ConsentGrant],
    channel: str,
    language: str,
    now: datetime,
    pepper: bytes,
    units: ActivationUnits,
    models: ModelReader,
    attempt: tuple[str, str] = ("", ""),
    installer: Installer | None = None,
    before_write: Callable[[], None] | None = None,
) -> tuple[ProductModel, Activation]:
    """The warranty window from the unit's model's terms, then one transaction. ``attempt``:
    the client's idempotency key and its request's digest, stored with the activation;
    ``before_write``: a last check once every rule passed (the phone's code)."""
    serial = unit.serial
    if unit.activation is not None:
        raise Conflict("already_activated", activated_at=unit.activation.activated_at.isoformat())
    model = models.get(unit.model_code)
    today = business_day(now)
    if installer is not None:
        check_installation_day(installer, today=today, unit=unit)
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
        idempotency_key=attempt[0],
        request_digest=attempt[1],
        installer=installer,
    )
    if before_write is not None:
        before_write()
    units.activate(serial, activation, owner_key=phone_key(pepper, owner.phone), consents=consents)
    logger.info("unit activated", extra={"serial": serial, "channel": channel})
    return model, activation


def report_not_me(
    token: str,
    code: str,
    *,
    now: datetime,
    keyring: QrKeyring,
    pepper: bytes,
    units: DisputedUnits,
    messages: DisputedMessages,
) -> bool:
    """The recipient of an activation's confirmation says it was not them (the message's link):
    flag the activation for review, on the unit (``disputed_at``, a ``disputed`` history
    event) and on the confirmation in the outbox (``disputed_at``, staff's message log).
    Idempotent: ``True`` the first time, ``False`` after (each write is conditional, so a
    report interrupted between them completes on the next). Any link that is not this
    activation's (forged, for another unit, from an earlier activation, a unit not activated)
    is the same ``NotFound("not_me_link_invalid")``."""
    from chalicelib.activation import not_me
    from chalicelib.activation.messages import confirmation_id

    serial = keyring.verify(token)
    unit = _find(units, serial) if serial else None
    activation = unit.activation if unit else None
    if unit is None or activation is None:
        raise NotFound("not_me_link_invalid")
    if not not_me.code_matches(pepper, unit.serial, activation.activated_at, code):
        raise NotFound("not_me_link_invalid")
    first = units.flag_disputed(unit.serial, activation.activated_at, at=now)
    messages.mark_disputed(confirmation_id(unit.serial, activation.activated_at), now)
    logger.warning("activation disowned", extra={"serial": unit.serial, "first": first})
    return first


def _find(units: DisputedUnits, serial: str) -> Unit | None:
    try:
        return units.get(serial)
    except NotFound:
        return None
