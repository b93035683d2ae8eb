"""Pooled connections are pinged before use only once they sat idle (backends/storage/liveness.py):
a connection the database dropped while it was idle is replaced before anyone uses it, and a busy
pool pays no ping at all. PostgreSQL and MariaDB (SQLite has no connection to lose)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
import sqlalchemy as sa
from baton.backends.storage import create_storage, liveness
from baton.backends.storage.sql import SQLStorage
from sqlalchemy.ext.asyncio import create_async_engine

IDLE = 0.3  # seconds: PING_AFTER_IDLE_SECONDS for these tests


@pytest.fixture
async def pinged(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    if database_url.startswith("sqlite"):
        pytest.skip("SQLite opens a file: no connection to lose, no ping")
    monkeypatch.setattr(liveness, "PING_AFTER_IDLE_SECONDS", IDLE)
    store = create_storage(database_url)
    await store.connect()
    pings: list[bool] = []
    dialect = store.engine.sync_engine.dialect
    real_ping = dialect.do_ping

    def counting_ping(dbapi_connection: Any) -> bool:
        pings.append(True)
        return real_ping(dbapi_connection)

    monkeypatch.setattr(dialect, "do_ping", counting_ping)
    yield store, pings
    await store.close()


async def _server_session(store: SQLStorage) -> int:
    query = "SELECT pg_backend_pid()" if store.dialect == "postgresql" else "SELECT CONNECTION_ID()"
    return await store._read(lambda conn: conn.execute(sa.text(query)).scalar_one())


async def _kill(store: SQLStorage, session: int) -> None:
    """End `session` from another connection, as a database restart or a proxy's timeout would."""
    engine = create_async_engine(store.engine.url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            if store.dialect == "postgresql":
                await conn.execute(sa.text("SELECT pg_terminate_backend(:s)"), {"s": session})
            else:
                await conn.execute(sa.text(f"KILL CONNECTION {int(session)}"))
    finally:
        await engine.dispose()


async def test_a_busy_pool_pays_no_ping(pinged: Any) -> None:
    store, pings = pinged
    for _ in range(20):
        await store.ping()
    assert pings == [], "connections used a moment ago were pinged"


async def test_a_connection_idle_for_a_while_is_pinged(pinged: Any) -> None:
    store, pings = pinged
    await store.ping()
    await asyncio.sleep(IDLE * 2)
    await store.ping()
    assert len(pings) == 1


async def test_a_connection_dropped_while_idle_is_replaced_before_use(pinged: Any) -> None:
    store, pings = pinged
    session = await _server_session(store)
    await _kill(store, session)
    await asyncio.sleep(IDLE * 2)
    # the same pooled connection comes back first: the ping finds it dead and the pool opens another
    assert await _server_session(store) != session
    assert pings


async def test_a_connection_dropped_a_moment_ago_fails_once_then_the_pool_is_fresh(pinged: Any) -> None:
    store, _ = pinged
    session = await _server_session(store)
    await _kill(store, session)
    with pytest.raises(sa.exc.DBAPIError) as failure:
        await _server_session(store)
    assert failure.value.connection_invalidated
    assert await _server_session(store) != session
