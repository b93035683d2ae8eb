"""Events across processes: a stream client connected to one server process sees, within a
second, the events committed by another server process or by a `baton worker` — woken by Redis
pub/sub (the arq executor's Redis), PostgreSQL LISTEN/NOTIFY, or (SQLite, no Redis) a poll."""

from __future__ import annotations

import json
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from tests.conftest import ADMIN_PASSWORD, ServerProcess, wait_for
from tests.databases import create_database, drop_database
from tests.faults.harness import JOBS, ArqCluster, RedisProcess

pytestmark = pytest.mark.slow

MAX_LATENCY = 1.0  # seconds from an event's commit to a client of another process


class StreamReader:
    """Follows one server's SSE stream in a thread; keeps (event, seconds since its `at`)."""

    def __init__(self, url: str, token: str, params: dict) -> None:
        self.received: list[tuple[dict, float]] = []
        self._response = None
        self._thread = threading.Thread(target=self._run, args=(url, token, params), daemon=True)
        self._started = threading.Event()

    def __enter__(self) -> StreamReader:
        self._thread.start()
        assert self._started.wait(10)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._response is not None:
            self._response.close()

    def _run(self, url: str, token: str, params: dict) -> None:
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.stream(
            "GET", f"{url}/api/v1/events/stream", params=params, headers=headers, timeout=60
        ) as r:
            self._response = r
            self._started.set()
            fields: dict[str, str] = {}
            try:
                for line in r.iter_lines():
                    if line:
                        name, _, value = line.partition(": ")
                        fields[name] = value
                        continue
                    if "data" in fields and "id" in fields:
                        event = json.loads(fields["data"])
                        at = datetime.fromisoformat(event["at"].replace("Z", "+00:00"))
                        self.received.append((event, datetime.now(UTC).timestamp() - at.timestamp()))
                    fields = {}
            except httpx.HTTPError:
                pass  # closed by the test


def login(url: str) -> str:
    response = httpx.post(f"{url}/api/v1/auth/login", json={"username": "admin", "password": ADMIN_PASSWORD})
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


def check_latencies(reader: StreamReader, job_ids: list[str]) -> list[float]:
    done = wait_for(
        lambda: (
            (found := [e for e, _ in reader.received if e["type"] == "job.completed"])
            and len(found) >= len(job_ids)
            and found
        ),
        timeout=60,
    )
    assert sorted(e["subject_id"] for e in done) == sorted(job_ids)
    latencies = sorted(lat for e, lat in reader.received if e["type"] == "job.completed")
    assert latencies[-1] < MAX_LATENCY, latencies
    ids = [e["id"] for e, _ in reader.received]
    assert ids == sorted(set(ids))  # in order, no duplicate
    return latencies


def test_a_client_of_one_server_sees_jobs_run_by_workers_of_another(tmp_path: Path) -> None:
    (tmp_path / "redis").mkdir()
    redis_proc = RedisProcess(tmp_path / "redis").start()
    cluster = ArqCluster(tmp_path, redis_proc).start()  # server A, and its database and Redis
    try:
        cluster.add_worker(concurrency=4)
        other = ServerProcess(
            tmp_path / "baton.db",
            tmp_path / "server-b.log",
            BATON_ADMIN_PASSWORD=ADMIN_PASSWORD,
            **cluster.common,
        ).start()
        try:
            token_a, token_b = login(cluster.server.url), login(other.url)
            with StreamReader(cluster.server.url, token_a, {"type": "job.completed"}) as reader:
                ids = []
                with httpx.Client(base_url=other.url, headers={"Authorization": f"Bearer {token_b}"}) as b:
                    for _ in range(20):
                        response = b.post(JOBS, json={"command": ["true"]})
                        assert response.status_code == 201, response.text
                        ids.append(response.json()["id"])
                latencies = check_latencies(reader, ids)
            workers = {e["data"]["worker"] for e, _ in reader.received}
            assert all(worker.startswith("arq:") for worker in workers)
            print(f"arq: 20 jobs via B seen on A; latency p50 {latencies[10]:.3f}s max {latencies[-1]:.3f}s")
        finally:
            other.stop()
        assert "Traceback" not in other.log()
    finally:
        cluster.stop()
        redis_proc.stop()
    assert "Traceback" not in cluster.logs()


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_events_committed_by_another_server_reach_this_one(tmp_path: Path, kind: str) -> None:
    """Server B runs the jobs of queue `b` with its own executor; a client on server A (which
    runs only queue `a`) sees them: PostgreSQL wakes A with NOTIFY, SQLite by A's poll."""
    url = create_database(kind, tmp_path)
    common = {"BATON_DATABASE_URL": url, "BATON_ADMIN_PASSWORD": ADMIN_PASSWORD}
    a = ServerProcess(
        tmp_path / "baton.db", tmp_path / "a.log", **common, BATON_EXECUTOR_URL="local://?queues=a"
    )
    b = ServerProcess(
        tmp_path / "baton.db", tmp_path / "b.log", **common, BATON_EXECUTOR_URL="local://?queues=b"
    )
    try:
        a.start()
        b.start()
        token = login(a.url)
        with StreamReader(a.url, token, {"type": "job.completed", "queue": "b"}) as reader:
            with httpx.Client(base_url=a.url, headers={"Authorization": f"Bearer {token}"}) as client:
                ids = []
                for _ in range(10):
                    response = client.post(JOBS, json={"command": ["true"], "queue": "b"})
                    assert response.status_code == 201, response.text
                    ids.append(response.json()["id"])
                    time.sleep(0.1)
            latencies = check_latencies(reader, ids)
        assert {e["data"]["worker"].split(":")[-1] for e, _ in reader.received} == {str(b.proc.pid)}
        print(f"{kind}: latency p50 {latencies[5]:.3f}s max {latencies[-1]:.3f}s")
    finally:
        for server in (a, b):
            if server.proc is not None and server.proc.poll() is None:
                server.stop()
        drop_database(url)
    assert "Traceback" not in a.log() + b.log()
