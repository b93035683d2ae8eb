"""SQLiteRunner (backends/storage/runner.py): where reads run (on the event loop while they are
small, on a reader thread once they outgrow their budget) and how a batch of writes commits
(together, with savepoints only once one of them failed)."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from baton.backends.storage import runner as runner_module
from baton.backends.storage.runner import COMMITTED_EVENTS, SQLiteRunner

# a statement that takes millions of SQLite instructions, far past any read's budget on the loop
LONG_SCAN = sa.text(
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300000) SELECT sum(i) FROM n"
)
LONG_SCAN_SUM = 300000 * 300001 // 2


@pytest.fixture
def sqlite_runner(tmp_path: Path):
    runner = SQLiteRunner(str(tmp_path / "reads.db"), lambda *_: None)
    yield runner
    runner.close()


def _recording(threads: list[str], statement: sa.TextClause):
    def read(conn: sa.Connection) -> int:
        threads.append(threading.current_thread().name)
        return conn.execute(statement).scalar_one()

    return read


async def test_a_small_read_runs_on_the_event_loop(sqlite_runner: SQLiteRunner) -> None:
    threads: list[str] = []
    assert await sqlite_runner.read(_recording(threads, sa.text("SELECT 41 + 1"))) == 42
    assert threads == [threading.current_thread().name]


async def test_a_read_past_its_budget_runs_again_on_a_reader_thread(sqlite_runner: SQLiteRunner) -> None:
    threads: list[str] = []
    gaps: list[float] = []
    stop = asyncio.Event()

    async def ticker() -> None:  # how long the loop was held up at a time
        last = time.monotonic()
        while not stop.is_set():
            await asyncio.sleep(0.005)
            now = time.monotonic()
            gaps.append(now - last)
            last = now

    ticking = asyncio.create_task(ticker())
    await asyncio.sleep(0.02)
    try:
        assert await sqlite_runner.read(_recording(threads, LONG_SCAN)) == LONG_SCAN_SUM
    finally:
        stop.set()
        await ticking
    loop_thread = threading.current_thread().name
    assert threads[0] == loop_thread, "a read is tried on the loop first"
    assert len(threads) == 2 and threads[1].startswith("baton-sqlite-read"), threads
    # stopped after its budget (~1-3 ms of work), not after the whole scan
    assert max(gaps) < 0.1, f"the loop was held up for {max(gaps):.3f} s"


async def test_the_budget_ends_with_the_read(sqlite_runner: SQLiteRunner) -> None:
    """The inline connection is shared: a read stopped for its budget leaves no limit behind
    on the point reads and writes that use it next."""
    await sqlite_runner.read(_recording([], LONG_SCAN))
    threads: list[str] = []
    assert await sqlite_runner.read(_recording(threads, LONG_SCAN), point=True) == LONG_SCAN_SUM
    assert threads == [threading.current_thread().name]

    def write(conn: sa.Connection) -> int:
        conn.exec_driver_sql("CREATE TABLE IF NOT EXISTS t (v INTEGER)")
        conn.execute(sa.text("INSERT INTO t (v) " + LONG_SCAN.text))
        return conn.execute(sa.text("SELECT v FROM t")).scalar_one()

    assert await sqlite_runner.write(write, point=True) == (LONG_SCAN_SUM, [])


async def test_a_budget_can_be_raised(sqlite_runner: SQLiteRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner_module, "INLINE_READ_SECONDS", 60.0)
    threads: list[str] = []
    assert await sqlite_runner.read(_recording(threads, LONG_SCAN)) == LONG_SCAN_SUM
    assert threads == [threading.current_thread().name]


async def test_time_spent_on_the_rows_counts_against_the_budget(sqlite_runner: SQLiteRunner) -> None:
    """SQLite checks the budget only while it steps; the Python work between rows (making them
    into objects) counts all the same, as it holds up the loop as much."""
    threads: list[str] = []

    def slow_rows(conn: sa.Connection) -> int:
        threads.append(threading.current_thread().name)
        total = 0
        for (value,) in conn.execute(
            sa.text(LONG_SCAN.text.replace("SELECT sum(i) FROM n", "SELECT i FROM n"))
        ):
            total += value
            if value % 1000 == 0:
                time.sleep(0.001)  # ~1 ms per 1,000 rows: 0.3 s in all, far past the budget
        return total

    started = time.monotonic()
    assert await sqlite_runner.read(slow_rows) == LONG_SCAN_SUM
    assert threads[0] == threading.current_thread().name
    assert threads[1].startswith("baton-sqlite-read"), threads
    assert time.monotonic() - started > 0.3  # it did run to its end, on the thread


async def test_a_long_read_goes_to_a_reader_thread_at_once(sqlite_runner: SQLiteRunner) -> None:
    threads: list[str] = []
    assert await sqlite_runner.read(_recording(threads, sa.text("SELECT 41 + 1")), long=True) == 42
    assert len(threads) == 1 and threads[0].startswith("baton-sqlite-read"), threads


async def test_a_failing_read_fails_once(sqlite_runner: SQLiteRunner) -> None:
    threads: list[str] = []
    with pytest.raises(sa.exc.OperationalError, match="no such table"):
        await sqlite_runner.read(_recording(threads, sa.text("SELECT count(*) FROM missing")))
    assert threads == [threading.current_thread().name], "an error is not a budget: no second run"


def _statements(runner: SQLiteRunner) -> list[str]:
    seen: list[str] = []
    sa.event.listen(runner.engine, "before_cursor_execute", lambda _c, _cur, sql, *_: seen.append(sql))
    return seen


async def _batch(runner: SQLiteRunner, failing: int | None, create: bool = True) -> list:
    """Six point writes made in one turn of the loop (one batch); each inserts its value and
    records an event of its own, as the storage's writes do (COMMITTED_EVENTS)."""
    if create:
        await runner.write(lambda conn: conn.exec_driver_sql("CREATE TABLE IF NOT EXISTS t (v INTEGER)"))

    def insert(v: int):
        def run(conn: sa.Connection) -> int:
            conn.execute(sa.text("INSERT INTO t (v) VALUES (:v)"), {"v": v})
            conn.info.setdefault(COMMITTED_EVENTS, []).append(f"event {v}")
            if v == failing:
                raise ValueError(f"write {v} fails after its insert")
            return v

        return run

    # writes made in one turn of the loop commit as one batch
    return await asyncio.gather(
        *(runner.write(insert(v), point=True) for v in range(6)), return_exceptions=True
    )


async def _values(runner: SQLiteRunner) -> list[int]:
    return await runner.read(lambda conn: sorted(conn.execute(sa.text("SELECT v FROM t")).scalars()))


async def test_a_batch_of_writes_commits_together_without_savepoints(sqlite_runner: SQLiteRunner) -> None:
    statements = _statements(sqlite_runner)
    assert await _batch(sqlite_runner, failing=None) == [(v, [f"event {v}"]) for v in range(6)]
    assert await _values(sqlite_runner) == list(range(6))
    assert not [s for s in statements if "SAVEPOINT" in s.upper()]


async def test_a_write_that_fails_in_a_batch_undoes_only_itself(sqlite_runner: SQLiteRunner) -> None:
    statements = _statements(sqlite_runner)
    results = await _batch(sqlite_runner, failing=3)
    assert isinstance(results[3], ValueError)
    # each write keeps its own event; the failed one's is gone with it
    assert [r for i, r in enumerate(results) if i != 3] == [(v, [f"event {v}"]) for v in (0, 1, 2, 4, 5)]
    assert await _values(sqlite_runner) == [0, 1, 2, 4, 5]
    # the batch ran again, each write in a savepoint of its own
    assert len([s for s in statements if s.upper().startswith("SAVEPOINT")]) == 6


async def test_a_batch_waits_for_another_processs_lock_on_the_writer_thread(
    sqlite_runner: SQLiteRunner, tmp_path: Path
) -> None:
    await sqlite_runner.write(lambda conn: conn.exec_driver_sql("CREATE TABLE IF NOT EXISTS t (v INTEGER)"))
    other = sqlite3.connect(tmp_path / "reads.db", isolation_level=None)  # another process, as SQLite sees it
    other.execute("BEGIN IMMEDIATE")
    asyncio.get_running_loop().call_later(0.3, other.rollback)  # lets go after a while
    try:
        waited = time.monotonic()
        results = await _batch(sqlite_runner, failing=None, create=False)
        waited = time.monotonic() - waited
    finally:
        other.close()
    assert waited > 0.2, "the batch should have waited for the lock"
    assert results == [(v, [f"event {v}"]) for v in range(6)]
    assert await _values(sqlite_runner) == list(range(6))
