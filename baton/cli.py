"""`baton` command line: serve, db upgrade, user create, version."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import sys
from collections.abc import Sequence

from baton import __version__
from baton.backends import BackendError
from baton.settings import Settings, SettingsError

__all__ = ["main"]

_SETTING_FLAGS = {
    # flag dest -> (help); each maps to BATON_<DEST>
    "database_url": "storage URL (env BATON_DATABASE_URL; default sqlite+aiosqlite:///./baton.db)",
    "executor_url": "executor URL (env BATON_EXECUTOR_URL; default local://?concurrency=4)",
}


def _add_setting_flags(parser: argparse.ArgumentParser, *names: str) -> None:
    for name in names:
        parser.add_argument(
            f"--{name.replace('_', '-')}", dest=name, metavar="URL", help=_SETTING_FLAGS[name]
        )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="baton",
        description="Baton job orchestrator. Every option can also be set as a BATON_* environment variable.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="run the API server (applies migrations first)")
    serve.add_argument("--host", help="address to listen on (env BATON_HOST; default 127.0.0.1)")
    serve.add_argument("--port", help="TCP port (env BATON_PORT; default 8000)")
    serve.add_argument(
        "--workers", help="server processes; they share the database (env BATON_WORKERS; default 1)"
    )
    serve.add_argument(
        "--log-level", dest="log_level", help="critical|error|warning|info|debug (env BATON_LOG_LEVEL)"
    )
    _add_setting_flags(serve, "database_url", "executor_url")

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

    commands.add_parser("version", help="print the version")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "version":
        print(f"baton {__version__}")
        return 0
    overrides = {
        name: getattr(args, name, None)
        for name in ("host", "port", "workers", "log_level", "database_url", "executor_url")
    }
    try:
        settings = Settings.from_env(**overrides)
        if args.command == "serve":
            return _serve(settings, overrides)
        if args.command == "db":
            asyncio.run(_upgrade(settings))
            print("database schema is up to date")
            return 0
        if args.command == "user":
            return asyncio.run(_create_user(settings, args.username, args.role))
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
