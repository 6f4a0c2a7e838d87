"""docs/openapi.json is the API as the code serves it: regenerated here and compared, so a route,
a request model or an answer's shape that changes without `make openapi` fails the suite."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from openapi_spec_validator import validate as validate_openapi

from chalicelib.platform.http import validate
from infra.openapi import COMMAND, DOCUMENT, generate
from infra.openapi.document import DriftError, build, render
from infra.openapi.operations import OPERATIONS, Operation


def test_committed_document_is_what_the_code_generates() -> None:
    committed = DOCUMENT.read_text(encoding="utf-8") if DOCUMENT.exists() else ""
    assert committed == generate(), f"docs/openapi.json is out of date: run `{COMMAND}`"


def test_document_is_valid_openapi_3_1() -> None:
    document = json.loads(generate())
    validate_openapi(document)
    assert document["openapi"] == "3.1.0"


def test_generation_is_deterministic() -> None:
    assert generate() == generate()


def test_every_route_of_the_app_is_documented_with_its_path_parameters() -> None:
    from app import app

    document = json.loads(generate())
    for path, methods in app.routes.items():
        for method, entry in methods.items():
            operation = document["paths"][path][method.lower()]
            in_path = [p["name"] for p in operation["parameters"] if p["in"] == "path"]
            assert in_path == entry.view_args, (method, path)


def test_a_route_without_an_entry_is_refused() -> None:
    from app import app

    routes: dict[str, Any] = {**app.routes, "/units/{serial}/ship": {"POST": None}}
    with pytest.raises(DriftError, match=re.escape("/units/{serial}/ship")):
        build(routes)


def test_request_bodies_are_the_routes_pydantic_models() -> None:
    document = json.loads(generate())
    activation = document["paths"]["/public/activations"]["post"]
    schema = activation["requestBody"]["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/ActivationRequest"}
    body = document["components"]["schemas"]["ActivationRequest"]
    assert body["additionalProperties"] is False
    assert set(body["required"]) == {"token", "customer", "consents"}


def test_staff_routes_name_their_scheme_roles_and_shared_error_codes() -> None:
    document = json.loads(generate())
    retry = document["paths"]["/messages/{message_id}/retry"]["post"]
    assert retry["security"] == [{"staff": []}]
    assert retry["x-roles"] == ["admin", "cs"]
    assert "role_not_allowed" in retry["responses"]["403"]["x-error-codes"]
    assert "message_not_retryable" in retry["responses"]["409"]["x-error-codes"]
    public = document["paths"]["/public/units/{token}"]["get"]
    assert public["security"] == []
    assert document["components"]["securitySchemes"]["staff"]["bearerFormat"] == "JWT"


def test_every_error_answer_is_the_error_shape() -> None:
    document = json.loads(generate())
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for status, answer in operation["responses"].items():
                if int(status) >= 400:
                    schema = answer["content"]["application/json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/ErrorResponse"}, (method, path)
                    assert answer["x-error-codes"], (method, path, status)


def test_render_sorts_keys_and_ends_with_a_newline() -> None:
    assert render({"b": 1, "a": "Bảo hành"}) == '{\n  "a": "Bảo hành",\n  "b": 1\n}\n'


EXAMPLE_BODIES = [op for op in OPERATIONS if op.body is not None and op.example is not None]


@pytest.mark.parametrize(
    "op", EXAMPLE_BODIES, ids=[f"{op.method} {op.path}" for op in EXAMPLE_BODIES]
)
def test_body_examples_pass_the_routes_validation(op: Operation) -> None:
    assert op.body is not None
    validate(op.body, op.example)  # Invalid (a 400) if the published example would be refused


def test_every_json_body_route_publishes_an_example() -> None:
    assert [op.path for op in OPERATIONS if op.body is not None and op.example is None] == []


def test_every_listed_error_code_has_its_texts_in_both_catalogues() -> None:
    from chalicelib.core.i18n import catalogue

    document = json.loads(generate())
    listed = {
        code
        for operations in document["paths"].values()
        for operation in operations.values()
        for answer in operation["responses"].values()
        for code in answer.get("x-error-codes", [])
    }
    assert sorted(listed - set(catalogue("vi"))) == []
    assert sorted(listed - set(catalogue("en"))) == []
