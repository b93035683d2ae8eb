"""Group commit (backends/storage/runner.py), on every database: the point writes a process makes
at the same moment share one transaction, each in a savepoint of its own, and their events are
appended once, last. What must hold: a write that fails undoes only itself and leaves no event;
the others commit once, with gap-free ids; a write that caught a database
error itself (PostgreSQL then aborts the whole transaction) costs the others nothing."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
import sqlalchemy as sa
from baton.backends.storage import EventQuery
from baton.backends.storage.sql import SQLStorage

from baton.models import Event
from baton.timeutil import utcnow

WRITES = 40


def marker(n: int) -> Event:
    return Event(type="test.group", subject_type="test", subject_id=f"w{n}", at=utcnow(), data={"n": n})


def count_commits(storage: SQLStorage) -> list[int]:
    """How many transactions commit from here on (one per group, not one per write)."""
    runner = storage.runner
    engine = runner.engine.sync_engine if hasattr(runner.engine, "sync_engine") else runner.engine
    commits = [0]

    def on_commit(conn: Any) -> None:
        commits[0] += 1

    sa.event.listen(engine, "commit", on_commit)
    return commits


def appending(storage: SQLStorage, n: int, pause: float = 0) -> Any:
    """A write that appends marker n, then holds its transaction open for `pause` seconds."""

    def run(conn: sa.Connection) -> int:
        storage._append_events(conn, [marker(n)])
        if pause:
            sleep = "SELECT pg_sleep(:s)" if storage.dialect == "postgresql" else "SELECT SLEEP(:s)"
            conn.execute(sa.text(sleep), {"s": pause})
        return n

    return run


async def stored(storage: SQLStorage) -> list[Event]:
    page, _ = await storage.list_events(EventQuery(types=frozenset({"test.group"}), limit=1000))
    return page


async def test_a_failing_write_undoes_only_itself(storage: SQLStorage) -> None:
    seen: list[Event] = []
    storage.events_committed = seen.extend
    commits = count_commits(storage)

    def write(n: int) -> Any:
        def run(conn: sa.Connection) -> int:
            storage._append_events(conn, [marker(n)])
            if n % 7 == 3:
                raise ValueError(f"write {n} fails after appending its event")
            return n

        return storage._transaction(run)

    results = await asyncio.gather(*(write(n) for n in range(WRITES)), return_exceptions=True)
    failed = {n for n in range(WRITES) if n % 7 == 3}
    for n, result in enumerate(results):
        if n in failed:
            assert isinstance(result, ValueError), result
        else:
            assert result == n
    events = await stored(storage)
    assert sorted(e.data["n"] for e in events) == sorted(set(range(WRITES)) - failed)
    ids = [e.id for e in events]
    assert ids == list(range(ids[0], ids[0] + len(ids)))  # gap-free
    assert [e.id for e in seen] == ids  # what this process was told committed, in order
    assert commits[0] < WRITES - len(failed), commits  # they did share transactions


async def test_a_write_that_caught_a_database_error_costs_the_others_nothing(storage: SQLStorage) -> None:
    def swallowing(conn: sa.Connection) -> str:
        storage._append_events(conn, [marker(-1)])
        try:
            conn.execute(sa.text("SELECT no_such_column FROM jobs"))
        except sa.exc.DBAPIError:
            return "carried on"  # as announce_depth does
        raise AssertionError("the statement should have failed")

    results = await asyncio.gather(
        *(storage._transaction(appending(storage, n)) for n in range(10)),
        storage._transaction(swallowing),
        *(storage._transaction(appending(storage, n)) for n in range(10, 20)),
    )
    assert results == [*range(10), "carried on", *range(10, 20)]
    numbers = [e.data["n"] for e in await stored(storage)]
    assert sorted(n for n in numbers if n >= 0) == list(range(20))  # each once
    if storage.dialect != "postgresql":  # elsewhere the failed statement alone is undone
        return
    assert -1 not in numbers  # PostgreSQL: its transaction was lost, as it is when it runs alone


async def test_writes_queue_while_every_slot_is_busy(storage: SQLStorage) -> None:
    """With one transaction slot, writes made while it is busy run together in the next one."""
    if storage.dialect == "sqlite":
        pytest.skip("SQLite's runner has one writer by design")
    storage.runner.GROUPS = 1
    commits = count_commits(storage)

    first = asyncio.ensure_future(storage._transaction(appending(storage, 0, pause=0.2)))
    await asyncio.sleep(0.05)  # the slot is taken
    await asyncio.gather(first, *(storage._transaction(appending(storage, n)) for n in range(1, 11)))
    assert commits[0] == 2, commits  # the slow one, then the ten together
    assert sorted(e.data["n"] for e in await stored(storage)) == list(range(11))


async def test_a_write_whose_events_cannot_be_stored_fails_alone(storage: SQLStorage) -> None:
    """Its events are inserted with the group's, after every write: the others must not pay."""

    def write(n: int) -> Any:
        def run(conn: sa.Connection) -> int:
            event = marker(n)
            if n == 2:
                event.data = {"n": n, "unstorable": object()}  # not JSON
            storage._append_events(conn, [event])
            return n

        return storage._transaction(run)

    results = await asyncio.gather(*(write(n) for n in range(5)), return_exceptions=True)
    assert [r for r in results if isinstance(r, int)] == [0, 1, 3, 4], results
    assert isinstance(results[2], Exception)
    assert sorted(e.data["n"] for e in await stored(storage)) == [0, 1, 3, 4]


async def test_a_cancelled_callers_write_commits_and_is_announced(storage: SQLStorage) -> None:
    """A caller that gives up while its group runs does not undo its write: its events are still
    announced, or this process's streams and caches would miss them."""
    if storage.dialect == "sqlite":
        pytest.skip("SQLite's groups run on the event loop itself: no caller is cancelled meanwhile")
    seen: list[Event] = []
    storage.events_committed = seen.extend

    fns = [appending(storage, 0, pause=0.3), appending(storage, 1), appending(storage, 2)]
    writes = [asyncio.ensure_future(storage._transaction(fn)) for fn in fns]
    await asyncio.sleep(0.1)  # the group runs the slow write
    writes[1].cancel()
    await asyncio.gather(*writes, return_exceptions=True)
    assert sorted(e.data["n"] for e in await stored(storage)) == [0, 1, 2]
    assert sorted(e.data["n"] for e in seen) == [0, 1, 2]
