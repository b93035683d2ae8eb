"""Pinging pooled connections before use, only when they sat idle (PostgreSQL and MariaDB).

SQLAlchemy's pool_pre_ping pings at every checkout. With asyncpg a ping is a transaction of its
own (BEGIN, an empty query, ROLLBACK): three round trips before each read of a few rows, which
made an idle dispatch pass on PostgreSQL ~3 ms a read. A connection that answered a moment ago is
very likely still there; one that sat in the pool for a while is what a database restart, a
proxy's idle timeout or a network drop leaves dead. So only a connection idle for longer than
PING_AFTER_IDLE_SECONDS is pinged, the way pre_ping does it: a dead one is replaced (and the rest
of the pool, older than the failure, with it) before anyone uses it. One that died within that
second fails its statement instead, which SQLAlchemy also reads as a disconnect and answers by
invalidating the pool: the caller gets an error (503 for an API request), the next one a fresh
connection."""

from __future__ import annotations

import time
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event

__all__ = ["PING_AFTER_IDLE_SECONDS", "ping_when_idle"]

PING_AFTER_IDLE_SECONDS = 1.0
_USED_AT = "baton_used_at"  # in the pool's record of each connection: when it last came back


def ping_when_idle(engine: sa.Engine, idle_seconds: float | None = None) -> None:
    """Install on `engine` (created with pool_pre_ping=False) the pings described above."""
    pool, dialect = engine.pool, engine.dialect
    if idle_seconds is None:
        idle_seconds = PING_AFTER_IDLE_SECONDS

    def stamp(_dbapi_connection: Any, record: Any, *_: Any) -> None:
        if record is not None:
            record.info[_USED_AT] = time.monotonic()

    def check(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        if time.monotonic() - record.info.get(_USED_AT, 0.0) < idle_seconds:
            return
        try:
            alive = dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as exc:
            if not dialect.is_disconnect(exc, dbapi_connection, None):
                raise
            alive = False
        if not alive:
            # as pre_ping: this connection and every older one are replaced (the pool retries)
            raise sa.exc.InvalidatePoolError("ping failed")

    event.listen(pool, "connect", stamp)  # a new connection needs no ping
    event.listen(pool, "checkin", stamp)
    event.listen(pool, "checkout", check)
