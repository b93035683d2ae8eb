"""GET /metrics: the Prometheus text format, who may scrape it, figures from the database, HTTP
requests by operationId; and two server processes on one database give the same gauges."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from baton.timeutil import utcnow
from tests.conftest import LiveServer, ServerProcess, assert_problem, wait_for, wait_for_status
from tests.jobdata import SeedJob, insert_jobs

METRICS = "/metrics"


def scrape(client: httpx.Client) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = client.get(METRICS)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def value(samples: dict, name: str, **labels: str) -> float | None:
    return samples.get((name, tuple(sorted(labels.items()))))


@pytest.mark.uses_server
def test_only_metrics_read_may_scrape(server: LiveServer) -> None:
    assert_problem(httpx.get(server.url + METRICS), 401, "UNAUTHORIZED")
    for role in ("member", "viewer"):
        with server.client(server.token(role)) as client:
            assert_problem(client.get(METRICS), 403, "FORBIDDEN")
    with server.client(server.token("manager")) as manager:
        assert manager.get(METRICS).status_code == 200
        key = manager.post("/api/v1/api-keys", json={"name": "prometheus", "scopes": ["metrics:read"]})
        assert key.status_code == 201, key.text
    scraped = httpx.get(server.url + METRICS, headers={"X-API-Key": key.json()["key"]})
    assert scraped.status_code == 200 and "baton_jobs" in scraped.text


@pytest.mark.uses_server
def test_jobs_queues_and_durations_come_from_the_database(server: LiveServer, admin: httpx.Client) -> None:
    before = scrape(admin)
    # finished after the scrape's mark (a few seconds back), as a job finishing now would
    moments_ago = utcnow() - timedelta(seconds=4)
    insert_jobs(
        server.settings.database_url,
        [SeedJob(created_at=moments_ago, queue="metrics-q", durations=(0.3,)) for _ in range(3)]
        + [SeedJob(created_at=moments_ago, queue="metrics-q", status="failed", durations=(3.0,))],
    )
    admin.post("/api/v1/queues", json={"name": "metrics-paused"})
    admin.post("/api/v1/queues/metrics-paused/pause")
    waiting = admin.post("/api/v1/jobs", json={"queue": "metrics-paused", "command": ["true"]}).json()
    after = scrape(admin)
    assert value(after, "baton_jobs", queue="metrics-q", status="completed") == 3
    assert value(after, "baton_jobs", queue="metrics-q", status="failed") == 1
    assert value(after, "baton_queue_depth", queue="metrics-paused") == 1
    assert value(after, "baton_queue_depth", queue="metrics-q") == 0
    assert value(after, "baton_queue_oldest_wait_seconds", queue="metrics-paused") >= 0
    assert value(before, "baton_job_duration_seconds_count", queue="metrics-q") is None
    # executions are counted once they finished LAG (5 s) ago: a commit in flight is not skipped
    counted = "baton_job_duration_seconds_count"
    key = (counted, (("queue", "metrics-q"),))
    after = wait_for(lambda: (found := scrape(admin)).get(key) == 4 and found)
    bucket = "baton_job_duration_seconds_bucket"
    assert value(after, bucket, queue="metrics-q", le="0.5") == 3
    assert value(after, bucket, queue="metrics-q", le="1.0") == 3
    assert value(after, bucket, queue="metrics-q", le="5.0") == 4
    assert value(after, bucket, queue="metrics-q", le="+Inf") == 4
    assert value(after, counted, queue="metrics-q") == 4
    total = value(after, "baton_job_duration_seconds_sum", queue="metrics-q")
    assert total == pytest.approx(3.9, abs=1e-3)  # SQLite's julianday() is good to ~0.1 ms
    # counted once, however often scraped
    assert value(scrape(admin), counted, queue="metrics-q") == 4
    admin.post(f"/api/v1/jobs/{waiting['id']}/cancel")


@pytest.mark.uses_server
def test_http_requests_by_operation_and_status(server: LiveServer, admin: httpx.Client) -> None:
    def count(samples: dict, operation: str, status: str, method: str = "GET") -> float:
        return (
            value(samples, "baton_http_requests_total", operation=operation, method=method, status=status)
            or 0
        )

    before = scrape(admin)
    for _ in range(3):
        admin.get("/api/v1/jobs", params={"limit": 1})
    admin.get("/api/v1/jobs/00000000-0000-0000-0000-000000000000")
    admin.get("/no/such/path")
    after = scrape(admin)
    assert count(after, "list_jobs", "200") - count(before, "list_jobs", "200") == 3
    assert count(after, "get_job", "404") - count(before, "get_job", "404") == 1
    assert count(after, "none", "404") - count(before, "none", "404") == 1
    latency = value(after, "baton_http_request_duration_seconds_count", operation="list_jobs")
    assert latency is not None and latency >= 3
    workers = {
        status: value(after, "baton_workers", status=status) for status in ("online", "stale", "offline")
    }
    assert all(n is not None for n in workers.values())


@pytest.mark.slow
def test_two_processes_give_the_same_gauges(tmp_path) -> None:
    db = tmp_path / "shared.db"
    password = {"BATON_ADMIN_PASSWORD": "metrics-admin-password"}
    first = ServerProcess(db, tmp_path / "a.log", **password).start()
    second = ServerProcess(db, tmp_path / "b.log", **password).start()
    try:
        token = httpx.post(
            f"{first.url}/api/v1/auth/login", json={"username": "admin", "password": "metrics-admin-password"}
        ).json()["access_token"]
        clients = [
            httpx.Client(base_url=s.url, headers={"Authorization": f"Bearer {token}"})
            for s in (first, second)
        ]
        job = clients[0].post("/api/v1/jobs", json={"queue": "two", "command": ["true"]}).json()
        wait_for_status(clients[1], job["id"], {"completed"})

        def gauges(client: httpx.Client) -> dict:
            return {
                key: v
                for key, v in scrape(client).items()
                if key[0].startswith(("baton_jobs", "baton_queue", "baton_workers"))
            }

        # the same database, so the same figures, from either process
        assert wait_for(lambda: gauges(clients[0]) == gauges(clients[1]) and gauges(clients[0]))
        assert value(gauges(clients[1]), "baton_jobs", queue="two", status="completed") == 1
        for client in clients:
            client.close()
    finally:
        first.stop()
        second.stop()


@pytest.mark.slow
def test_several_worker_processes_sum_their_http_counters(tmp_path) -> None:
    """BATON_WORKERS=2: `baton serve` gives prometheus_client a directory for every process's
    counters, and whichever process answers the scrape reports them all."""
    password = {"BATON_ADMIN_PASSWORD": "metrics-admin-password", "BATON_WORKERS": "2"}
    # two processes importing everything on 2 busy cores can take a while
    server = ServerProcess(tmp_path / "multi.db", tmp_path / "multi.log", **password).start(timeout=90)
    try:
        token = httpx.post(
            f"{server.url}/api/v1/auth/login",
            json={"username": "admin", "password": "metrics-admin-password"},
        ).json()["access_token"]
        pids = set()
        for _ in range(40):  # a new connection each time: the processes share them out
            with httpx.Client(base_url=server.url) as fresh:
                assert fresh.get("/info").status_code == 200
                pids.add(
                    fresh.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"}).status_code
                )
        for _ in range(6):
            with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {token}"}) as fresh:
                samples = scrape(fresh)
            key = (
                "baton_http_requests_total",
                (("method", "GET"), ("operation", "get_info"), ("status", "200")),
            )
            assert samples.get(key) == 40, samples.get(key)
    finally:
        server.stop()
