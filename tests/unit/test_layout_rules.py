"""The rules that hold the capability layout (``[tool.importlinter]`` in pyproject.toml and the
capability contract), and the emulator fixes' pin on the moto release they were written for.

The contract is run against small import graphs built here, so each rule is shown to fail when
it is broken, not only to pass on today's code.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import grimp
import pytest

from devstack import moto_patches
from tests.architecture.capabilities import CapabilityContract

REPO = Path(__file__).resolve().parents[2]


def _contract() -> CapabilityContract:
    return CapabilityContract(
        name="capabilities",
        session_options={},
        contract_options={
            "capabilities": ["app.claims", "app.catalog"],
            "shared": ["app.core", "app.platform"],
        },
    )


def _graph(*imports: tuple[str, str]) -> grimp.ImportGraph:
    graph = grimp.ImportGraph()
    for importer, imported in imports:
        graph.add_import(importer=importer, imported=imported, line_number=1, line_contents="")
    return graph


def _broken(*imports: tuple[str, str]) -> list[str]:
    check = _contract().check(_graph(*imports), verbose=False)
    return [f"{b['importer']} -> {b['imported']}" for b in check.metadata["broken"]]


def test_a_capability_may_use_another_ones_model_and_service() -> None:
    assert (
        _broken(
            ("app.claims.service", "app.catalog.model"),
            ("app.claims.service", "app.catalog.service"),
            ("app.claims.routes", "app.claims.wiring"),
            ("app.claims.wiring", "app.catalog.wiring"),  # composition roots compose
            ("app.claims.repository", "app.platform.dynamodb"),
        )
        == []
    )


@pytest.mark.parametrize(
    "imported",
    [
        "app.catalog.tables",
        "app.catalog.repository",
        "app.catalog.unit_repository",
        "app.catalog.routes",
        "app.catalog.hook_routes",
        "app.catalog.events",
    ],
)
def test_a_capability_never_reaches_into_another_ones_storage_or_handlers(imported: str) -> None:
    assert _broken(("app.claims.service", imported)) == [f"app.claims.service -> {imported}"]


def test_only_handlers_and_wiring_import_a_wiring_module() -> None:
    assert _broken(
        ("app.claims.service", "app.claims.wiring"),
        ("app.claims.model", "app.platform.wiring"),
    ) == ["app.claims.model -> app.platform.wiring", "app.claims.service -> app.claims.wiring"]


def test_the_project_keeps_its_import_contracts() -> None:
    result = subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports"), "--no-cache"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout
    assert "0 broken" in result.stdout


def test_the_emulator_fixes_refuse_a_moto_release_they_were_not_written_for() -> None:
    moto_patches.check_version(moto_patches.WRITTEN_FOR)
    with pytest.raises(RuntimeError, match=r"written for moto 5\.2\.5, not 5\.3\.0"):
        moto_patches.check_version("5.3.0")


def test_the_pin_and_the_fixes_name_the_same_moto() -> None:
    pins = (REPO / "requirements-dev.txt").read_text(encoding="utf-8")
    assert f"]=={moto_patches.WRITTEN_FOR}\n" in pins


def test_every_folder_of_chalicelib_is_under_the_contracts_and_on_the_map() -> None:
    """A new capability folder must join the capability contract (or it escapes the rules) and
    the map in docs/architecture.md (or a newcomer cannot find it)."""
    import tomllib

    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    capability = next(c for c in contracts if c["type"] == "capabilities")
    ruled = {
        m.removeprefix("chalicelib.") for m in capability["capabilities"] + capability["shared"]
    }
    folders = {p.parent.name for p in (REPO / "chalicelib").glob("*/__init__.py")}
    architecture = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")

    assert folders == ruled
    assert [f for f in sorted(folders) if f"  {f}/ " not in architecture] == []


def _unguarded_spreadsheet_writer(source: str) -> bool:
    """The module writes CSV or Excel (``csv.writer``/``csv.DictWriter``, ``xlsxwriter``) but
    never passes a cell through ``spreadsheet_cell``."""
    import ast

    tree = ast.parse(source)
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    attributes = {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    } | {
        (node.module or "").split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
    }
    writes = bool({"writer", "DictWriter"} & (names | attributes)) and "csv" in imported
    writes = writes or "xlsxwriter" in imported
    return writes and "spreadsheet_cell" not in names | attributes


@pytest.mark.parametrize(
    ("source", "unguarded"),
    [
        ("import csv\ndef f(out, rows):\n    csv.writer(out).writerows(rows)\n", True),
        ("from csv import DictWriter\ndef f(out):\n    DictWriter(out, ['a'])\n", True),
        ("import xlsxwriter\ndef f(p):\n    xlsxwriter.Workbook(p)\n", True),
        (
            "import csv\nfrom chalicelib.core.text import spreadsheet_cell\n"
            "def f(out, rows):\n    csv.writer(out).writerows([[spreadsheet_cell(c) for c in r]"
            " for r in rows])\n",
            False,
        ),
        ("import csv\ndef f(text):\n    return list(csv.reader(text))\n", False),  # reads only
    ],
)
def test_the_export_rule_tells_a_guarded_writer_from_an_unguarded_one(
    source: str, unguarded: bool
) -> None:
    assert _unguarded_spreadsheet_writer(source) is unguarded


def test_every_csv_or_excel_export_neutralises_formulas() -> None:
    """A name typed as ``=HYPERLINK(…)`` is stored as typed; whatever writes it into a CSV or an
    Excel file passes it through ``core.text.spreadsheet_cell`` (docs/architecture.md)."""
    unguarded = [
        str(path.relative_to(REPO))
        for path in sorted((REPO / "chalicelib").rglob("*.py"))
        if _unguarded_spreadsheet_writer(path.read_text(encoding="utf-8"))
    ]

    assert unguarded == []
