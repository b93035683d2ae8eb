"""Analytics at a million jobs: time the summary and the trends (baton/analytics.py, the code the
handlers call) over windows of a day and of the whole month, on SQLite and PostgreSQL, from raw
rows only (what every query did before rollups) and from rollups (what they do now).

    python bench/analytics.py [--jobs 1000000] [--databases sqlite,postgresql] [--repeat 5] [--keep]

Jobs (and one execution each) are bulk-inserted straight into the database (tests/jobdata.py),
spread over 30 days, 8 queues and 200 names (so an hour holds ~1,400 jobs of ~200 queue/name
pairs: a hard case for rollups); the triggers of migration 0015 mark every hour dirty as they
go, and the bench times the roll that folds them all into rollups (what the migration does for
existing jobs) before the queries. It prints the median and worst time of each query, raw and
from rollups, and checks both answer the same. PostgreSQL needs the machine's server
(postgres@127.0.0.1:5432); the bench creates and drops its own database (--keep keeps it, and
the SQLite file, and prints their URLs).
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sqlalchemy as sa
from baton.backends.storage import create_storage
from baton.backends.storage.tables import users
from sqlalchemy.ext.asyncio import create_async_engine

from baton import analytics
from baton.auth import hash_password
from baton.models import Principal, Role
from baton.settings import Settings
from baton.timeutil import isoformat, new_id
from tests.databases import create_database, drop_database
from tests.jobdata import insert_jobs, synthetic_jobs

START = datetime(2026, 1, 1)
SPAN = timedelta(days=30)


async def prepare(url: str) -> str:
    storage = create_storage(url)
    await storage.connect()
    try:
        await storage.migrate()
        user_id = new_id()

        password_hash = hash_password("bench-password-123", Settings.password_hash_cost)

        def add_admin(conn) -> None:
            conn.execute(users.insert().values(
                id=user_id, username="admin", password_hash=password_hash, role="admin",
                disabled=False, created_at=START, updated_at=START,
            ))  # fmt: skip

        await storage._transaction(add_admin, point=False)
        return user_id
    finally:
        await storage.close()


async def analyze(url: str) -> None:
    """Planner statistics, as autovacuum gathers them a minute after a bulk insert: without
    them PostgreSQL scans the whole table for an hour's window."""
    if not url.startswith("postgresql"):
        return
    engine = create_async_engine(url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            await conn.execute(sa.text("ANALYZE"))
    finally:
        await engine.dispose()


async def roll_all(url: str) -> tuple[int, float]:
    storage = create_storage(url)
    await storage.connect()
    try:
        began = time.perf_counter()
        hours = await storage.roll_analytics()
        return hours, time.perf_counter() - began
    finally:
        await storage.close()


async def measure(url: str, user_id: str, repeat: int) -> list[tuple[str, float, float, float, float]]:
    storage = create_storage(url)
    await storage.connect()
    admin = Principal(user_id, "admin", Role.ADMIN, None)
    day = {"from": isoformat(START + SPAN - timedelta(days=1)), "to": isoformat(START + SPAN)}
    month = {"from": isoformat(START), "to": isoformat(START + SPAN)}
    last_hours = {**day, "from": isoformat(START + SPAN - timedelta(hours=24))}
    # a window that does not start on the hour: raw rows for the partial hours at both edges
    ragged = {
        "from": isoformat(START + timedelta(minutes=17, seconds=3)),
        "to": isoformat(START + SPAN - timedelta(minutes=41)),
    }

    def summary(**params):
        return lambda rollups: analytics.summary(storage, admin, rollups=rollups, **params)

    def trend(bucket, **params):
        return lambda rollups: analytics.trends(storage, admin, bucket, rollups=rollups, **params)

    cases = [
        ("summary, last day (~33k jobs)", summary(**day)),
        ("summary, last day, one queue", summary(queue="queue-3", **day)),
        ("summary, last day, name=job-1", summary(name="job-1", **day)),
        ("summary, whole month (1M jobs)", summary(**month)),
        ("summary, month, ragged edges", summary(**ragged)),
        ("summary, month, one queue", summary(queue="queue-3", **month)),
        ("trends by minute, last day", trend("minute", **last_hours)),
        ("trends by hour, last day", trend("hour", **day)),
        ("trends by hour, whole month", trend("hour", **month)),
        ("trends by day, whole month", trend("day", **month)),
    ]
    results = []
    try:
        for label, run in cases:
            figures, answers = [], []
            for rollups in (False, True):
                times = []
                for _ in range(repeat if rollups else max(1, repeat // 2)):
                    began = time.perf_counter()
                    answer = await run(rollups)
                    times.append((time.perf_counter() - began) * 1000)
                answers.append(answer)
                figures += [statistics.median(times), max(times)]
            if answers[0] != answers[1]:
                print(f"  !! {label}: the rollups' answer differs from the raw rows'", flush=True)
            results.append((label, *figures))
    finally:
        await storage.close()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--jobs", type=int, default=1_000_000)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    for kind in args.databases.split(","):
        folder = Path(tempfile.mkdtemp(prefix="baton-bench-"))
        url = create_database(kind, folder)
        try:
            user_id = asyncio.run(prepare(url))
            began = time.perf_counter()
            insert_jobs(url, synthetic_jobs(args.jobs, START, SPAN))
            print(f"{kind}: {args.jobs:,} jobs inserted in {time.perf_counter() - began:.0f} s", flush=True)
            asyncio.run(analyze(url))
            hours, took = asyncio.run(roll_all(url))
            print(f"  rolled {hours} dirty hours into rollups in {took:.1f} s", flush=True)
            print(f"  {'':34} {'raw rows: median':>16} {'worst':>9}   {'rollups: median':>15} {'worst':>9}")
            for label, *ms in asyncio.run(measure(url, user_id, args.repeat)):
                print(
                    f"  {label:34} {ms[0]:13.1f} ms {ms[1]:9.1f}   {ms[2]:12.1f} ms {ms[3]:9.1f}", flush=True
                )
        finally:
            if args.keep:
                print(f"  kept: {url}")
            else:
                drop_database(url)
                shutil.rmtree(folder, ignore_errors=True)  # the SQLite file
    return 0


if __name__ == "__main__":
    sys.exit(main())
