"""Export memory stays flat: stream GET /api/v1/jobs/export (CSV and NDJSON) of N jobs from a real
`baton serve` and print the server's resident memory before and its peak (VmHWM) after.

    python bench/export.py [--jobs 1000000]

Jobs are bulk-inserted into a fresh SQLite database first (tests/jobdata.py); the client reads
the stream in chunks and keeps only a count.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.conftest import ServerProcess
from tests.jobdata import insert_jobs, synthetic_jobs

PASSWORD = "bench-export-password"


def memory(pid: int) -> dict[str, int]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0]) // 1024  # MiB
    return fields


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--jobs", type=int, default=1_000_000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="baton-bench-export-"))
    db = work / "baton.db"
    server = ServerProcess(db, work / "server.log", BATON_ADMIN_PASSWORD=PASSWORD).start(timeout=120)
    try:
        began = time.perf_counter()
        insert_jobs(
            f"sqlite+aiosqlite:///{db}", synthetic_jobs(args.jobs, datetime(2026, 1, 1), timedelta(days=30))
        )
        print(f"{args.jobs:,} jobs inserted in {time.perf_counter() - began:.0f} s", flush=True)
        token = httpx.post(
            f"{server.url}/api/v1/auth/login", json={"username": "admin", "password": PASSWORD}
        ).json()
        headers = {"Authorization": f"Bearer {token['access_token']}"}
        assert server.proc is not None
        for accept in ("text/csv", "application/x-ndjson"):
            before = memory(server.proc.pid)["VmRSS"]
            began, size, lines = time.perf_counter(), 0, 0
            with httpx.stream(
                "GET", f"{server.url}/api/v1/jobs/export", headers={**headers, "Accept": accept}, timeout=600
            ) as response:
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    lines += chunk.count(b"\n")
            took = time.perf_counter() - began
            after = memory(server.proc.pid)
            print(
                f"{accept:22} {lines:,} lines, {size / 2**20:.0f} MiB in {took:.0f} s "
                f"({lines / took:,.0f}/s); "
                f"server RSS before {before} MiB, peak so far {after['VmHWM']} MiB",
                flush=True,
            )
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
