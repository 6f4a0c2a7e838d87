"""The AWS emulator for the integration suite: moto in server mode over real HTTP, one per test
session (per xdist worker), provisioned by the devstack's own code.

Tables come from ``ALL_TABLES`` through :func:`devstack.provision.create_tables`, the secrets
parameter through :func:`devstack.provision.put_secrets` (with the known test keys of
:mod:`tests.support.factories`), and the Cognito pool, groups and demo users through
:func:`devstack.provision.provision_cognito`, so the tests and the embedded stack cannot
provision differently.
"""

from __future__ import annotations

import copy
import functools
import logging
import os
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import boto3
import requests
from moto.backends import get_backend
from moto.core import DEFAULT_ACCOUNT_ID
from moto.server import ThreadedMotoServer

from devstack import moto_patches, provision
from devstack.demo_users import DEMO_USERS
from tests.support.factories import secrets_json

REGION = "ap-southeast-1"
TEST_PATH_TOKEN = "hooks-path-token-for-tests-0123456789"


@dataclass
class Emulator:
    url: str
    server: ThreadedMotoServer
    # What provisioning made, kept the first time: the tables (empty, with their indexes,
    # streams and TTL) and the user pool with the demo staff. Creating them over HTTP takes
    # about two seconds a test; a copy of moto's own objects takes milliseconds.
    tables: dict[str, Any] | None = None
    staff: tuple[dict[str, Any], provision.CognitoSetup] | None = None
    # The tables once the whole demo is seeded (with its activations), the day it was seeded
    # and what the seed returned: see :func:`seeded_demo`.
    demo: tuple[dict[str, Any], date, Any] | None = None

    def reset(self) -> None:
        """Forget every resource (``POST /moto-api/reset``)."""
        requests.post(f"{self.url}/moto-api/reset", timeout=10).raise_for_status()

    @functools.cached_property
    def dynamodb(self) -> Any:
        return boto3.client("dynamodb", region_name=REGION, endpoint_url=self.url)

    @functools.cached_property
    def streams(self) -> Any:
        return boto3.client("dynamodbstreams", region_name=REGION, endpoint_url=self.url)

    @functools.cached_property
    def ssm(self) -> Any:
        return boto3.client("ssm", region_name=REGION, endpoint_url=self.url)

    @functools.cached_property
    def sqs(self) -> Any:
        return boto3.client("sqs", region_name=REGION, endpoint_url=self.url)

    @functools.cached_property
    def s3(self) -> Any:
        return boto3.client("s3", region_name=REGION, endpoint_url=self.url)

    @functools.cached_property
    def cognito(self) -> Any:
        return boto3.client("cognito-idp", region_name=REGION, endpoint_url=self.url)


def start_emulator() -> Emulator:
    """Start moto on a free port of 127.0.0.1 and point every AWS client of this process at it
    (``AWS_ENDPOINT_URL``: boto3, PynamoDB and Powertools all honour it)."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one access-log line per call
    moto_patches.apply()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    url = f"http://{host}:{port}"
    os.environ["AWS_ENDPOINT_URL"] = url
    return Emulator(url=url, server=server)


def provision_data(emulator: Emulator, workdir: Path) -> None:
    """Tables (with streams and TTL) and the stage's secrets parameter."""
    from chalicelib.core.settings import get_settings
    from chalicelib.tables import ALL_TABLES

    tables = _region_backend("dynamodb")
    if emulator.tables is None:
        provision.create_tables(ALL_TABLES, emulator.dynamodb)
        emulator.tables = copy.deepcopy(tables.tables)
    else:
        tables.tables = copy.deepcopy(emulator.tables)
    secrets_path = workdir / "secrets.json"
    if not secrets_path.exists():
        secrets_path.write_text(secrets_json(), encoding="utf-8")
    provision.put_secrets(emulator.ssm, get_settings().secrets_parameter, secrets_path)
    provision.put_messaging(
        emulator.ssm,
        get_settings().messaging_parameter,
        provision.messaging_config("http://127.0.0.1:9", TEST_PATH_TOKEN),
    )
    provision.create_queue(emulator.sqs, get_settings().delivery_failures_queue)
    provision.create_bucket(emulator.s3, get_settings().uploads_bucket, REGION)


def provision_staff(emulator: Emulator) -> provision.CognitoSetup:
    """The user pool, its app client, one group per role and the demo users."""
    pools = _region_backend("cognito-idp")
    if emulator.staff is None:
        setup = provision.provision_cognito(
            emulator.cognito, region=REGION, emulator_url=emulator.url, users=DEMO_USERS
        )
        emulator.staff = (copy.deepcopy(pools.user_pools), setup)
    else:
        pools.user_pools = copy.deepcopy(emulator.staff[0])
    return emulator.staff[1]


def seeded_demo(emulator: Emulator) -> Any:
    """``devstack.demo.seed_demo(activations=True)`` on the freshly reset tables; returns its
    ``DemoSummary``. Several suites read the whole demo, and seeding it costs about ten seconds
    a time: it is seeded once per worker and its tables (their streams' records included) are
    copied back for the next suite, as :func:`provision_data` does with the empty tables. Seeded
    again on another day: the demo's dates count back from the day it was seeded."""
    from chalicelib.catalog.warranty import business_day
    from devstack.demo import seed_demo

    tables = _region_backend("dynamodb")
    today = business_day(datetime.now(UTC))
    if emulator.demo is None or emulator.demo[1] != today:
        summary = seed_demo(activations=True)
        emulator.demo = (copy.deepcopy(tables.tables), today, summary)
    else:
        tables.tables = copy.deepcopy(emulator.demo[0])
    return emulator.demo[2]


def _region_backend(service: str) -> Any:
    """moto's in-process state of ``service`` in the tests' region (the server runs in this
    process, so a copy of it restored after a reset is exactly what provisioning made)."""
    return get_backend(service)[DEFAULT_ACCOUNT_ID][REGION]  # type: ignore[index]


def clear_app_caches() -> None:
    """Forget everything the app built once per container (``platform.cache.reset``: settings,
    repositories, the model cache, senders, the Cognito client, JWKS clients, parsed secrets)
    and Powertools' parameter cache."""
    from aws_lambda_powertools.utilities import parameters

    from chalicelib.platform import cache

    cache.reset()
    parameters.clear_caches()
