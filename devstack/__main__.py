"""``python -m devstack COMMAND``: the embedded stack and its one-off commands.

=====================================  =======================================================
``run``                                start everything; Ctrl-C stops it and saves the data
``reset``                              forget all local data (the next ``run`` seeds afresh)
``dlq list``                           records the stream poller parked after failing
``dlq replay ID [ID …]`` / ``--all``   deliver parked records again (needs a running stack)
``schedule list``                      the app's schedules and their next run (UTC)
``schedule run NAME``                  run one schedule now against the running stack
``funnel rebuild``                     the dealer funnel's counters rebuilt from the units
``reports rebuild``                    the warranty reports' counters rebuilt from the units and
                                       the service requests
=====================================  =======================================================

Ports and the data folder come from ``GARANTI_EMULATOR_PORT`` (4566), ``GARANTI_API_PORT``
(8000), ``GARANTI_WEB_PORT`` (8080), ``GARANTI_CONSOLE_PORT`` (8081, the staff console),
``GARANTI_PROVIDERS_PORT`` (8002, the fake Zalo and eSMS)
and ``GARANTI_DEVSTACK_DIR`` (``<repo>/.devstack``).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import signal
import sys
from collections.abc import Mapping, Sequence
from types import FrameType

from chalice.app import Chalice

from devstack.config import (
    StackConfig,
    StackError,
    apply_environment,
    load_chalice_config,
    stack_environment,
)
from devstack.deadletters import DeadLetterStore, replay
from devstack.demo_users import DEMO_OUTSIDE_USERS, DEMO_USERS
from devstack.logs import configure_logging
from devstack.runtime import load_app, read_runtime, require_running_stack
from devstack.schedules import describe_schedules, run_schedule
from devstack.server import chalice_config
from devstack.stack import Stack, StartupReport, function_limits

logger = logging.getLogger("devstack.cli")

KNOWN_DATA_ENTRIES = {
    ".garanti-devstack",
    "tables",
    "buckets",
    "secrets.json",
    "providers.json",
    "dead-letters.jsonl",
    "dead-letters.jsonl.lock",
    "dead-letters.jsonl.tmp",
    "runtime.json",
    "emulator.log",
}


class _StopRequested(BaseException):
    """Raised from a signal handler to abandon a start half-way."""


def _print(text: str = "") -> None:
    print(text, flush=True)


def _banner(config: StackConfig, report: StartupReport) -> None:
    width = max(len(user.username) for user in [*DEMO_USERS, *DEMO_OUTSIDE_USERS])
    pw_width = max(len(user.password) for user in [*DEMO_USERS, *DEMO_OUTSIDE_USERS])
    lines = [
        "",
        "Garanti local stack (stage local)",
        f"  API        {config.api_url}",
        f"  Portal     {config.web_url}/   (the customer portal, web/portal)",
        f"  Console    {config.console_url}/   (the staff console: sign in with a user below)"
        + ("" if (config.console_dir / "index.html").is_file() else "  NOT BUILT: make console"),
        f"  Emulator   {config.emulator_url}   (AWS_ENDPOINT_URL for boto3 / aws --endpoint-url)",
        f"  Providers  {config.providers_url}   (fake Zalo ZNS + eSMS; what they got: /_demo/sent)",
        "             ZNS night window (22:00-06:00 ICT) "
        + ("on" if config.night_window else "off (GARANTI_NIGHT_WINDOW=on to hold messages)"),
        f"  Data       {config.data_dir}",
        "",
        f"Staff sign-in (Cognito pool {report.user_pool_id}, demo passwords, local only):",
        *(
            f"  {u.username:<{width}}  {u.password:<{pw_width}}  {u.description}"
            for u in [*DEMO_USERS, *DEMO_OUTSIDE_USERS]
        ),
        "",
    ]
    if report.demo is not None:
        demo = report.demo
        lines += [
            f"Demo data: brand {demo.brand}, models {', '.join(demo.models)}, {demo.units} units"
            f" ({demo.activations} activated over the last 30 days: the console's dashboard),"
            " installer partners (approved, pending, suspended) with a reward rule per model,"
            " dealers HN-01 and HCM-01 supplied by the distributor NPP-MB"
            + (f" ({demo.shipments} shipments to them)." if demo.shipments else "."),
            "  Scan a unit: its QR sticker's link opens the portal (try a phone-sized window):",
            *(f"    {config.web_url}/q/{token}" for token in demo.sample_tokens),
            "  The same unit through the public API:",
            f"    {config.api_url}/public/units/{demo.sample_tokens[0]}",
        ]
        if demo.past_unit:
            lines.append(
                f"  Out of warranty (bought in January 2025): {demo.past_unit}, owner's phone"
                ' 0909000099 ("My products" or the console\'s unit page).'
            )
    else:
        lines.append(f"Data restored: {sum(report.restored.values())} items")
    lines += [
        f"Stream handlers: {', '.join(report.handlers) or 'none'}",
        f"Schedules: {', '.join(report.schedules) or 'none'}",
        "",
        "Text the short code (a signed MO to the API's /hooks/esms/mo; prints the reply):",
        f"  curl -XPOST {config.providers_url}/_demo/mo "
        + """-d '{"phone":"0912345678","text":"BH <serial>"}'""",
        "",
        "QR label sheets of a demo batch (a PDF to print; GARANTI_USER=admin asks the password):",
        "  bin/garanti labels sheet --batch DEMO-202607 --template 1x2cm-a4",
        "",
        "Commands (another terminal):",
        '  make dlq                          parked stream records; make dlq ARGS="replay --all"',
        '  make schedule                     schedules; make schedule ARGS="run NAME" runs one now',
        "  make reset                        (stack stopped) forget all local data",
        "Ctrl-C stops the stack and saves the data.",
        "",
        "Garanti is ready",
    ]
    _print("\n".join(lines))


def command_run(config: StackConfig) -> int:
    stack = Stack(config)
    signals_seen = 0
    starting = True

    def on_signal(signum: int, frame: FrameType | None) -> None:
        nonlocal signals_seen
        signals_seen += 1
        if signals_seen > 1:
            # The emulator child notices within a second that we are gone and exits too.
            logger.warning("second signal: exiting without saving")
            os._exit(1)
        stack.request_stop()
        if starting:
            raise _StopRequested()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        report = stack.start()
    except _StopRequested:
        starting = False
        logger.info("interrupted while starting")
        stack.stop()
        return 0
    except StackError:
        starting = False
        stack.stop()
        raise
    except Exception:
        starting = False
        logger.exception("the stack could not start")
        stack.stop()
        return 1
    starting = False
    _banner(config, report)
    code = stack.wait()
    logger.info("stopping")
    saved = stack.stop()
    if saved:
        logger.info("data saved", extra={"tables": len(saved), "items": sum(saved.values())})
    return code


def command_reset(config: StackConfig) -> int:
    running = read_runtime(config.runtime_path)
    if running is not None:
        raise StackError(f"the stack is running (pid {running.pid}): stop it first (Ctrl-C)")
    data_dir = config.data_dir
    if not data_dir.exists():
        _print(f"Nothing to reset: {data_dir} does not exist.")
        return 0
    entries = {entry.name for entry in data_dir.iterdir()}
    if not config.marker_path.exists() and not entries <= KNOWN_DATA_ENTRIES:
        raise StackError(
            f"{data_dir} does not look like a devstack data folder (no .garanti-devstack "
            "marker): not deleting it"
        )
    shutil.rmtree(data_dir)
    _print(f"Deleted {data_dir}: the next `make run` starts clean, with fresh demo data.")
    return 0


def _app_for(config: StackConfig, environment: Mapping[str, str]) -> Chalice:
    apply_environment(environment)
    return load_app(config.repo_root)


def command_dlq(config: StackConfig, args: argparse.Namespace) -> int:
    store = DeadLetterStore(config.dead_letters_path)
    if args.dlq_command == "list":
        letters = store.list()
        if not letters:
            _print("No dead letters.")
            return 0
        for letter in letters:
            _print(
                f"{letter.id}  {letter.parked_at}  {letter.handler}  {letter.table}  "
                f"{letter.event_name} seq={letter.sequence_number}  attempts={letter.attempts}\n"
                f"    {letter.error}"
            )
        _print(
            f'{len(letters)} dead letter(s). Replay: make dlq ARGS="replay ID" or "replay --all"'
        )
        return 0
    if not args.all and not args.ids:
        raise StackError("say which dead letters to replay: IDs, or --all")
    running = require_running_stack(config)
    app = _app_for(config, running.environment)
    local_config = chalice_config(
        app, load_chalice_config(config.chalice_config_path), config.repo_root
    )
    results = replay(
        store,
        app,
        None if args.all else list(args.ids),
        region=running.environment.get("AWS_REGION", "ap-southeast-1"),
        limits=lambda handler: function_limits(local_config, handler),  # as the poller's
    )
    for result in results:
        status = "ok, removed" if result.succeeded else f"failed again: {result.error}"
        _print(f"{result.letter_id}  {result.handler or '-'}  {status}")
    if not results:
        _print("No dead letters.")
    return 0 if all(result.succeeded for result in results) else 1


def command_schedule(config: StackConfig, args: argparse.Namespace) -> int:
    if args.schedule_command == "list":
        running = read_runtime(config.runtime_path)
        environment = (
            running.environment
            if running is not None
            else stack_environment(config, load_chalice_config(config.chalice_config_path))
        )
        app = _app_for(config, environment)
        rows = describe_schedules(app)
        if not rows:
            _print("The app has no schedules.")
        for row in rows:
            _print(
                f"{row['name']}  {row['expression']}  next: {row['next_run']}  {row['description']}"
            )
        return 0
    running = require_running_stack(config)
    app = _app_for(config, running.environment)
    try:
        result = run_schedule(
            app, args.name, region=running.environment.get("AWS_REGION", "ap-southeast-1")
        )
    except KeyError as exc:
        raise StackError(str(exc.args[0])) from None
    _print(f"{args.name}: done" + (f" → {json.dumps(result, default=str)}" if result else ""))
    return 0


def command_rollups(config: StackConfig) -> int:
    running = require_running_stack(config)
    _app_for(config, running.environment)
    from devstack.rollups import rebuild_rollups  # the app's modules: env must be set

    days = rebuild_rollups()
    activations = sum(counters.get("activations", 0) for counters in days.values())
    _print(f"Roll-ups rebuilt: {len(days)} day(s), {activations} activation(s) counted.")
    return 0


def command_funnel(config: StackConfig) -> int:
    running = require_running_stack(config)
    _app_for(config, running.environment)
    from devstack.funnel import rebuild_funnel  # the app's modules: env must be set

    items = rebuild_funnel()
    shipped = sum(
        n
        for item, counters in items.items()
        if item.startswith("day#")
        for name, n in counters.items()
        if name.startswith("shipped#")
    )
    _print(f"Funnel rebuilt: {len(items)} item(s), {shipped} shipped unit(s) counted.")
    return 0


def command_reports(config: StackConfig) -> int:
    running = require_running_stack(config)
    _app_for(config, running.environment)
    from devstack.reports import rebuild_reports  # the app's modules: env must be set

    items = rebuild_reports()

    def measured(measure: str) -> int:
        return sum(
            n
            for item, counters in items.items()
            if item != "totals"
            for name, n in counters.items()
            if name.split("|")[0] == measure
        )

    _print(
        f"Report counters rebuilt: {len(items)} item(s), {measured('act')} activation(s), "
        f"{measured('opened')} service request(s) counted."
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m devstack", description="Garanti's embedded local stack."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="start the stack (Ctrl-C stops it and saves the data)")
    commands.add_parser("reset", help="delete the data folder: the next run starts clean")
    dlq = commands.add_parser("dlq", help="stream records parked after failing")
    dlq_commands = dlq.add_subparsers(dest="dlq_command", required=True)
    dlq_commands.add_parser("list", help="list parked records")
    replay = dlq_commands.add_parser("replay", help="deliver parked records again")
    replay.add_argument("ids", nargs="*", metavar="ID")
    replay.add_argument("--all", action="store_true", help="every parked record")
    schedule = commands.add_parser("schedule", help="the app's schedules")
    schedule_commands = schedule.add_subparsers(dest="schedule_command", required=True)
    schedule_commands.add_parser("list", help="list schedules and their next run")
    run_one = schedule_commands.add_parser("run", help="run one schedule now")
    run_one.add_argument("name")
    rollups = commands.add_parser("rollups", help="the dashboard's daily counters")
    rollups_commands = rollups.add_subparsers(dest="rollups_command", required=True)
    rollups_commands.add_parser("rebuild", help="rebuild them from the units and the outbox")
    funnel = commands.add_parser("funnel", help="the dealer funnel's counters")
    funnel_commands = funnel.add_subparsers(dest="funnel_command", required=True)
    funnel_commands.add_parser("rebuild", help="rebuild them from the units")
    reports = commands.add_parser("reports", help="the warranty reports' counters")
    reports_commands = reports.add_subparsers(dest="reports_command", required=True)
    reports_commands.add_parser("rebuild", help="rebuild them from the units and the requests")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    configure_logging()
    try:
        config = StackConfig.from_environ()
        if args.command == "run":
            return command_run(config)
        if args.command == "reset":
            return command_reset(config)
        if args.command == "dlq":
            return command_dlq(config, args)
        if args.command == "rollups":
            return command_rollups(config)
        if args.command == "funnel":
            return command_funnel(config)
        if args.command == "reports":
            return command_reports(config)
        return command_schedule(config, args)
    except StackError as exc:
        print(f"error: {exc}", file=sys.stderr, flush=True)
        return 1


if __name__ == "__main__":
    sys.exit(main())
