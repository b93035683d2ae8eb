"""Where SQLite reads run: on the event loop while they are small, on a reader thread once they
outgrow their budget (backends/storage/runner.py, SQLiteRunner.read)."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from baton.backends.storage import runner as runner_module
from baton.backends.storage.runner import SQLiteRunner

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
    monkeypatch.setattr(runner_module, "INLINE_READ_STEPS", 100_000_000)
    threads: list[str] = []
    assert await sqlite_runner.read(_recording(threads, LONG_SCAN)) == LONG_SCAN_SUM
    assert threads == [threading.current_thread().name]


async def test_a_failing_read_fails_once(sqlite_runner: SQLiteRunner) -> None:
    threads: list[str] = []
    with pytest.raises(sa.exc.OperationalError, match="no such table"):
        await sqlite_runner.read(_recording(threads, sa.text("SELECT count(*) FROM missing")))
    assert threads == [threading.current_thread().name], "an error is not a budget: no second run"
