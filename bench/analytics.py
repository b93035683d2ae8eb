"""Analytics at a million jobs: time the summary and the trends (baton/analytics.py, the code the
handlers call) over windows of a day and of the whole month, on SQLite and PostgreSQL.

    python bench/analytics.py [--jobs 1000000] [--databases sqlite,postgresql] [--repeat 5] [--keep]

Jobs (and one execution each) are bulk-inserted straight into the database (tests/jobdata.py),
spread over 30 days, 8 queues and 200 names; the bench prints the median and worst time of each
query. PostgreSQL needs the machine's server (postgres@127.0.0.1:5432); the bench creates and
drops its own database (--keep keeps it, and the SQLite file, and prints their URLs).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from baton.backends.storage import create_storage
from baton.backends.storage.tables import users

from baton import analytics
from baton.auth import hash_password
from baton.models import Principal, Role
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

        def add_admin(conn) -> None:
            conn.execute(users.insert().values(
                id=user_id, username="admin", password_hash=hash_password("bench-password-123"), role="admin",
                disabled=False, created_at=START, updated_at=START,
            ))  # fmt: skip

        await storage._transaction(add_admin, point=False)
        return user_id
    finally:
        await storage.close()


async def measure(url: str, user_id: str, repeat: int) -> list[tuple[str, float, float]]:
    storage = create_storage(url)
    await storage.connect()
    admin = Principal(user_id, "admin", Role.ADMIN, None)
    day = {"from": isoformat(START + SPAN - timedelta(days=1)), "to": isoformat(START + SPAN)}
    month = {"from": isoformat(START), "to": isoformat(START + SPAN)}
    last_hours = {**day, "from": isoformat(START + SPAN - timedelta(hours=24))}
    cases = [
        ("summary, last day (~33k jobs)", lambda: analytics.summary(storage, admin, **day)),
        ("summary, last day, one queue", lambda: analytics.summary(storage, admin, queue="queue-3", **day)),
        ("summary, whole month (1M jobs)", lambda: analytics.summary(storage, admin, **month)),
        ("trends by minute, last day", lambda: analytics.trends(storage, admin, "minute", **last_hours)),
        ("trends by hour, last day", lambda: analytics.trends(storage, admin, bucket="hour", **day)),
        ("trends by day, whole month", lambda: analytics.trends(storage, admin, bucket="day", **month)),
    ]
    results = []
    try:
        for label, run in cases:
            times = []
            for _ in range(repeat):
                began = time.perf_counter()
                await run()
                times.append((time.perf_counter() - began) * 1000)
            results.append((label, statistics.median(times), max(times)))
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
        url = create_database(kind, Path(tempfile.mkdtemp(prefix="baton-bench-")))
        try:
            user_id = asyncio.run(prepare(url))
            began = time.perf_counter()
            insert_jobs(url, synthetic_jobs(args.jobs, START, SPAN))
            print(f"{kind}: {args.jobs:,} jobs inserted in {time.perf_counter() - began:.0f} s", flush=True)
            for label, median, worst in asyncio.run(measure(url, user_id, args.repeat)):
                print(f"  {label:34} median {median:8.1f} ms   worst {worst:8.1f} ms", flush=True)
        finally:
            if args.keep:
                print(f"  kept: {url}")
            else:
                drop_database(url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
