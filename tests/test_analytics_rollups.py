"""Analytics from rollups answer exactly what the raw rows answer (migration 0015,
backends/storage/rollups.py), through HTTP: a random set of jobs (edges on the hour and within
partial hours, retries, cancellations, two owners) in a window of its own, every one labelled,
so `label=` (which reads raw rows only) gives the raw computation to compare with. Then jobs
change behind the rollups' back (deleted and retried through the API, updated, deleted and
inserted straight in the database) and the answers must follow."""

from __future__ import annotations

import asyncio
import os
import random
import time
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from baton.backends.storage import create_storage
from baton.backends.storage.tables import analytics_dirty, analytics_rollups, executions, jobs

from tests.conftest import LiveServer
from tests.jobdata import SeedJob, insert_jobs

pytestmark = pytest.mark.uses_server

SUMMARY = "/api/v1/analytics/summary"
TRENDS = "/api/v1/analytics/trends"
T0 = datetime(2019, 6, 1)
DAYS = 3
LABEL = {"set": "rollups"}
RAW = {"label": "set=rollups"}  # rollups have no labels: this reads raw rows
SEED = int(os.environ.get("BATON_TEST_SEED", random.randrange(1_000_000)))
# the server's executor runs jobs of any labels: a retried job runs again
SERVER_SETTINGS = {"executor_url": "local://?concurrency=4&labels=*"}
TERMINAL = ["completed"] * 6 + ["failed"] * 2 + ["cancelled", "timed_out"]


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="microseconds") + "Z"


def _random_jobs(rnd: random.Random, count: int) -> list[SeedJob]:
    seeds = []
    for i in range(count):
        if i % 10 == 0:  # on an hour's first microsecond, or its last
            created = T0 + timedelta(hours=rnd.randrange(DAYS * 24)) - timedelta(microseconds=i % 20 // 10)
        else:
            created = T0 + timedelta(seconds=rnd.uniform(0, DAYS * 86400))
        status = rnd.choice(TERMINAL)
        started = status != "cancelled" or rnd.random() < 0.3
        tries = rnd.choice([1, 1, 1, 2, 3]) if status != "completed" else 1
        seeds.append(
            SeedJob(
                created_at=max(created, T0),
                status=status,
                queue=rnd.choice(["etl", "mail", "ml"]),
                name=rnd.choice(["load", "load-big", "send", "train", "report"]),
                labels=LABEL,
                wait=rnd.choice([0.0, rnd.uniform(0, 5), rnd.uniform(0, 4000)]) if started else None,
                durations=tuple(rnd.lognormvariate(0, 2) for _ in range(tries)) if started else (),
            )
        )
    return seeds


def _db(server: LiveServer, fn: Callable[[sa.Connection], Any]) -> Any:
    async def run() -> Any:
        storage = create_storage(server.settings.database_url)
        await storage.connect()
        try:
            return await storage._transaction(fn, point=False)
        finally:
            await storage.close()

    return asyncio.run(run())


@pytest.fixture(scope="module")
def seeded(server: LiveServer) -> dict[str, list[SeedJob]]:
    server.token("member")  # the member-user exists
    rnd = random.Random(SEED)
    mine, theirs = _random_jobs(rnd, 500), _random_jobs(rnd, 60)
    url = server.settings.database_url
    assert insert_jobs(url, mine) == 500
    assert insert_jobs(url, theirs, owner="member-user") == 60
    return {"admin": mine, "member": theirs}


def _windows(rnd: random.Random) -> list[dict[str, str]]:
    end = T0 + timedelta(days=DAYS)
    windows = [
        {"from": _iso(T0), "to": _iso(end)},  # whole days
        {"from": _iso(T0 + timedelta(days=1)), "to": _iso(T0 + timedelta(days=2))},
        {"from": _iso(T0 + timedelta(hours=5)), "to": _iso(T0 + timedelta(hours=7))},  # whole hours
        {"from": _iso(T0 + timedelta(minutes=10)), "to": _iso(T0 + timedelta(minutes=50))},  # in one hour
    ]
    for _ in range(4):  # ragged: partial hours at both edges, whole hours and days between
        a, b = sorted(rnd.uniform(0, DAYS * 86400) for _ in range(2))
        windows.append({"from": _iso(T0 + timedelta(seconds=a)), "to": _iso(T0 + timedelta(seconds=b))})
    return windows


def _assert_rollups_answer_as_raw_rows(admin: httpx.Client, member: httpx.Client, seed: int) -> None:
    rnd = random.Random(seed)
    cases: list[tuple[httpx.Client, str, dict[str, str]]] = []
    for window in _windows(rnd):
        cases += [
            (admin, SUMMARY, window),
            (admin, SUMMARY, {**window, "queue": "etl"}),
            (admin, SUMMARY, {**window, "name": "load"}),  # a prefix: load and load-big
            (member, SUMMARY, window),
        ]
    whole = {"from": _iso(T0), "to": _iso(T0 + timedelta(days=DAYS))}
    cases += [
        (admin, TRENDS, {**whole, "bucket": "day"}),
        (admin, TRENDS, {**whole, "bucket": "hour"}),
        (admin, TRENDS, {**whole, "bucket": "hour", "queue": "mail"}),
        (admin, TRENDS, {**whole, "bucket": "day", "name": "send"}),
        (member, TRENDS, {**whole, "bucket": "hour"}),
    ]
    for client, path, params in cases:
        rolled = client.get(path, params=params)
        raw = client.get(path, params={**params, **RAW})
        assert rolled.status_code == raw.status_code == 200, rolled.text
        assert rolled.json() == raw.json(), f"{path} {params} (BATON_TEST_SEED={SEED})"


def test_rollups_answer_as_the_raw_rows(server: LiveServer, admin: httpx.Client, seeded: dict) -> None:
    with server.client(server.token("member")) as member:
        _assert_rollups_answer_as_raw_rows(admin, member, SEED)
    # the counts, against the seeds themselves
    body = admin.get(SUMMARY, params={"from": _iso(T0), "to": _iso(T0 + timedelta(days=DAYS))}).json()
    expected = Counter(seed.status for seeds in seeded.values() for seed in seeds)
    assert {k: v for k, v in body["totals"]["by_status"].items() if v} == dict(expected)
    runs = sum(len(seed.durations) for seeds in seeded.values() for seed in seeds)
    assert body["totals"]["duration_seconds"]["count"] == runs
    # and those closed hours were answered from rollups: rolled, no longer dirty
    first = int((T0 - datetime(1970, 1, 1)).total_seconds() // 3600)

    def state(conn: sa.Connection) -> tuple[int, int, int]:
        r, d = analytics_rollups.c, analytics_dirty.c
        window = (r.hour >= first) & (r.hour < first + DAYS * 24)
        count = sa.select(sa.func.count()).select_from(analytics_rollups)
        dirty = sa.select(sa.func.count()).where(d.hour >= first, d.hour < first + DAYS * 24)
        return (
            conn.execute(count.where(window, r.span == 1)).scalar_one(),
            conn.execute(count.where(window, r.span == 24)).scalar_one(),
            conn.execute(dirty).scalar_one(),
        )

    hourly, daily, dirty = _db(server, state)
    assert hourly > 0 and daily > 0 and dirty == 0


def _finished(client: httpx.Client, job_id: str) -> str:
    deadline = time.monotonic() + 30
    while (job := client.get(f"/api/v1/jobs/{job_id}").json())["status"] not in TERMINAL:
        assert time.monotonic() < deadline, f"job {job_id} still {job['status']}"
        time.sleep(0.1)
    return job["status"]


def test_rollups_follow_every_change(server: LiveServer, admin: httpx.Client, seeded: dict) -> None:
    whole = {"from": _iso(T0), "to": _iso(T0 + timedelta(days=DAYS))}
    admin.get(SUMMARY, params=whole)  # everything rolled
    rnd = random.Random(SEED + 1)
    mine = list(seeded["admin"])
    rnd.shuffle(mine)
    deleted, retried, edited = mine[:10], [s for s in mine[10:40] if s.status == "failed"][:3], mine[40:42]
    for seed in deleted:
        assert admin.delete(f"/api/v1/jobs/{seed.id}").status_code == 204
    for seed in retried:  # runs again (`true`): a new execution and a new status
        assert admin.post(f"/api/v1/jobs/{seed.id}/retry").status_code in (200, 202)
    assert [_finished(admin, seed.id) for seed in retried] == ["completed"] * len(retried)

    def behind_the_api(conn: sa.Connection) -> None:
        conn.execute(jobs.update().where(jobs.c.id == edited[0].id).values(status="timed_out", queue="ml"))
        conn.execute(executions.delete().where(executions.c.job_id == edited[1].id))

    _db(server, behind_the_api)
    added = _random_jobs(random.Random(SEED + 2), 40)
    assert insert_jobs(server.settings.database_url, added) == 40
    with server.client(server.token("member")) as member:
        _assert_rollups_answer_as_raw_rows(admin, member, SEED + 3)
    body = admin.get(SUMMARY, params=whole).json()
    assert body["totals"]["jobs"] == 560 - len(deleted) + len(added)
    assert body["totals"]["by_status"]["completed"] == (
        sum(s.status == "completed" for s in seeded["admin"] + seeded["member"] + added)
        - sum(s.status == "completed" for s in deleted)
        + len(retried)
        - (edited[0].status == "completed")
    )


def test_housekeeping_rolls_closed_hours_and_keeps_the_current_one_dirty(
    server: LiveServer, seeded: dict
) -> None:
    from baton.timeutil import utcnow

    now = utcnow()
    current = int((now - datetime(1970, 1, 1)).total_seconds()) // 3600
    _db(server, lambda conn: conn.execute(analytics_dirty.insert(), [{"hour": 1000}, {"hour": current}]))

    async def housekeeping() -> int:
        storage = create_storage(server.settings.database_url)
        await storage.connect()
        try:
            return await storage.roll_closed_analytics(now)
        finally:
            await storage.close()

    assert asyncio.run(housekeeping()) >= 1
    left = set(_db(server, lambda conn: conn.scalars(sa.select(analytics_dirty.c.hour)).all()))
    assert 1000 not in left and current in left  # closed long ago: rolled; this hour: still open
