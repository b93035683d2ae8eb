"""Registered Python tasks on a pull worker (`baton worker --server URL`), with real processes:
the worker registers its tasks, the server accepts jobs naming them and hands them only to it,
and the worker runs them in its own process and reports their JSON results with `complete`."""

from __future__ import annotations

import signal
import uuid
from collections.abc import Iterator

import httpx
import pytest

from tests.conftest import ADMIN_PASSWORD, ServerProcess, assert_problem, wait_for, wait_for_status
from tests.faults.harness import PullWorkerProcess

pytestmark = pytest.mark.slow

JOBS = "/api/v1/jobs"
DONE = {"completed", "failed", "cancelled", "timed_out"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    workdir = tmp_path_factory.mktemp("pull-tasks")
    # the server's own executor serves `default` only and registers no task
    server = ServerProcess(
        workdir / "baton.db",
        workdir / "server.log",
        BATON_ADMIN_PASSWORD=ADMIN_PASSWORD,
        BATON_EXECUTOR_URL="local://?concurrency=2&queues=default",
        BATON_WORKER_HEARTBEAT_SECONDS="1",
    ).start()
    yield server
    if server.proc is not None and server.proc.poll() is None:
        server.stop(signal.SIGKILL)


@pytest.fixture(scope="module")
def api(server: ServerProcess) -> Iterator[httpx.Client]:
    response = httpx.post(
        f"{server.url}/api/v1/auth/login", json={"username": "admin", "password": ADMIN_PASSWORD}, timeout=30
    )
    token = response.json()["access_token"]
    with httpx.Client(
        base_url=server.url, headers={"Authorization": f"Bearer {token}"}, timeout=30
    ) as client:
        yield client


@pytest.fixture(scope="module")
def worker(
    server: ServerProcess, api: httpx.Client, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    # before any worker registers it, the task is unknown
    assert_problem(api.post(JOBS, json={"task": "tests.echo", "queue": "robo"}), 422, "UNKNOWN_TASK")
    process = PullWorkerProcess(
        server.url,
        tmp_path_factory.mktemp("pull-worker") / "worker.log",
        queue="robo",
        credentials=["--username", "admin"],
        secrets={"BATON_PASSWORD": ADMIN_PASSWORD},
        concurrency=3,
        env={"BATON_TASKS": "tests.sample_tasks"},
    ).start()
    try:
        yield process.registered()
    finally:
        process.stop(signal.SIGKILL)
    assert "Traceback" not in process.log(), process.log()


def submit(api: httpx.Client, task: str, payload: dict | None = None, **fields: object) -> dict:
    response = api.post(JOBS, json={"task": task, "payload": payload or {}, "queue": "robo", **fields})
    assert response.status_code == 201, response.text
    return response.json()


def executions(api: httpx.Client, job_id: str) -> list[dict]:
    response = api.get(f"{JOBS}/{job_id}/executions")
    assert response.status_code == 200, response.text
    return response.json()["data"]


def test_the_worker_registers_its_tasks(api: httpx.Client, worker: str) -> None:
    registered = api.get(f"/api/v1/workers/{worker}").json()
    assert {"tests.echo", "tests.add", "tests.sleep"} <= set(registered["tasks"])
    assert registered["tasks"] == sorted(registered["tasks"])


def test_results_of_async_and_sync_tasks(api: httpx.Client, worker: str) -> None:
    echo = submit(api, "tests.echo", {"deep": {"a": [True, None]}})
    add = submit(api, "tests.add", {"a": 5, "b": 6})
    for job in (echo, add):
        done = wait_for_status(api, job["id"], DONE, timeout=30)
        assert done["status"] == "completed" and done["exit_code"] is None, done
    [run] = executions(api, echo["id"])
    assert run["worker"] == worker
    assert run["result"] == {"got": {"deep": {"a": [True, None]}}, "kind": "async"}
    assert executions(api, add["id"])[0]["result"] == 11


def test_timeout_retry_raise_and_the_result_cap(api: httpx.Client, worker: str) -> None:
    slow = submit(api, "tests.sleep", {"seconds": 30}, timeout_seconds=1)
    flaky = submit(
        api, "tests.flaky", {"key": uuid.uuid4().hex, "failures": 1}, max_retries=1, retry_backoff_seconds=0
    )
    big = submit(api, "tests.big", {"size": 70_000})
    boom = submit(api, "tests.boom", {"n": 9})
    assert wait_for_status(api, slow["id"], DONE, timeout=30)["status"] == "timed_out"
    done = wait_for_status(api, flaky["id"], DONE, timeout=30)
    assert (done["status"], done["attempt"]) == ("completed", 2)
    first, second = executions(api, flaky["id"])
    assert first["error"] == "RuntimeError: flaky failure 1" and second["result"] == "ok after 2"
    failed = wait_for_status(api, big["id"], DONE, timeout=30)
    assert failed["status"] == "failed" and "at most 65536" in failed["error"]
    raised = wait_for_status(api, boom["id"], DONE, timeout=30)
    assert raised["status"] == "failed" and raised["error"] == "ValueError: bad input 9"


def test_cancel_stops_a_running_task(api: httpx.Client, worker: str) -> None:
    job = submit(api, "tests.sleep", {"seconds": 60})
    wait_for_status(api, job["id"], {"running"}, timeout=30)
    assert api.post(f"{JOBS}/{job['id']}/cancel").json()["status"] == "cancelled"
    [run] = executions(api, job["id"])
    assert run["status"] == "cancelled"

    # the worker stops it at its next lease extension: its slots are all free again after that
    def idle() -> bool:
        return api.get(f"/api/v1/workers/{worker}").json()["running_jobs"] == 0

    wait_for(idle, timeout=20)
    quick = [submit(api, "tests.add", {"a": 1, "b": 2}) for _ in range(3)]
    for job in quick:
        assert wait_for_status(api, job["id"], DONE, timeout=30)["status"] == "completed"


def test_complete_keeps_a_result_and_refuses_one_over_the_cap(api: httpx.Client) -> None:
    """`complete` by hand (what any pull worker implementation sends): the result is stored, and
    one over the cap fails the attempt under the same rule as in-process tasks."""
    registered = api.post(
        "/api/v1/workers",
        json={"name": "by-hand", "queues": ["by-hand"], "tasks": ["hand.made"], "capacity": 2},
    ).json()
    ids = [
        api.post(JOBS, json={"task": "hand.made", "queue": "by-hand", "payload": {"i": i}}).json()["id"]
        for i in range(2)
    ]
    claimed = api.post(f"/api/v1/workers/{registered['id']}/claim", json={"max_jobs": 2}).json()["jobs"]
    assert sorted(job["id"] for job in claimed) == sorted(ids)
    assert {job["task"] for job in claimed} == {"hand.made"} and claimed[0]["command"] == []
    small, large = claimed
    report = {"worker_id": registered["id"]}
    ok = api.post(f"{JOBS}/{small['id']}/complete", json={**report, "attempt": 1, "result": [1, {"a": "b"}]})
    assert ok.status_code == 200 and ok.json()["status"] == "completed" and ok.json()["exit_code"] is None
    assert executions(api, small["id"])[0]["result"] == [1, {"a": "b"}]
    too_big = api.post(
        f"{JOBS}/{large['id']}/complete", json={**report, "attempt": 1, "result": "x" * 70_000}
    )
    assert too_big.status_code == 200 and too_big.json()["status"] == "failed"
    assert "at most 65536" in too_big.json()["error"]
    api.delete(f"/api/v1/workers/{registered['id']}")
