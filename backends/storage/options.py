"""Connection pool and timeout options given in the database URL's query string.

    mysql+aiomysql://baton:pw@db/baton?pool_size=20&max_overflow=10&pool_timeout=5&connect_timeout=3

They are taken out of the URL before SQLAlchemy sees it (which would hand them to the driver);
every other query parameter still goes to the driver (e.g. `charset=utf8mb4`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from baton.backends import BackendError

__all__ = ["POOL_OPTIONS", "engine_options"]


def _number(kind: Callable[[str], Any], low: float, high: float) -> Callable[[str], Any]:
    def parse(text: str) -> Any:
        value = kind(text)
        if not low <= value <= high:
            raise ValueError(f"must be between {low:g} and {high:g}")
        return value

    return parse


def _flag(text: str) -> bool:
    if text.lower() in {"1", "true", "yes", "on"}:
        return True
    if text.lower() in {"0", "false", "no", "off"}:
        return False
    raise ValueError("must be true or false")


# URL option -> (parser, help); names follow create_engine's keywords
POOL_OPTIONS: dict[str, tuple[Callable[[str], Any], str]] = {
    "pool_size": (_number(int, 1, 1000), "connections kept open (default 5)"),
    "max_overflow": (_number(int, 0, 1000), "extra connections opened under load (default 10)"),
    "pool_timeout": (_number(float, 0.1, 3600), "seconds to wait for a free connection (default 30)"),
    "pool_recycle": (_number(int, -1, 86400), "reopen connections older than this many seconds (-1: never)"),
    "pool_pre_ping": (_flag, "test a connection idle for over a second before use (default true)"),
    "connect_timeout": (_number(float, 0.1, 600), "seconds to wait for a new connection"),
}
# what each driver calls its connect timeout (SQLite opens a file: its `timeout` is the busy wait)
_CONNECT_TIMEOUT_ARG = {"mysql": "connect_timeout", "postgresql": "timeout"}


def engine_options(url: str) -> tuple[sa.URL, dict[str, Any]]:
    """The URL without Baton's options, and the create_async_engine keywords they give."""
    parsed = sa.engine.make_url(url)
    dialect = parsed.get_backend_name()
    kwargs: dict[str, Any] = {"pool_pre_ping": True}
    connect_args: dict[str, Any] = {}
    for name, raw in parsed.query.items():
        if name not in POOL_OPTIONS:
            continue
        text = raw[-1] if isinstance(raw, tuple) else raw
        parse, _ = POOL_OPTIONS[name]
        try:
            value = parse(text)
        except ValueError as exc:
            detail = str(exc) if "must" in str(exc) else "not a number"
            raise BackendError(f"database URL option {name}={text!r}: {detail}") from None
        if name == "connect_timeout":
            if dialect == "sqlite":
                raise BackendError("database URL option connect_timeout: SQLite opens a file; it has none")
            connect_args[_CONNECT_TIMEOUT_ARG[dialect]] = value
        else:
            kwargs[name] = value
    if dialect == "sqlite":
        # the driver's busy timeout: wait for another process's write instead of failing
        connect_args["timeout"] = 30
    if dialect == "mysql":
        # InnoDB's REPEATABLE READ takes gap locks on every range a claim scans, and racing
        # inserts then deadlocked against claims; READ COMMITTED locks rows only, and each
        # statement sees what committed before it (admission counts after the queue's lock)
        kwargs["isolation_level"] = "READ COMMITTED"
    if connect_args:
        kwargs["connect_args"] = connect_args
    return parsed.difference_update_query(POOL_OPTIONS), kwargs
