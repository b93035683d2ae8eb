"""`baton` command line: serve, worker, db upgrade, user create, version."""

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
        help="run jobs the server hands out through Redis (needs BATON_EXECUTOR_URL=arq://…)",
        description="Run jobs handed out through Redis by servers whose BATON_EXECUTOR_URL is "
        "arq://…; the worker needs the same database and executor URL. SIGTERM re-queues the "
        "jobs it runs (without using a retry) and exits.",
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
        help="jobs run at once, per queue (1-1024; default 4)",
    )
    _add_setting_flags(
        worker,
        "database_url",
        "executor_url",
        "lease_seconds",
        "heartbeat_seconds",
        "worker_poll_seconds",
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

    commands.add_parser("version", help="print the version")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "version":
        print(f"baton {__version__}")
        return 0
    overrides = {f.name: getattr(args, f.name, None) for f in setting_fields()}
    try:
        settings = Settings.from_env(**overrides)
        if args.command == "serve":
            return _serve(settings, overrides)
        if args.command == "worker":
            from baton.worker import parse_queues, run_worker

            return run_worker(settings, parse_queues(args.queue), args.concurrency)
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
        proxy_headers=False,
    )
    return 0


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
