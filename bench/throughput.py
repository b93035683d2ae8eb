"""End-to-end throughput and dispatch latency of trivial jobs on a real `baton serve`.

Starts a server on 127.0.0.1 with a temporary SQLite database and the local executor, submits
N jobs (`true`) through the API with a few concurrent clients, waits until all completed, and
prints: submit rate, end-to-end jobs/s, and dispatch latency (created_at -> started_at) p50/p99.

    python bench/throughput.py [--jobs 500] [--clients 8] [--concurrency 8]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.conftest import ServerProcess

PASSWORD = "bench-password-123"


def start_server(workdir: Path, concurrency: int) -> ServerProcess:
    return ServerProcess(
        workdir / "bench.db",
        workdir / "server.log",
        BATON_EXECUTOR_URL=f"local://?concurrency={concurrency}",
        BATON_ADMIN_PASSWORD=PASSWORD,
        BATON_LEASE_SECONDS="30",  # production-like, not the tests' short lease
        BATON_HEARTBEAT_SECONDS="5",
    ).start()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def run(url: str, jobs: int, clients: int) -> None:
    async with httpx.AsyncClient(base_url=url, timeout=60) as http:
        login = await http.post("/api/v1/auth/login", json={"username": "admin", "password": PASSWORD})
        http.headers["Authorization"] = f"Bearer {login.json()['access_token']}"
        queue: asyncio.Queue[int] = asyncio.Queue()
        for i in range(jobs):
            queue.put_nowait(i)
        ids: list[str] = []

        async def submitter() -> None:
            while not queue.empty():
                queue.get_nowait()
                response = await http.post("/api/v1/jobs", json={"command": ["true"], "queue": "bench"})
                response.raise_for_status()
                ids.append(response.json()["id"])

        start = time.perf_counter()
        await asyncio.gather(*(submitter() for _ in range(clients)))
        submitted = time.perf_counter()
        while True:
            page = await http.get(
                "/api/v1/jobs", params={"queue": "bench", "status": "completed", "limit": 1}
            )
            done = await http.get(
                "/api/v1/jobs", params={"queue": "bench", "status": "pending,running,scheduled", "limit": 1}
            )
            if not done.json()["data"] and page.json()["data"]:
                break
            await asyncio.sleep(0.05)
        finished = time.perf_counter()

        latencies = []
        cursor = None
        while True:
            params = {"queue": "bench", "limit": 100, **({"cursor": cursor} if cursor else {})}
            body = (await http.get("/api/v1/jobs", params=params)).json()
            for job in body["data"]:
                created = datetime.fromisoformat(job["created_at"])
                started = datetime.fromisoformat(job["started_at"])
                latencies.append((started - created).total_seconds() * 1000)
            cursor = body["pagination"]["next_cursor"]
            if not cursor:
                break

    print(f"jobs: {jobs}, submitting clients: {clients}")
    print(f"submit rate:        {jobs / (submitted - start):8.1f} jobs/s")
    print(f"end-to-end:         {jobs / (finished - start):8.1f} jobs/s (submit -> all completed)")
    p50, p99 = statistics.median(latencies), percentile(latencies, 0.99)
    print(f"dispatch latency:   p50 {p50:7.1f} ms   p99 {p99:7.1f} ms (created -> started)")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--jobs", type=int, default=500)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--concurrency", type=int, default=8, help="local executor slots")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        server = start_server(Path(workdir), args.concurrency)
        try:
            print(f"baton serve, SQLite (WAL), local executor concurrency={args.concurrency}")
            asyncio.run(run(server.url, args.jobs, args.clients))
        finally:
            server.stop()


if __name__ == "__main__":
    main()
