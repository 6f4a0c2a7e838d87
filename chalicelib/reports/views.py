"""A report as JSON: its tables as they are, with the names of the models and dealers its rows
key on (the console labels them; the Excel export writes the same names)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from chalicelib.reports.figures import Report

Names = Mapping[str, tuple[str, str]]  # code or id → (name, English name or code)


def keyed(report: Report, dimension: str) -> list[str]:
    """Every value of ``dimension`` the report's rows name."""
    return sorted(
        {str(row[dimension]) for table in report.tables for row in table.rows if dimension in row}
        - {""}
    )


def report_view(
    report: Report,
    *,
    models: Names,
    dealers: Names,
    collectors: Mapping[str, str],
    reads: int,
) -> dict[str, Any]:
    return {
        "kind": report.kind,
        "months": report.months,
        "totals": report.totals,
        "tables": [
            {"name": t.name, "keys": list(t.keys), "columns": list(t.columns), "rows": t.rows}
            for t in report.tables
        ],
        "names": {
            "models": {code: {"name": n, "name_en": en} for code, (n, en) in models.items()},
            "dealers": {d: {"code": code, "name": name} for d, (code, name) in dealers.items()},
            "collectors": dict(collectors),
        },
        "reads": reads,
    }
