"""Activation exactly once per client attempt (issue 11): a retry of an attempt whose answer was
lost gets the original 201 back, never "already activated"."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime

import pytest
from chalice.test import HTTPResponse

from chalicelib.activation import service as activation
from chalicelib.activation.consent import ConsentGrant
from chalicelib.catalog import wiring as catalog_wiring
from chalicelib.catalog.model import Owner
from chalicelib.catalog.tables import UnitRecord
from chalicelib.catalog.unit_repository import UnitRepository
from chalicelib.core.errors import Conflict
from chalicelib.core.qr_token import UnitLinks
from chalicelib.platform import wiring as platform_wiring
from tests.support import factories as f
from tests.support import seed
from tests.support.api import Api, error_code
from tests.support.aws import Emulator

SERIAL = "GAR000000019"
KEY = "0b7c4a52-64f4-4d4e-9a55-5c1f3e2b9d10"


@pytest.fixture
def token(aws: Emulator) -> str:
    seed.model("AC-9")
    seed.units([SERIAL], manufactured_on=date(2026, 1, 5))
    return seed.token(SERIAL)


def activate(api: Api, token: str, key: str | None = KEY, **overrides: object) -> HTTPResponse:
    headers = {"Idempotency-Key": key} if key is not None else {}
    return api.post(
        "/public/activations", json_body=f.activation_body(token, **overrides), headers=headers
    )


def test_a_retry_of_the_same_attempt_gets_the_original_answer(api: Api, token: str) -> None:
    # Given an activation that reached the server (its answer lost on the way back)
    first = activate(api, token)
    assert first.status_code == 201

    # When the page sends the same attempt again
    retry = activate(api, token)

    # Then it gets the same 201 body, and the unit was activated once
    assert retry.status_code == 201
    assert retry.json_body == first.json_body
    history = [h.event for h in UnitRepository().get(SERIAL).history]
    assert history.count("activated") == 1


def test_a_key_reused_with_another_request_is_refused(api: Api, token: str) -> None:
    activate(api, token)

    other = activate(api, token, customer={"name": "Kẻ Gian", "phone": "0987654321"})

    assert other.status_code == 422
    assert error_code(other) == "idempotency_key_reused"
    assert "0912345678" not in other.body.decode() and "Nguyễn" not in other.body.decode()
    activation_ = UnitRepository().get(SERIAL).activation
    assert activation_ is not None and activation_.owner.name == "Nguyễn Văn An"


def test_another_attempt_or_no_key_is_told_already_activated(api: Api, token: str) -> None:
    first = activate(api, token)

    another = activate(api, token, key="a-second-attempt-of-someone-else")
    without = activate(api, token, key=None)

    for refused in (another, without):
        assert refused.status_code == 409
        assert error_code(refused) == "already_activated"
        assert refused.json_body["error"]["activated_at"] == first.json_body["activated_at"]


def test_without_a_key_activation_works_as_before(api: Api, token: str) -> None:
    response = activate(api, token, key=None)

    assert response.status_code == 201
    [record] = list(UnitRecord.scan())
    assert record.idempotency_key is None and record.request_digest is None


def test_the_stored_attempt_reveals_no_phone(api: Api, token: str) -> None:
    activate(api, token)

    record = UnitRecord.get(SERIAL)
    assert record.idempotency_key == KEY
    assert record.request_digest is not None and len(record.request_digest) == 64
    assert "912345678" not in record.request_digest


@pytest.mark.parametrize("key", ["short", "x" * 101, "has space inside", "ключ-не-ascii"])
def test_a_malformed_key_is_refused_before_anything_is_written(
    api: Api, token: str, key: str
) -> None:
    response = api.post(
        "/public/activations",
        json_body=f.activation_body(token),
        headers={"Idempotency-Key": key.encode("utf-8").decode("latin-1")},
    )

    assert response.status_code == 400
    assert error_code(response) == "idempotency_key_invalid"
    assert UnitRepository().get(SERIAL).activation is None


def test_browsers_may_send_the_key_from_the_portal(api: Api, token: str) -> None:
    response = api.post(
        "/public/activations",
        json_body=f.activation_body(token),
        headers={"Idempotency-Key": KEY, "Origin": "http://portal.test"},
    )

    assert response.headers["Access-Control-Allow-Origin"] == "http://portal.test"
    assert "Idempotency-Key" in response.headers["Access-Control-Allow-Headers"].split(",")


def test_parallel_retries_of_one_attempt_all_get_the_activation(token: str) -> None:
    """Given one attempt sent 8 times at once (a page retrying while the first try is still in
    flight), then every one of them gets the activation, and it was written once."""
    secrets = platform_wiring.secrets()
    command = activation.ActivationCommand(
        token=token,
        owner=Owner("Nguyễn Văn An", "+84912345678"),
        consents=(ConsentGrant("warranty_service", True),),
        language="vi",
        idempotency_key=KEY,
    )
    outcomes: list[str] = []
    barrier = threading.Barrier(8)

    def retry() -> None:
        barrier.wait()
        try:
            result = activation.activate(
                command,
                now=datetime.now(UTC),
                links=UnitLinks("http://portal.test", secrets.qr_keyring),
                pepper=secrets.pepper,
                units=UnitRepository(),
                models=catalog_wiring.model_cache(),
            )
            outcomes.append(result.activation.activated_at.isoformat())
        except Conflict as exc:
            outcomes.append(exc.code)

    threads = [threading.Thread(target=retry) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    stored = UnitRepository().get(SERIAL)
    assert stored.activation is not None
    assert outcomes == [stored.activation.activated_at.isoformat()] * 8
    assert [h.event for h in stored.history].count("activated") == 1
