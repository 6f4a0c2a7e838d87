"""An import-linter contract for the capability folders (``[tool.importlinter]`` in pyproject).

A capability (``chalicelib/<name>/``) keeps its storage, its HTTP surface and its adapters to
itself. Another capability may import its model and service modules (the public ones) but never:

- its ``tables``, ``repository`` or ``*_repository`` modules (the data is the owner's);
- its ``routes``, ``*_routes`` or ``events`` modules (the handlers are the owner's);
- its ``wiring`` module, except from a handler or from another wiring module (composition roots
  compose: activation's wiring takes the catalog's unit repository from the catalog's wiring).

Only handlers (routes, events) and wiring modules import any ``wiring`` at all: services take
their ports as parameters and never build an adapter.
"""

from __future__ import annotations

from typing import Any

from importlinter import Contract, ContractCheck, fields, output

STORAGE = ("tables", "repository")
HANDLERS = ("routes", "events")


def _leaf(module: str) -> str:
    return module.rsplit(".", 1)[-1]


def _is(module: str, kinds: tuple[str, ...]) -> bool:
    leaf = _leaf(module)
    return any(leaf == kind or leaf.endswith(f"_{kind}") for kind in kinds)


class CapabilityContract(Contract):
    """Each listed package is a capability whose storage, handlers and wiring are its own."""

    capabilities = fields.ListField(subfield=fields.ModuleField())
    shared = fields.ListField(subfield=fields.ModuleField())

    def _owner(self, module: str) -> str | None:
        for package in [*self.capabilities, *self.shared]:
            if module == package.name or module.startswith(package.name + "."):
                return package.name
        return None

    def _why(self, importer: str, imported: str) -> str | None:
        importer_owner, imported_owner = self._owner(importer), self._owner(imported)
        wiring = _leaf(imported) == "wiring"
        if wiring and not (_is(importer, HANDLERS) or _leaf(importer) == "wiring"):
            return "only handlers (routes, events) and wiring modules import a wiring module"
        if importer_owner is None or imported_owner is None or importer_owner == imported_owner:
            return None
        if imported_owner in {package.name for package in self.shared}:
            return None
        if _is(imported, STORAGE):
            return f"{imported_owner}'s tables and repositories are its own"
        if _is(imported, HANDLERS):
            return f"{imported_owner}'s routes and stream handlers are its own"
        return None

    def check(self, graph: Any, verbose: bool) -> ContractCheck:
        broken: list[dict[str, Any]] = []
        for importer in sorted(graph.modules):
            if self._owner(importer) is None:
                continue
            for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                why = self._why(importer, imported)
                if why is None:
                    continue
                lines = graph.get_import_details(importer=importer, imported=imported)
                broken.append(
                    {
                        "importer": importer,
                        "imported": imported,
                        "why": why,
                        "lines": [detail["line_number"] for detail in lines],
                    }
                )
        return ContractCheck(kept=not broken, metadata={"broken": broken})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for item in check.metadata["broken"]:
            lines = ", ".join(f"l.{n}" for n in item["lines"])
            output.print_error(f"{item['importer']} -> {item['imported']} ({lines}): {item['why']}")
            output.new_line()
