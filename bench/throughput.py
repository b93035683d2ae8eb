"""End-to-end throughput and dispatch latency of trivial jobs on a real `baton serve`.

Starts a server on 127.0.0.1 with a temporary SQLite database and the local executor, submits
N jobs (`true`) through the API with a few concurrent clients, waits until all completed, and
prints: submit rate, end-to-end jobs/s, and dispatch latency (created_at -> started_at) p50/p99.

    python bench/throughput.py [--jobs 500] [--clients 8] [--concurrency 8]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import httpx

PASSWORD = "bench-password-123"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(workdir: Path, concurrency: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("BATON_")},
        "BATON_DATABASE_URL": f"sqlite+aiosqlite:///{workdir}/bench.db",
        "BATON_EXECUTOR_URL": f"local://?concurrency={concurrency}",
        "BATON_ADMIN_PASSWORD": PASSWORD,
        "BATON_LOG_LEVEL": "warning",
        "BATON_POLL_SECONDS": "0.05",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "baton", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(workdir / "server.log", "wb"),
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                return proc, url
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("server did not start")


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
        proc, url = start_server(Path(workdir), args.concurrency)
        try:
            print(f"baton serve, SQLite (WAL), local executor concurrency={args.concurrency}")
            asyncio.run(run(url, args.jobs, args.clients))
        finally:
            proc.terminate()
            proc.wait(30)


if __name__ == "__main__":
    main()
