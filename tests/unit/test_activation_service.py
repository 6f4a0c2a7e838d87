"""Activation and the public unit view, against in-memory fakes of the unit and model stores."""

from __future__ import annotations

import dataclasses
import secrets
from datetime import UTC, date, datetime, timedelta

import pytest

from chalicelib.activation import service
from chalicelib.activation.consent import ConsentGrant
from chalicelib.activation.service import ActivationCommand
from chalicelib.catalog.model import PublicStatus, UnitStatus
from chalicelib.catalog.warranty import StartBasis
from chalicelib.core.errors import Conflict, Forbidden, Invalid, NotFound, Unprocessable
from chalicelib.core.phone import phone_key
from chalicelib.core.qr_token import UnitLinks
from tests.support import factories as f
from tests.support.fakes import FakeModels, FakeUnits

PORTAL = "http://portal.test"
SERIAL = "GAR00000017W"


def command(token: str, *, warranty_consent: bool = True) -> ActivationCommand:
    return ActivationCommand(
        token=token,
        owner=f.owner(),
        consents=(
            ConsentGrant("warranty_service", warranty_consent),
            ConsentGrant("marketing", False),
        ),
        language="vi",
    )


def activate(
    token: str, units: FakeUnits, models: FakeModels, *, warranty_consent: bool = True
) -> service.ActivationResult:
    return service.activate(
        command(token, warranty_consent=warranty_consent),
        now=f.NOW,
        links=UnitLinks(PORTAL, f.keyring()),
        pepper=f.PEPPER,
        units=units,
        models=models,
    )


@pytest.fixture
def units() -> FakeUnits:
    return FakeUnits([f.unit(SERIAL, manufactured_on=date(2026, 1, 5))])


@pytest.fixture
def models() -> FakeModels:
    return FakeModels([f.product_model("AC-9")])


def test_activation_commits_owner_dates_and_consent(units: FakeUnits, models: FakeModels) -> None:
    token = f.keyring().issue(SERIAL)

    result = activate(token, units, models)

    assert result.serial == SERIAL
    assert result.activation.warranty_start == f.TODAY
    assert result.activation.warranty_end == date(2028, 3, 9)
    assert result.certificate_url == f"{PORTAL}/c/{token}"
    stored = units.units[SERIAL]
    assert stored.status is UnitStatus.ACTIVATED
    assert stored.activation == result.activation
    assert units.owner_keys[SERIAL] == phone_key(f.PEPPER, f.PHONE)
    assert units.consents[phone_key(f.PEPPER, f.PHONE)][0] == ConsentGrant("warranty_service", True)


def test_activation_rejects_unit_already_activated(units: FakeUnits, models: FakeModels) -> None:
    token = f.keyring().issue(SERIAL)
    activate(token, units, models)

    with pytest.raises(Conflict) as caught:
        activate(token, units, models)

    assert caught.value.code == "already_activated"
    assert caught.value.details == {"activated_at": f.NOW.isoformat()}


def test_activation_without_warranty_consent_is_refused_before_any_read(
    units: FakeUnits, models: FakeModels
) -> None:
    with pytest.raises(Invalid) as caught:
        activate(f.keyring().issue(SERIAL), units, models, warranty_consent=False)

    assert caught.value.code == "consent_required"
    assert units.reads == 0
    assert units.units[SERIAL].activation is None


def test_forged_tokens_cost_no_database_read(units: FakeUnits, models: FakeModels) -> None:
    """10⁴ random tokens: all refused as an unknown unit, none reaches the store."""
    for _ in range(10_000):
        forged = secrets.token_hex(18).upper()
        with pytest.raises(NotFound):
            service.view_unit(
                forged, today=f.TODAY, keyring=f.keyring(), units=units, models=models
            )

    assert units.reads == 0


def test_forged_and_unknown_tokens_are_told_apart_by_nothing(
    units: FakeUnits, models: FakeModels
) -> None:
    genuine_for_missing_unit = f.keyring().issue("GAR00000018U")
    forged = f.keyring().issue(SERIAL)[:-2] + "AA"
    errors = []
    for token in (genuine_for_missing_unit, forged):
        with pytest.raises(NotFound) as caught:
            service.view_unit(token, today=f.TODAY, keyring=f.keyring(), units=units, models=models)
        errors.append((type(caught.value), caught.value.code, caught.value.details))

    assert errors[0] == errors[1]


def test_activation_after_the_deadline_is_refused(units: FakeUnits) -> None:
    models = FakeModels([f.product_model("AC-9", terms=f.terms(activation_deadline_days=30))])

    with pytest.raises(Invalid) as caught:
        activate(f.keyring().issue(SERIAL), units, models)

    assert caught.value.code == "activation_deadline_passed"
    assert units.units[SERIAL].activation is None


def test_warranty_from_manufacture_uses_the_unit_s_date(units: FakeUnits) -> None:
    models = FakeModels([f.product_model("AC-9", terms=f.terms(12, StartBasis.MANUFACTURE))])

    result = activate(f.keyring().issue(SERIAL), units, models)

    assert result.activation.warranty_start == date(2026, 1, 5)
    assert result.activation.warranty_reason == "warranty_from_manufacture"


def test_void_unit_cannot_be_activated(models: FakeModels) -> None:
    units = FakeUnits([f.unit(SERIAL, status=UnitStatus.VOID)])

    with pytest.raises(Conflict) as caught:
        activate(f.keyring().issue(SERIAL), units, models)

    assert caught.value.code == "unit_not_activatable"


def test_public_view_shows_state_and_masked_owner_only(
    units: FakeUnits, models: FakeModels
) -> None:
    token = f.keyring().issue(SERIAL)
    before = service.view_unit(
        token, today=f.TODAY, keyring=f.keyring(), units=units, models=models
    )
    activate(token, units, models)

    after = service.view_unit(token, today=f.TODAY, keyring=f.keyring(), units=units, models=models)
    expired = service.view_unit(
        token, today=date(2028, 3, 10), keyring=f.keyring(), units=units, models=models
    )

    assert (before.status, before.owner_masked, before.warranty_end) == (
        PublicStatus.NOT_ACTIVATED,
        None,
        None,
    )
    assert after.status is PublicStatus.ACTIVATED
    assert after.owner_masked == "N***** V** A*"
    assert after.activated_on == f.TODAY
    assert expired.status is PublicStatus.EXPIRED


def test_last_covered_day_is_still_activated(units: FakeUnits, models: FakeModels) -> None:
    activated = dataclasses.replace(
        units.units[SERIAL], status=UnitStatus.ACTIVATED, activation=f.activation()
    )
    assert activated.activation is not None
    end = activated.activation.warranty_end

    assert activated.public_status(end) is PublicStatus.ACTIVATED
    assert activated.public_status(end + timedelta(days=1)) is PublicStatus.EXPIRED


def test_warranty_starts_on_the_vietnamese_calendar_day_of_activation(
    units: FakeUnits, models: FakeModels
) -> None:
    """Given a customer in Vietnam (UTC+7) activating at 06:30 on 24 November, when the
    warranty is computed, then it starts on 24 November, not on the UTC date (23 November)."""
    early_morning_in_hanoi = datetime(2026, 11, 23, 23, 30, tzinfo=UTC)  # 06:30 ICT, 24 Nov

    result = service.activate(
        command(f.keyring().issue(SERIAL)),
        now=early_morning_in_hanoi,
        links=UnitLinks(PORTAL, f.keyring()),
        pepper=f.PEPPER,
        units=units,
        models=models,
    )

    assert result.activation.warranty_start == date(2026, 11, 24)
    assert result.activation.warranty_end == date(2028, 11, 23)


# --- the phone's proof (issue 11): asked last, used up only by an activation that passes ---------


class Proofs:
    """A phone proof that records what it was asked and refuses any code but ``good``."""

    def __init__(self, good: str = "123456") -> None:
        self.good = good
        self.asked: list[tuple[str, str]] = []

    def __call__(self, phone: str, code: str) -> None:
        self.asked.append((phone, code))
        if code != self.good:
            raise Forbidden("phone_code_wrong", attempts_left=4)


def activate_with_proof(
    units: FakeUnits, models: FakeModels, proofs: Proofs, code: str = ""
) -> service.ActivationResult:
    return service.activate(
        dataclasses.replace(command(f.keyring().issue(SERIAL)), phone_code=code),
        now=f.NOW,
        links=UnitLinks(PORTAL, f.keyring()),
        pepper=f.PEPPER,
        units=units,
        models=models,
        phone_proof=proofs,
    )


def test_a_brand_that_confirms_phones_needs_the_code(units: FakeUnits, models: FakeModels) -> None:
    proofs = Proofs()

    with pytest.raises(Forbidden) as refused:
        activate_with_proof(units, models, proofs)
    result = activate_with_proof(units, models, proofs, "123456")

    assert refused.value.code == "phone_code_required"
    assert proofs.asked == [(f.PHONE, "123456")]
    assert result.activation.owner.phone == f.PHONE


def test_a_refused_code_activates_nothing(units: FakeUnits, models: FakeModels) -> None:
    with pytest.raises(Forbidden, match="phone_code_wrong"):
        activate_with_proof(units, models, Proofs(), "000000")

    assert units.units[SERIAL].activation is None


def test_the_code_is_not_asked_for_an_activation_the_rules_refuse(units: FakeUnits) -> None:
    proofs = Proofs()
    late = FakeModels([f.product_model("AC-9", terms=f.terms(activation_deadline_days=30))])

    with pytest.raises(Invalid, match="activation_deadline_passed"):
        activate_with_proof(units, late, proofs, "123456")
    activate_with_proof(units, FakeModels([f.product_model("AC-9")]), proofs, "123456")
    with pytest.raises(Conflict, match="already_activated"):
        activate_with_proof(units, FakeModels([f.product_model("AC-9")]), proofs, "123456")

    assert len(proofs.asked) == 1  # only the activation that went through used the code


# --- exactly once per attempt (issue 11) ----------------------------------------------------------


def attempt(
    units: FakeUnits, models: FakeModels, key: str, **owner: str
) -> service.ActivationResult:
    sent = dataclasses.replace(
        command(f.keyring().issue(SERIAL)),
        owner=dataclasses.replace(f.owner(), **owner),
        idempotency_key=key,
    )
    return service.activate(
        sent,
        now=f.NOW,
        links=UnitLinks(PORTAL, f.keyring()),
        pepper=f.PEPPER,
        units=units,
        models=models,
    )


def test_a_retry_of_an_attempt_gets_its_activation_back(
    units: FakeUnits, models: FakeModels
) -> None:
    first = attempt(units, models, "attempt-0001")

    retry = attempt(units, models, "attempt-0001")

    assert retry == first
    assert units.units[SERIAL].activation == first.activation


def test_an_attempt_s_key_with_another_request_is_unprocessable(
    units: FakeUnits, models: FakeModels
) -> None:
    attempt(units, models, "attempt-0001")

    with pytest.raises(Unprocessable, match="idempotency_key_reused"):
        attempt(units, models, "attempt-0001", name="Kẻ Gian")
    with pytest.raises(Conflict, match="already_activated"):
        attempt(units, models, "attempt-0002")
