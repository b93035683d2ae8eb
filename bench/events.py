"""The event log under load: many WebSocket clients on one server while jobs run, and what the
transactional outbox costs.

1. A real `baton serve` on 127.0.0.1 (temporary SQLite, or --database postgresql); --clients
   WebSocket clients (500) each subscribe to `job.` events (batched, and one message per
   event); trivial jobs (`true`) are submitted, first one by one at a steady --rate (a load the
   server can carry: latency is then the event path's, not a job queue's), then in batches of
   250 as fast as the server's executor runs them (its ceiling). Prints events delivered per
   second (over all clients), commit->client latency p50/p99 (the event's `at`, written in the
   commit's transaction, to its arrival at a client; one machine, one clock) and the server's
   CPU per message.
2. The same jobs with no client, twice: as shipped, and with the event log switched off (a
   bench-only patch that makes appending events a no-op) — jobs/s of each and the difference.
3. --slow N clients that subscribe and never read, while events flood: the server's RSS before
   and after (it must stay flat: each stream's buffer is bounded and a slow client is cut off).

    python bench/events.py [--clients 500] [--jobs 1000] [--database sqlite|postgresql] [--slow 50]
                           [--mode batch|event|both] [--probes 25] [--rate 25] [--fanout-only]
                           [--outbox-only]
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
import orjson
import websockets

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.conftest import ServerProcess
from tests.databases import create_database, drop_database

PASSWORD = "bench-password-123"
# the outbox switched off, for the comparison only: never a setting of the product
NO_EVENTS = (
    "import sys; from baton.backends.storage.events import EventsMixin\n"
    "async def _nothing(self, conn, batch):\n    return None\n"
    "EventsMixin._append_events = _nothing\n"
    "from baton.cli import main; sys.exit(main(sys.argv[1:]))\n"
)


@functools.lru_cache(maxsize=4096)
def instant(at: str) -> float:
    """An event's `at` as a timestamp. Cached: the 500 clients receive the same events, and
    parsing each copy made the bench's own process the bottleneck it measured."""
    return datetime.fromisoformat(at.replace("Z", "+00:00")).timestamp()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


async def token(url: str) -> str:
    async with httpx.AsyncClient(base_url=url, timeout=60) as http:
        response = await http.post("/api/v1/auth/login", json={"username": "admin", "password": PASSWORD})
        return response.json()["access_token"]


async def submit_and_wait(
    url: str, bearer: str, jobs: int, batch: int = 250, rate: float | None = None
) -> float:
    """jobs/s from the first submit to all completed: submitted in batches as fast as they go, or
    with `rate` one at a time, `rate` a second (a steady load, below what the server can run)."""
    async with httpx.AsyncClient(
        base_url=url, timeout=120, headers={"Authorization": f"Bearer {bearer}"}
    ) as http:
        began = time.perf_counter()
        for start in range(0, jobs, 1 if rate else batch):
            if rate:
                await asyncio.sleep(max(0.0, began + start / rate - time.perf_counter()))
                response = await http.post("/api/v1/jobs", json={"command": ["true"]})
                assert response.status_code == 201, response.text
                continue
            count = min(batch, jobs - start)
            response = await http.post("/api/v1/jobs/batch", json={"jobs": [{"command": ["true"]}] * count})
            assert response.status_code == 201, response.text
        while True:
            page = await http.get("/api/v1/jobs", params={"status": "scheduled,pending,running", "limit": 1})
            if not page.json()["data"]:
                return jobs / (time.perf_counter() - began)
            await asyncio.sleep(0.05)


async def ws_client(url: str, bearer: str, ready: asyncio.Event, counts: list[int], latencies: list[float],
                    stop: asyncio.Event, read: bool = True, batch: bool = True,
                    probe: bool = True) -> None:  # fmt: skip
    async with websockets.connect(
        url.replace("http", "ws") + "/api/v1/ws", max_queue=None if read else 1
    ) as ws:
        await ws.send(json.dumps({"type": "auth", "token": bearer}))
        await ws.recv()  # welcome
        await ws.send(
            json.dumps({"type": "subscribe", "id": "s", "batch": batch, "filters": {"type": ["job."]}})
        )
        await ws.recv()  # subscribed
        ready.set()
        if not read:
            await stop.wait()
            return
        while not stop.is_set():
            try:
                raw = await asyncio.wait_for(ws.recv(), 0.5)
            except TimeoutError:
                continue
            except websockets.ConnectionClosed:
                return
            arrived = datetime.now(UTC).timestamp()
            counts[1] += 1
            if not probe:  # counted, not decoded: see fan_out()
                counts[0] += raw.count('"subject_type":')
                continue
            message = orjson.loads(raw)
            events = message.get("events") or ([message["event"]] if "event" in message else [])
            for event in events:
                counts[0] += 1
                latencies.append(arrived - instant(event["at"]))


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


async def fan_out(
    server: ServerProcess, clients: int, jobs: int, batch: bool, probes: int, rate: float | None
) -> None:
    """All clients read and count every event; `probes` of them also decode each message and time
    each event. Decoding 500 copies of every event in this one process made the bench, not the
    server, the bottleneck of what it measured (py-spy of the bench: its CPU at 100%)."""
    url = server.url
    bearer = await token(url)
    counts, latencies = [0, 0], []  # events, messages
    stop = asyncio.Event()
    readies = [asyncio.Event() for _ in range(clients)]
    tasks = [
        asyncio.create_task(ws_client(url, bearer, r, counts, latencies, stop, batch=batch, probe=i < probes))
        for i, r in enumerate(readies)
    ]
    await asyncio.gather(*(r.wait() for r in readies))
    began, cpu_before = time.perf_counter(), cpu_seconds(server.proc.pid)
    mine_before = time.process_time()
    jobs_per_s = await submit_and_wait(url, bearer, jobs, rate=rate)
    expected = clients * jobs * 3  # created, running, completed
    deadline = time.monotonic() + 60
    while counts[0] < expected and time.monotonic() < deadline:  # noqa: ASYNC110 - counted by 500 tasks
        await asyncio.sleep(0.05)
    elapsed = time.perf_counter() - began
    cpu = cpu_seconds(server.proc.pid) - cpu_before
    mine = time.process_time() - mine_before
    stop.set()
    await asyncio.gather(*tasks, return_exceptions=True)
    ms = [1000 * x for x in latencies]
    mode = "batched (`events` messages)" if batch else "one message per event"
    load = f"{rate:g} jobs/s submitted one by one" if rate else "in batches of 250, as fast as they run"
    delivered = counts[0] / elapsed
    print(f"  {clients} WebSocket clients, {mode}; {jobs} jobs {load}: {counts[0]} of {expected} events "
          f"delivered in {elapsed:.1f}s = {delivered:,.0f} events/s; jobs {jobs_per_s:.0f}/s")  # fmt: skip
    print(f"  commit -> client latency ({min(probes, clients)} probe clients): "
          f"p50 {percentile(ms, 0.5):.1f} ms, p99 {percentile(ms, 0.99):.1f} ms, "
          f"max {max(ms):.1f} ms (targets: p50 < 50 ms, p99 < 250 ms)")  # fmt: skip
    print(f"  server CPU {cpu:.1f} s for {counts[1]:,} messages: {1e6 * cpu / max(1, counts[1]):.0f} us "
          f"per message, {1e6 * cpu / max(1, counts[0]):.1f} us per event delivered; the clients' "
          f"CPU {mine:.1f} s; load {os.getloadavg()[0]:.1f}")  # fmt: skip


async def slow_clients(server: ServerProcess, count: int, jobs: int) -> None:
    bearer = await token(server.url)
    before = rss_kib(server.proc.pid)
    stop = asyncio.Event()
    readies = [asyncio.Event() for _ in range(count)]
    tasks = [
        asyncio.create_task(ws_client(server.url, bearer, r, [0], [], stop, read=False)) for r in readies
    ]
    await asyncio.gather(*(r.wait() for r in readies))
    peak = before
    for _ in range(3):
        await submit_and_wait(server.url, bearer, jobs)
        peak = max(peak, rss_kib(server.proc.pid))
    stop.set()
    await asyncio.gather(*tasks, return_exceptions=True)
    print(f"  {count} clients that never read, {3 * jobs} jobs ({9 * jobs} events each): server RSS "
          f"{before / 1024:.0f} MiB before, {peak / 1024:.0f} MiB at most")  # fmt: skip


def start_server(workdir: Path, database_url: str, name: str, *, events: bool = True) -> ServerProcess:
    server = ServerProcess(
        workdir / "baton.db",
        workdir / f"{name}.log",
        BATON_DATABASE_URL=database_url,
        BATON_ADMIN_PASSWORD=PASSWORD,
        BATON_EXECUTOR_URL="local://?concurrency=16&labels=*",
        BATON_POLL_SECONDS="0.05",
        BATON_LEASE_SECONDS="30",
        BATON_HEARTBEAT_SECONDS="5",
    )
    if not events:
        server.command = [sys.executable, "-c", NO_EVENTS]
    return server.start()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--jobs", type=int, default=1000)
    parser.add_argument("--slow", type=int, default=50)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--mode", choices=["batch", "event", "both"], default="both")
    parser.add_argument("--probes", type=int, default=25, help="clients that time every event")
    parser.add_argument("--rate", type=float, default=25, help="jobs/s of the steady load")
    parser.add_argument(
        "--fanout-only", action="store_true", help="skip the slow clients and the outbox cost"
    )
    parser.add_argument("--outbox-only", action="store_true", help="only the outbox's cost")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="baton-bench-events-"))
    print(f"bench/events.py: {args.database}, one server process")

    modes = [] if args.outbox_only else {"batch": [True], "event": [False], "both": [True, False]}[args.mode]
    for batch in modes:
        url = create_database(args.database, workdir)
        server = start_server(workdir, url, f"fanout-{batch}")
        try:
            for rate in (args.rate, None):  # steady load, then as fast as the server runs jobs
                asyncio.run(fan_out(server, args.clients, min(args.jobs, 300), batch, args.probes, rate))
            if batch and not args.fanout_only:
                asyncio.run(slow_clients(server, args.slow, 500))
        finally:
            server.stop()
            drop_database(url)
    if args.fanout_only:
        return

    rates = {}
    for events in (True, False):
        url = create_database(args.database, workdir)
        server = start_server(workdir, url, f"outbox-{events}", events=events)
        try:
            bearer = asyncio.run(token(server.url))
            asyncio.run(submit_and_wait(server.url, bearer, 100))  # warm up
            rates[events] = statistics.median(
                asyncio.run(submit_and_wait(server.url, bearer, args.jobs)) for _ in range(3)
            )
        finally:
            server.stop()
            drop_database(url)
    cost = 1 - rates[True] / rates[False]
    print(f"  job throughput, median of 3 runs of {args.jobs}: with the event log {rates[True]:.0f} "
          f"jobs/s, without {rates[False]:.0f} jobs/s: the outbox costs {100 * cost:.1f}%"
          " (target < 10%)")  # fmt: skip


if __name__ == "__main__":
    main()
