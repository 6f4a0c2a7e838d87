"""A property-based fuzzer over docs/openapi.json against the embedded stack over HTTP.

Schemathesis draws requests from the published document (bodies from the request models, path
and query parameters; valid and invalid ones) for every route and sends them to
`python -m devstack run`, signed in as the demo admin. So that it gets past the first check of
each route, the document it reads is seeded with what the stack really holds: a registered and
an activated unit with their QR tokens, a verification code, a label job, a message, a lookup
token, the hooks' path token; Zalo events and eSMS inbound messages are signed with the fake
providers' keys. Whatever it sends, the API must answer:

- never 5xx;
- a documented status, with the documented media type and a body of the documented shape;
- every 4xx in our error shape, with a code of both catalogues that the document lists for
  that route and status (`x-error-codes`).

Bounded: EXAMPLES_PER_ROUTE requests per route, no deadline and no shrinking past the first
failure's phase: about two minutes on 2 cores for the 190 routes, the stack's start included.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlparse

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from chalicelib.core.i18n import catalogue
from chalicelib.messaging.webhook_signatures import esms_mo_sign, zalo_mac
from infra.openapi import DOCUMENT
from tests.support.devstack_process import DevstackProcess, start_devstack

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("fuzz")]

EXAMPLES_PER_ROUTE = 15
PHONE = "0938 111 222"
# A generated batch of 10,000 serials costs seconds on the emulator and proves nothing a batch
# of 20 does not: the fuzzer asks for small ones.
SMALL_LIMITS = {"GenerateUnitsRequest": {"count": 20}}


def _load() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(DOCUMENT.read_text(encoding="utf-8"))
    return document


OPERATIONS = [
    (method.upper(), path)
    for path, methods in sorted(_load()["paths"].items())
    for method in sorted(methods)
]


@dataclass(frozen=True)
class Seeds:
    """What the stack holds, for the fuzzer to start from."""

    admin: dict[str, str]
    lookup: dict[str, str]
    fresh_serial: str
    fresh_token: str
    activated_serial: str
    activated_token: str
    verification_code: str
    job_id: str
    import_id: str
    message_id: str
    export_id: str
    customer_id: str
    providers: dict[str, Any]
    dealer: dict[str, str]  # the demo dealer user's (dealer1, HN-01): the /dealer/… routes


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevstackProcess]:
    process = start_devstack(tmp_path_factory.mktemp("devstack-fuzz"))
    try:
        yield process
    finally:
        process.kill()  # its data is not read again: no need to save it (Ctrl-C has its own tests)


def _ok(response: requests.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def _token_of(url: str) -> str:
    return urlparse(url).path.rsplit("/", 1)[-1]


def _lookup_token(stack: DevstackProcess) -> str:
    _ok(requests.post(f"{stack.api}/public/otp", json={"phone": PHONE}, timeout=10), 202)
    inbox = stack.wait_for_inbox(PHONE, lambda ms: any(m["template"] == "lookup_code" for m in ms))
    found = re.search(r"\b(\d{6})\b", inbox[0]["text"])
    assert found, inbox[0]["text"]
    verified = requests.post(
        f"{stack.api}/public/otp/verify", json={"phone": PHONE, "code": found.group(1)}, timeout=10
    )
    return str(_ok(verified)["lookup_token"])


@pytest.fixture(scope="module")
def seeds(stack: DevstackProcess) -> Seeds:
    api = stack.api
    login = {"username": "admin", "password": stack.password_of("admin")}
    signed_in = _ok(requests.post(f"{api}/auth/login", json=login, timeout=10))
    admin = {"Authorization": f"Bearer {signed_in['id_token']}"}
    generated = requests.post(
        f"{api}/units/generate",
        json={"model_code": "AC-INV-12", "count": 2},
        headers=admin,
        timeout=30,
    )
    fresh, activated = _ok(generated, 201)["serials"]
    tokens = {
        serial: _token_of(
            _ok(requests.get(f"{api}/units/{serial}", headers=admin, timeout=10))["qr_url"]
        )
        for serial in (fresh, activated)
    }
    activation = {
        "token": tokens[activated],
        "customer": {"name": "Lê Văn Cường", "phone": PHONE},
        "consents": {"warranty_service": True},
    }
    _ok(requests.post(f"{api}/public/activations", json=activation, timeout=10), 201)
    certificate = _ok(requests.get(f"{api}/public/certificates/{tokens[activated]}", timeout=10))
    job = requests.post(
        f"{api}/labels/jobs",
        json={"template": "2x4cm-a4", "serials": [fresh]},
        headers=admin,
        timeout=10,
    )
    export = requests.post(f"{api}/units/exports", json={}, headers=admin, timeout=10)
    unit_import = requests.post(
        f"{api}/units/imports",
        json={"filename": "units.csv", "size_bytes": 100},
        headers=admin,
        timeout=10,
    )
    lookup = _lookup_token(stack)  # waits for its message: the outbox is not empty after
    messages = _ok(requests.get(f"{api}/messages?limit=1", headers=admin, timeout=10))["messages"]
    owner = requests.get(
        f"{api}/customers", params={"serial": activated}, headers=admin, timeout=10
    )
    return Seeds(
        admin=admin,
        lookup={"Authorization": f"Bearer {lookup}"},
        fresh_serial=fresh,
        fresh_token=tokens[fresh],
        activated_serial=activated,
        activated_token=tokens[activated],
        verification_code=certificate["verification_code"],
        job_id=_ok(job, 202)["job_id"],
        import_id=_ok(unit_import, 201)["import_id"],
        message_id=messages[0]["message_id"],
        export_id=_ok(export, 202)["export_id"],
        customer_id=_ok(owner)["customers"][0]["customer_id"],
        providers=json.loads((stack.data_dir / "providers.json").read_text(encoding="utf-8")),
        dealer={"Authorization": f"Bearer {_signed_in(stack, 'dealer1')}"},
    )


def _signed_in(stack: DevstackProcess, username: str) -> str:
    login = {"username": username, "password": stack.password_of(username)}
    return str(_ok(requests.post(f"{stack.api}/auth/login", json=login, timeout=10))["id_token"])


def _path_examples(seeds: Seeds) -> dict[tuple[str, str], str]:
    """(path, parameter) → a value the stack knows."""
    certificate = "/public/certificates/verify/{serial}/{code}"
    examples = {
        ("/public/units/{token}", "token"): seeds.fresh_token,
        ("/public/certificates/{token}", "token"): seeds.activated_token,
        ("/public/serials/{serial}", "serial"): seeds.activated_serial,
        (certificate, "serial"): seeds.activated_serial,
        (certificate, "code"): seeds.verification_code,
        ("/messages/{message_id}", "message_id"): seeds.message_id,
        ("/messages/{message_id}/retry", "message_id"): seeds.message_id,
        ("/labels/jobs/{job_id}", "job_id"): seeds.job_id,
        ("/units/exports/{export_id}", "export_id"): seeds.export_id,
        ("/units/{serial}/owner", "serial"): seeds.activated_serial,
        ("/customers/{customer_id}", "customer_id"): seeds.customer_id,
        ("/customers/{customer_id}/reveal", "customer_id"): seeds.customer_id,
        ("/units/imports/{import_id}", "import_id"): seeds.import_id,
        ("/units/imports/{import_id}/start", "import_id"): seeds.import_id,
        ("/hooks/esms/dlr/{token}", "token"): seeds.providers["hooks_path_token"],
        ("/hooks/speedsms/{token}", "token"): seeds.providers["hooks_path_token"],
    }
    for path in ("/units/{serial}", "/units/{serial}/qr.png", "/units/{serial}/qr.svg"):
        examples[(path, "serial")] = seeds.fresh_serial
    return examples


def seeded_document(seeds: Seeds) -> dict[str, Any]:
    """The published document, its examples replaced by what the stack holds."""
    document = _load()
    models = document["components"]["schemas"]
    for model, fields in SMALL_LIMITS.items():
        for name, maximum in fields.items():
            models[model]["properties"][name]["maximum"] = maximum
    examples = _path_examples(seeds)
    for path, operations in document["paths"].items():
        for operation in operations.values():
            for parameter in operation["parameters"]:
                if (path, parameter["name"]) in examples:
                    parameter["example"] = examples[(path, parameter["name"])]
    activation = document["paths"]["/public/activations"]["post"]["requestBody"]
    activation["content"]["application/json"]["example"]["token"] = seeds.fresh_token
    mo = document["paths"]["/hooks/esms/mo"]["get"]["parameters"]
    now_in_vietnam = datetime.now(UTC) + timedelta(hours=7)
    for parameter in mo:
        if parameter["name"] == "receiverTime":
            parameter["example"] = now_in_vietnam.strftime("%Y%m%d%H%M%S")
    return document


@pytest.fixture(scope="module")
def published(stack: DevstackProcess, seeds: Seeds) -> Any:
    schema = schemathesis.openapi.from_dict(seeded_document(seeds))
    schema.config.update(base_url=stack.api)
    return schema


def documented_error(case: Any, response: Any) -> str | None:
    """Why a 4xx answer is not in our shape with a documented, catalogued code (else None)."""
    try:
        error = response.json()["error"]
    except (ValueError, KeyError, TypeError):
        return f"{response.status_code} is not our error shape: {response.text[:200]!r}"
    code = error.get("code")
    if code not in catalogue("en") or code not in catalogue("vi"):
        return f"{code!r} is not a code of the catalogues"
    answer = case.operation.definition.raw["responses"].get(str(response.status_code), {})
    if code not in answer.get("x-error-codes", []):
        return f"{code!r} is not listed for {response.status_code} of {case.operation.label}"
    return None


def _signed_zalo(case: Any, seeds: Seeds) -> dict[str, Any]:
    """A Zalo event as Zalo signs it (a fresh ``timestamp``); anything else goes unsigned."""
    if not isinstance(case.body, dict):
        return {}
    zalo = seeds.providers["zalo"]
    timestamp = str(int(time.time() * 1000))
    raw = json.dumps({**case.body, "timestamp": timestamp}, ensure_ascii=False).encode()
    mac = zalo_mac(zalo["app_id"], raw, timestamp, zalo["webhook_secret"])
    headers = {"Content-Type": "application/json", "X-ZEvent-Signature": f"mac={mac}"}
    return {"data": raw, "headers": headers}


def _signed_mo(case: Any, seeds: Seeds) -> dict[str, Any]:
    """An eSMS inbound SMS signed with the brand's key, for the brand's cpid."""
    esms = seeds.providers["esms"]
    query = {**(case.query or {}), "cpid": esms["mo_cpid"]}
    if not all(isinstance(v, str) for v in query.values()):
        return {}
    sign = esms_mo_sign(
        query["cpid"],
        query.get("smsid", ""),
        query.get("content", ""),
        query.get("receiverTime", ""),
        esms["mo_private_key"],
    )
    return {"params": {**query, "sign": sign}}


def _request(case: Any, seeds: Seeds) -> dict[str, Any]:
    """How to send ``case``: who signs in, and a provider's signature where one is needed."""
    label = case.operation.label
    if label == "POST /hooks/zalo":
        signed = _signed_zalo(case, seeds)
        return {**signed, "headers": {**seeds.admin, **signed.get("headers", {})}}
    if label == "GET /hooks/esms/mo":
        return {"headers": seeds.admin, **_signed_mo(case, seeds)}
    if label == "GET /public/my-units":
        return {"headers": seeds.lookup}
    if label.split(" ", 1)[1].startswith("/dealer/"):
        return {"headers": seeds.dealer}
    return {"headers": seeds.admin}


def fuzz(operation: Any, seeds: Seeds) -> None:
    """The document's examples, then schemathesis's valid and invalid requests, each checked."""
    cases = st.one_of(
        *operation.get_strategies_from_examples(),
        operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
        operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
    )

    @given(case=cases)
    @settings(
        max_examples=EXAMPLES_PER_ROUTE,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    def answers_within_contract(case: Any) -> None:
        response = case.call(timeout=30, **_request(case, seeds))
        assert response.status_code < 500, (response.status_code, response.text[:500])
        case.validate_response(
            response,
            checks=[
                status_code_conformance,
                content_type_conformance,
                response_schema_conformance,
            ],
        )
        if 400 <= response.status_code < 500:
            problem = documented_error(case, response)
            assert problem is None, problem

    answers_within_contract()


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_api_answers_every_request_within_its_contract(
    published: Any, seeds: Seeds, method: str, path: str
) -> None:
    fuzz(published[path][method], seeds)
