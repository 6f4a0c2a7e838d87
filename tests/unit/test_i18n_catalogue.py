"""Every code a person can be shown has Vietnamese and English words.

Codes are collected from the source, not listed by hand, so a new ``Invalid("…")`` without a
translation fails here: literal codes passed to the error classes, to ``PydanticCustomError``
and to ``RowRejection``; the ``code_prefix`` × suffix combinations of :func:`clean_text`; the
refusals the OTP rules return; the pydantic codes the HTTP edge maps to; warranty reasons and
message templates.
"""

from __future__ import annotations

import ast
import string
from collections.abc import Iterator
from pathlib import Path

import pytest

from chalicelib.core import errors
from chalicelib.core.i18n import LANGUAGES, catalogue, text
from chalicelib.outbox.kinds import MESSAGE_TYPES
from chalicelib.platform import http

SOURCE = Path(errors.__file__).resolve().parents[1]  # chalicelib/
ERROR_CLASSES = {
    name
    for name, value in vars(errors).items()
    if isinstance(value, type) and issubclass(value, errors.GarantiError)
}


def _modules() -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted(SOURCE.rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _called_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def _string(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _code_argument(call: ast.Call, position: int, keyword: str) -> ast.AST | None:
    for kw in call.keywords:
        if kw.arg == keyword:
            return kw.value
    return call.args[position] if len(call.args) > position else None


def _prefix_forwarders(tree: ast.Module) -> dict[str, int]:
    """Functions that pass one of their parameters on as ``code_prefix=``: name → position."""
    forwarders: dict[str, int] = {}
    for func in ast.walk(tree):
        if not isinstance(func, ast.FunctionDef):
            continue
        params = [a.arg for a in func.args.args]
        for node in ast.walk(func):
            if (
                isinstance(node, ast.keyword)
                and node.arg == "code_prefix"
                and isinstance(node.value, ast.Name)
                and node.value.id in params
            ):
                forwarders[func.name] = params.index(node.value.id)
    return forwarders


def collect_codes() -> set[str]:
    codes: set[str] = set()
    suffixes: set[str] = set()
    prefixes: set[str] = set()
    trees = list(_modules())
    forwarders: dict[str, int] = {}
    for _, tree in trees:
        forwarders.update(_prefix_forwarders(tree))
    for path, tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and node.name in ERROR_CLASSES:
                for item in node.body:
                    if isinstance(item, ast.Assign) and any(
                        isinstance(t, ast.Name) and t.id == "default_code" for t in item.targets
                    ):
                        codes.add(_string(item.value) or "")
            if isinstance(node, ast.FunctionDef) and node.name.endswith("_refusal"):
                for ret in ast.walk(node):
                    if isinstance(ret, ast.Return) and ret.value is not None:
                        values = ret.value.elts if isinstance(ret.value, ast.Tuple) else [ret.value]
                        codes.update(s for v in values[:1] if (s := _string(v)))
            value = _string(node)
            if path.name == "warranty.py" and value and value.startswith("warranty_"):
                codes.add(value)
            if not isinstance(node, ast.Call):
                continue
            name = _called_name(node)
            if name in ERROR_CLASSES or name == "PydanticCustomError":
                argument = _code_argument(node, 0, "code")
                if (code := _string(argument)) is not None:
                    codes.add(code)
                elif isinstance(argument, ast.JoinedStr):
                    tail = argument.values[-1]
                    if (suffix := _string(tail)) is not None:
                        suffixes.add(suffix)
            elif name == "RowRejection" and (reason := _string(_code_argument(node, 2, "reason"))):
                codes.add(reason)
            elif name == "text" and (key := _string(_code_argument(node, 0, "key"))):
                codes.add(key)
            elif name in forwarders and (
                prefix := _string(_code_argument(node, forwarders[name], "prefix"))
            ):
                prefixes.add(prefix)
            for kw in node.keywords:
                if kw.arg == "code_prefix" and (prefix := _string(kw.value)):
                    prefixes.add(prefix)
    codes.update(prefix + suffix for prefix in prefixes for suffix in suffixes)
    codes.update(http._PYDANTIC_CODES.values())
    # every registered message type renders its catalogue text (``message_<kind>``)
    codes.update(t.catalogue_key for t in MESSAGE_TYPES.values())
    codes.add("wrong_type")  # the HTTP edge's fallback field code
    codes.discard("")
    return codes


CODES = sorted(collect_codes())


def test_collector_finds_codes_of_every_kind() -> None:
    """Guard the collector itself: one code of each kind it is meant to find."""
    for expected in (
        "already_activated",  # Conflict("…") in persistence
        "name_bad_characters",  # code_prefix × f-string suffix
        "model_name_too_long",  # prefix passed through schemas.text_field
        "otp_send_limit",  # returned by a *_refusal rule
        "serial_exists",  # RowRejection reason
        "warranty_capped_from_manufacture",  # warranty reason
        "message_activation_confirmed",  # message type
        "message_reward_paid",  # message type
        "unknown_field",  # pydantic code mapped by the HTTP edge
        "payload_too_large",  # an error class's default code
    ):
        assert expected in CODES


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_code_has_words_in_each_language(language: str) -> None:
    missing = [code for code in CODES if not catalogue(language).get(code, "").strip()]

    assert missing == []


def test_both_catalogues_name_the_same_keys() -> None:
    assert set(catalogue("vi")) == set(catalogue("en"))


@pytest.mark.parametrize("key", sorted(catalogue("en")))
def test_translations_use_the_same_placeholders(key: str) -> None:
    def fields(template: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(template) if name}

    assert fields(catalogue("vi")[key]) == fields(catalogue("en")[key])


def test_vietnamese_and_english_differ_for_user_facing_errors() -> None:
    assert text("already_activated", "vi") != text("already_activated", "en")


def test_unknown_language_falls_back_to_vietnamese() -> None:
    assert text("unit_not_found", "fr") == text("unit_not_found", "vi")


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_kind_of_export_job_has_words_for_its_outcomes(language: str) -> None:
    """An export job's codes are made from its kind (``<kind>_export_failed``…), which the
    collector above cannot read: each kind the exports stream writes is checked here."""
    from app import EXPORT_WRITERS

    codes = [
        f"{kind}_export_{end}"
        for kind in EXPORT_WRITERS
        for end in ("not_found", "failed", "stalled")
    ]
    assert [c for c in codes if not catalogue(language).get(c, "").strip()] == []
