"""``make openapi``: the API as an OpenAPI 3.1 document, ``docs/openapi.json``.

    python -m infra.openapi            # rewrite docs/openapi.json
    python -m infra.openapi --check    # exit 1 if the committed file differs (the test does this)

:mod:`~infra.openapi.document` builds it from ``app.routes``, the request models
(``chalicelib/*/schemas.py``), :mod:`~infra.openapi.shapes` (the answers) and
:mod:`~infra.openapi.operations` (per route: body, query, roles, error codes)."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DOCUMENT = REPO / "docs" / "openapi.json"
COMMAND = "make openapi"


def generate() -> str:
    """The document's text for the code as it is now."""
    from app import app
    from infra.openapi.document import build, render

    return render(build(app.routes))
