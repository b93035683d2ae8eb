"""How a storage operation reaches the database: as a function of a synchronous connection, run
whole in one go.

- SQLite: on threads of this process with Python's sqlite3 driver. One operation is one hop to a
  thread and back, where through aiosqlite every execute, fetch, BEGIN and rollback was a hop of
  its own (a one-row read cost ~1.5 ms on a busy 2-core machine; now ~0.1 ms). Writes run on one
  thread, so this process never competes with itself for SQLite's one write lock; reads run on a
  few threads of their own and never wait for writes (WAL).
- PostgreSQL and MariaDB: on the async driver, through SQLAlchemy's `run_sync` (a greenlet, no
  thread): the same function, awaiting each statement. Point writes made while the process's
  transaction slots are busy run together in the next free one (AsyncRunner).

A write returns the events it appended (the transactional outbox, events.py), so the caller can
signal readers once the commit is done."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

__all__ = ["COMMITTED_EVENTS", "DEFERRED_EVENTS", "AsyncRunner", "SQLiteRunner"]

T = TypeVar("T")
# where a write transaction keeps the events it appended (conn.info), for the caller to act on
# once they committed
COMMITTED_EVENTS = "baton_committed_events"
# where a group's writes leave their events (AsyncRunner), to be appended once, last
DEFERRED_EVENTS = "baton_deferred_events"
SQLITE_BUSY_TIMEOUT = 30  # seconds a write waits for another process's write lock


# how long a read may take on the event loop before it moves to a reader thread (a page of 50
# jobs takes ~1 ms with its rows made into objects); checked every _STEPS_PER_CHECK instructions
# of SQLite's virtual machine, which are run only while a statement steps: a single instruction
# that does much at once (an unfiltered count, a sort) is not stopped, so reads known to be
# large are sent to a thread from the start (`long`)
INLINE_READ_SECONDS = 0.005
_STEPS_PER_CHECK = 500


class _Busy(Exception):
    """Another writer holds SQLite's write lock."""


class _OverBudget(Exception):
    """A read on the event loop took more than INLINE_READ_SECONDS: it goes to a reader thread."""


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
        self._inline: sa.Connection | None = None  # the event loop's own, for point reads
        self._queued: _Queue = []
        # told the events of a write whose caller was cancelled while it ran (it committed)
        self.orphaned: Callable[[list[Any]], None] | None = None

    async def read(self, fn: Callable[[sa.Connection], T], *, point: bool = False, long: bool = False) -> T:
        """Run `fn` here on the event loop, where a read costs no hop to a thread and no GIL
        handed back and forth (a reader thread gives the GIL up around each row it steps to, and
        waits up to the switch interval, 5 ms, to get it back while the loop is busy: a page of
        50 rows took 100 ms that way under load). A read still running after INLINE_READ_SECONDS
        is stopped and runs again on a reader thread, so a long scan holds up the loop only that
        long; a `long` read (counts and sums over many rows) goes there at once. A `point` read
        (a few rows by key) runs here whatever it costs."""
        if not long:
            try:
                return self._read_inline(fn, None if point else INLINE_READ_SECONDS)
            except _OverBudget:
                pass
            except sa.exc.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise
                # a checkpoint holds the file for a moment: the loop must not wait for it
        return await asyncio.get_running_loop().run_in_executor(self._readers, self._read, fn)

    def _read(self, fn: Callable[[sa.Connection], T]) -> T:
        # autocommit (the driver's isolation_level is None): no BEGIN, no rollback afterwards;
        # each statement reads a consistent snapshot of its own
        with self.engine.connect() as conn:
            return fn(conn)

    def _read_inline(self, fn: Callable[[sa.Connection], T], budget: float | None) -> T:
        conn = self._inline_connection()
        if budget is None:
            try:
                return fn(conn)
            finally:
                conn.rollback()  # ends SQLAlchemy's transaction; autocommit: no statement
        driver = conn.connection.driver_connection
        deadline = time.perf_counter() + budget
        stopped = False

        def check() -> int:  # called by SQLite every _STEPS_PER_CHECK instructions; 1 stops it
            nonlocal stopped
            stopped = time.perf_counter() > deadline
            return int(stopped)

        driver.set_progress_handler(check, _STEPS_PER_CHECK)
        try:
            return fn(conn)
        except sa.exc.OperationalError as exc:
            if stopped:  # "interrupted": stopped by check(), not a failure
                raise _OverBudget from exc
            raise
        finally:
            driver.set_progress_handler(None, 0)
            conn.rollback()

    async def write(self, fn: Callable[[sa.Connection], T], *, point: bool = False) -> tuple[T, list[Any]]:
        """Run `fn` in a write transaction. A `point` write (a few rows) joins the writes queued
        on this event loop: they run together, each in a savepoint of its own (a failing one
        undoes only itself), and commit once — the cost of a commit is paid once per loop turn,
        not per request (group commit). They run on the loop itself, where there is no hop to a
        thread and no GIL to hand back and forth, unless another writer holds the lock: then on
        the writer thread, which waits for it. Other writes run on the writer thread alone."""
        loop = asyncio.get_running_loop()
        if not point:
            [(ok, value, events)] = await loop.run_in_executor(self._writer, self._write_batch, [fn])
            if not ok:
                raise value
            return value, events
        future: asyncio.Future[tuple[T, list[Any]]] = loop.create_future()
        self._queued.append((fn, future))
        if len(self._queued) == 1:
            loop.call_soon(self._flush)
        return await future

    def _flush(self) -> None:
        queued, self._queued = self._queued, []
        fns = [fn for fn, _ in queued]
        try:
            outcomes = self._batch_inline(fns)
        except _Busy:
            # the lock is taken (another process, or our writer thread): wait for it there
            task = asyncio.get_running_loop().run_in_executor(self._writer, self._write_batch, fns)
            task.add_done_callback(lambda done: _deliver(queued, done, self.orphaned))
            return
        except BaseException as exc:  # the commit itself failed: nothing of the batch holds
            outcomes = [(False, exc, [])] * len(queued)
        _deliver_outcomes(queued, outcomes, self.orphaned)

    def _inline_connection(self) -> sa.Connection:
        if self._inline is None or self._inline.closed or self._inline.invalidated:
            self._inline = self.engine.connect()
            self._inline.exec_driver_sql("PRAGMA busy_timeout = 0")  # never wait on the loop
            self._inline.commit()
        return self._inline

    def _batch_inline(self, fns: list[Callable[[sa.Connection], Any]]) -> list[_Outcome]:
        return _commit_batch(self._inline_connection(), fns, self._begin_inline)

    @staticmethod
    def _begin_inline(conn: sa.Connection) -> None:
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        except sa.exc.OperationalError as exc:
            conn.rollback()
            if "locked" in str(exc) or "busy" in str(exc):
                raise _Busy from exc
            raise

    def _write_batch(self, fns: list[Callable[[sa.Connection], Any]]) -> list[_Outcome]:
        """On the writer thread: the write lock up front (BEGIN IMMEDIATE waits for it; a deferred
        transaction that reads, then writes, fails at once when another process wrote between)."""
        with self.engine.connect() as conn:
            return _commit_batch(conn, fns, lambda conn: conn.exec_driver_sql("BEGIN IMMEDIATE"))

    def close(self) -> None:
        if self._inline is not None:
            self._inline.close()
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


# (succeeded, its result or exception, the events it appended)
_Outcome = tuple[bool, Any, list[Any]]
# writes waiting to run, each with its caller's future
_Queue = list[tuple[Callable[[sa.Connection], Any], asyncio.Future[Any]]]


class _OneFailed(Exception):
    """A write of a batch run together failed: the batch was rolled back."""


def _commit_batch(
    conn: sa.Connection, fns: list[Callable[[sa.Connection], Any]], begin: Callable[[sa.Connection], Any]
) -> list[_Outcome]:
    """`begin` the write transaction and run the batch together; if one of its writes failed,
    begin again and run each write in a savepoint of its own."""
    begin(conn)
    if len(fns) > 1:
        try:
            return _run_together(conn, fns)
        except _OneFailed:
            begin(conn)  # rolled back: the lock may be another's now (_Busy, inline)
    return _run_batch(conn, fns)


def _run_together(conn: sa.Connection, fns: list[Callable[[sa.Connection], Any]]) -> list[_Outcome]:
    """Run a batch's functions one after the other in the transaction `conn` has begun, without a
    savepoint each (SAVEPOINT and RELEASE are two more statements per write, ~4 % of a server's
    CPU running trivial jobs), then commit. Writes rarely fail: when one does, all is rolled back
    and _OneFailed raised, for the caller to run the batch again the careful way (_run_batch).
    So a write may run more than once, as AsyncRunner's group commit and its deadlock retries
    already assume: a write is a function of its connection alone, with nothing kept elsewhere.
    (A batch whose write fails often, e.g. a taken username or idempotency key, pays twice.)"""
    outcomes: list[_Outcome] = []
    conn.info.pop(COMMITTED_EVENTS, None)  # nothing left from a transaction that failed
    try:
        for fn in fns:
            before = len(conn.info.get(COMMITTED_EVENTS, ()))
            try:
                result = fn(conn)
            except Exception as exc:
                raise _OneFailed from exc
            outcomes.append((True, result, conn.info.get(COMMITTED_EVENTS, [])[before:]))
        conn.commit()
    except BaseException:
        conn.info.pop(COMMITTED_EVENTS, None)
        conn.rollback()
        raise
    conn.info.pop(COMMITTED_EVENTS, None)
    return outcomes


def _run_batch(conn: sa.Connection, fns: list[Callable[[sa.Connection], Any]]) -> list[_Outcome]:
    """Run each function of a batch in the transaction `conn` has begun, each in a savepoint of its
    own when there are several (one that fails undoes only itself), then commit them all."""
    outcomes: list[_Outcome] = []
    conn.info.pop(COMMITTED_EVENTS, None)  # nothing left from a transaction that failed
    try:
        for fn in fns:
            before = len(conn.info.get(COMMITTED_EVENTS, ()))
            if len(fns) == 1:
                outcomes.append((True, fn(conn), []))
            else:
                savepoint = conn.begin_nested()
                try:
                    result = fn(conn)
                except Exception as exc:
                    savepoint.rollback()
                    del conn.info.get(COMMITTED_EVENTS, [])[before:]
                    outcomes.append((False, exc, []))
                    continue
                savepoint.commit()
                outcomes.append((True, result, []))
            appended = conn.info.get(COMMITTED_EVENTS, [])[before:]
            outcomes[-1] = (True, outcomes[-1][1], appended)
        conn.commit()
    except BaseException as exc:
        conn.info.pop(COMMITTED_EVENTS, None)
        conn.rollback()
        if len(fns) == 1:
            return [(False, exc, [])]
        raise
    conn.info.pop(COMMITTED_EVENTS, None)
    return outcomes


def _deliver_outcomes(
    queued: _Queue, outcomes: list[_Outcome], orphaned: Callable[[list[Any]], None] | None = None
) -> None:
    for (_, future), (ok, value, events) in zip(queued, outcomes, strict=True):
        if future.done():  # its caller was cancelled meanwhile: the write holds all the same
            if ok and events and orphaned is not None:
                orphaned(events)  # and its events are announced here, as its caller would have
            continue
        if ok:
            future.set_result((value, events))
        else:
            future.set_exception(value)


def _deliver(
    queued: _Queue, done: asyncio.Future[list[_Outcome]], orphaned: Callable[[list[Any]], None] | None
) -> None:
    if done.exception() is not None:
        _deliver_outcomes(queued, [(False, done.exception(), [])] * len(queued))
    else:
        _deliver_outcomes(queued, done.result(), orphaned)


class AsyncRunner:
    """Point writes group-commit here too: while a process's writes wait for a free transaction
    slot (at most GROUPS at once), they queue, and the next slot runs all that queued in one
    transaction, each in a savepoint. Their events are appended once, last, for the whole group
    (DEFERRED_EVENTS): the event sequence's row stays the last lock a transaction takes, so a
    group never holds it while it waits for another transaction's rows (a deadlock, which
    PostgreSQL finds only after a second). A group that meets a deadlock or a lock timeout, or
    fails to commit, is rolled back and each of its writes runs again on its own."""

    GROUPS = 4
    # writes per group at most: one waiting for a lock holds up the others of its group, and
    # PostgreSQL slows every session while a transaction has more than 64 savepoints
    GROUP_SIZE = 32

    def __init__(
        self, engine: AsyncEngine, insert_events: Callable[[sa.Connection, list[Any]], None] | None = None
    ) -> None:
        self.engine = engine
        self.insert_events = insert_events
        self._queued: _Queue = []
        self._running = 0
        self._scheduled = False
        self._tasks: set[asyncio.Task[None]] = set()
        self.orphaned: Callable[[list[Any]], None] | None = None  # as SQLiteRunner's

    async def read(self, fn: Callable[[sa.Connection], T], *, point: bool = False, long: bool = False) -> T:
        async with self.engine.connect() as conn:
            return await conn.run_sync(fn)

    async def write(self, fn: Callable[[sa.Connection], T], *, point: bool = False) -> tuple[T, list[Any]]:
        if not point or self.insert_events is None:
            return await self._alone(fn)
        future: asyncio.Future[tuple[T, list[Any]]] = asyncio.get_running_loop().create_future()
        self._queued.append((fn, future))
        if not self._scheduled:  # writes of this loop turn join one group
            self._scheduled = True
            asyncio.get_running_loop().call_soon(self._start)
        return await future

    async def _alone(self, fn: Callable[[sa.Connection], T]) -> tuple[T, list[Any]]:
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

    def _start(self) -> None:
        self._scheduled = False
        # a write whose caller was cancelled before it began does not run, as it would not alone
        self._queued = [entry for entry in self._queued if not entry[1].done()]
        while self._queued and self._running < self.GROUPS:
            group, self._queued = self._queued[: self.GROUP_SIZE], self._queued[self.GROUP_SIZE :]
            self._running += 1
            task = asyncio.get_running_loop().create_task(self._run_group(group))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _run_group(self, group: _Queue) -> None:
        try:
            fns = [fn for fn, _ in group]
            outcomes = await self._together(fns) if len(fns) > 1 else None
            if outcomes is None:
                outcomes = []
                for fn in fns:
                    try:
                        value, events = await self._alone(fn)
                        outcomes.append((True, value, events))
                    except Exception as exc:
                        outcomes.append((False, exc, []))
            _deliver_outcomes(group, outcomes, self.orphaned)
        except BaseException as exc:  # cancelled at shutdown: no caller waits forever
            _deliver_outcomes(group, [(False, exc, [])] * len(group))
            raise
        finally:
            self._running -= 1
            if self._queued and not self._scheduled:
                self._scheduled = True
                asyncio.get_running_loop().call_soon(self._start)

    async def _together(self, fns: list[Callable[[sa.Connection], Any]]) -> list[_Outcome] | None:
        """The group in one transaction; None when its writes must run alone instead."""
        try:
            async with self.engine.begin() as conn:
                try:
                    return await conn.run_sync(self._group_body, fns)
                except Exception as exc:
                    # a deadlock, a lock timeout, or one write's events that could not be
                    # inserted: nothing has committed, and alone each write meets only its own fate
                    raise _Retry from exc
        except _Retry:
            return None
        except sa.exc.DBAPIError as exc:  # the commit failed: nothing of the group holds
            return None if retryable(exc) else [(False, exc, [])] * len(fns)

    def _group_body(self, conn: sa.Connection, fns: list[Callable[[sa.Connection], Any]]) -> list[_Outcome]:
        assert self.insert_events is not None
        pending: list[Any] = []
        conn.info[DEFERRED_EVENTS] = pending
        outcomes: list[_Outcome] = []
        try:
            for fn in fns:
                before = len(pending)
                savepoint = conn.begin_nested()
                try:
                    result = fn(conn)
                except Exception as exc:
                    if isinstance(exc, sa.exc.DBAPIError) and retryable(exc):
                        raise  # MariaDB rolled the whole transaction back: the group runs alone
                    savepoint.rollback()  # fails when the transaction itself is gone: likewise
                    del pending[before:]
                    outcomes.append((False, exc, []))
                    continue
                # fails when the write caught a database error itself and carried on: PostgreSQL's
                # transaction is then aborted, MariaDB's may be gone; the group runs alone
                savepoint.commit()
                outcomes.append((True, result, pending[before:]))
        finally:
            conn.info.pop(DEFERRED_EVENTS, None)
        self.insert_events(conn, pending)  # every id is set from here on
        conn.info.pop(COMMITTED_EVENTS, None)
        return outcomes

    def close(self) -> None:
        pass


class _Retry(Exception):
    """A group failed before its commit: it is rolled back, and its writes run alone."""
