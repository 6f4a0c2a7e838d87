"""Repositories against DynamoDB (moto server): conditions and transactions hold."""

from __future__ import annotations

import dataclasses
import functools
import threading
from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.activation import otp
from chalicelib.activation.consent import ConsentGrant
from chalicelib.activation.messages import otp_message
from chalicelib.activation.otp_repository import OtpRepository
from chalicelib.catalog.brand_repository import BrandRepository
from chalicelib.catalog.model import UnitStatus
from chalicelib.catalog.tables import CustomerRecord, UnitRecord
from chalicelib.catalog.unit_repository import UnitRepository
from chalicelib.core.errors import Conflict, NotFound
from chalicelib.core.phone import phone_key
from chalicelib.outbox.model import ClaimOutcome
from chalicelib.outbox.repository import NotificationRepository
from chalicelib.platform.rate_limits import RateLimits
from tests.support import factories as f
from tests.support import seed
from tests.support.aws import Emulator

pytestmark = pytest.mark.usefixtures("aws")


# --- units ----------------------------------------------------------------------------------


def test_add_registers_units_and_counts_them_on_the_model() -> None:
    seed.model("AC-9")

    result = UnitRepository().add(f.new_units(["SN-1", "SN-2"]), event="imported", by="admin")

    assert (result.added, result.rejected) == (["SN-1", "SN-2"], {})
    unit = UnitRepository().get("SN-1")
    assert (unit.status, unit.model_code) == (UnitStatus.REGISTERED, "AC-9")
    assert [(h.event, h.by) for h in unit.history] == [("imported", "admin")]
    assert seed.models().get("AC-9").unit_count == 2


def test_add_rejects_an_existing_serial_without_overwriting_it() -> None:
    seed.model("AC-9")
    seed.model("MW-1")
    seed.units(["SN-1"], "AC-9")

    result = UnitRepository().add(
        f.new_units(["SN-1", "SN-2"], "MW-1", batch="NEW"), event="imported", by="intruder"
    )

    assert result.added == ["SN-2"]
    assert result.rejected == {"SN-1": "serial_exists"}
    kept = UnitRepository().get("SN-1")
    assert (kept.model_code, kept.batch, kept.history[0].by) == ("AC-9", "", "test")
    assert seed.models().get("AC-9").unit_count == 1
    assert seed.models().get("MW-1").unit_count == 1


def test_add_for_an_unknown_model_writes_nothing() -> None:
    result = UnitRepository().add(f.new_units(["SN-1", "SN-2"], "NOPE"), event="imported", by="a")

    assert result.added == []
    assert result.rejected == {"SN-1": "model_not_found", "SN-2": "model_not_found"}
    assert UnitRepository().find("SN-1") is None


def test_add_splits_large_imports_into_transactions_and_counts_all() -> None:
    seed.model("AC-9")
    serials = [f"SN-{i:04d}" for i in range(250)]

    result = UnitRepository().add(f.new_units(serials), event="imported", by="admin")

    assert len(result.added) == 250
    assert seed.models().get("AC-9").unit_count == 250
    assert UnitRepository().existing_serials([*serials, "SN-X"]) == set(serials)


def test_activate_commits_unit_owner_and_consents_in_one_transaction(aws: Emulator) -> None:
    seed.model("AC-9")
    seed.units(["SN-1"])
    owner_key = phone_key(f.PEPPER, f.PHONE)

    UnitRepository().activate(
        "SN-1",
        f.activation(),
        owner_key=owner_key,
        consents=[ConsentGrant("warranty_service", True), ConsentGrant("marketing", False)],
    )

    unit = UnitRepository().get("SN-1")
    assert unit.status is UnitStatus.ACTIVATED
    assert unit.activation == f.activation()
    assert [h.event for h in unit.history] == ["imported", "activated"]
    customer = CustomerRecord.get(owner_key)
    assert (customer.phone, customer.name) == (f.PHONE, "Nguyễn Văn An")
    assert customer.consent_warranty_service.granted is True
    assert customer.consent_marketing.granted is False
    assert [u.serial for u in UnitRepository().list_by_owner(owner_key)] == ["SN-1"]


def test_activation_rejects_unit_already_activated_with_when_but_not_who() -> None:
    seed.model("AC-9")
    seed.units(["SN-1"])
    repo = UnitRepository()
    repo.activate("SN-1", f.activation(), owner_key="first", consents=())
    second = f.activation(f.NOW + timedelta(days=1), f.owner("Kẻ Gian", f.OTHER_PHONE))

    with pytest.raises(Conflict) as caught:
        repo.activate("SN-1", second, owner_key="second", consents=())

    assert caught.value.code == "already_activated"
    assert caught.value.details == {"activated_at": f.NOW.isoformat()}  # as the service says it
    assert repo.get("SN-1").activation == f.activation()
    assert repo.list_by_owner("second") == []


def test_parallel_activations_in_the_repository_let_exactly_one_win() -> None:
    """No read first: every caller reaches the transaction, which alone decides."""
    seed.model("AC-9")
    seed.units(["SN-1"])
    outcomes: list[str] = []
    barrier = threading.Barrier(12)

    def activate(number: int) -> None:
        barrier.wait()
        try:
            UnitRepository().activate(
                "SN-1", f.activation(f.NOW + timedelta(seconds=number)), owner_key=f"k{number}",
                consents=(),
            )  # fmt: skip
            outcomes.append("activated")
        except Conflict as exc:
            outcomes.append(exc.code)
        except Exception as exc:  # noqa: BLE001 - any other outcome is the failure we look for
            outcomes.append(type(exc).__name__)

    threads = [threading.Thread(target=activate, args=(n,)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["activated"] + ["already_activated"] * 11


def test_activating_an_unknown_serial_is_not_found() -> None:
    with pytest.raises(NotFound) as caught:
        UnitRepository().activate("SN-404", f.activation(), owner_key="k", consents=())

    assert caught.value.code == "unit_not_found"
    assert UnitRepository().find("SN-404") is None


def test_void_unit_is_not_activatable() -> None:
    seed.model("AC-9")
    seed.units(["SN-1"])
    UnitRecord("SN-1").update(actions=[UnitRecord.status.set(UnitStatus.VOID.value)])

    with pytest.raises(Conflict) as caught:
        UnitRepository().activate("SN-1", f.activation(), owner_key="k", consents=())

    assert (caught.value.code, caught.value.details) == ("unit_not_activatable", {"status": "void"})


# --- product models -------------------------------------------------------------------------


def test_model_crud_round_trip() -> None:
    created = seed.model("AC-9")

    changed = seed.models().replace(
        dataclasses.replace(created, name="Máy lạnh mới", terms=f.terms(36))
    )
    listed = seed.models().list()

    assert created.created_at is not None
    assert seed.models().get("AC-9").name == "Máy lạnh mới"
    assert seed.models().get("AC-9").terms.months == 36
    assert changed.code == "AC-9"
    assert [m.code for m in listed] == ["AC-9"]


def test_creating_an_existing_model_is_a_conflict_and_keeps_the_original() -> None:
    seed.model("AC-9", name="Original")

    with pytest.raises(Conflict) as caught:
        seed.models().create(f.product_model("AC-9", name="Copy"))

    assert caught.value.code == "model_exists"
    assert seed.models().get("AC-9").name == "Original"


def test_replacing_a_missing_model_is_not_found_and_creates_nothing() -> None:
    with pytest.raises(NotFound):
        seed.models().replace(f.product_model("NOPE"))

    assert seed.models().get_many(["NOPE"]) == {}


def test_replacing_a_model_keeps_its_unit_count() -> None:
    seed.model("AC-9")
    seed.units(["SN-1", "SN-2"])

    seed.models().replace(f.product_model("AC-9", name="Renamed"))

    assert seed.models().get("AC-9").unit_count == 2


def test_delete_is_refused_while_units_use_the_model() -> None:
    seed.model("AC-9")
    seed.units(["SN-1"])

    with pytest.raises(Conflict) as caught:
        seed.models().delete("AC-9")

    assert (caught.value.code, caught.value.details["units"]) == ("model_in_use", 1)
    assert seed.models().get("AC-9").code == "AC-9"


def test_delete_of_an_unused_model_removes_it() -> None:
    seed.model("AC-9")

    seed.models().delete("AC-9")

    with pytest.raises(NotFound):
        seed.models().get("AC-9")


def test_delete_of_a_missing_model_is_not_found() -> None:
    with pytest.raises(NotFound):
        seed.models().delete("NOPE")


def test_models_are_listed_in_code_order_and_fetched_in_batches() -> None:
    for code in ("MW-1", "AC-9", "LOCK-7"):
        seed.model(code)

    assert [m.code for m in seed.models().list()] == ["AC-9", "LOCK-7", "MW-1"]
    assert set(seed.models().get_many(["AC-9", "MW-1", "NOPE"])) == {"AC-9", "MW-1"}


# --- brand sequences, outbox, one-time codes --------------------------------------------------


def test_sequences_are_reserved_in_disjoint_ranges() -> None:
    brands = BrandRepository()

    first = brands.reserve_sequences("demo", 10)
    second = brands.reserve_sequences("demo", 5)

    assert (first, second) == (1, 11)


def test_reserving_for_an_unknown_brand_is_not_found() -> None:
    with pytest.raises(NotFound):
        BrandRepository().reserve_sequences("nobody", 1)


def test_outbox_keeps_one_message_per_id() -> None:
    outbox = NotificationRepository()
    message = otp_message(f.PHONE, "123456", "vi", datetime.now(UTC), f.PEPPER)

    assert outbox.add(message) is True
    assert outbox.add(dataclasses.replace(message, text="changed")) is False
    assert outbox.get(message.message_id).text == message.text
    claim = functools.partial(
        outbox.claim,
        message.message_id,
        channel="sms",
        provider="esms",
        now=datetime.now(UTC),
        lease=timedelta(seconds=60),
    )
    assert claim(owner="first") is ClaimOutcome.CLAIMED
    assert claim(owner="second") is ClaimOutcome.TAKEN
    assert outbox.get(message.message_id).attempts == 1


def _challenge(now: datetime, version: int = 1, **overrides: object) -> otp.OtpState:
    fields: dict[str, object] = {
        "phone_key": phone_key(f.PEPPER, f.PHONE),
        "code_hash": otp.hash_code(f.PEPPER, phone_key(f.PEPPER, f.PHONE), "123456"),
        "issued_at": now,
        "expires_at": now + otp.CODE_TTL,
        "attempts": 0,
        "used": False,
        "sends": (now,),
        "version": version,
    }
    fields.update(overrides)
    return otp.OtpState(**fields)  # type: ignore[arg-type]


def test_otp_issue_is_conditional_on_the_version_read() -> None:
    repo, now = OtpRepository(), datetime.now(UTC).replace(microsecond=0)
    repo.issue(_challenge(now), None, otp_message(f.PHONE, "123456", "vi", now, f.PEPPER))
    later = now + timedelta(seconds=61)

    with pytest.raises(Conflict):
        repo.issue(_challenge(later, 2), None, otp_message(f.PHONE, "1", "vi", later, f.PEPPER))
    repo.issue(_challenge(later, 2), 1, otp_message(f.PHONE, "2", "vi", later, f.PEPPER))

    stored = repo.get(phone_key(f.PEPPER, f.PHONE), later)
    assert stored is not None
    assert stored.version == 2


def test_otp_consume_succeeds_once() -> None:
    repo, now = OtpRepository(), datetime.now(UTC).replace(microsecond=0)
    state = _challenge(now)
    repo.issue(state, None, otp_message(f.PHONE, "123456", "vi", now, f.PEPPER))

    assert repo.consume(state, state.code_hash, otp.MAX_ATTEMPTS) is True
    assert repo.consume(state, state.code_hash, otp.MAX_ATTEMPTS) is False


def test_otp_past_its_retention_reads_as_absent() -> None:
    repo, long_ago = OtpRepository(), datetime.now(UTC).replace(microsecond=0) - timedelta(hours=2)
    repo.issue(_challenge(long_ago), None, otp_message(f.PHONE, "1", "vi", long_ago, f.PEPPER))

    assert repo.get(phone_key(f.PEPPER, f.PHONE), datetime.now(UTC)) is None


# --- sliding-window rate limits -------------------------------------------------------------

MINUTE = timedelta(minutes=1)
BOUNDARY = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)


def _hits(limits: RateLimits, count: int, at: datetime) -> list[int | None]:
    return [limits.hit_sliding("lookup#c1", limit=30, window=MINUTE, now=at) for _ in range(count)]


def test_a_burst_across_a_minute_boundary_is_refused() -> None:
    # Given 30 look-ups in the last half second of a minute
    limits = RateLimits()
    before = _hits(limits, 30, BOUNDARY - timedelta(milliseconds=500))

    # When the client goes on in the first half second of the next minute
    after = limits.hit_sliding(
        "lookup#c1", limit=30, window=MINUTE, now=BOUNDARY + timedelta(milliseconds=500)
    )

    # Then it is refused: 30 a minute means 30 in any minute, not 60 in one second
    assert before == [None] * 30
    assert after is not None and after >= 2


def test_waiting_exactly_retry_after_succeeds_and_a_second_less_does_not() -> None:
    limits = RateLimits()
    start = BOUNDARY + timedelta(seconds=30, milliseconds=500)
    assert _hits(limits, 30, start) == [None] * 30
    retry_after = limits.hit_sliding("lookup#c1", limit=30, window=MINUTE, now=start)
    assert retry_after is not None

    early = start + timedelta(seconds=retry_after - 1)
    on_time = start + timedelta(seconds=retry_after)

    assert limits.hit_sliding("lookup#c1", limit=30, window=MINUTE, now=early) is not None
    assert limits.hit_sliding("lookup#c1", limit=30, window=MINUTE, now=on_time) is None


def test_each_client_has_its_own_window() -> None:
    limits = RateLimits()
    _hits(limits, 30, BOUNDARY)

    assert limits.hit_sliding("lookup#c1", limit=30, window=MINUTE, now=BOUNDARY) is not None
    assert limits.hit_sliding("lookup#c2", limit=30, window=MINUTE, now=BOUNDARY) is None
