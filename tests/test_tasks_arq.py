"""Registered Python tasks on `baton worker` processes (arq executor), with real processes: the
worker announces its tasks in Redis, the server accepts jobs naming them, the worker runs them
in its own process and records their results; timeout, cancel, retry and the result cap as on
the local executor (tests/test_tasks.py)."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator

import httpx
import pytest

from tests.conftest import assert_problem, wait_for, wait_for_status
from tests.faults.harness import JOBS, ArqCluster, RedisProcess

pytestmark = pytest.mark.slow

DONE = {"completed", "failed", "cancelled", "timed_out"}
TASKS_ENV = {"BATON_TASKS": "tests.sample_tasks"}


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ArqCluster]:
    redis = RedisProcess(tmp_path_factory.mktemp("redis")).start()
    cluster = ArqCluster(tmp_path_factory.mktemp("arq"), redis).start()
    try:
        yield cluster
    finally:
        cluster.stop()
        redis.stop()
    assert "Traceback" not in cluster.logs(), cluster.logs()


@pytest.fixture(scope="module")
def api(cluster: ArqCluster) -> Iterator[httpx.Client]:
    with cluster.client() as client:
        yield client


def submit(api: httpx.Client, task: str, payload: dict | None = None, **fields: object) -> dict:
    response = api.post(JOBS, json={"task": task, "payload": payload or {}, "queue": "tasks", **fields})
    assert response.status_code == 201, response.text
    return response.json()


def executions(api: httpx.Client, job_id: str) -> list[dict]:
    response = api.get(f"{JOBS}/{job_id}/executions")
    assert response.status_code == 200, response.text
    return response.json()["data"]


def test_a_task_is_known_once_a_worker_announces_it(api: httpx.Client, cluster: ArqCluster) -> None:
    assert_problem(api.post(JOBS, json={"task": "tests.echo"}), 422, "UNKNOWN_TASK")
    cluster.add_worker(queue="tasks", concurrency=4, env=TASKS_ENV)
    # the worker announces its tasks as it starts
    body = {"task": "tests.echo", "queue": "tasks"}
    job = wait_for(lambda: (r := api.post(JOBS, json=body)).status_code == 201 and r.json(), timeout=30)
    assert wait_for_status(api, job["id"], DONE, timeout=30)["status"] == "completed"
    unknown = assert_problem(api.post(JOBS, json={"task": "tests.nope"}), 422, "UNKNOWN_TASK")
    assert "tests.add" in unknown["detail"] and "tests.echo" in unknown["detail"]


def test_results_of_async_and_sync_tasks(api: httpx.Client) -> None:
    echo = submit(api, "tests.echo", {"n": [1, 2]})
    add = submit(api, "tests.add", {"a": 20, "b": 22})
    for job in (echo, add):
        assert wait_for_status(api, job["id"], DONE, timeout=30)["status"] == "completed"
    [run] = executions(api, echo["id"])
    assert run["result"] == {"got": {"n": [1, 2]}, "kind": "async"}
    assert run["worker"].startswith("arq:") and run["exit_code"] is None
    assert executions(api, add["id"])[0]["result"] == 42


def test_timeout_retry_and_the_result_cap(api: httpx.Client) -> None:
    slow = submit(api, "tests.sleep", {"seconds": 30}, timeout_seconds=1)
    flaky = submit(
        api, "tests.flaky", {"key": uuid.uuid4().hex, "failures": 1}, max_retries=1, retry_backoff_seconds=0
    )
    big = submit(api, "tests.big", {"size": 70_000})
    boom = submit(api, "tests.boom", {"n": 3})
    assert wait_for_status(api, slow["id"], DONE, timeout=30)["status"] == "timed_out"
    done = wait_for_status(api, flaky["id"], DONE, timeout=30)
    assert (done["status"], done["attempt"]) == ("completed", 2)
    first, second = executions(api, flaky["id"])
    assert first["error"] == "RuntimeError: flaky failure 1" and second["result"] == "ok after 2"
    failed = wait_for_status(api, big["id"], DONE, timeout=30)
    assert failed["status"] == "failed" and "at most 65536" in failed["error"]
    raised = wait_for_status(api, boom["id"], DONE, timeout=30)
    assert raised["error"] == "ValueError: bad input 3"


def test_cancel_stops_a_running_task(api: httpx.Client) -> None:
    job = submit(api, "tests.sleep", {"seconds": 60})
    wait_for_status(api, job["id"], {"running"}, timeout=30)
    started = time.monotonic()
    assert api.post(f"{JOBS}/{job['id']}/cancel").json()["status"] == "cancelled"
    [run] = wait_for(
        lambda: [e for e in executions(api, job["id"]) if e["finished_at"] is not None], timeout=10
    )
    assert run["status"] == "cancelled"
    # the worker stopped it (its slot is free again): a new job runs at once on a worker of 4
    quick = [submit(api, "tests.add", {"a": 1, "b": 1}) for _ in range(4)]
    for job in quick:
        assert wait_for_status(api, job["id"], DONE, timeout=30)["status"] == "completed"
    assert time.monotonic() - started < 30


def test_a_worker_without_the_task_does_not_take_it(api: httpx.Client, cluster: ArqCluster) -> None:
    cluster.add_worker(queue="plain", concurrency=2)  # no BATON_TASKS
    job = submit(api, "tests.echo", {}, queue="plain")
    command = api.post(JOBS, json={"command": ["true"], "queue": "plain"}).json()
    assert wait_for_status(api, command["id"], DONE, timeout=30)["status"] == "completed"
    time.sleep(1.5)  # its hand-out reached the plain worker, which left the job alone
    assert api.get(f"{JOBS}/{job['id']}").json()["status"] == "pending"
    api.post(f"{JOBS}/{job['id']}/cancel")


def test_sigterm_stops_a_worker_whose_sync_task_runs_on(api: httpx.Client, cluster: ArqCluster) -> None:
    # Python cannot stop the thread of a sync task: the attempt ends at once, and so must the
    # worker (its job is re-queued), not wait for the call to return (here: 5 minutes)
    worker = cluster.add_worker(queue="stuck", concurrency=1, env=TASKS_ENV)
    body = {"task": "tests.sync_sleep", "payload": {"seconds": 300}, "queue": "stuck"}
    # known once the new worker announced it
    response = wait_for(lambda: (r := api.post(JOBS, json=body)).status_code == 201 and r, timeout=60)
    wait_for_status(api, response.json()["id"], {"running"}, timeout=60)
    assert worker.stop(timeout=40) == 0  # SIGTERM; the stop grace is 30 s
    job = wait_for_status(api, response.json()["id"], {"pending", "scheduled"}, timeout=20)
    assert job["retries_used"] == 0  # interrupted by a shutdown: not a failure of the job
    api.post(f"{JOBS}/{job['id']}/cancel")
