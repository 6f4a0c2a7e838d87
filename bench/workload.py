"""DynamoDB round trips per operation and throughput, through the real routes, in one process
against the emulator (moto server as a child process).

Round trips are counted with botocore event hooks (``before-call.dynamodb``) on every session
PynamoDB creates. Throughput is given as a ratio to the emulator's own floor measured in the
same run (one PutItem per call; BatchWriteItem of 25), so the figure does not depend on how
fast this machine or the emulator is.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from devstack.emulator import free_port

REPO = Path(__file__).resolve().parents[1]
T = TypeVar("T")
ACTIVATIONS = 150
IMPORT_ROWS = 10_000
FLOOR_CALLS = 300


class CallCounter:
    """Counts DynamoDB API calls by operation on every botocore session PynamoDB makes."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()

    def install(self) -> None:
        import pynamodb.connection.base as base

        import chalicelib.platform.dynamodb  # noqa: F401 - the app's session factory first

        sessions = base.get_session  # type: ignore[attr-defined]

        def counted_session() -> Any:
            # the app shares a thread's session among the tables: counted once, not per table
            session = sessions()
            session.register("before-call.dynamodb", self._count, unique_id="bench-calls")
            return session

        base.get_session = counted_session  # type: ignore[attr-defined]

    def _count(self, model: Any, **_: Any) -> None:
        self.calls[model.name] += 1

    @contextmanager
    def measure(self) -> Iterator[Counter[str]]:
        before = Counter(self.calls)
        result: Counter[str] = Counter()
        yield result
        result.update(self.calls - before)


def _environment(emulator_url: str) -> None:
    os.environ.update(
        GARANTI_STAGE="local",
        AWS_ENDPOINT_URL=emulator_url,
        AWS_ACCESS_KEY_ID="bench",
        AWS_SECRET_ACCESS_KEY="bench",  # the emulator's dummy credential
        AWS_REGION="ap-southeast-1",
        AWS_DEFAULT_REGION="ap-southeast-1",
        POWERTOOLS_LOG_LEVEL="WARNING",
    )


def on_fresh_emulator(name: str, measure: Callable[[str, Path], T]) -> T:
    """``measure(emulator_url, workdir)`` against an emulator of its own, with the bench's
    environment; the emulator is stopped whatever happens."""
    from devstack.emulator import Emulator

    workdir = Path(tempfile.mkdtemp(prefix=f"{name}-"))
    emulator = Emulator(free_port(), workdir / "emulator.log")
    emulator.start()
    try:
        _environment(emulator.url)
        return measure(emulator.url, workdir)
    finally:
        emulator.stop()


def in_fresh_process(module: str) -> dict[str, Any]:
    """``python -m <module>`` in its own process (the app and its settings are module globals,
    bound to one emulator); the JSON of its last line of output."""
    done = subprocess.run(
        [sys.executable, "-m", module],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(done.stdout + done.stderr)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def auth_header(client: Any, user: Any) -> dict[str, str]:
    """The ``Authorization`` header of ``user`` (a demo user) signed in through the app."""
    login = _post(client, "/auth/login", {"username": user.username, "password": user.password})
    return {"Authorization": f"Bearer {json.loads(login.body)['id_token']}"}


def run() -> dict[str, Any]:
    return on_fresh_emulator("garanti-bench", _measure)


def _post(client: Any, path: str, body: Any, headers: dict[str, str] | None = None) -> Any:
    return client.http.post(
        path,
        headers={"Content-Type": "application/json", **(headers or {})},
        body=json.dumps(body),
    )


def _measure(emulator_url: str, workdir: Path) -> dict[str, Any]:
    import boto3
    from chalice.test import Client

    counter = CallCounter()
    counter.install()

    from app import app
    from chalicelib.activation.lookup import issue_lookup_token
    from chalicelib.core.phone import normalize_vn_mobile, phone_key
    from chalicelib.core.settings import get_settings
    from chalicelib.platform import wiring as platform_wiring
    from chalicelib.tables import ALL_TABLES
    from devstack.demo import seed_demo
    from devstack.demo_users import DEMO_USERS
    from devstack.provision import create_tables, provision_cognito, put_secrets

    settings = get_settings()
    dynamodb = boto3.client("dynamodb")
    create_tables(ALL_TABLES, dynamodb)
    put_secrets(boto3.client("ssm"), settings.secrets_parameter, workdir / "secrets.json")
    cognito = provision_cognito(
        boto3.client("cognito-idp"), region=settings.region, emulator_url=emulator_url,
        users=DEMO_USERS,
    )  # fmt: skip
    os.environ.update(cognito.environment())
    get_settings.cache_clear()
    seed_demo()
    keyring = platform_wiring.secrets().qr_keyring
    client = Client(app)

    # Warm the container: model cache, secrets cache, pydantic validators, JWKS.
    from chalicelib.catalog.serials import generated_serial

    serials = iter(generated_serial("GAR", n) for n in range(1, 201))
    warm = keyring.issue(next(serials))
    client.http.get(f"/public/units/{warm}")
    phone = "0912 345 678"
    _post(client, "/public/activations", _activation_body(warm, phone))

    with counter.measure() as view_calls:
        response = client.http.get(f"/public/units/{keyring.issue(next(serials))}")
    assert response.status_code == 200, response.body

    with counter.measure() as activation_calls:
        response = _post(
            client, "/public/activations", _activation_body(keyring.issue(next(serials)), phone)
        )
    assert response.status_code == 201, response.body

    secrets = platform_wiring.secrets()
    owner = phone_key(secrets.pepper, normalize_vn_mobile(phone))
    from datetime import UTC, datetime

    lookup = issue_lookup_token(owner, now=datetime.now(UTC), token_key=secrets.lookup_token_key)
    with counter.measure() as my_units_calls:
        response = client.http.get(
            "/public/my-units", headers={"Authorization": f"Bearer {lookup.token}"}
        )
    assert response.status_code == 200 and len(json.loads(response.body)["units"]) == 2

    # Throughput: activations through the route, one after another.
    tokens = [keyring.issue(next(serials)) for _ in range(ACTIVATIONS)]
    started = time.perf_counter()
    for i, token in enumerate(tokens):
        response = _post(client, "/public/activations", _activation_body(token, f"0988{i:06d}"))
        assert response.status_code == 201, response.body
    activation_seconds = time.perf_counter() - started

    floor_put = _put_item_floor(dynamodb)
    floor_batch = _batch_write_floor(dynamodb)

    # Import: a 10,000-row CSV through the staff route.
    admin = next(u for u in DEMO_USERS if u.username == "admin")
    bearer = auth_header(client, admin)
    csv = "serial,model_code\n" + "\n".join(f"BENCH-{n:06d},AC-INV-12" for n in range(IMPORT_ROWS))
    with counter.measure() as import_calls:
        started = time.perf_counter()
        response = client.http.post(
            "/units/import", headers={**bearer, "Content-Type": "text/csv"}, body=csv
        )
        import_seconds = time.perf_counter() - started
    report = json.loads(response.body)
    assert report["imported"] == IMPORT_ROWS, report

    activations_per_second = ACTIVATIONS / activation_seconds
    rows_per_second = IMPORT_ROWS / import_seconds
    return {
        "round_trips": {
            "public_unit_view": dict(view_calls),
            "activation": dict(activation_calls),
            "my_units": dict(my_units_calls),
            "import_10000_rows": dict(import_calls),
        },
        "activations_per_second": round(activations_per_second, 1),
        "emulator_put_items_per_second": round(floor_put, 1),
        "activation_rate_vs_single_put_ratio": round(activations_per_second / floor_put, 2),
        "import_rows_per_second": round(rows_per_second, 1),
        "emulator_batch_write_items_per_second": round(floor_batch, 1),
        "import_rate_vs_batch_write_ratio": round(rows_per_second / floor_batch, 2),
    }


def _activation_body(token: str, phone: str) -> dict[str, Any]:
    return {
        "token": token,
        "customer": {"name": "Lê Văn Bảo", "phone": phone},
        "consents": {"warranty_service": True},
    }


def _put_item_floor(dynamodb: Any) -> float:
    """The emulator's rate for the cheapest write: one PutItem per call."""
    dynamodb.create_table(
        TableName="bench-floor",
        KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    durations = []
    for n in range(FLOOR_CALLS):
        started = time.perf_counter()
        dynamodb.put_item(
            TableName="bench-floor", Item={"k": {"S": f"p{n}"}, "v": {"S": "x" * 200}}
        )
        durations.append(time.perf_counter() - started)
    return 1 / statistics.mean(durations)


def _batch_write_floor(dynamodb: Any) -> float:
    """Items per second the emulator takes through BatchWriteItem (25 items a call)."""
    started = time.perf_counter()
    for start in range(0, 2_500, 25):
        dynamodb.batch_write_item(
            RequestItems={
                "bench-floor": [
                    {"PutRequest": {"Item": {"k": {"S": f"b{n}"}, "v": {"S": "x" * 200}}}}
                    for n in range(start, start + 25)
                ]
            }
        )
    return 2_500 / (time.perf_counter() - started)
