"""How a storage operation reaches the database: as a function of a synchronous connection, run
whole in one go.

- SQLite: on threads of this process with Python's sqlite3 driver. One operation is one hop to a
  thread and back, where through aiosqlite every execute, fetch, BEGIN and rollback was a hop of
  its own (a one-row read cost ~1.5 ms on a busy 2-core machine; now ~0.1 ms). Writes run on one
  thread, so this process never competes with itself for SQLite's one write lock; reads run on a
  few threads of their own and never wait for writes (WAL).
- PostgreSQL and MariaDB: on the async driver, through SQLAlchemy's `run_sync` (a greenlet, no
  thread): the same function, awaiting each statement.

A write returns the events it appended (the transactional outbox, events.py), so the caller can
signal readers once the commit is done."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

__all__ = ["COMMITTED_EVENTS", "AsyncRunner", "SQLiteRunner"]

T = TypeVar("T")
# where a write transaction keeps the events it appended (conn.info), for the caller to act on
# once they committed
COMMITTED_EVENTS = "baton_committed_events"
SQLITE_BUSY_TIMEOUT = 30  # seconds a write waits for another process's write lock


class SQLiteRunner:
    def __init__(
        self,
        path: str,
        on_connect: Callable[[Any, Any], None],
        readers: int = 4,
        pool_options: dict[str, Any] | None = None,
    ) -> None:
        options = {"pool_size": readers + 1, "max_overflow": 4, **(pool_options or {})}
        self.engine = sa.create_engine(
            sa.engine.URL.create("sqlite", database=path),
            poolclass=sa.pool.QueuePool,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT},
            **options,
        )
        event.listen(self.engine, "connect", on_connect)
        self._writer = ThreadPoolExecutor(1, thread_name_prefix="baton-sqlite-write")
        self._readers = ThreadPoolExecutor(readers, thread_name_prefix="baton-sqlite-read")

    async def read(self, fn: Callable[[sa.Connection], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._readers, self._read, fn)

    async def write(self, fn: Callable[[sa.Connection], T]) -> tuple[T, list[Any]]:
        return await asyncio.get_running_loop().run_in_executor(self._writer, self._write, fn)

    def _read(self, fn: Callable[[sa.Connection], T]) -> T:
        # autocommit (the driver's isolation_level is None): no BEGIN, no rollback afterwards;
        # each statement reads a consistent snapshot of its own
        with self.engine.connect() as conn:
            return fn(conn)

    def _write(self, fn: Callable[[sa.Connection], T]) -> tuple[T, list[Any]]:
        with self.engine.connect() as conn:
            # the write lock up front: a deferred transaction that reads, then writes, fails at
            # once (SQLITE_BUSY, no busy wait) when another process wrote in between
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            conn.info.pop(COMMITTED_EVENTS, None)  # nothing left from a transaction that failed
            try:
                result = fn(conn)
            except BaseException:
                conn.info.pop(COMMITTED_EVENTS, [])
                conn.rollback()
                raise
            conn.commit()
            return result, conn.info.pop(COMMITTED_EVENTS, [])

    def close(self) -> None:
        self._writer.shutdown(wait=True)
        self._readers.shutdown(wait=True)
        self.engine.dispose()


# a transaction the database aborted to break a deadlock, or for a serialization conflict: it
# changed nothing, and running it again (it is a function of a connection) is safe
RETRYABLE = {1213, 1205, "40P01", "40001"}  # MySQL deadlock, lock wait timeout; PostgreSQL
ATTEMPTS = 4


def retryable(exc: BaseException) -> bool:
    orig = getattr(exc, "orig", None)
    code = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if code is None and orig is not None and getattr(orig, "args", None):
        code = orig.args[0]
    return code in RETRYABLE


class AsyncRunner:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    async def read(self, fn: Callable[[sa.Connection], T]) -> T:
        async with self.engine.connect() as conn:
            return await conn.run_sync(fn)

    async def write(self, fn: Callable[[sa.Connection], T]) -> tuple[T, list[Any]]:
        def body(conn: sa.Connection) -> tuple[T, list[Any]]:
            conn.info.pop(COMMITTED_EVENTS, None)  # nothing left from an attempt that failed
            return fn(conn), conn.info.pop(COMMITTED_EVENTS, [])

        for attempt in range(ATTEMPTS):
            try:
                async with self.engine.begin() as conn:
                    return await conn.run_sync(body)
            except sa.exc.DBAPIError as exc:
                if attempt + 1 == ATTEMPTS or not retryable(exc):
                    raise
                await asyncio.sleep(0.005 * (2**attempt))
        raise AssertionError("unreachable")

    def close(self) -> None:
        pass
