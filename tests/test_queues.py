"""Queues through HTTP: definitions, defaults for new jobs, pause/resume, max_concurrency at
dispatch, and live figures."""

from __future__ import annotations

import itertools
import time
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from tests.conftest import LiveServer, assert_problem, wait_for, wait_for_status

QUEUES = "/api/v1/queues"
JOBS = "/api/v1/jobs"


def define(admin: httpx.Client, name: str, **fields: object) -> dict:
    response = admin.post(QUEUES, json={"name": name, **fields})
    assert response.status_code == 201, response.text
    assert response.headers["location"] == f"{QUEUES}/{name}"
    return response.json()


def submit(client: httpx.Client, queue: str, command: list[str], **fields: object) -> dict:
    response = client.post(JOBS, json={"command": command, "queue": queue, **fields})
    assert response.status_code == 201, response.text
    return response.json()


def test_the_default_queue_exists_and_is_protected(admin: httpx.Client) -> None:
    queue = admin.get(f"{QUEUES}/default").json()
    assert queue["name"] == "default" and queue["paused"] is False and queue["max_concurrency"] is None
    assert_problem(admin.delete(f"{QUEUES}/default"), 409, "QUEUE_PROTECTED")


def test_define_get_list_change_delete(admin: httpx.Client) -> None:
    created = define(admin, "q-crud", description="reports", max_concurrency=3)
    assert created["paused"] is False and created["default_timeout_seconds"] is None
    fetched = admin.get(f"{QUEUES}/q-crud")
    assert fetched.json() == created
    assert (
        admin.get(f"{QUEUES}/q-crud", headers={"If-None-Match": fetched.headers["etag"]}).status_code == 304
    )
    assert_problem(admin.post(QUEUES, json={"name": "q-crud"}), 409, "QUEUE_EXISTS")
    changed = admin.patch(f"{QUEUES}/q-crud", json={"max_concurrency": None, "description": "all reports"})
    assert changed.status_code == 200
    assert changed.json()["max_concurrency"] is None and changed.json()["description"] == "all reports"
    assert_problem(admin.patch(f"{QUEUES}/q-crud", json={"paused": True}), 422, "READ_ONLY_FIELD")
    assert_problem(admin.patch(f"{QUEUES}/q-crud", json={"max_concurrency": 0}), 400, "VALIDATION_ERROR")
    names = []
    cursor = None
    while True:
        page = admin.get(QUEUES, params={"limit": 1, **({"cursor": cursor} if cursor else {})}).json()
        names += [queue["name"] for queue in page["data"]]
        if not (cursor := page["pagination"]["next_cursor"]):
            break
    assert "q-crud" in names and "default" in names and names == sorted(names)
    assert admin.delete(f"{QUEUES}/q-crud").status_code == 204
    assert_problem(admin.get(f"{QUEUES}/q-crud"), 404, "QUEUE_NOT_FOUND")
    assert_problem(admin.delete(f"{QUEUES}/q-crud"), 404, "QUEUE_NOT_FOUND")


@pytest.mark.parametrize("name", ["Upper", "-dash", "a b", "x" * 65, "é"])
def test_a_bad_queue_name_is_400(admin: httpx.Client, name: str) -> None:
    assert_problem(admin.post(QUEUES, json={"name": name}), 400, "VALIDATION_ERROR")


def test_jobs_take_their_queues_defaults(admin: httpx.Client) -> None:
    define(admin, "q-defaults", default_timeout_seconds=42, default_max_retries=3)
    later = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    job = submit(admin, "q-defaults", ["true"], run_at=later)
    assert (job["timeout_seconds"], job["max_retries"]) == (42, 3)
    explicit = submit(admin, "q-defaults", ["true"], run_at=later, timeout_seconds=7, max_retries=0)
    assert (explicit["timeout_seconds"], explicit["max_retries"]) == (7, 0)
    undefined = submit(admin, "q-undefined", ["true"], run_at=later)
    assert (undefined["timeout_seconds"], undefined["max_retries"]) == (3600, 0)
    batch = admin.post(
        f"{JOBS}/batch", json={"jobs": [{"command": ["true"], "queue": "q-defaults", "run_at": later}]}
    )
    assert batch.json()["results"][0]["job"]["timeout_seconds"] == 42


def test_a_submit_right_after_a_queue_change_takes_the_new_defaults(admin: httpx.Client) -> None:
    # the server keeps queues in memory for submits (baton/queuecache.py): its own changes hold at once
    later = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    assert submit(admin, "q-fresh", ["true"], run_at=later)["timeout_seconds"] == 3600  # remembered absent
    define(admin, "q-fresh", default_timeout_seconds=11)
    assert submit(admin, "q-fresh", ["true"], run_at=later)["timeout_seconds"] == 11
    assert admin.patch(f"{QUEUES}/q-fresh", json={"default_timeout_seconds": 12}).status_code == 200
    assert submit(admin, "q-fresh", ["true"], run_at=later)["timeout_seconds"] == 12
    assert admin.delete(f"{QUEUES}/q-fresh").status_code == 204
    assert submit(admin, "q-fresh", ["true"], run_at=later)["timeout_seconds"] == 3600


def test_a_paused_queue_starts_nothing_until_resumed(admin: httpx.Client) -> None:
    define(admin, "q-pause")
    paused = admin.post(f"{QUEUES}/q-pause/pause")
    assert paused.status_code == 200 and paused.json()["paused"] is True
    assert admin.post(f"{QUEUES}/q-pause/pause").json()["paused"] is True  # twice is fine
    job = submit(admin, "q-pause", ["true"])
    other = submit(admin, "q-other", ["true"])
    wait_for_status(admin, other["id"], {"completed"})  # the dispatcher did run meanwhile
    time.sleep(0.3)
    assert admin.get(f"{JOBS}/{job['id']}").json()["status"] == "pending"
    stats = admin.get(f"{QUEUES}/q-pause/stats").json()
    assert stats["paused"] is True and stats["by_status"]["pending"] == 1
    assert stats["oldest_pending_age_seconds"] >= 0.3
    assert admin.post(f"{QUEUES}/q-pause/resume").json()["paused"] is False
    wait_for_status(admin, job["id"], {"completed"})
    stats = admin.get(f"{QUEUES}/q-pause/stats").json()
    assert stats["by_status"]["completed"] == 1 and stats["oldest_pending_age_seconds"] is None
    assert stats["finished_last_minute"] == 1


def test_max_concurrency_holds(admin: httpx.Client) -> None:
    define(admin, "q-one", max_concurrency=1)
    # the executor has 4 slots; the queue allows one job at a time
    ids = [submit(admin, "q-one", ["sleep", "0.4"])["id"] for _ in range(3)]
    free = submit(admin, "q-free", ["sleep", "0.4"])
    running_seen = 0
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        stats = admin.get(f"{QUEUES}/q-one/stats").json()
        assert stats["running"] <= 1, stats
        running_seen = max(running_seen, stats["running"])
        if stats["by_status"]["completed"] == 3:
            break
        time.sleep(0.02)
    assert running_seen == 1
    wait_for_status(admin, free["id"], {"completed"})
    spans = []
    for job_id in ids:
        job = wait_for_status(admin, job_id, {"completed"})
        spans.append((job["started_at"], job["finished_at"]))
    spans.sort()
    # started_at/finished_at are read just before each write waits for SQLite's write lock, so a
    # claim that waited on the previous job's outcome can carry a start a few ms before that
    # job's recorded finish (CI saw 2 ms). An overlap the limit let through would be ~400 ms.
    slack = timedelta(milliseconds=50)
    assert all(
        parse(earlier[1]) - slack <= parse(later[0]) for earlier, later in itertools.pairwise(spans)
    ), spans


def parse(timestamp: str) -> datetime:
    return datetime.fromisoformat(timestamp)


def test_a_limit_raised_lets_more_run(admin: httpx.Client) -> None:
    define(admin, "q-raise", max_concurrency=1)
    ids = [submit(admin, "q-raise", ["sleep", "1"])["id"] for _ in range(3)]
    wait_for(lambda: admin.get(f"{QUEUES}/q-raise/stats").json()["running"] == 1)
    admin.patch(f"{QUEUES}/q-raise", json={"max_concurrency": 3})
    wait_for(lambda: admin.get(f"{QUEUES}/q-raise/stats").json()["running"] >= 2, timeout=10)
    for job_id in ids:
        wait_for_status(admin, job_id, {"completed"})


def test_who_may_manage_queues(server: LiveServer) -> None:
    with server.client(server.token("manager")) as manager:
        define(manager, "q-by-manager")
        assert manager.post(f"{QUEUES}/q-by-manager/pause").status_code == 200
    for role in ("member", "viewer"):
        with server.client(server.token(role)) as client:
            assert client.get(f"{QUEUES}/q-by-manager").status_code == 200
            assert client.get(f"{QUEUES}/q-by-manager/stats").status_code == 200
            assert_problem(client.post(QUEUES, json={"name": f"q-by-{role}"}), 403, "FORBIDDEN")
            assert_problem(client.post(f"{QUEUES}/q-by-manager/resume"), 403, "FORBIDDEN")
            assert_problem(client.delete(f"{QUEUES}/q-by-manager"), 403, "FORBIDDEN")


def test_unknown_queue_is_404_everywhere(admin: httpx.Client) -> None:
    for method, path in [
        ("GET", "q-none"),
        ("PATCH", "q-none"),
        ("POST", "q-none/pause"),
        ("POST", "q-none/resume"),
        ("GET", "q-none/stats"),
    ]:
        kwargs = {"json": {"description": "x"}} if method == "PATCH" else {}
        assert_problem(admin.request(method, f"{QUEUES}/{path}", **kwargs), 404, "QUEUE_NOT_FOUND")


def test_queues_and_the_fleet_through_the_generated_client(server: LiveServer) -> None:
    from baton_client import AuthenticatedClient
    from baton_client.api.fleet import get_fleet
    from baton_client.api.jobs import cancel_job, create_job
    from baton_client.api.queues import create_queue, get_queue_stats, pause_queue, resume_queue
    from baton_client.models import Fleet, Job, JobCreate, Queue, QueueCreate, QueueStats

    with AuthenticatedClient(base_url=server.url, token=server.token("manager"), timeout=30) as client:
        created = create_queue.sync(client=client, body=QueueCreate(name="sdk-queue", max_concurrency=2))
        assert isinstance(created, Queue) and created.max_concurrency == 2 and created.paused is False
        paused = pause_queue.sync("sdk-queue", client=client)
        assert isinstance(paused, Queue) and paused.paused is True
        job = create_job.sync(client=client, body=JobCreate(command=["true"], queue="sdk-queue"))
        assert isinstance(job, Job)
        stats = get_queue_stats.sync("sdk-queue", client=client)
        assert isinstance(stats, QueueStats) and stats.paused is True and stats.running == 0
        assert (
            stats.by_status.additional_properties.get("pending", stats.by_status.to_dict().get("pending"))
            == 1
        )
        fleet = get_fleet.sync(client=client)
        assert isinstance(fleet, Fleet)
        assert {depth.queue: depth.pending for depth in fleet.queues}["sdk-queue"] == 1
        assert isinstance(cancel_job.sync(job.id, client=client), Job)
        assert isinstance(resume_queue.sync("sdk-queue", client=client), Queue)
