"""Pool and timeout options in the database URL, on every database."""

from __future__ import annotations

import asyncio
import contextlib

import pytest
import sqlalchemy as sa
from baton.backends import BackendError
from baton.backends.storage import create_storage
from baton.backends.storage.options import engine_options


def with_options(url: str, **options: object) -> str:
    separator = "&" if "?" in url else "?"
    return url + separator + "&".join(f"{key}={value}" for key, value in options.items())


async def test_pool_options_reach_the_engine(database_url: str) -> None:
    options: dict[str, object] = {"pool_size": 2, "max_overflow": 0, "pool_timeout": 0.3, "pool_recycle": 600}
    if not database_url.startswith("sqlite"):
        options["connect_timeout"] = 5
    store = create_storage(with_options(database_url, **options))
    await store.connect()
    try:
        await store.migrate()
        # SQLite's operations run on threads with connections of their own (runner.py)
        engine = store.runner.engine if database_url.startswith("sqlite") else store.engine
        pool = engine.pool
        assert pool.size() == 2 and pool._max_overflow == 0 and pool._recycle == 600
        assert "pool_size" not in str(engine.url)  # taken out, not handed to the driver
        # both connections held: the next caller waits pool_timeout, then gets a clear error
        async with contextlib.AsyncExitStack() as held:
            for _ in range(2):
                if isinstance(engine, sa.Engine):
                    held.enter_context(engine.connect())
                else:
                    await held.enter_async_context(engine.connect())
            started = asyncio.get_running_loop().time()
            with pytest.raises(sa.exc.TimeoutError):
                await store.get_job("01a1f4a4-0000-7000-8000-000000000000")
            assert asyncio.get_running_loop().time() - started >= 0.25
        assert await store.get_job("01a1f4a4-0000-7000-8000-000000000000") is None
    finally:
        await store.close()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("pool_size=0", "pool_size='0': must be between 1 and 1000"),
        ("pool_size=ten", "pool_size='ten': not a number"),
        ("pool_timeout=-1", "pool_timeout='-1': must be between"),
        ("pool_pre_ping=maybe", "pool_pre_ping='maybe': must be true or false"),
        ("connect_timeout=0", "connect_timeout='0': must be between"),
    ],
)
def test_a_bad_option_is_a_startup_error_naming_it(query: str, message: str) -> None:
    with pytest.raises(BackendError, match=message.replace("?", r"\?")):
        create_storage(f"mysql+aiomysql://root@127.0.0.1/test?{query}")


def test_driver_options_pass_through_and_sqlite_has_no_connect_timeout() -> None:
    url, kwargs = engine_options("mysql+aiomysql://u:p@h/db?charset=utf8mb4&pool_size=3&connect_timeout=2")
    assert str(url) == "mysql+aiomysql://u:***@h/db?charset=utf8mb4"
    assert kwargs == {
        "pool_pre_ping": True,
        "pool_size": 3,
        "connect_args": {"connect_timeout": 2.0},
        "isolation_level": "READ COMMITTED",  # row locks only: no gap-lock deadlocks (options.py)
    }
    _, kwargs = engine_options("postgresql+asyncpg://u@h/db?connect_timeout=4&pool_pre_ping=false")
    assert kwargs == {"pool_pre_ping": False, "connect_args": {"timeout": 4.0}}
    with pytest.raises(BackendError, match="SQLite opens a file"):
        engine_options("sqlite+aiosqlite:///x.db?connect_timeout=3")
