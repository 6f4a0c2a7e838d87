"""``make package``: the deployable template of one stage, built and checked in one command.

    python -m infra.package --stage dev           # build/infra.json, build/package/sam.json + zip

1. The merge template (:mod:`infra.build_template`) → ``build/infra.json``.
2. ``chalice package --stage <stage> --merge-template build/infra.json build/package``, run
   through Chalice's own packager on a copy of the app under ``build/chalice-project`` (so the
   placeholder policy file Chalice insists on, and its cache of built zips, stay out of the
   repository). ``--no-deps`` zips the app alone, without ``pip download``: the same template,
   offline, in about a second (tests use it); never deploy that zip.
3. Checks that every override hit something Chalice generated, that every function Chalice
   generated has declared permissions (:mod:`infra.functions`), and that the zip holds every
   requirement and its dependencies (Chalice only warns when it cannot get a Lambda wheel).
4. ``cfn-lint`` with ``infra/.cfnlintrc``: errors and warnings fail the build.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from infra.build_template import (
    PROJECT_DIR,
    Json,
    StageModels,
    TemplateError,
    build_template,
    load_stage_models,
    write_template,
)
from infra.functions import FUNCTIONS

INFRA_DIR = Path(__file__).resolve().parent
CFNLINT_CONFIG = INFRA_DIR / ".cfnlintrc"
# Chalice reads .chalice/policy-<stage>.json when autogen_policy is false. Its content never
# reaches AWS: the merge template replaces each role's Policies. Empty, so a role whose policy
# was not replaced fails to deploy instead of running with a policy nobody wrote.
PLACEHOLDER_POLICY = {"Version": "2012-10-17", "Statement": []}
APP_FILES = ("app.py", "requirements.txt")
APP_DIRS = ("chalicelib", "vendor")


class PackageError(RuntimeError):
    """The app, the declarations in ``infra/`` and Chalice's output disagree."""


@contextlib.contextmanager
def _step(name: str) -> Iterator[None]:
    started = time.perf_counter()
    yield
    print(f"infra: {name} in {time.perf_counter() - started:.1f} s", file=sys.stderr)


def stage_project(project_dir: Path, staging_dir: Path, stage: str) -> Path:
    """A copy of what Chalice packages (app, chalicelib, requirements, config) in
    ``staging_dir``; Chalice's zip cache in its ``.chalice/deployments`` is kept."""
    chalice_dir = staging_dir / ".chalice"
    chalice_dir.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in APP_DIRS:
        target = staging_dir / name
        if target.exists():
            shutil.rmtree(target)
        if (project_dir / name).is_dir():
            shutil.copytree(project_dir / name, target, ignore=ignore)
    for name in APP_FILES:
        shutil.copy2(project_dir / name, staging_dir / name)
    shutil.copy2(project_dir / ".chalice" / "config.json", chalice_dir / "config.json")
    policy = chalice_dir / f"policy-{stage}.json"
    policy.write_text(json.dumps(PLACEHOLDER_POLICY) + "\n", encoding="utf-8")
    return staging_dir


def prune_zip_cache(staging_dir: Path) -> None:
    """Keep the newest zip of each kind: Chalice writes a new one per change of the sources."""
    deployments = staging_dir / ".chalice" / "deployments"
    zips = sorted(deployments.glob("*.zip"), key=lambda p: p.stat().st_mtime, reverse=True)
    kept: set[bool] = set()
    for path in zips:
        kind = path.name.startswith("appcode-")
        if kind in kept:
            path.unlink()
        kept.add(kind)


def check_app(app: Any, models: StageModels) -> None:
    """Each stream handler of the app is declared, on the table whose stream it names."""
    from chalice.app import DynamoDBEventConfig

    declared = {s.handler: s for s in FUNCTIONS if s.stream_table is not None}
    found: dict[str, str] = {}
    for source in app.event_sources:
        if isinstance(source, DynamoDBEventConfig):
            # arn:aws:dynamodb:<region>:<account>:table/<name>/stream/<label>
            found[source.name] = source.stream_arn.split(":", 5)[-1].split("/")[1]
    problems = [
        f"stream handler {name} is not declared in infra/functions.py"
        for name in sorted(found.keys() - declared.keys())
    ]
    problems += [
        f"infra/functions.py declares stream handler {name}, which app.py does not have"
        for name in sorted(declared.keys() - found.keys())
    ]
    for name in sorted(found.keys() & declared.keys()):
        table = declared[name].stream_table
        assert table is not None
        expected = models.settings.table_name(table)
        if found[name] != expected:
            problems.append(f"{name} reads the stream of {found[name]}, declared {expected}")
    if problems:
        raise PackageError("; ".join(problems))


def package_app(
    staging_dir: Path,
    stage: str,
    out_dir: Path,
    merge_template: Path,
    models: StageModels,
    *,
    with_dependencies: bool = True,
) -> Path:
    """What ``chalice package --stage <stage> --merge-template <t> <out>`` does; returns the
    packaged template's path."""
    import botocore.session
    from chalice.awsclient import TypedAWSClient
    from chalice.cli.factory import CLIFactory
    from chalice.deploy import deployer
    from chalice.deploy.packager import AppOnlyDeploymentPackager
    from chalice.package import PackageOptions, create_app_packager

    factory = CLIFactory(project_dir=str(staging_dir))
    config = factory.create_config_obj(chalice_stage_name=stage)
    check_app(config.chalice_app, models)
    session = botocore.session.get_session()
    if not session.get_config_variable("region"):
        session.set_config_variable("region", models.settings.region)
    options = PackageOptions(TypedAWSClient(session))
    for stale in ("sam.json", "deployment.zip"):
        (out_dir / stale).unlink(missing_ok=True)
    with contextlib.ExitStack() as stack:
        if not with_dependencies:
            # Chalice's build stage names its packager class directly; the app-only packager
            # is Chalice's own (used for layers): same zip layout, no pip.
            stack.enter_context(
                _replaced(deployer, "LambdaDeploymentPackager", AppOnlyDeploymentPackager)
            )
        packager = create_app_packager(config, options, merge_template=str(merge_template))
    packager.package_app(config, str(out_dir), stage)
    prune_zip_cache(staging_dir)
    return _compacted(out_dir / "sam.json")


def _compacted(template: Path) -> Path:
    """The template rewritten without Chalice's indentation: CloudFormation counts a template's
    bytes against its 1 MB limit, and the indentation was half of them (the REST API's
    definition of every route)."""
    data = json.loads(template.read_text(encoding="utf-8"))
    compact = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    template.write_text(compact + "\n", encoding="utf-8")
    return template


@contextlib.contextmanager
def _replaced(module: Any, name: str, value: Any) -> Iterator[None]:
    original = getattr(module, name)
    setattr(module, name, value)
    try:
        yield
    finally:
        setattr(module, name, original)


def check_packaged(template: Json) -> list[str]:
    """Problems a merge can hide: an override of a resource Chalice did not generate (it would
    create a half resource), or a function Chalice generated that has no declared permissions."""
    resources: Json = template.get("Resources", {})
    problems: list[str] = []
    for spec in FUNCTIONS:
        function = resources.get(spec.function_id, {})
        if function.get("Type") != "AWS::Serverless::Function":
            problems.append(f"Chalice generated no function {spec.function_id} ({spec.handler})")
        if resources.get(spec.role_id, {}).get("Type") != "AWS::IAM::Role":
            problems.append(f"Chalice generated no role {spec.role_id} (autogen_policy is off?)")
        if spec.stream_table is not None:
            event = function.get("Properties", {}).get("Events", {}).get(spec.event_id, {})
            if event.get("Type") != "DynamoDB":
                problems.append(f"Chalice generated no event {spec.event_id} on {spec.handler}")
    declared = {spec.function_id for spec in FUNCTIONS}
    for name, resource in resources.items():
        if resource.get("Type") == "AWS::Serverless::Function" and name not in declared:
            problems.append(f"function {name} has no declared permissions in infra/functions.py")
    return problems


def required_distributions(requirements: Path) -> set[str]:
    """The requirements and everything they need (extras and markers evaluated for this
    interpreter, the runtime's Python), as canonical names, from the installed metadata."""
    from importlib import metadata

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    lines = requirements.read_text(encoding="utf-8").splitlines()
    pending = [Requirement(ln) for ln in map(str.strip, lines) if ln and ln[0] not in "#-"]
    seen: set[tuple[str, frozenset[str]]] = set()
    while pending:
        requirement = pending.pop()
        key = (canonicalize_name(requirement.name), frozenset(requirement.extras))
        if key in seen:
            continue
        seen.add(key)
        try:
            needs = metadata.requires(requirement.name) or []
        except metadata.PackageNotFoundError as exc:
            raise PackageError(f"{requirement.name} is not installed: make venv") from exc
        for need in map(Requirement, needs):
            extras = requirement.extras or {""}
            if need.marker is None or any(need.marker.evaluate({"extra": e}) for e in extras):
                pending.append(need)
    return {name for name, _ in seen}


def missing_distributions(zip_path: Path, requirements: Path) -> list[str]:
    """What the deployment zip lacks: Chalice only warns when it finds no Lambda-compatible
    wheel (it once left out ``cryptography``) and the function would fail at import."""
    from packaging.utils import canonicalize_name

    with zipfile.ZipFile(zip_path) as archive:
        tops = {name.split("/", 1)[0] for name in archive.namelist()}
    present = {
        canonicalize_name(top.split("-", 1)[0]) for top in tops if top.endswith(".dist-info")
    }
    return sorted(required_distributions(requirements) - present)


def cfn_lint(template: Path) -> int:
    """cfn-lint's exit code (0: nothing left after the ignores in ``infra/.cfnlintrc``)."""
    executable = Path(sys.executable).parent / "cfn-lint"
    command = [str(executable), "--config-file", str(CFNLINT_CONFIG), "--", str(template)]
    return subprocess.run(command, check=False).returncode  # noqa: S603 - our own arguments


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build, merge and lint the stage's template.")
    parser.add_argument("--stage", default="dev", help="a stage of .chalice/config.json")
    parser.add_argument("--out", type=Path, default=Path("build/package"))
    parser.add_argument("--merge-template", type=Path, default=Path("build/infra.json"))
    parser.add_argument("--staging-dir", type=Path, default=Path("build/chalice-project"))
    parser.add_argument("--project-dir", type=Path, default=PROJECT_DIR)
    parser.add_argument("--no-deps", action="store_true", help="zip the app without pip")
    parser.add_argument("--skip-lint", action="store_true")
    args = parser.parse_args(argv)
    project_dir = args.project_dir.resolve()
    started = time.perf_counter()
    try:
        with _step("merge template"):
            models = load_stage_models(project_dir, args.stage)
            write_template(build_template(models), args.merge_template)
        with _step("chalice package" + (" (no dependencies)" if args.no_deps else "")):
            staging = stage_project(project_dir, args.staging_dir.resolve(), args.stage)
            packaged = package_app(
                staging,
                args.stage,
                args.out.resolve(),
                args.merge_template.resolve(),
                models,
                with_dependencies=not args.no_deps,
            )
        problems = check_packaged(json.loads(packaged.read_text(encoding="utf-8")))
        if not args.no_deps:
            missing = missing_distributions(
                packaged.parent / "deployment.zip", project_dir / "requirements.txt"
            )
            problems += [f"deployment.zip lacks {name}" for name in missing]
        if problems:
            raise PackageError("; ".join(problems))
    except (TemplateError, PackageError) as exc:
        print(f"infra: {exc}", file=sys.stderr)
        return 1
    if not args.skip_lint:
        with _step("cfn-lint"):
            status = cfn_lint(packaged)
        if status != 0:
            print(f"infra: cfn-lint failed ({status}) on {packaged}", file=sys.stderr)
            return 1
    print(f"infra: {packaged} ready in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
