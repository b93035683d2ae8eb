"""Keyset paging stays flat: time GET /api/v1/jobs?limit=50 for the first page and for a cursor
deep into N jobs, on SQLite and on MariaDB, through a real `baton serve`.

    python bench/deep_page.py [--jobs 1000000] [--databases sqlite,mariadb] [--repeat 30]

Rows are bulk-inserted straight into the database (the API would take hours for a million);
the timed requests go through HTTP like any client's. MariaDB needs the machine's server
(root, no password, 127.0.0.1:3306); the bench creates and drops its own database.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from baton.backends.storage import create_storage
from baton.backends.storage.tables import jobs, users

from baton.auth import hash_password
from baton.pagination import encode_cursor
from baton.settings import Settings
from baton.timeutil import isoformat, new_id, utcnow
from tests.conftest import ServerProcess
from tests.databases import create_database, drop_database

PASSWORD = "bench-password-123"
BATCH = 5000


async def fill(url: str, count: int) -> tuple[str, str]:
    """Insert `count` finished jobs; return the (created_at, id) keyset position of the middle one."""
    storage = create_storage(url)
    await storage.connect()
    await storage.migrate()
    owner = new_id()
    start = utcnow() - timedelta(days=30)
    admin = users.insert().values(
        id=owner,
        username="admin",
        password_hash=hash_password(PASSWORD, Settings.password_hash_cost),
        role="admin",
        disabled=False,
        created_at=start,
        updated_at=start,
    )
    await storage._transaction(lambda conn: conn.execute(admin), point=False)
    middle = None
    for first in range(0, count, BATCH):
        rows = []
        for i in range(first, min(first + BATCH, count)):
            created = start + timedelta(microseconds=i * 1000)
            row = {
                "id": new_id(),
                "name": f"job {i}",
                "queue": "default",
                "command": ["true"],
                "priority": i % 10,
                "timeout_seconds": 60,
                "max_retries": 0,
                "retry_backoff_seconds": 10,
                "labels": {},
                "status": "completed",
                "attempt": 1,
                "retries_used": 0,
                "run_at": created,
                "owner_id": owner,
                "created_at": created,
                "updated_at": created,
            }
            rows.append(row)
            if i == count // 2:
                middle = (isoformat(created), row["id"])
        await storage._transaction(lambda conn, rows=rows: conn.execute(jobs.insert(), rows), point=False)
        print(f"\r  inserted {min(first + BATCH, count):>9,} / {count:,}", end="", flush=True)
    print()
    await storage.close()
    assert middle is not None
    return middle


def serve(url: str, workdir: Path) -> ServerProcess:
    return ServerProcess(
        workdir / "unused.db", workdir / "server.log", BATON_DATABASE_URL=url, BATON_ADMIN_PASSWORD=PASSWORD
    ).start()


def timed(client: httpx.Client, params: dict, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        t = time.perf_counter()
        response = client.get("/api/v1/jobs", params=params)
        samples.append((time.perf_counter() - t) * 1000)
        assert response.status_code == 200 and len(response.json()["data"]) == 50, response.text
    return statistics.median(samples)


def bench(kind: str, count: int, repeat: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = create_database(kind, Path(tmp))
        try:
            print(f"{kind}: filling {count:,} jobs")
            middle = asyncio.run(fill(url, count))
            server = serve(url, Path(tmp))
            try:
                client = httpx.Client(base_url=server.url, timeout=60)
                token = client.post("/api/v1/auth/login", json={"username": "admin", "password": PASSWORD})
                client.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
                first = timed(client, {"limit": 50}, repeat)
                deep = timed(
                    client, {"limit": 50, "cursor": encode_cursor("-created_at", list(middle))}, repeat
                )
                print(
                    f"{kind}: GET /api/v1/jobs?limit=50  first page {first:6.2f} ms   "
                    f"cursor at row {count // 2:,}: {deep:6.2f} ms   "
                    f"(median of {repeat}, ratio {deep / first:.2f})"
                )
            finally:
                server.stop()
        finally:
            drop_database(url)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--jobs", type=int, default=1_000_000)
    parser.add_argument("--databases", default="sqlite,mariadb")
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    for kind in args.databases.split(","):
        bench(kind.strip(), args.jobs, args.repeat)


if __name__ == "__main__":
    main()
