"""Pull workers over HTTP: registration, heartbeats and derived status, the long-poll claim with
label affinity and queue admission, leases, fenced complete/fail, drain, deregistration, the
lease reconciler, the fleet, and the generated client.

The module's server has a local executor with one slot, kept busy by a job that sleeps for an
hour: the server itself then claims nothing, and every other job goes to the pull workers here
(a queue served only by robots, as docs/workers.md advises)."""

from __future__ import annotations

import os
import threading
import time
import uuid
from collections.abc import Iterator

import httpx
import pytest

from tests.conftest import (
    LiveServer,
    ThreadedServer,
    assert_problem,
    make_settings,
    wait_for,
    wait_for_status,
)
from tests.databases import create_database, drop_database

JOBS = "/api/v1/jobs"
WORKERS = "/api/v1/workers"
HEARTBEAT = 1.0  # BATON_WORKER_HEARTBEAT_SECONDS here: online < 2 s, stale < 5 s, offline after


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    kind = os.environ.get("BATON_TEST_DATABASE", "sqlite")
    database_url = create_database(kind, tmp_path_factory.mktemp("db"))
    settings = make_settings(
        database_url=database_url,
        executor_url="local://?concurrency=1",
        worker_heartbeat_seconds=HEARTBEAT,
    )
    try:
        with ThreadedServer(settings) as url:
            live = LiveServer(url, settings)
            with live.client(live.token("admin")) as admin:
                blocker = admin.post(JOBS, json={"queue": "blocker", "command": ["sleep", "3600"]})
                assert blocker.status_code == 201, blocker.text
                wait_for_status(admin, blocker.json()["id"], {"running"})
            yield live
    finally:
        drop_database(database_url)


@pytest.fixture(scope="module")
def robot(server: LiveServer) -> Iterator[httpx.Client]:
    """A robot's client: robots log in as managers."""
    with server.client(server.token("manager")) as client:
        yield client


def queue_name(label: str) -> str:
    return f"{label}-{uuid.uuid4().hex[:8]}"


def register(client: httpx.Client, queues: list[str], **fields: object) -> dict:
    response = client.post(WORKERS, json={"name": "robot", "queues": queues, **fields})
    assert response.status_code == 201, response.text
    return response.json()


def submit(client: httpx.Client, queue: str, **fields: object) -> dict:
    response = client.post(JOBS, json={"queue": queue, "command": ["robot-task"], **fields})
    assert response.status_code == 201, response.text
    return response.json()


def claim(client: httpx.Client, worker: dict, **body: object) -> list[dict]:
    response = client.post(f"{WORKERS}/{worker['id']}/claim", json=body)
    assert response.status_code == 200, response.text
    return response.json()["jobs"]


def report(client: httpx.Client, job: dict, worker: dict, outcome: str = "complete", **body: object):
    return client.post(
        f"{JOBS}/{job['id']}/{outcome}", json={"worker_id": worker["id"], "attempt": job["attempt"], **body}
    )


def executions(client: httpx.Client, job_id: str) -> list[dict]:
    return client.get(f"{JOBS}/{job_id}/executions").json()["data"]


# -- registration, heartbeat, status ------------------------------------------------------------


def test_register_get_heartbeat_and_etag(robot: httpx.Client) -> None:
    response = robot.post(
        WORKERS,
        json={
            "name": "robot-7",
            "hostname": "lab-7",
            "queues": ["robots"],
            "labels": {"os": "linux", "gpu": "true"},
            "capacity": 2,
        },
    )
    assert response.status_code == 201, response.text
    worker = response.json()
    assert response.headers["location"] == f"{WORKERS}/{worker['id']}"
    assert uuid.UUID(worker["id"]).version == 7
    assert {k: worker[k] for k in ("name", "hostname", "queues", "labels", "capacity", "load")} == {
        "name": "robot-7",
        "hostname": "lab-7",
        "queues": ["robots"],
        "labels": {"os": "linux", "gpu": "true"},
        "capacity": 2,
        "load": 0,
    }
    assert (worker["state"], worker["status"], worker["running_jobs"]) == ("active", "online", 0)
    assert worker["heartbeat_interval_seconds"] == HEARTBEAT

    got = robot.get(f"{WORKERS}/{worker['id']}")
    assert got.status_code == 200 and got.json()["id"] == worker["id"]
    assert (
        robot.get(f"{WORKERS}/{worker['id']}", headers={"If-None-Match": got.headers["etag"]}).status_code
        == 304
    )

    beat = robot.post(f"{WORKERS}/{worker['id']}/heartbeat", json={"load": 1, "capacity": 3})
    assert beat.status_code == 200, beat.text
    assert (beat.json()["load"], beat.json()["capacity"]) == (1, 3)
    assert beat.json()["last_heartbeat_at"] >= worker["last_heartbeat_at"]
    assert robot.post(f"{WORKERS}/{worker['id']}/heartbeat", json={}).status_code == 200


def test_status_is_derived_from_heartbeat_age_and_lists_filter(robot: httpx.Client) -> None:
    queue = queue_name("status")
    old = register(robot, [queue], labels={"site": "a"})
    time.sleep(2.6 * HEARTBEAT)
    stale = register(robot, [queue], labels={"site": "b"})
    time.sleep(2.6 * HEARTBEAT)
    fresh = register(robot, [queue, "elsewhere"], labels={"site": "b", "os": "linux"})

    def ids(**params: object) -> list[str]:
        response = robot.get(WORKERS, params={"queue": queue, **params})
        assert response.status_code == 200, response.text
        return [worker["id"] for worker in response.json()["data"]]

    assert ids() == [old["id"], stale["id"], fresh["id"]]  # registration order
    assert ids(status="offline") == [old["id"]]
    assert ids(status="stale") == [stale["id"]]
    assert ids(status="online") == [fresh["id"]]
    assert ids(status=["online", "offline"]) == [old["id"], fresh["id"]]
    assert ids(label="site=b") == [stale["id"], fresh["id"]]
    assert ids(label=["site=b", "os=linux"]) == [fresh["id"]]
    assert ids(label="site=c") == []
    statuses = {w["id"]: w["status"] for w in robot.get(WORKERS, params={"queue": queue}).json()["data"]}
    assert statuses == {old["id"]: "offline", stale["id"]: "stale", fresh["id"]: "online"}
    # a heartbeat brings a worker back online
    robot.post(f"{WORKERS}/{old['id']}/heartbeat", json={})
    assert robot.get(f"{WORKERS}/{old['id']}").json()["status"] == "online"

    # keyset pages
    first = robot.get(WORKERS, params={"queue": queue, "limit": 2}).json()
    assert first["pagination"]["has_next"] is True
    rest = robot.get(
        WORKERS, params={"queue": queue, "limit": 2, "cursor": first["pagination"]["next_cursor"]}
    )
    assert [w["id"] for w in first["data"] + rest.json()["data"]] == [old["id"], stale["id"], fresh["id"]]
    assert_problem(robot.get(WORKERS, params={"cursor": "bm9wZQ"}), 400, "INVALID_CURSOR")
    assert_problem(robot.get(WORKERS, params={"status": "gone"}), 400, "VALIDATION_ERROR")


# -- the claim ------------------------------------------------------------------------------------


def test_label_affinity(robot: httpx.Client) -> None:
    queue = queue_name("labels")
    gpu = submit(robot, queue, labels={"gpu": "true"})
    linux = submit(robot, queue, labels={"os": "linux"})
    anywhere = submit(robot, queue)
    windows = submit(robot, queue, labels={"os": "windows"})
    plain = register(robot, [queue], labels={"os": "linux"}, capacity=10)
    big = register(robot, [queue], labels={"os": "linux", "gpu": "true"}, capacity=10)

    taken = claim(robot, plain, max_jobs=10)
    assert sorted(job["id"] for job in taken) == sorted([linux["id"], anywhere["id"]])
    assert [job["id"] for job in claim(robot, big, max_jobs=10)] == [gpu["id"]]
    assert robot.get(f"{JOBS}/{windows['id']}").json()["status"] == "pending"  # nobody has os=windows
    for job in taken:
        assert job["attempt"] == 1 and job["command"] == ["robot-task"] and job["queue"] == queue


def test_claim_order_queues_capacity_and_admission(admin: httpx.Client, robot: httpx.Client) -> None:
    qa, qb = queue_name("qa"), queue_name("qb")
    low = submit(robot, qa, priority=1)
    high_b = submit(robot, qb, priority=9)
    mid = submit(robot, qa, priority=5)
    later_mid = submit(robot, qa, priority=5)
    worker = register(robot, [qa, qb], capacity=3)

    assert_problem(
        robot.post(f"{WORKERS}/{worker['id']}/claim", json={"queues": [qa, "not-mine"]}),
        422,
        "QUEUE_NOT_SERVED",
    )
    # only qa, in dispatch order (priority, then submission), and no more than the capacity
    taken = claim(robot, worker, queues=[qa], max_jobs=10, lease_seconds=120)
    assert [job["id"] for job in taken] == [mid["id"], later_mid["id"], low["id"]]
    assert claim(robot, worker, max_jobs=10) == []  # full: 3 running
    job = robot.get(f"{JOBS}/{mid['id']}").json()
    assert (job["status"], job["attempt"]) == ("running", 1)
    [execution] = executions(robot, mid["id"])
    assert (execution["status"], execution["worker"]) == ("running", worker["id"])
    assert robot.get(f"{WORKERS}/{worker['id']}").json()["running_jobs"] == 3

    # free a slot; a paused queue gives nothing, a limited one no more than its limit
    assert report(robot, taken[0], worker).status_code == 200
    assert admin.post("/api/v1/queues", json={"name": qb, "paused": True}).status_code == 201
    assert claim(robot, worker) == []
    assert admin.post(f"/api/v1/queues/{qb}/resume").status_code == 200
    assert [job["id"] for job in claim(robot, worker)] == [high_b["id"]]


def test_long_poll_answers_when_a_job_arrives(robot: httpx.Client) -> None:
    queue = queue_name("poll")
    worker = register(robot, [queue])
    started = time.monotonic()
    assert claim(robot, worker, wait_seconds=1) == []
    assert 0.9 <= time.monotonic() - started < 5

    result: dict[str, object] = {}

    def poll() -> None:
        began = time.monotonic()
        result["jobs"] = claim(robot, worker, wait_seconds=30)
        result["took"] = time.monotonic() - began

    thread = threading.Thread(target=poll)
    thread.start()
    time.sleep(1.0)
    job = submit(robot, queue)
    thread.join(30)
    assert [claimed["id"] for claimed in result["jobs"]] == [job["id"]]
    assert 0.9 <= result["took"] < 5, result  # at once, not after 30 s


# -- leases, outcomes and fencing ------------------------------------------------------------------


def test_complete_fail_retry_and_fencing(robot: httpx.Client) -> None:
    queue = queue_name("fence")
    job = submit(robot, queue, max_retries=1, retry_backoff_seconds=0)
    worker = register(robot, [queue])
    other = register(robot, [queue])
    [first] = claim(robot, worker, lease_seconds=30)

    lease = robot.post(
        f"{JOBS}/{job['id']}/lease", json={"worker_id": worker["id"], "attempt": 1, "lease_seconds": 90}
    )
    assert lease.status_code == 200, lease.text
    assert lease.json()["attempt"] == 1 and lease.json()["lease_expires_at"] > first["lease_expires_at"]
    for wrong in ({"worker_id": other["id"], "attempt": 1}, {"worker_id": worker["id"], "attempt": 2}):
        assert_problem(robot.post(f"{JOBS}/{job['id']}/lease", json=wrong), 409, "LEASE_LOST")
        assert_problem(robot.post(f"{JOBS}/{job['id']}/complete", json=wrong), 409, "LEASE_LOST")
    assert robot.get(f"{JOBS}/{job['id']}").json()["status"] == "running"

    # a failure with a retry left: back to pending (no backoff), one retry used
    failed = report(robot, first, worker, "fail", exit_code=3, stderr="boom\n")
    assert failed.status_code == 200, failed.text
    assert (failed.json()["status"], failed.json()["retries_used"], failed.json()["exit_code"]) == (
        "pending",
        1,
        3,
    )
    [second] = claim(robot, other)
    assert second["attempt"] == 2
    # attempt 1's late reports change nothing
    before = robot.get(f"{JOBS}/{job['id']}").json()
    assert_problem(report(robot, first, worker, "complete"), 409, "LEASE_LOST")
    assert_problem(report(robot, first, worker, "fail"), 409, "LEASE_LOST")
    assert robot.get(f"{JOBS}/{job['id']}").json() == before

    done = report(robot, second, other, stdout="x" * 70000)
    assert done.status_code == 200 and done.json()["status"] == "completed"
    one, two = executions(robot, job["id"])
    assert (one["status"], one["exit_code"], one["stderr"], one["error"]) == (
        "failed",
        3,
        "boom\n",
        "Exited with status 3",
    )
    assert (two["status"], two["exit_code"], two["worker"]) == ("completed", 0, other["id"])
    assert len(two["stdout"]) == 65536 and two["stdout_truncated"] is True
    assert_problem(report(robot, second, other), 409, "LEASE_LOST")  # completed: no second report


def test_fail_without_retries_and_timed_out(robot: httpx.Client) -> None:
    queue = queue_name("final")
    plain, slow = submit(robot, queue), submit(robot, queue)
    worker = register(robot, [queue], capacity=2)
    claimed = {job["id"]: job for job in claim(robot, worker, max_jobs=2)}
    assert report(robot, claimed[plain["id"]], worker, "fail", exit_code=1).json()["status"] == "failed"
    timed_out = report(robot, claimed[slow["id"]], worker, "fail", timed_out=True, error="killed after 30 s")
    assert (timed_out.json()["status"], timed_out.json()["error"]) == ("timed_out", "killed after 30 s")


def test_cancel_while_a_robot_runs_it(robot: httpx.Client) -> None:
    queue = queue_name("cancel")
    job = submit(robot, queue)
    worker = register(robot, [queue])
    [claimed] = claim(robot, worker)
    assert robot.post(f"{JOBS}/{job['id']}/cancel").json()["status"] == "cancelled"
    lost = robot.post(f"{JOBS}/{job['id']}/lease", json={"worker_id": worker["id"], "attempt": 1})
    assert_problem(lost, 409, "LEASE_LOST")
    assert "cancelled" in lost.json()["detail"]
    [execution] = executions(robot, job["id"])
    assert execution["status"] == "cancelled"
    assert_problem(report(robot, claimed, worker), 409, "LEASE_LOST")
    assert robot.get(f"{JOBS}/{job['id']}").json()["status"] == "cancelled"


def test_lease_expiry_requeues_for_another_robot(robot: httpx.Client) -> None:
    """The lease reconciler (recover_lost) settles a silent robot's job by its retry policy."""
    queue = queue_name("expiry")
    job = submit(robot, queue, max_retries=1, retry_backoff_seconds=0)
    silent = register(robot, [queue])
    [first] = claim(robot, silent, lease_seconds=2)
    requeued = wait_for_status(robot, job["id"], {"pending"}, timeout=15)
    assert requeued["retries_used"] == 1 and requeued["attempt"] == 1
    assert executions(robot, job["id"])[0]["status"] == "lost"
    rescuer = register(robot, [queue])
    [second] = claim(robot, rescuer)
    assert second["attempt"] == 2
    before = robot.get(f"{JOBS}/{job['id']}").json()
    assert_problem(report(robot, first, silent), 409, "LEASE_LOST")
    assert robot.get(f"{JOBS}/{job['id']}").json() == before
    assert report(robot, second, rescuer).json()["status"] == "completed"


# -- drain and deregistration ----------------------------------------------------------------------


def test_drain_stops_new_claims_but_not_running_jobs(robot: httpx.Client) -> None:
    queue = queue_name("drain")
    job = submit(robot, queue)
    submit(robot, queue)
    worker = register(robot, [queue], capacity=2)
    [claimed] = claim(robot, worker)
    drained = robot.post(f"{WORKERS}/{worker['id']}/drain")
    assert drained.status_code == 200 and drained.json()["state"] == "draining"
    assert robot.post(f"{WORKERS}/{worker['id']}/drain").status_code == 200  # twice is fine
    assert_problem(robot.post(f"{WORKERS}/{worker['id']}/claim", json={}), 409, "WORKER_DRAINING")
    # a robot that keeps saying `active` does not undo the drain
    assert (
        robot.post(f"{WORKERS}/{worker['id']}/heartbeat", json={"state": "active"}).json()["state"]
        == "draining"
    )
    assert (
        robot.post(f"{JOBS}/{job['id']}/lease", json={"worker_id": worker["id"], "attempt": 1}).status_code
        == 200
    )
    assert report(robot, claimed, worker).json()["status"] == "completed"

    # a robot draining itself through its heartbeat
    other = register(robot, [queue])
    assert (
        robot.post(f"{WORKERS}/{other['id']}/heartbeat", json={"state": "draining"}).json()["state"]
        == "draining"
    )
    assert_problem(robot.post(f"{WORKERS}/{other['id']}/claim", json={}), 409, "WORKER_DRAINING")


def test_deregister_requeues_running_jobs_at_once(robot: httpx.Client) -> None:
    queue = queue_name("dereg")
    jobs = [submit(robot, queue, max_retries=0) for _ in range(2)]
    worker = register(robot, [queue], capacity=2)
    taken = claim(robot, worker, max_jobs=2, lease_seconds=600)
    assert len(taken) == 2
    assert robot.delete(f"{WORKERS}/{worker['id']}").status_code == 204
    for job in jobs:
        # at once, although the lease had ten minutes left; no retry used (max_retries is 0)
        now = robot.get(f"{JOBS}/{job['id']}").json()
        assert (now["status"], now["attempt"], now["retries_used"]) == ("pending", 1, 0)
        [execution] = executions(robot, job["id"])
        assert execution["status"] == "lost" and "deregistered" in execution["error"]
    assert_problem(robot.get(f"{WORKERS}/{worker['id']}"), 404, "WORKER_NOT_FOUND")
    assert_problem(robot.delete(f"{WORKERS}/{worker['id']}"), 404, "WORKER_NOT_FOUND")
    for claimed in taken:  # the deregistered robot's late words
        assert_problem(report(robot, claimed, worker), 409, "LEASE_LOST")
    successor = register(robot, [queue], capacity=2)
    again = claim(robot, successor, max_jobs=2)
    assert sorted(job["attempt"] for job in again) == [2, 2]
    for claimed in again:
        assert report(robot, claimed, successor).json()["status"] == "completed"


# -- errors, scopes, fleet, client -------------------------------------------------------------------


def test_unknown_ids_and_bad_bodies(server: LiveServer, robot: httpx.Client) -> None:
    missing = str(uuid.uuid4())
    for method, path, body in (
        ("GET", f"{WORKERS}/{missing}", None),
        ("DELETE", f"{WORKERS}/{missing}", None),
        ("POST", f"{WORKERS}/{missing}/heartbeat", {}),
        ("POST", f"{WORKERS}/{missing}/drain", None),
        ("POST", f"{WORKERS}/{missing}/claim", {}),
    ):
        assert_problem(robot.request(method, path, json=body), 404, "WORKER_NOT_FOUND")
    report_body = {"worker_id": missing, "attempt": 1}
    for action in ("lease", "complete", "fail"):
        assert_problem(robot.post(f"{JOBS}/{missing}/{action}", json=report_body), 404, "JOB_NOT_FOUND")
    worker = register(robot, ["bad-bodies"])
    claim_path = f"{WORKERS}/{worker['id']}/claim"
    for bad in (
        {"max_jobs": 0},
        {"max_jobs": 101},
        {"lease_seconds": 1},
        {"lease_seconds": 3601},
        {"wait_seconds": 61},
        {"queues": []},
        {"surprise": 1},
    ):
        assert_problem(robot.post(claim_path, json=bad), 400, "VALIDATION_ERROR")
    for bad in (
        {"name": "r", "queues": []},
        {"name": "r"},
        {"name": "r", "queues": ["Bad Queue"]},
        {"name": "r", "queues": ["q"], "capacity": 0},
        {"name": "r", "queues": ["q"], "labels": {"-bad": "x"}},
        {"name": "r", "queues": ["q"], "owner": "me"},
    ):
        assert_problem(robot.post(WORKERS, json=bad), 400, "VALIDATION_ERROR")
    assert_problem(robot.post(f"{WORKERS}/{worker['id']}/heartbeat", json={"state": "asleep"}), 400)
    assert_problem(robot.post(f"{JOBS}/{missing}/complete", json={"attempt": 1}), 400, "VALIDATION_ERROR")
    # members and viewers cannot act as workers; viewers may look at the fleet
    with server.client(server.token("member")) as member, server.client(server.token("viewer")) as viewer:
        assert_problem(member.post(WORKERS, json={"name": "r", "queues": ["q"]}), 403, "FORBIDDEN")
        assert_problem(member.get("/api/v1/fleet"), 403, "FORBIDDEN")
        assert viewer.get("/api/v1/fleet").status_code == 200
        assert viewer.get(WORKERS).status_code == 200
        assert_problem(viewer.post(claim_path, json={}), 403, "FORBIDDEN")


def test_fleet(robot: httpx.Client) -> None:
    queue = queue_name("fleet")
    for _ in range(3):
        submit(robot, queue)
    worker = register(robot, [queue], capacity=5)
    robot.post(f"{WORKERS}/{worker['id']}/heartbeat", json={"load": 2})
    claim(robot, worker, max_jobs=2)
    response = robot.get("/api/v1/fleet")
    assert response.status_code == 200, response.text
    fleet = response.json()
    assert fleet["workers"]["total"] == sum(fleet["workers"][s] for s in ("online", "stale", "offline"))
    assert fleet["workers"]["online"] >= 1 and fleet["capacity"] >= 5 and fleet["load"] >= 2
    assert fleet["running_on_workers"] >= 2
    assert {"queue": queue, "pending": 1, "running": 2} in fleet["queues"]
    assert {"queue": "blocker", "pending": 0, "running": 1} in fleet["queues"]
    assert fleet["jobs_by_status"]["running"] >= 3 and fleet["heartbeat_interval_seconds"] == HEARTBEAT
    etag = response.headers["etag"]
    assert robot.get("/api/v1/fleet", headers={"If-None-Match": etag}).status_code in {200, 304}


def test_generated_client_registers_claims_and_completes(server: LiveServer, robot: httpx.Client) -> None:
    from baton_client import AuthenticatedClient
    from baton_client.api.leases import complete_job, extend_lease
    from baton_client.api.workers import claim_jobs, get_worker, register_worker
    from baton_client.models import AttemptReport, ClaimRequest, LeaseRequest, WorkerRegistration

    queue = queue_name("client")
    job = submit(robot, queue)
    client = AuthenticatedClient(server.url, token=server.token("manager"))
    worker = register_worker.sync(client=client, body=WorkerRegistration(name="client-robot", queues=[queue]))
    assert worker is not None and worker.status == "online"
    result = claim_jobs.sync(str(worker.id), client=client, body=ClaimRequest(max_jobs=1, wait_seconds=5))
    [claimed] = result.jobs
    assert (str(claimed.id), claimed.attempt) == (job["id"], 1)
    lease = extend_lease.sync(
        job["id"], client=client, body=LeaseRequest(worker_id=str(worker.id), attempt=1, lease_seconds=30)
    )
    assert lease.attempt == 1
    done = complete_job.sync(
        job["id"], client=client, body=AttemptReport(worker_id=str(worker.id), attempt=1, stdout="ok\n")
    )
    assert done.status == "completed"
    assert get_worker.sync(str(worker.id), client=client).running_jobs == 0
    wait_for(lambda: executions(robot, job["id"])[0]["stdout"] == "ok\n", timeout=5)
