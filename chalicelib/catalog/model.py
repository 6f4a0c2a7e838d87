"""Product models and units as the rest of the code sees them (no storage detail)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from chalicelib.catalog.warranty import WarrantyTerms


class UnitStatus(StrEnum):
    REGISTERED = "registered"
    SHIPPED = "shipped"
    ACTIVATED = "activated"
    VOID = "void"


class PublicStatus(StrEnum):
    """What a customer is told about a unit."""

    NOT_ACTIVATED = "not_activated"
    ACTIVATED = "activated"
    EXPIRED = "expired"


ACTIVATABLE = (UnitStatus.REGISTERED, UnitStatus.SHIPPED)


PORTAL_SECTIONS = ("activate", "lookup", "my_products", "contact")


@dataclass(frozen=True)
class BrandTheme:
    """How the customer portal looks for a brand (one build serves every brand)."""

    short_name: str = ""  # printed on QR stickers (1×2 cm has room for ~12 letters); "" = name
    logo_url: str = ""  # https://… or a path on the portal ("/assets/…"); "" shows the name
    primary: str = "#0b57d0"  # buttons, links: white text on it passes WCAG AA
    on_primary: str = "#ffffff"
    accent: str = "#b3261e"
    email: str = ""
    website: str = ""
    sections: tuple[str, ...] = PORTAL_SECTIONS
    hotline: str = ""  # the brand's own hotline; "" = the stage's ``GARANTI_HOTLINE``


@dataclass(frozen=True)
class Brand:
    """A manufacturer's brand: its name, the prefix of its generated serials, its portal look."""

    brand_id: str
    name: str
    serial_prefix: str
    serials_issued: int = 0  # the sequence counter; the prefix is locked once it is > 0
    theme: BrandTheme = field(default_factory=BrandTheme)
    # a web activation must prove the phone by a one-time code sent to it (issue 11); off: the
    # one-minute form, whoever holds the sticker names the owner's phone
    confirm_phone: bool = False
    updated_by: str = ""  # the staff member who saved it last (the stream's image names them)

    def hotline_or(self, stage_hotline: str) -> str:
        """The number customers call: the brand's own, else the stage's setting.

        >>> Brand("demo", "Demo", "GAR").hotline_or("1800 6868")
        '1800 6868'
        >>> Brand("demo", "Demo", "GAR", theme=BrandTheme(hotline="1900 1234")).hotline_or("1")
        '1900 1234'
        """
        return self.theme.hotline or stage_hotline


@dataclass(frozen=True)
class ModelText:
    """What a customer reads of a model in one language: name, description, specs (label →
    value)."""

    name: str
    description: str
    specs: dict[str, str]


@dataclass(frozen=True)
class ProductModel:
    """A product model. Its texts are Vietnamese; the English ones are optional (``""`` or a
    missing entry reads the Vietnamese one): ``spec_labels_en`` and ``spec_values_en`` map a
    spec's (Vietnamese) label to its English label and value; a value without one is shown as
    it is, as most are (``R32``, ``220 V``)."""

    code: str
    name: str
    description: str
    image_url: str
    specs: dict[str, str]
    terms: WarrantyTerms
    unit_count: int = 0
    created_at: datetime | None = None
    updated_at: datetime | None = None
    name_en: str = ""
    description_en: str = ""
    spec_labels_en: dict[str, str] = field(default_factory=dict)
    spec_values_en: dict[str, str] = field(default_factory=dict)
    updated_by: str = ""  # the staff member who saved it last (the stream's image names them)
    # the kind of product ("Máy lạnh" / "Air conditioner"): reward rules (and later claim forms)
    # may apply to a whole category; models are grouped by its folded Vietnamese text
    category: str = ""
    category_en: str = ""

    def localized(self, language: str) -> ModelText:
        """The model's texts in ``language`` (``vi`` or ``en``), Vietnamese where English is
        missing.

        >>> from chalicelib.catalog.warranty import WarrantyTerms
        >>> m = ProductModel("AC-9", "Máy lạnh AC-9", "Treo tường", "", {"Gas": "R32",
        ...     "Công suất": "1 HP"}, WarrantyTerms(24), name_en="AC-9 air conditioner",
        ...     spec_labels_en={"Công suất": "Capacity"}, spec_values_en={"Gas": "R-32"})
        >>> english = m.localized("en")
        >>> english.name, english.description, english.specs
        ('AC-9 air conditioner', 'Treo tường', {'Gas': 'R-32', 'Capacity': '1 HP'})
        """
        if language != "en":
            return ModelText(self.name, self.description, dict(self.specs))
        return ModelText(
            name=self.name_en or self.name,
            description=self.description_en or self.description,
            specs={
                self.spec_labels_en.get(k) or k: self.spec_values_en.get(k) or v
                for k, v in self.specs.items()
            },
        )


@dataclass(frozen=True)
class HistoryEvent:
    at: datetime
    event: str  # imported | generated | activated | …
    by: str  # staff username, "customer", "system"
    note: str = ""


@dataclass(frozen=True)
class Owner:
    name: str
    phone: str  # E.164
    province: str = ""
    address: str = ""


@dataclass(frozen=True)
class Installer:
    """Who installed the unit, when the activation came from them (channel ``partner``):
    ``partner_id`` is set when a signed-in partner activated, else ``""`` (the installer typed
    their name and phone on the public form; the rewards step finds the partner by phone)."""

    name: str
    phone: str  # E.164
    installed_on: date
    partner_id: str = ""
    store: str = ""  # the shop that sold it, as typed
    notes: str = ""  # at most 500 characters


@dataclass(frozen=True)
class Activation:
    activated_at: datetime
    warranty_start: date
    warranty_end: date
    warranty_reason: str
    channel: str  # web | sms | dealer | partner
    owner: Owner
    language: str = "vi"
    # the client's Idempotency-Key and an HMAC of its request: a retry of the same attempt
    # gets this activation back instead of "already activated" (docs/api.md)
    idempotency_key: str = ""
    request_digest: str = ""
    installer: Installer | None = None  # channel ``partner`` only


@dataclass(frozen=True)
class Unit:
    serial: str
    model_code: str
    status: UnitStatus
    batch: str = ""
    manufactured_on: date | None = None
    shipped_on: date | None = None
    created_at: datetime | None = None
    activation: Activation | None = None
    history: tuple[HistoryEvent, ...] = field(default_factory=tuple)
    dealer_id: str = ""  # shipped to (issue 14); "" = not shipped
    shipment_id: str = ""
    carton: str = ""  # packed in; "" = loose
    # A replacement under warranty (issue 15): this unit was handed over instead of ``replaces``
    # on ``replaced_on`` (its warranty starts that day); a voided unit names its ``replaced_by``.
    replaces: str = ""
    replaced_by: str = ""
    replaced_on: date | None = None

    def public_status(self, today: date) -> PublicStatus:
        if self.activation is None:
            return PublicStatus.NOT_ACTIVATED
        if today > self.activation.warranty_end:
            return PublicStatus.EXPIRED
        return PublicStatus.ACTIVATED


@dataclass(frozen=True)
class NewUnit:
    """A unit about to be registered by an import or a generated range."""

    serial: str
    model_code: str
    batch: str = ""
    manufactured_on: date | None = None
    carton: str = ""  # the carton it is packed in (a normalised carton code), "" for none


@dataclass(frozen=True)
class AddResult:
    """What a registration wrote: the serials added and the rejected ones with a reason."""

    added: list[str]
    rejected: dict[str, str]


@dataclass(frozen=True)
class UnitFilter:
    """What the console's units list asks for; every field optional, all of them must hold.

    ``serial`` is an exact serial, ``serial_prefix`` the start of one (``GAR0000`` finds
    ``GAR00000017W``); ``activated_from`` ≤ activation < ``activated_until`` (UTC instants).

    >>> f = UnitFilter(serial_prefix="GAR", status=UnitStatus.REGISTERED)
    >>> f.matches(Unit("GAR00000017W", "AC-9", UnitStatus.REGISTERED))
    True
    >>> f.matches(Unit("SN-1", "AC-9", UnitStatus.REGISTERED))
    False
    """

    serial: str | None = None
    serial_prefix: str | None = None
    model_code: str | None = None
    batch: str | None = None
    status: UnitStatus | None = None
    activated_from: datetime | None = None
    activated_until: datetime | None = None

    @property
    def by_activation(self) -> bool:
        return self.activated_from is not None or self.activated_until is not None

    def matches(self, unit: Unit) -> bool:
        checks = (
            self.serial is None or unit.serial == self.serial,
            self.serial_prefix is None or unit.serial.startswith(self.serial_prefix),
            self.model_code is None or unit.model_code == self.model_code,
            self.batch is None or unit.batch == self.batch,
            self.status is None or unit.status is self.status,
        )
        return all(checks) and self._activated_within(unit)

    def _activated_within(self, unit: Unit) -> bool:
        if not self.by_activation:
            return True
        if unit.activation is None:
            return False
        at = unit.activation.activated_at
        after_start = self.activated_from is None or at >= self.activated_from
        return after_start and (self.activated_until is None or at < self.activated_until)


@dataclass(frozen=True)
class UnitPage:
    """One page of a units search: the units found and where the next page starts (``None``
    at the end). A page may hold fewer units than asked, even none, with a position: the
    request's read budget ran out first."""

    units: list[Unit]
    position: dict[str, Any] | None
    read: int
