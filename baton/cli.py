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
    overrides = {f.name: getattr(args, f.name, None) for f in setting_fields()}
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
