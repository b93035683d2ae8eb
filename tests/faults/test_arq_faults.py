"""Fault injection on the arq executor, with real processes on MariaDB (the production-like
database for several processes): workers killed with SIGKILL again and again, Redis restarted
without persistence. What must hold (DESIGN.md §7): every job ends exactly once in a terminal
state, no job runs twice at the same time, none is left behind, and the API keeps answering.

"At the same time" is checked by the jobs themselves: each attempt takes an exclusive flock on
a per-job file before it writes its start marker and releases it only by ending (the kernel
drops the lock of a killed process), so an attempt that starts while another attempt of the same
job still runs cannot take the lock and reports the overlap."""

from __future__ import annotations

import asyncio
import collections
import random
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import create_async_engine

from tests.conftest import wait_for
from tests.databases import create_database, drop_database
from tests.faults.harness import JOBS, ArqCluster, RedisProcess

pytestmark = pytest.mark.slow

LIVE = {"scheduled", "pending", "running"}
KILLS = 6  # workers killed with SIGKILL, one every 2 to 4 s, while jobs remain


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    url = create_database("mariadb", tmp_path)
    yield url
    drop_database(url)


@pytest.fixture
def redis_proc(tmp_path: Path) -> Iterator[RedisProcess]:
    proc = RedisProcess(tmp_path).start()
    yield proc
    proc.stop()


def job_script(workdir: Path, pause: float) -> list[str]:
    lock = f"{workdir}/locks/$BATON_JOB_ID"
    me = "$BATON_JOB_ID $BATON_JOB_ATTEMPT"
    script = (
        f"exec 9>>{lock}; "
        f'if ! flock -n 9; then echo "{me}" >> {workdir}/overlaps; exit 0; fi; '
        f'echo "start {me}" >> {workdir}/markers; '
        f"sleep {pause} 9>&-; "  # the sleep does not hold the lock: only this shell does
        f'echo "end {me}" >> {workdir}/markers'
    )
    return ["sh", "-c", script]


def submit_all(api: httpx.Client, count: int, command: list[str], **fields: object) -> list[str]:
    ids: list[str] = []
    while len(ids) < count:
        n = min(500, count - len(ids))
        body = {"jobs": [{"command": command, **fields} for _ in range(n)]}
        response = api.post(f"{JOBS}/batch", json=body)
        assert response.status_code == 201, response.text
        ids += [result["job"]["id"] for result in response.json()["results"]]
    return ids


def count_live(api: httpx.Client) -> int:
    """Jobs not yet finished (at most 100 are counted: this is a poll, not a census)."""
    page = api.get(JOBS, params={"status": "scheduled,pending,running", "limit": 100})
    assert page.status_code == 200, page.text
    return len(page.json()["data"])


def census(database_url: str) -> tuple[dict[str, str], dict[str, list[tuple[int, str]]]]:
    """Every job's status and every job's executions (attempt, status), read from the database."""

    async def read() -> tuple[dict[str, str], dict[str, list[tuple[int, str]]]]:
        engine = create_async_engine(database_url)
        try:
            async with engine.connect() as conn:
                jobs = dict((await conn.execute(sa.text("SELECT id, status FROM jobs"))).all())
                runs: dict[str, list[tuple[int, str]]] = collections.defaultdict(list)
                rows = await conn.execute(
                    sa.text("SELECT job_id, attempt, status FROM executions ORDER BY job_id, attempt")
                )
                for job_id, attempt, status in rows:
                    runs[job_id].append((attempt, status))
                return jobs, runs
        finally:
            await engine.dispose()

    return asyncio.run(read())


def check_outcome(workdir: Path, database_url: str, ids: list[str]) -> dict[str, int]:
    """The invariants every fault test ends with; returns the figures it checked."""
    statuses, runs = census(database_url)
    assert set(statuses) == set(ids)
    left = {job_id: status for job_id, status in statuses.items() if status in LIVE}
    assert not left, f"{len(left)} job(s) left unfinished: {list(left.items())[:5]}"
    not_completed = {job_id: s for job_id, s in statuses.items() if s != "completed"}
    assert not not_completed, (
        f"{len(not_completed)} job(s) did not complete: {list(not_completed.items())[:5]}"
    )
    for job_id in ids:
        attempts = runs[job_id]
        finals = [status for _, status in attempts if status == "completed"]
        assert len(finals) == 1, (job_id, attempts)  # exactly once in a terminal state
        assert attempts[-1][1] == "completed", (job_id, attempts)
        assert all(status == "lost" for _, status in attempts[:-1]), (job_id, attempts)
        assert [a for a, _ in attempts] == list(range(1, len(attempts) + 1)), (job_id, attempts)
    overlaps = (workdir / "overlaps").read_text().split("\n") if (workdir / "overlaps").exists() else []
    overlaps = [line for line in overlaps if line]
    assert not overlaps, f"attempts of one job ran at the same time: {overlaps[:5]}"
    markers = [line.split() for line in (workdir / "markers").read_text().splitlines()]
    starts = collections.Counter(job_id for kind, job_id, _ in markers if kind == "start")
    ends = collections.Counter(job_id for kind, job_id, _ in markers if kind == "end")
    assert set(ends) == set(ids), "a completed job whose command never finished"
    return {
        "jobs": len(ids),
        "completed": len(ids),
        "attempts": sum(len(a) for a in runs.values()),
        "lost attempts": sum(1 for a in runs.values() for _, s in a if s == "lost"),
        "jobs run more than once": sum(1 for job_id in ids if len(runs[job_id]) > 1),
        "commands started": sum(starts.values()),
        "commands run to the end": sum(ends.values()),
        "commands run to the end twice (killed before the outcome was recorded)": sum(
            1 for n in ends.values() if n > 1
        ),
        "overlapping attempts": 0,
    }


class ApiWatch(threading.Thread):
    """Polls the API the whole time: every answer must come, and quickly."""

    def __init__(self, api_url: str, token: str) -> None:
        super().__init__(daemon=True)
        self.client = httpx.Client(base_url=api_url, headers={"Authorization": f"Bearer {token}"}, timeout=10)
        self.halt = threading.Event()
        self.requests = 0
        self.failures: list[str] = []
        self.slowest = 0.0

    def run(self) -> None:
        while not self.halt.is_set():
            for path in ("/health", JOBS + "?limit=5"):
                started = time.monotonic()
                try:
                    status = self.client.get(path).status_code
                    if status != 200:
                        self.failures.append(f"{path}: {status}")
                except httpx.HTTPError as exc:
                    self.failures.append(f"{path}: {type(exc).__name__}")
                self.slowest = max(self.slowest, time.monotonic() - started)
                self.requests += 1
            self.halt.wait(0.1)


def test_thousand_jobs_survive_workers_killed_with_sigkill(
    tmp_path: Path, database_url: str, redis_proc: RedisProcess
) -> None:
    (tmp_path / "locks").mkdir()
    cluster = ArqCluster(
        tmp_path, redis_proc, database_url=database_url, lease_seconds=4, heartbeat_seconds=0.5
    ).start()
    rng = random.Random(20260517)
    kills = 0
    try:
        for _ in range(3):
            cluster.add_worker(concurrency=8)
        with cluster.client() as api:
            started = time.monotonic()
            ids = submit_all(api, 1000, job_script(tmp_path, 0.05), max_retries=20, retry_backoff_seconds=0)
            # A fixed number of kills, not kills until the end: on a slow machine a restarted
            # worker takes seconds to start, and killing for as long as jobs remain starved the
            # run (30 kills in CI, 100 s spent, jobs left)
            next_kill = time.monotonic() + 2
            while kills < KILLS and count_live(api):
                if time.monotonic() >= next_kill:
                    victim = rng.choice([w for w in cluster.workers if w.alive()])
                    victim.stop(signal.SIGKILL)
                    kills += 1
                    cluster.add_worker(concurrency=8)  # restarted at once, as a supervisor would
                    next_kill = time.monotonic() + rng.uniform(2, 4)
                time.sleep(0.1)
            wait_for(lambda: count_live(api) == 0, timeout=180, interval=0.5)
            elapsed = time.monotonic() - started
        figures = check_outcome(tmp_path, database_url, ids)
    except BaseException:
        print(cluster.logs()[-20000:])
        raise
    finally:
        cluster.stop()
    print(f"\n1000 jobs, 3 workers x 8, {kills} workers killed with SIGKILL and restarted, {elapsed:.1f}s")
    for name, value in figures.items():
        print(f"  {name}: {value}")
    assert kills == KILLS, "the jobs finished before every kill: they no longer test a mid-run kill"


def test_redis_restarts_without_persistence_lose_no_job(
    tmp_path: Path, database_url: str, redis_proc: RedisProcess
) -> None:
    (tmp_path / "locks").mkdir()
    cluster = ArqCluster(
        tmp_path, redis_proc, database_url=database_url, lease_seconds=4, heartbeat_seconds=0.5
    ).start()
    restarts = 0
    try:
        for _ in range(2):
            cluster.add_worker(concurrency=8)
        with cluster.client() as api:
            watch = ApiWatch(cluster.server.url, api.headers["Authorization"].split()[1])
            watch.start()
            started = time.monotonic()
            ids = submit_all(api, 400, job_script(tmp_path, 0.05), max_retries=20, retry_backoff_seconds=0)
            for _ in range(2):
                # mid-run: some jobs done, some running, many waiting in Redis
                time.sleep(1.5)
                assert count_live(api) > 0, "the run ended before Redis could be restarted"
                redis_proc.restart()
                restarts += 1
            wait_for(lambda: count_live(api) == 0, timeout=90, interval=0.5)
            elapsed = time.monotonic() - started
            watch.halt.set()
            watch.join(10)
        figures = check_outcome(tmp_path, database_url, ids)
        assert watch.requests > 20 and not watch.failures, watch.failures[:10]
    except BaseException:
        print(cluster.logs()[-20000:])
        raise
    finally:
        cluster.stop()
    print(f"\n400 jobs, 2 workers x 8, Redis killed and restarted empty {restarts} times, {elapsed:.1f}s")
    for name, value in figures.items():
        print(f"  {name}: {value}")
    print(
        f"  API requests during the run: {watch.requests}, failed: 0, slowest: {watch.slowest * 1000:.0f} ms"
    )
