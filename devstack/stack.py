"""The whole stack, started in order and stopped in reverse.

Start (:meth:`Stack.start`, returns when everything is up):

1. check the ports are free and no stack runs on the same data folder;
2. set the app's environment (stage ``local`` of ``.chalice/config.json``, pointed at this
   stack) in ``os.environ``, before anything imports ``app`` or ``chalicelib``;
3. start the emulator; create the Cognito pool, client, groups and demo users, and add their ids
   to the environment; put the secrets and the messaging settings (the brand sends through the
   fake Zalo and eSMS of ``devstack.providers``) in SSM; create the tables (with TTL) and the
   uploads bucket;
4. restore the saved tables, replay the journal on top (``devstack.journal``) and the bucket's
   objects, if any, and migrate saved data an older model wrote (``devstack.migrations``); open
   the journal (every write from now on is journaled before it is answered); seed the Zalo
   token pair unless one is stored, and start the fake providers; import the app; let each
   stream poller take its shard iterators (``LATEST`` after a restore, so restored items do not
   replay through the handlers, after the journal's records its handler had not finished;
   ``TRIM_HORIZON`` on a fresh start, so the demo data's records are delivered like any other);
5. on a fresh start, seed the demo data (``devstack.demo.seed_demo``);
6. serve the API and ``web/``, tick the schedules, snapshot the tables and the bucket every
   minute (rotating the journal first and compacting it after), write ``runtime.json``.

Stop (:meth:`Stack.stop`): pollers and ticker, a last snapshot, servers, fake providers, emulator,
``runtime.json``. A stack that did not finish starting saves nothing, so a failed restore can
never overwrite good saved data.

Only one stack per process: the app and its settings are module globals.
"""

from __future__ import annotations

import functools
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import boto3
from botocore.config import Config as BotocoreConfig
from botocore.exceptions import ClientError
from chalice.app import Chalice
from chalice.config import Config

from devstack.config import (
    StackConfig,
    StackError,
    apply_environment,
    load_chalice_config,
    stack_environment,
)
from devstack.deadletters import DeadLetterStore
from devstack.demo_users import DEMO_OUTSIDE_USERS, DEMO_USERS
from devstack.emulator import Emulator, require_free_ports
from devstack.journal import (
    Checkpoints,
    Compaction,
    JournalKeeper,
    backlog,
    journaled,
    next_sequence,
    replay,
)
from devstack.migrations import migrate_saved_data
from devstack.providers import Providers, load_or_create_credentials
from devstack.provision import (
    allow_browser_uploads,
    create_bucket,
    create_queue,
    create_tables,
    provision_cognito,
    put_messaging,
    put_secrets,
)
from devstack.runtime import (
    RuntimeInfo,
    load_app,
    read_runtime,
    remove_runtime,
    write_runtime,
)
from devstack.schedules import ScheduleTicker
from devstack.server import ApiServer, StaticServer, chalice_config
from devstack.state import (
    SavedBuckets,
    Snapshotter,
    has_saved_tables,
    list_table_names,
    restore_tables,
)
from devstack.streams import Nudge, StreamPoller, pollers_for

if TYPE_CHECKING:  # devstack.demo imports chalicelib, which reads the env set at start
    from devstack.demo import DemoSummary

logger = logging.getLogger(__name__)

# A stream poller looks again after this long without a nudge (a missed one costs that much).
IDLE_POLL_SECONDS = 2.0
# The long poll on the emulator's journal is answered after this long when nothing is written.
WATCH_SECONDS = 1.0
# After a nudge, the changes of the next moment are gathered into the next one.
WATCH_GATHER_SECONDS = 0.02
MARKER_TEXT = "Garanti devstack data. `python -m devstack reset` deletes this folder.\n"


@dataclass
class StartupReport:
    """What the banner prints."""

    fresh: bool
    user_pool_id: str
    restored: dict[str, int] = field(default_factory=dict)
    restored_objects: dict[str, int] = field(default_factory=dict)
    demo: DemoSummary | None = None
    handlers: list[str] = field(default_factory=list)
    schedules: list[str] = field(default_factory=list)


def function_limits(config: Config, name: str) -> tuple[int, int]:
    """Timeout (s) and memory (MB) that Lambda would give function ``name`` on stage local."""
    scoped = config.scope(config.chalice_stage, name)
    return int(scoped.lambda_timeout or 60), int(scoped.lambda_memory_size or 128)


class Stack:
    """The embedded stack for ``config`` (see the module doc for the order of things)."""

    def __init__(self, config: StackConfig) -> None:
        self.config = config
        self.environment: dict[str, str] = {}
        self.app: Chalice | None = None
        self.ready = False
        self._stop = threading.Event()
        self._nudge = Nudge()
        self._emulator = Emulator(
            config.emulator_port,
            config.emulator_log_path,
            journal_dir=config.journal_dir,
            journal_fsync=config.journal_fsync,
        )
        self._checkpoints = Checkpoints(config.checkpoints_path)
        self._threads: list[threading.Thread] = []
        self._pollers: list[StreamPoller] = []
        self._api: ApiServer | None = None
        self._web: StaticServer | None = None
        self._console: StaticServer | None = None
        self._snapshotter: Snapshotter | None = None
        self._providers: Providers | None = None
        self._dynamodb: Any = None
        self._next_seq = 1

    # -- start --------------------------------------------------------------------------------

    def _prepare_data_dir(self) -> None:
        data_dir = self.config.data_dir
        running = read_runtime(self.config.runtime_path)
        if running is not None:
            raise StackError(
                f"a stack is already running on {data_dir} (pid {running.pid}, API "
                f"{running.api_url}): stop it first, or set GARANTI_DEVSTACK_DIR to another folder"
            )
        data_dir.mkdir(parents=True, exist_ok=True)
        if not self.config.marker_path.exists():
            self.config.marker_path.write_text(MARKER_TEXT, encoding="utf-8")

    def _client(self, service: str) -> Any:
        return boto3.session.Session().client(
            service,
            endpoint_url=self.config.emulator_url,
            region_name=self.environment["AWS_REGION"],
            # The emulator's address is an IP: buckets by path, not as a host name.
            config=BotocoreConfig(s3={"addressing_style": "path"}),
        )

    def _media_reader(self, bucket: str) -> Callable[[str], tuple[str, bytes] | None]:
        """The portal's ``/media/…`` from the uploads bucket, as the portal's CloudFront
        distribution serves it in AWS."""
        s3 = self._client("s3")

        def read(key: str) -> tuple[str, bytes] | None:
            try:
                answer = s3.get_object(Bucket=bucket, Key=key)
            except ClientError:
                return None
            return str(answer.get("ContentType") or "application/octet-stream"), answer[
                "Body"
            ].read()

        return read

    def _start_thread(self, name: str, target: Callable[[threading.Event], None]) -> None:
        thread = threading.Thread(target=target, args=(self._stop,), name=name, daemon=True)
        thread.start()
        self._threads.append(thread)

    def start(self) -> StartupReport:
        """Start everything; raises :class:`StackError` (after cleaning up) when it cannot."""
        config = self.config
        self._prepare_data_dir()  # first: "already running" says more than "port in use"
        require_free_ports(
            {
                "GARANTI_EMULATOR_PORT": config.emulator_port,
                "GARANTI_API_PORT": config.api_port,
                "GARANTI_WEB_PORT": config.web_port,
                "GARANTI_CONSOLE_PORT": config.console_port,
                "GARANTI_PROVIDERS_PORT": config.providers_port,
            }
        )
        chalice_data = load_chalice_config(config.chalice_config_path)
        self.environment = stack_environment(config, chalice_data)
        apply_environment(self.environment)
        region = self.environment["AWS_REGION"]

        self._emulator.start()
        cognito = provision_cognito(
            self._client("cognito-idp"),
            region=region,
            emulator_url=config.emulator_url,
            users=[*DEMO_USERS, *DEMO_OUTSIDE_USERS],
        )
        self.environment.update(cognito.environment())
        apply_environment(self.environment)

        from chalicelib.core.settings import get_settings  # only now: settings read os.environ

        settings = get_settings()
        # Named in runtime.json too, so one-off commands use the same bucket.
        self.environment["GARANTI_UPLOADS_BUCKET"] = settings.uploads_bucket
        put_secrets(self._client("ssm"), settings.secrets_parameter, config.secrets_path)
        self._providers = providers = Providers(
            load_or_create_credentials(config.providers_path),
            port=config.providers_port,
            public_url=config.api_url,
            night_window=config.night_window,
        )
        put_messaging(
            self._client("ssm"),
            settings.messaging_parameter,
            providers.messaging_config(settings.brand_id),
        )
        create_queue(self._client("sqs"), settings.delivery_failures_queue)
        from chalicelib.tables import ALL_TABLES

        self._dynamodb = self._client("dynamodb")
        create_tables(ALL_TABLES, self._dynamodb)
        create_bucket(self._client("s3"), settings.uploads_bucket, region)
        allow_browser_uploads(
            self._client("s3"), settings.uploads_bucket, config.console_url, config.web_url
        )
        buckets = SavedBuckets(self._client("s3"), config.buckets_dir, [settings.uploads_bucket])
        # Fresh: nothing saved and nothing journaled (a start that failed may leave an empty
        # segment, and a crash in the first minute leaves only the journal).
        fresh = not has_saved_tables(config.tables_dir) and not journaled(config.journal_dir)
        report = StartupReport(fresh=fresh, user_pool_id=cognito.user_pool_id)
        if not fresh:
            report.restored = restore_tables(self._dynamodb, config.tables_dir)
            replayed = replay(
                self._dynamodb, config.journal_dir, set(list_table_names(self._dynamodb))
            )
            logger.info(
                "tables restored",
                extra={"items": sum(report.restored.values()), "journaled": replayed},
            )
            migrate_saved_data(self._dynamodb)  # before the pollers: its writes are not events
        # From now on every change is journaled before it is answered.
        self._next_seq = next_sequence(config.journal_dir)
        self._emulator.journal("open", next_seq=self._next_seq)
        report.restored_objects = buckets.restore()
        if any(report.restored_objects.values()):
            logger.info(
                "objects restored", extra={"objects": sum(report.restored_objects.values())}
            )
        if providers.install_zalo_tokens():
            logger.info("zalo token pair seeded", extra={"brand": settings.brand_id})
        providers.start()  # before the pollers: their first records may send

        self.app = app = load_app(config.repo_root)
        local_config = chalice_config(app, chalice_data, config.repo_root)
        self._start_pollers(app, local_config, region, "TRIM_HORIZON" if fresh else "LATEST")
        report.handlers = [poller.handler_name for poller in self._pollers]

        if fresh:
            from devstack.demo import seed_demo  # uses the app's services: env must be set

            report.demo = seed_demo(
                activations=config.demo_activations, history=config.demo_history
            )

        self._api = ApiServer(app, local_config, config.api_port)
        self._api.start()
        from infra.portal import CONFIG_PATH, MEDIA_PATH, SHARED_PATH, config_js

        self._web = StaticServer(
            config.web_dir,
            config.web_port,
            generated={CONFIG_PATH: ("text/javascript; charset=utf-8", config_js(config.api_url))},
            mounts={SHARED_PATH: config.shared_web_dir},
            readers={MEDIA_PATH: self._media_reader(settings.uploads_bucket)},
        )
        self._web.start()
        self._console = StaticServer(
            config.console_dir,
            config.console_port,
            generated={CONFIG_PATH: ("text/javascript; charset=utf-8", config_js(config.api_url))},
            variable="GARANTI_CONSOLE_PORT",
        )
        self._console.start()
        ticker = ScheduleTicker(app, region=region)
        report.schedules = [planned.name for planned in ticker.planned]
        self._start_thread("devstack-schedules", ticker.run)
        keeper = JournalKeeper(
            rotate=lambda: self._emulator.journal("rotate"),
            compaction=Compaction(
                config.journal_dir,
                self._checkpoints,
                {poller.handler_name: poller.table_name for poller in self._pollers},
            ),
        )
        self._snapshotter = Snapshotter(
            self._dynamodb, config.tables_dir, buckets=buckets, journal=keeper
        )
        self._snapshotter.start()
        self.ready = True
        write_runtime(
            config.runtime_path,
            RuntimeInfo(
                pid=os.getpid(),
                started_at=datetime.now(UTC).isoformat(timespec="seconds"),
                emulator_url=config.emulator_url,
                api_url=config.api_url,
                web_url=config.web_url,
                data_dir=str(config.data_dir),
                environment=self.environment,
            ),
        )
        return report

    def _start_pollers(self, app: Chalice, local_config: Config, region: str, start: str) -> None:
        dead_letters = DeadLetterStore(self.config.dead_letters_path)
        streams = self._client("dynamodbstreams")
        for poller in pollers_for(
            app,
            dynamodb=self._dynamodb,
            streams=streams,
            region=region,
            dead_letters=dead_letters,
            max_retries=self.config.max_stream_retries,
            start_position=start,
        ):
            poller.timeout_seconds, poller.memory_mb = function_limits(
                local_config, poller.handler_name
            )
            self._resume(poller)
            poller.prepare()  # iterators taken now, before the seed or the API writes
            poller.poll_interval_seconds = IDLE_POLL_SECONDS  # nudged, it never waits so long
            self._pollers.append(poller)
            self._start_thread(
                f"devstack-stream-{poller.handler_name}",
                functools.partial(poller.run, nudge=self._nudge),
            )
        self._start_thread("devstack-stream-watch", self._watch_streams)

    def _watch_streams(self, stop: threading.Event) -> None:
        """Nudge the pollers as soon as the emulator writes a stream record, whoever wrote it
        (a long poll on its journal), instead of each poller asking its stream four times a
        second: an idle stack took a quarter of a core doing that."""
        seen = self._next_seq
        while not stop.is_set():
            try:
                answer = self._emulator.journal("wait", next_seq=seen, timeout=WATCH_SECONDS)
            except (OSError, StackError):  # stopping, or the emulator died: failure() tells
                stop.wait(1.0)
                continue
            if int(answer["next_seq"]) != seen:
                seen = int(answer["next_seq"])
                self._nudge(answer["tables"])
                stop.wait(WATCH_GATHER_SECONDS)  # a burst of writes: one nudge, not hundreds

    def _resume(self, poller: StreamPoller) -> None:
        """Resume where the handler stopped: the journal's records after its checkpoint first
        (a handler with no checkpoint yet starts now)."""
        finished = self._checkpoints.get(poller.handler_name)
        if finished is None:
            self._checkpoints.advance(poller.handler_name, self._next_seq - 1)
        else:
            poller.resume(backlog(self.config.journal_dir, poller.table_name, finished))
        poller.on_checkpoint = self._checkpoints.advance

    # -- running ------------------------------------------------------------------------------

    def request_stop(self) -> None:
        self._stop.set()
        self._nudge()

    def failure(self) -> str | None:
        """Why the stack can no longer serve, or ``None`` while everything runs."""
        if not self._emulator.is_running():
            return f"the AWS emulator stopped (see {self.config.emulator_log_path})"
        if self._api is not None and not self._api.is_alive():
            return "the API server stopped"
        if self._web is not None and not self._web.is_alive():
            return "the web server stopped"
        if self._console is not None and not self._console.is_alive():
            return "the console's web server stopped"
        if self._providers is not None and self.ready and not self._providers.is_alive():
            return "the fake providers stopped"
        return None

    def wait(self, check_every: float = 1.0) -> int:
        """Block until :meth:`request_stop`; 0, or 1 when a part of the stack died."""
        while not self._stop.wait(check_every):
            problem = self.failure()
            if problem is not None:
                logger.error("stopping: %s", problem)
                return 1
        return 0

    # -- stop ---------------------------------------------------------------------------------

    def stop(self) -> dict[str, int]:
        """Stop everything; returns the items saved per table (nothing if never ready)."""
        self._stop.set()
        self._nudge()  # the pollers waiting for a record
        for thread in self._threads:
            thread.join(timeout=15)
        saved: dict[str, int] = {}
        if self._snapshotter is not None:
            try:
                saved = self._snapshotter.stop(save=self.ready and self._emulator.is_running())
            except Exception:  # the emulator died under us: keep the previous snapshot
                logger.exception("could not save the tables; the last snapshot is kept")
        for server in (self._api, self._web, self._console):
            if server is not None:
                server.stop()
        if self._providers is not None:
            self._providers.stop()
        self._emulator.stop()
        remove_runtime(self.config.runtime_path, os.getpid())
        self.ready = False
        return saved
