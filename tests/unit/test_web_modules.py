"""The web apps' ES modules, read as the browser reads them (no bundler checks them for us):
every import names a file that exists and a name that file exports; ``web/shared`` imports
only ``web/shared``; no module imports, even through others, one that imports it (the router
loads the pages, the pages never load the router); and the portal's entry names every module
it needs itself, so the browser asks for them all in one round trip after it (a chain of
imports costs a round trip per link on a slow network; ``modulepreload`` hints would compete
with the stylesheets and delay the first paint).

A module's ``/x`` means its app's folder (``web/portal/x``), except ``/shared/x``, which is
``web/shared/x``, as the devstack and the portal's bucket serve them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

WEB = Path(__file__).resolve().parents[2] / "web"
STATIC_APPS = ("portal",)  # served as they are; the console's own files are Vite's to check
SHARED = "shared"

_COMMENT = re.compile(r"/\*.*?\*/|^\s*//[^\n]*", re.DOTALL | re.MULTILINE)
_FROM = re.compile(r"\b(import|export)\s*([\w*\s{},$]*?)\s*from\s*['\"]([^'\"]+)['\"]")
_BARE_IMPORT = re.compile(r"\bimport\s*['\"]([^'\"]+)['\"]")
_DYNAMIC = re.compile(r"\bimport\(\s*['\"]([^'\"]+)['\"]\s*\)")
_EXPORTED = re.compile(r"\bexport\s+(?:async\s+)?(?:function\*?|const|let|var|class)\s+([\w$]+)")
_EXPORT_LIST = re.compile(r"\bexport\s*\{([^}]*)\}")
_SCRIPT = re.compile(r"<script\b[^>]*\btype=\"module\"[^>]*\bsrc=\"([^\"]+)\"")


@dataclass
class Module:
    path: Path
    static: dict[Path, set[str]] = field(default_factory=dict)  # target → names imported
    dynamic: set[Path] = field(default_factory=set)
    exports: set[str] = field(default_factory=set)


def app_of(path: Path, web: Path) -> str:
    return path.relative_to(web).parts[0]


def resolve(specifier: str, importer: Path, web: Path) -> Path:
    """The file a specifier names, as the browser resolves it on the served site."""
    if specifier.startswith(("./", "../")):
        return (importer.parent / specifier).resolve()
    if specifier.startswith("/") and not specifier.startswith("//"):
        if app_of(importer, web) == SHARED:
            # shared modules are served at different places by different apps: relative only
            raise ValueError(
                f"{importer.name}: a shared module imports relatively, not {specifier}"
            )
        if specifier.startswith(f"/{SHARED}/"):
            return (web / specifier.lstrip("/")).resolve()
        return (web / app_of(importer, web) / specifier.lstrip("/")).resolve()
    raise ValueError(f"{importer.name}: {specifier!r} is not a file of ours (no bundler, no CDN)")


def imported_names(clause: str) -> set[str]:
    clause = clause.strip()
    names: set[str] = set()
    braces = re.search(r"\{([^}]*)\}", clause)
    if braces:
        names |= {part.split(" as ")[0].strip() for part in braces.group(1).split(",")}
        clause = clause.replace(braces.group(0), "")
    default = clause.strip(" ,")
    if default and not default.startswith("*"):
        names.add("default")
    return {name for name in names if name}


def read_module(path: Path, web: Path) -> Module:
    source = _COMMENT.sub("", path.read_text(encoding="utf-8"))
    module = Module(path.resolve())
    for _keyword, clause, specifier in _FROM.findall(source):
        module.static.setdefault(resolve(specifier, path, web), set()).update(
            imported_names(clause)
        )
    for specifier in _BARE_IMPORT.findall(source):
        module.static.setdefault(resolve(specifier, path, web), set())
    module.dynamic = {resolve(specifier, path, web) for specifier in _DYNAMIC.findall(source)}
    module.exports = set(_EXPORTED.findall(source))
    for listed in _EXPORT_LIST.findall(source):
        module.exports |= {part.split(" as ")[-1].strip() for part in listed.split(",")}
    return module


def read_modules(web: Path, apps: tuple[str, ...] = (SHARED, *STATIC_APPS)) -> dict[Path, Module]:
    files = [p for app in apps if (web / app).is_dir() for p in sorted((web / app).rglob("*.js"))]
    return {p.resolve(): read_module(p, web) for p in files}


def problems_with_imports(modules: dict[Path, Module], web: Path) -> list[str]:
    """Imports of missing files or names, and shared modules that import an app's."""
    problems = []
    for module in modules.values():
        name = module.path.relative_to(web.resolve())
        for target in [*module.static, *module.dynamic]:
            if target not in modules:
                problems.append(f"{name} imports {target}, which is not a module here")
            elif app_of(module.path, web.resolve()) == SHARED != app_of(target, web.resolve()):
                problems.append(f"{name} (shared) imports {target.relative_to(web.resolve())}")
        for target, names in module.static.items():
            missing = names - modules[target].exports if target in modules else set()
            if missing:
                problems.append(f"{name} imports {sorted(missing)}, not exported by {target.name}")
    return problems


def find_cycle(modules: dict[Path, Module]) -> list[Path] | None:
    """One chain of imports (static or dynamic) that comes back to where it started."""
    state: dict[Path, str] = {}
    chain: list[Path] = []

    def visit(path: Path) -> list[Path] | None:
        state[path] = "open"
        chain.append(path)
        module = modules.get(path)
        for target in [*module.static, *module.dynamic] if module else []:
            if state.get(target) == "open":
                return [*chain[chain.index(target) :], target]
            if target not in state and (found := visit(target)):
                return found
        chain.pop()
        state[path] = "done"
        return None

    for path in modules:
        if path not in state and (found := visit(path)):
            return found
    return None


def static_graph(entry: Path, modules: dict[Path, Module]) -> set[Path]:
    """The modules the browser must load before ``entry`` runs (dynamic imports excluded)."""
    seen: set[Path] = set()
    todo = [entry]
    while todo:
        path = todo.pop()
        for target in modules[path].static:
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


# ---------------------------------------------------------------- the checks on a made-up tree


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def test_a_page_that_imports_the_router_back_is_a_cycle(tmp_path: Path) -> None:
    web = write(
        tmp_path,
        {
            "portal/js/app.js": "import { h } from '/shared/js/dom.js';\n"
            "const page = () => import('./page.js');\nexport const go = 1;",
            "portal/js/page.js": "import {\n  go,\n} from './app.js';",
            "shared/js/dom.js": "export function h() {}",
        },
    )

    cycle = find_cycle(read_modules(web))

    assert cycle is not None
    assert [p.name for p in cycle] in (
        ["app.js", "page.js", "app.js"],
        ["page.js", "app.js", "page.js"],
    )


def test_shared_modules_may_not_import_an_app_s_nor_a_missing_name(tmp_path: Path) -> None:
    web = write(
        tmp_path,
        {
            "portal/js/shell.js": "export let settings = {};",
            "portal/js/page.js": "import { h, nope } from '../../shared/js/dom.js';",
            "shared/js/dom.js": "import { settings } from '../../portal/js/shell.js';\n"
            "// import { x } from './commented-out.js';\nexport function h() {}",
        },
    )

    problems = problems_with_imports(read_modules(web), web)

    assert sorted(problems) == [
        "portal/js/page.js imports ['nope'], not exported by dom.js",
        "shared/js/dom.js (shared) imports portal/js/shell.js",
    ]


@pytest.mark.parametrize(
    ("specifier", "importer"),
    [
        ("lit", "portal/js/page.js"),
        ("https://cdn.example.com/x.js", "portal/js/page.js"),
        ("/shared/js/i18n.js", "shared/js/dom.js"),
    ],
)
def test_bare_cdn_and_absolute_shared_imports_are_refused(
    tmp_path: Path, specifier: str, importer: str
) -> None:
    with pytest.raises(ValueError):
        resolve(specifier, tmp_path / importer, tmp_path)


# ---------------------------------------------------------------- the checks on web/


def test_every_web_import_names_an_exported_name_of_an_existing_module() -> None:
    modules = read_modules(WEB)

    assert len(modules) >= 5
    assert problems_with_imports(modules, WEB) == []


def test_no_web_module_imports_itself_through_others() -> None:
    cycle = find_cycle(read_modules(WEB))

    assert cycle is None, " → ".join(str(p.relative_to(WEB)) for p in cycle or [])


@pytest.mark.parametrize("app", STATIC_APPS)
def test_the_entry_imports_all_it_needs_itself_and_nothing_imports_it(app: str) -> None:
    modules = read_modules(WEB)
    (entry_src,) = _SCRIPT.findall((WEB / app / "index.html").read_text(encoding="utf-8"))
    entry = (WEB / app / entry_src.lstrip("/")).resolve()

    assert static_graph(entry, modules) == set(modules[entry].static)
    assert not any(entry in m.static or entry in m.dynamic for m in modules.values())
