"""Test databases: SQLite files, and fresh databases on the machine's MariaDB and PostgreSQL.

MariaDB and PostgreSQL tests run for real in CI; locally they are skipped only when the service
does not answer and CI is unset. URLs can be overridden with BATON_TEST_MYSQL_URL and
BATON_TEST_POSTGRES_URL (server URLs without a database name)."""

from __future__ import annotations

import asyncio
import os
import secrets
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import create_async_engine

SERVERS = {
    "mariadb": os.environ.get("BATON_TEST_MYSQL_URL", "mysql+aiomysql://root@127.0.0.1:3306"),
    "postgresql": os.environ.get("BATON_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432"),
}
KINDS = ("sqlite", "mariadb", "postgresql")


def _admin_url(kind: str) -> str:
    return f"{SERVERS[kind]}/{'test' if kind == 'mariadb' else 'postgres'}"


def _database_url(kind: str, name: str) -> str:
    query = "?charset=utf8mb4" if kind == "mariadb" else ""
    return f"{SERVERS[kind]}/{name}{query}"


async def _admin(kind: str, statement: str) -> None:
    engine = create_async_engine(_admin_url(kind), isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            await asyncio.wait_for(conn.execute(sa.text(statement)), 30)
    finally:
        await engine.dispose()


def require(kind: str) -> None:
    """Skip (locally) or fail (in CI) when the database server does not answer."""
    if kind == "sqlite":
        return
    try:
        asyncio.run(_admin(kind, "SELECT 1"))
    except Exception as exc:
        if os.environ.get("CI"):
            pytest.fail(f"{kind} must be running in CI: {exc}")
        pytest.skip(f"{kind} is not running here: {type(exc).__name__}")


def create_database(kind: str, tmp_path: Path) -> str:
    """A new, empty database; returns its URL."""
    if kind == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path}/baton-{secrets.token_hex(4)}.db"
    require(kind)
    name = f"baton_test_{secrets.token_hex(6)}"
    asyncio.run(_admin(kind, f"CREATE DATABASE {name}"))
    return _database_url(kind, name)


def drop_database(url: str) -> None:
    kind = (
        "mariadb" if url.startswith("mysql") else "postgresql" if url.startswith("postgresql") else "sqlite"
    )
    if kind == "sqlite":
        return
    name = sa.engine.make_url(url).database
    force = " WITH (FORCE)" if kind == "postgresql" else ""
    asyncio.run(_admin(kind, f"DROP DATABASE IF EXISTS {name}{force}"))
