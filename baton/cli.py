"""`baton` command line: serve, worker, events, db upgrade, user create, keys rotate, version."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import sys
from collections.abc import Sequence

from baton import __version__
from baton.backends import BackendError
from baton.settings import Settings, SettingsError, setting_fields

__all__ = ["main"]


def _add_setting_flags(parser: argparse.ArgumentParser, *names: str) -> None:
    """One flag per setting, generated from Settings so the two cannot drift apart."""
    for f in setting_fields():
        if names and f.name not in names:
            continue
        env = f"BATON_{f.name.upper()}"
        default = "unset" if f.default is None else f.default
        note = (
            "; visible to other users in the process list, prefer the variable"
            if f.metadata["secret"]
            else ""
        )
        parser.add_argument(
            f"--{f.name.replace('_', '-')}",
            dest=f.name,
            metavar=f.name.split("_")[-1].upper(),
            help=f"{f.metadata['help']} (env {env}; default {default}{note})",
        )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="baton",
        description="Baton job orchestrator. Every option can also be set as a BATON_* environment variable.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="run the API server (applies migrations first)")
    _add_setting_flags(serve)

    worker = commands.add_parser(
        "worker",
        help="run jobs: handed out through Redis (BATON_EXECUTOR_URL=arq://…), or pulled from a "
        "server over HTTP (--server URL)",
        description="Without --server: run jobs handed out through Redis by servers whose "
        "BATON_EXECUTOR_URL is arq://…; the worker needs the same database and executor URL. With "
        "--server URL: a pull worker that needs only the HTTP API (no Redis, no database): it "
        "registers, claims jobs of its queues, extends their leases and reports their outcomes, "
        "with an API key, a token or a username and password. SIGTERM stops the jobs it runs, "
        "which go back to pending without using a retry, and exits.",
    )
    worker.add_argument(
        "--queue",
        action="append",
        metavar="NAME",
        help="job queue to run jobs of; repeat it or separate names by commas (default: default)",
    )
    worker.add_argument(
        "--concurrency",
        type=int,
        default=4,
        metavar="N",
        help="jobs run at once: per queue through Redis, in all with --server (1-1024; default 4)",
    )
    pull = worker.add_argument_group("pull mode (--server)")
    pull.add_argument(
        "--server",
        metavar="URL",
        help="base URL of a Baton server, e.g. https://baton.example:8000: run as a pull worker",
    )
    pull.add_argument(
        "--label",
        action="append",
        metavar="KEY=VALUE",
        help="a label the worker has (jobs labelled so go only to workers that have it); repeat it "
        "or separate pairs by commas",
    )
    pull.add_argument("--name", metavar="NAME", help="worker name shown in the API (default: HOSTNAME-PID)")
    pull.add_argument(
        "--api-key",
        metavar="KEY",
        help="API key, sent as X-API-Key (env BATON_API_KEY; visible to other users in the process "
        "list, prefer the variable)",
    )
    pull.add_argument(
        "--token",
        metavar="TOKEN",
        help="bearer access token; it is not renewed (env BATON_TOKEN; prefer the variable)",
    )
    pull.add_argument(
        "--username",
        metavar="NAME",
        help="log in as this user (a manager): tokens are refreshed, and renewed by logging in again",
    )
    pull.add_argument(
        "--password-env",
        default="BATON_PASSWORD",
        metavar="VAR",
        help="environment variable holding the --username's password (default BATON_PASSWORD)",
    )
    _add_setting_flags(
        worker,
        "database_url",
        "executor_url",
        "lease_seconds",
        "heartbeat_seconds",
        "worker_poll_seconds",
        "worker_heartbeat_seconds",
        "output_limit_bytes",
        "log_url",
        "log_max_bytes",
        "log_level",
    )

    db = commands.add_parser("db", help="database schema commands")
    db_commands = db.add_subparsers(dest="db_command", required=True, metavar="DB_COMMAND")
    upgrade = db_commands.add_parser("upgrade", help="apply all pending migrations")
    _add_setting_flags(upgrade, "database_url")

    user = commands.add_parser("user", help="user accounts")
    user_commands = user.add_subparsers(dest="user_command", required=True, metavar="USER_COMMAND")
    create = user_commands.add_parser(
        "create", help="create a user; the password is read from BATON_NEW_PASSWORD, a prompt, or stdin"
    )
    create.add_argument("username", help="login name (1-150 characters)")
    create.add_argument(
        "--role",
        choices=["admin", "manager", "member", "viewer"],
        default="member",
        help="admin: everything; manager: all jobs; member: own jobs; viewer: read-only",
    )
    _add_setting_flags(create, "database_url")

    keys = commands.add_parser("keys", help="JWT signing keys")
    key_commands = keys.add_subparsers(dest="keys_command", required=True, metavar="KEYS_COMMAND")
    rotate = key_commands.add_parser(
        "rotate",
        help="sign new tokens with a new key (every server within 30 s); tokens signed with the "
        "previous key stay valid until they expire",
    )
    _add_setting_flags(rotate, "database_url")

    events = commands.add_parser(
        "events",
        help="follow a server's event log, one line per event",
        description="Follow the event log of a Baton server over HTTP (Server-Sent Events) and print "
        "one line per event (or the events as JSON lines with --json). It reconnects by itself and "
        "resumes where it was, so nothing is lost or printed twice. Credentials: BATON_API_KEY or "
        "BATON_TOKEN (or --api-key / --token).",
    )
    events.add_argument(
        "--server",
        default=os.environ.get("BATON_SERVER", "http://127.0.0.1:8000"),
        metavar="URL",
        help="base URL of the server (env BATON_SERVER; default http://127.0.0.1:8000)",
    )
    events.add_argument(
        "--type", action="append", default=[], metavar="TYPE",
        help="only these event types; a value ending in '.' is a prefix (job.); repeatable",
    )  # fmt: skip
    events.add_argument("--job", metavar="ID", help="only events of this job")
    events.add_argument("--queue", metavar="NAME", help="only events concerning this queue")
    events.add_argument("--worker", metavar="ID", help="only events concerning this worker")
    events.add_argument(
        "--after", type=int, metavar="ID", help="replay from the event after this id (default: from now on)"
    )
    events.add_argument("--json", action="store_true", help="print each event as a JSON line")
    events.add_argument("--max-seconds", type=int, metavar="N", help="stop after N seconds")
    events.add_argument("--api-key", metavar="KEY", help="API key (prefer env BATON_API_KEY)")
    events.add_argument("--token", metavar="TOKEN", help="access token (prefer env BATON_TOKEN)")

    from baton.console import add_commands

    add_commands(commands)  # login, jobs, queues, workers: a client of a server's API
    commands.add_parser("version", help="print the version")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "version":
        print(f"baton {__version__}")
        return 0
    if args.command in ("login", "jobs", "queues", "workers"):
        from baton.console import run

        return run(args)
    if args.command == "events":
        from baton.follow import run_events

        return run_events(
            args.server, types=args.type, job_id=args.job, queue=args.queue, worker_id=args.worker,
            after=args.after, as_json=args.json, max_seconds=args.max_seconds, api_key=args.api_key,
            token=args.token,
        )  # fmt: skip
    overrides = {f.name: getattr(args, f.name, None) for f in setting_fields()}
    try:
        settings = Settings.from_env(**overrides)
        if args.command == "serve":
            return _serve(settings, overrides)
        if args.command == "worker":
            return _worker(settings, args)
        if args.command == "db":
            asyncio.run(_upgrade(settings))
            print("database schema is up to date")
            return 0
        if args.command == "user":
            return asyncio.run(_create_user(settings, args.username, args.role))
        if args.command == "keys":
            return asyncio.run(_rotate_key(settings))
    except (SettingsError, BackendError) as exc:
        print(f"baton: error: {exc}", file=sys.stderr)
        return 2
    return 1


def _worker(settings: Settings, args: argparse.Namespace) -> int:
    if args.server:
        # imports nothing of arq or the database drivers: a robot may have neither
        from baton.pull_worker import pull_options, run_pull_worker

        options = pull_options(
            settings,
            server=args.server,
            queues=args.queue,
            labels=args.label,
            concurrency=args.concurrency,
            name=args.name,
            api_key=args.api_key,
            token=args.token,
            username=args.username,
            password_env=args.password_env,
        )
        return run_pull_worker(settings, options)
    if args.label or args.name or args.api_key or args.token or args.username:
        raise BackendError("--label, --name, --api-key, --token and --username need --server URL")
    from baton.worker import parse_queues, run_worker

    return run_worker(settings, parse_queues(args.queue), args.concurrency)


async def _upgrade(settings: Settings) -> None:
    from baton.backends.storage import create_storage

    storage = create_storage(settings.database_url)
    await storage.connect()
    try:
        await storage.migrate()
    finally:
        await storage.close()


async def _bootstrap(settings: Settings) -> None:
    """Migrate and create the first admin once, before any worker process starts."""
    from baton.app import print_admin_credentials
    from baton.auth import AuthService
    from baton.backends.storage import create_storage

    storage = create_storage(settings.database_url)
    await storage.connect()
    try:
        await storage.migrate()
        auth = AuthService(storage, settings)
        await auth.start()
        generated = await auth.ensure_admin(settings.admin_username, settings.admin_password)
        if generated:
            print_admin_credentials(settings.admin_username, generated)
    finally:
        await storage.close()


def _serve(settings: Settings, overrides: dict[str, object]) -> int:
    import uvicorn

    from baton.backends.execution import create_executor

    create_executor(settings.executor_url, output_limit=settings.output_limit_bytes)  # validate early
    try:
        asyncio.run(_bootstrap(settings))
    except (OSError, Exception) as exc:
        if isinstance(exc, SettingsError | BackendError):
            raise
        print(f"baton: error: cannot prepare the database at {settings.database_url}: {exc}", file=sys.stderr)
        return 1
    if settings.workers > 1 and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # each process counts its own HTTP requests into files here; /metrics sums them all
        import tempfile

        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="baton-metrics-")
    # worker processes rebuild Settings from the environment: hand them the CLI flags that way
    for name, value in overrides.items():
        if value is not None:
            os.environ[f"BATON_{name.upper()}"] = str(value)
    uvicorn.run(
        "baton.app:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        log_level=settings.log_level,
        log_config=log_config(settings.log_level),
        # behind a reverse proxy every client would share its address (one login allowance, one
        # address in the audit log) unless the proxy is named
        ws_per_message_deflate=settings.ws_compression,
        proxy_headers=bool(settings.forwarded_allow_ips),
        forwarded_allow_ips=settings.forwarded_allow_ips or None,
    )
    return 0


def log_config(level: str) -> dict:
    """uvicorn's logging, plus Baton's own loggers on the same handler and level: without this
    they had no handler, and only warnings reached stderr, unformatted, through Python's last
    resort."""
    import copy

    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["loggers"]["baton"] = {"handlers": ["default"], "level": level.upper(), "propagate": False}
    return config


async def _create_user(settings: Settings, username: str, role: str) -> int:
    from baton.auth import AuthService
    from baton.backends.storage import create_storage
    from baton.errors import Conflict
    from baton.models import Role

    password = os.environ.get("BATON_NEW_PASSWORD")
    if not password:
        password = (
            getpass.getpass(f"password for {username}: ")
            if sys.stdin.isatty()
            else sys.stdin.readline().rstrip("\n")
        )
    if not 1 <= len(username) <= 150 or not 1 <= len(password) <= 1024:
        print("baton: error: username must be 1-150 and password 1-1024 characters", file=sys.stderr)
        return 2
    storage = create_storage(settings.database_url)
    await storage.connect()
    try:
        await storage.migrate()
        await AuthService(storage, settings).create_user(username, password, Role(role))
    except Conflict as exc:
        print(f"baton: error: {exc.detail}", file=sys.stderr)
        return 1
    finally:
        await storage.close()
    print(f"created {role} {username}")
    return 0


async def _rotate_key(settings: Settings) -> int:
    from baton.backends.storage import create_storage
    from baton.keyring import Keyring

    if settings.secret_key:
        print(
            "baton: error: BATON_SECRET_KEY is set, so keys live in the environment: move it into "
            "BATON_PREVIOUS_SECRET_KEYS, set a new BATON_SECRET_KEY, and restart the servers",
            file=sys.stderr,
        )
        return 2
    storage = create_storage(settings.database_url)
    await storage.connect()
    try:
        await storage.migrate()
        keyring = Keyring(storage, settings)
        await keyring.load()
        key = await keyring.rotate()
    finally:
        await storage.close()
    print(f"new signing key {key.kid}; servers sign with it within 30 s")
    return 0
