"""Webhook delivery throughput and latency: a real `baton serve` on 127.0.0.1 delivers the
job.created events of jobs submitted to a paused queue to each of --endpoints webhooks pointing at
a fast local receiver (a threaded HTTP server in this process that answers 200 at once).

1. Throughput: --messages events committed at once (batches of 500): deliveries/s over all
   endpoints, from the first submission to the last arrival.
2. Latency: --steady events, one every 1/--rate s: event->delivery p50/p99, from the event's `at`
   (written in the transaction that commits it) to the receiver reading the request (one machine,
   one clock). In a burst, latency is only the queue's length over the throughput.

    python bench/webhooks.py [--messages 1000] [--steady 200] [--rate 20] [--endpoints 3] [--parallel]
                             [--database sqlite|postgresql]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.conftest import ServerProcess, wait_for
from tests.databases import create_database, drop_database
from tests.receivers import receiver

PASSWORD = "bench-password-123"
BATCH = 500


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--steady", type=int, default=200, help="events sent one by one for latency")
    parser.add_argument("--rate", type=float, default=20.0, help="of those, events a second")
    parser.add_argument("--endpoints", type=int, default=3)
    parser.add_argument("--parallel", action="store_true", help="webhooks that allow parallel delivery")
    parser.add_argument("--database", default="sqlite", choices=["sqlite", "mariadb", "postgresql"])
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="baton-bench-webhooks-") as folder, receiver() as box:
        tmp = Path(folder)
        database_url = create_database(args.database, tmp)
        server = ServerProcess(
            tmp / "baton.db",
            tmp / "server.log",
            BATON_DATABASE_URL=database_url,
            BATON_ADMIN_PASSWORD=PASSWORD,
            BATON_WEBHOOK_ALLOW_HTTP="true",
            BATON_WEBHOOK_ALLOW_NETWORKS="127.0.0.1/32",
            BATON_HEARTBEAT_SECONDS="1",
            BATON_LEASE_SECONDS="30",
        )
        server.env["BATON_DATABASE_URL"] = database_url
        try:
            server.start()
            token = httpx.post(
                f"{server.url}/api/v1/auth/login", json={"username": "admin", "password": PASSWORD}
            ).json()["access_token"]
            with httpx.Client(
                base_url=server.url, headers={"Authorization": f"Bearer {token}"}, timeout=120
            ) as api:
                api.post("/api/v1/queues", json={"name": "bench-held", "paused": True}).raise_for_status()
                for n in range(args.endpoints):
                    body = {"name": f"bench-{n}", "url": box.url(f"/e{n}"), "events": ["job.created"]}
                    api.post("/api/v1/webhooks", json={**body, "parallel": args.parallel}).raise_for_status()
                expected = args.messages * args.endpoints
                started = time.monotonic()
                for first in range(0, args.messages, BATCH):
                    count = min(BATCH, args.messages - first)
                    jobs = [{"command": ["true"], "queue": "bench-held"} for _ in range(count)]
                    api.post("/api/v1/jobs/batch", json={"jobs": jobs}).raise_for_status()
                wait_for(lambda: len(box.received) >= expected, timeout=600, interval=0.05)
                elapsed = max(r.started for r in box.received) - started
                burst = len(box.received)
                for _ in range(args.steady):
                    api.post(
                        "/api/v1/jobs", json={"command": ["true"], "queue": "bench-held"}
                    ).raise_for_status()
                    time.sleep(1 / args.rate)
                total = expected + args.steady * args.endpoints
                wait_for(lambda: len(box.received) >= total, timeout=600, interval=0.05)
            # the receiver's monotonic arrival times, as wall time, against each event's `at`
            offset = time.time() - time.monotonic()
            latencies = []
            for request in box.received[burst:]:
                at = datetime.fromisoformat(json.loads(request.body)["at"].replace("Z", "+00:00"))
                latencies.append(request.started + offset - at.timestamp())
        finally:
            if server.proc and server.proc.poll() is None:
                server.stop()
            drop_database(database_url)

    mode = "parallel" if args.parallel else "ordered"
    print(f"webhooks: {args.messages} events x {args.endpoints} {mode} endpoints on {args.database}")
    print(f"  {expected} deliveries in {elapsed:.2f} s: {expected / elapsed:.0f} deliveries/s")
    print(
        f"  event -> delivery latency at {args.rate:g} events/s ({len(latencies)} deliveries): "
        f"p50 {percentile(latencies, 0.5) * 1000:.0f} ms, p99 {percentile(latencies, 0.99) * 1000:.0f} ms"
    )
    repeated = len(box.received) - len({(r.path, r.message_id) for r in box.received})
    print(f"  sent twice: {repeated}")


if __name__ == "__main__":
    main()
