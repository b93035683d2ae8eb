"""Registered Python tasks run by the server's local executor, through HTTP and the generated
client: results, sync and async callables, timeout, cancel, retry, the result cap, and the
submit-time rules (unknown task, command XOR task)."""

from __future__ import annotations

import time
import uuid

import httpx
from baton_client import AuthenticatedClient
from baton_client.api.jobs import create_job, get_job, list_job_executions
from baton_client.models import ExecutionPage, Job, JobCreate, JobCreatePayload

from tests import sample_tasks
from tests.conftest import LiveServer, assert_problem, wait_for, wait_for_status

JOBS = "/api/v1/jobs"
SERVER_SETTINGS = {"executor_url": "local://?concurrency=4&labels=*", "tasks": "tests.sample_tasks"}
DONE = {"completed", "failed", "timed_out", "cancelled"}


def submit(client: httpx.Client, task: str, payload: dict | None = None, **fields: object) -> dict:
    body: dict = {"task": task, **fields}
    if payload is not None:
        body["payload"] = payload
    response = client.post(JOBS, json=body)
    assert response.status_code == 201, response.text
    return response.json()


def executions(client: httpx.Client, job_id: str) -> list[dict]:
    response = client.get(f"{JOBS}/{job_id}/executions")
    assert response.status_code == 200, response.text
    return response.json()["data"]


def test_an_async_task_result_is_kept_on_its_execution(admin: httpx.Client) -> None:
    job = submit(admin, "tests.echo", {"x": 1, "nested": {"list": [1, "two", None]}})
    assert job["task"] == "tests.echo"
    assert job["payload"] == {"x": 1, "nested": {"list": [1, "two", None]}}
    assert job["command"] == []
    assert job["name"] == "tests.echo"
    done = wait_for_status(admin, job["id"], DONE)
    assert done["status"] == "completed", done
    assert done["exit_code"] is None and done["error"] is None
    [execution] = executions(admin, job["id"])
    assert execution["status"] == "completed"
    assert execution["result"] == {"got": {"x": 1, "nested": {"list": [1, "two", None]}}, "kind": "async"}
    assert execution["worker"].startswith("local:")
    # its events name the task (webhook receivers and event readers see what ran)
    events = admin.get("/api/v1/events", params={"job_id": job["id"], "limit": 100}).json()["data"]
    assert [e["type"] for e in events] == ["job.created", "job.running", "job.completed"]
    assert {e["data"]["task"] for e in events} == {"tests.echo"}


def test_a_sync_task_runs_and_a_payload_defaults_to_empty(admin: httpx.Client) -> None:
    job = submit(admin, "tests.add", {"a": 2, "b": 40})
    assert wait_for_status(admin, job["id"], DONE)["status"] == "completed"
    assert executions(admin, job["id"])[0]["result"] == 42

    bare = submit(admin, "tests.echo")
    assert bare["payload"] == {}
    assert wait_for_status(admin, bare["id"], DONE)["status"] == "completed"
    assert executions(admin, bare["id"])[0]["result"] == {"got": {}, "kind": "async"}


def test_the_generated_client_submits_tasks_and_reads_results(server: LiveServer) -> None:
    with AuthenticatedClient(base_url=server.url, token=server.token("admin"), timeout=30) as client:
        body = JobCreate(task="tests.add", payload=JobCreatePayload.from_dict({"a": 1, "b": 2}))
        created = create_job.sync(client=client, body=body)
        assert isinstance(created, Job), created
        assert created.task == "tests.add"

        def finished() -> Job | None:
            job = get_job.sync(created.id, client=client)
            return job if isinstance(job, Job) and job.status.value in DONE else None

        assert wait_for(finished).status.value == "completed"
        page = list_job_executions.sync(created.id, client=client)
        assert isinstance(page, ExecutionPage)
        assert page.data[0].result == 3


def test_a_command_job_has_no_task_and_no_result(admin: httpx.Client) -> None:
    response = admin.post(JOBS, json={"command": ["true"]})
    assert response.status_code == 201, response.text
    job = response.json()
    assert job["task"] is None and job["payload"] is None
    assert wait_for_status(admin, job["id"], DONE)["status"] == "completed"
    assert executions(admin, job["id"])[0]["result"] is None


def test_an_async_task_past_its_timeout_is_cancelled_and_timed_out(admin: httpx.Client) -> None:
    key = uuid.uuid4().hex
    job = submit(admin, "tests.sleep", {"seconds": 30, "key": key}, timeout_seconds=1)
    done = wait_for_status(admin, job["id"], DONE, timeout=15)
    assert done["status"] == "timed_out", done
    assert done["error"] == "Timed out after 1 seconds"
    assert key in sample_tasks.CANCELLED  # the coroutine itself was cancelled, not left running
    assert executions(admin, job["id"])[0]["status"] == "timed_out"


def test_a_sync_task_past_its_timeout_ends_the_attempt_at_once(admin: httpx.Client) -> None:
    started = time.monotonic()
    job = submit(admin, "tests.sync_sleep", {"seconds": 8}, timeout_seconds=1)
    done = wait_for_status(admin, job["id"], DONE, timeout=15)
    assert done["status"] == "timed_out", done
    # the thread cannot be killed, but the attempt does not wait for it (the margin is for a
    # busy CI machine)
    assert time.monotonic() - started < 6


def test_a_callable_object_with_an_async_call_is_awaited(admin: httpx.Client) -> None:
    job = submit(admin, "tests.callable")
    assert wait_for_status(admin, job["id"], DONE)["status"] == "completed"
    assert executions(admin, job["id"])[0]["result"] == "called"


def test_a_cancelled_coroutine_gets_to_clean_up_before_the_attempt_ends(admin: httpx.Client) -> None:
    key = uuid.uuid4().hex
    job = submit(admin, "tests.stubborn", {"key": key}, timeout_seconds=1)
    assert wait_for_status(admin, job["id"], DONE, timeout=15)["status"] == "timed_out"
    # the execution ends after the task's cleanup, not in the middle of it
    [execution] = executions(admin, job["id"])
    assert execution["status"] == "timed_out" and key in sample_tasks.CANCELLED


def test_cancelling_a_running_task_cancels_its_coroutine(admin: httpx.Client) -> None:
    key = uuid.uuid4().hex
    job = submit(admin, "tests.sleep", {"seconds": 60, "key": key})
    wait_for_status(admin, job["id"], {"running"})
    response = admin.post(f"{JOBS}/{job['id']}/cancel")
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "cancelled"
    wait_for(lambda: key in sample_tasks.CANCELLED, timeout=10)
    [execution] = wait_for(
        lambda: [e for e in executions(admin, job["id"]) if e["finished_at"] is not None], timeout=10
    )
    assert execution["status"] == "cancelled"
    assert execution["result"] is None


def test_a_task_that_raises_is_a_failed_attempt_and_is_retried(admin: httpx.Client) -> None:
    key = uuid.uuid4().hex
    job = submit(
        admin,
        "tests.flaky",
        {"key": key, "failures": 1},
        max_retries=1,
        retry_backoff_seconds=0,
    )
    done = wait_for_status(admin, job["id"], DONE)
    assert done["status"] == "completed", done
    assert done["retries_used"] == 1 and done["attempt"] == 2
    first, second = executions(admin, job["id"])
    assert first["status"] == "failed"
    assert first["error"] == "RuntimeError: flaky failure 1"
    assert first["result"] is None
    assert second["status"] == "completed" and second["result"] == "ok after 2"


def test_an_exception_shows_its_type_and_message_but_no_traceback(admin: httpx.Client) -> None:
    job = submit(admin, "tests.boom", {"n": 7})
    done = wait_for_status(admin, job["id"], DONE)
    assert done["status"] == "failed"
    assert done["error"] == "ValueError: bad input 7"
    response = admin.get(f"{JOBS}/{job['id']}/executions")
    assert response.json()["data"][0]["error"] == "ValueError: bad input 7"
    for text in (response.text, admin.get(f"{JOBS}/{job['id']}").text):
        assert "Traceback" not in text and "sample_tasks.py" not in text


def test_a_result_over_the_cap_fails_the_attempt(admin: httpx.Client) -> None:
    fits = submit(admin, "tests.big", {"size": 60_000})
    assert wait_for_status(admin, fits["id"], DONE)["status"] == "completed"
    assert len(executions(admin, fits["id"])[0]["result"]) == 60_000

    too_big = submit(admin, "tests.big", {"size": 70_000})
    done = wait_for_status(admin, too_big["id"], DONE)
    assert done["status"] == "failed"
    assert done["error"] == "The task's result is 70002 bytes of JSON; at most 65536 are kept"
    assert executions(admin, too_big["id"])[0]["result"] is None


def test_a_result_json_cannot_hold_fails_the_attempt(admin: httpx.Client) -> None:
    job = submit(admin, "tests.not_json")
    done = wait_for_status(admin, job["id"], DONE)
    assert done["status"] == "failed"
    assert done["error"].startswith("The task's result is not JSON:")


def test_an_unknown_task_is_refused_at_submit(admin: httpx.Client) -> None:
    response = admin.post(JOBS, json={"task": "tests.nope", "payload": {}})
    body = assert_problem(response, 422, "UNKNOWN_TASK")
    assert "'tests.nope'" in body["detail"] and "tests.echo" in body["detail"]
    assert body["errors"] == [{"field": "task", "message": "Unknown task 'tests.nope'"}]


def test_a_job_gives_exactly_one_of_command_and_task(admin: httpx.Client) -> None:
    both = admin.post(JOBS, json={"command": ["true"], "task": "tests.echo"})
    assert_problem(both, 422, "COMMAND_OR_TASK")
    neither = admin.post(JOBS, json={"name": "nothing to run"})
    assert_problem(neither, 422, "COMMAND_OR_TASK")
    payload_with_command = admin.post(JOBS, json={"command": ["true"], "payload": {"a": 1}})
    assert_problem(payload_with_command, 422, "COMMAND_OR_TASK")


def test_a_task_name_must_be_dotted_identifiers(admin: httpx.Client) -> None:
    for name in ("tests..echo", "1tests", "tests echo", ""):
        assert_problem(admin.post(JOBS, json={"task": name}), 400, "VALIDATION_ERROR")


def test_a_batch_checks_each_task(admin: httpx.Client) -> None:
    jobs = [{"task": "tests.add", "payload": {"a": 1, "b": 1}}, {"task": "tests.missing"}]
    response = admin.post(f"{JOBS}/batch", json={"jobs": jobs, "atomic": False})
    assert response.status_code == 207, response.text
    created, rejected = response.json()["results"]
    assert created["status"] == 201 and created["job"]["task"] == "tests.add"
    assert rejected["status"] == 422 and rejected["error"]["code"] == "UNKNOWN_TASK"


def test_a_task_only_a_pull_worker_has_is_known_and_left_to_it(admin: httpx.Client) -> None:
    assert_problem(admin.post(JOBS, json={"task": "remote.only"}), 422, "UNKNOWN_TASK")
    response = admin.post(
        "/api/v1/workers",
        json={"name": "remote", "queues": ["remote-tasks"], "tasks": ["remote.only", "remote.only2"]},
    )
    assert response.status_code == 201, response.text
    worker = response.json()
    assert worker["tasks"] == ["remote.only", "remote.only2"]
    job = submit(admin, "remote.only", {"k": "v"})  # on the default queue: the local executor's
    time.sleep(1)  # a dozen dispatcher ticks: it must not claim a task it cannot run
    assert admin.get(f"{JOBS}/{job['id']}").json()["status"] == "pending"
    admin.post(f"{JOBS}/{job['id']}/cancel")
    admin.delete(f"/api/v1/workers/{worker['id']}")


def test_a_schedule_runs_a_registered_task_and_refuses_what_a_submit_would(admin: httpx.Client) -> None:
    schedules = "/api/v1/schedules"
    bad = {"name": "no job", "interval_seconds": 3600, "job": {}}
    problem = assert_problem(admin.post(schedules, json=bad), 422, "COMMAND_OR_TASK")
    assert problem["errors"][0]["field"] == "job.command"
    unknown = {**bad, "job": {"task": "tests.nowhere"}}
    assert_problem(admin.post(schedules, json=unknown), 422, "UNKNOWN_TASK")
    job = {"task": "tests.add", "payload": {"a": 1, "b": 2}}
    body = {**bad, "name": "task schedule", "paused": True, "job": job}
    created = admin.post(schedules, json=body)
    assert created.status_code == 201, created.text
    schedule = created.json()
    assert_problem(admin.patch(f"{schedules}/{schedule['id']}", json={"job": {}}), 422, "COMMAND_OR_TASK")
    ran = admin.post(f"{schedules}/{schedule['id']}/trigger")
    assert ran.status_code == 201, ran.text
    assert ran.json()["task"] == "tests.add" and ran.json()["schedule_id"] == schedule["id"]
    assert wait_for_status(admin, ran.json()["id"], DONE)["status"] == "completed"
    assert executions(admin, ran.json()["id"])[0]["result"] == 3
    assert admin.delete(f"{schedules}/{schedule['id']}").status_code == 204


def test_a_workflow_of_tasks_hands_each_step_its_upstream_results(admin: httpx.Client) -> None:
    steps = [
        {"name": "sum", "job": {"task": "tests.add", "payload": {"a": 20, "b": 22}}},
        {"name": "say", "job": {"command": ["echo", "hello"]}},
        {"name": "report", "job": {"task": "tests.echo", "payload": {"k": 1}}, "depends_on": ["sum", "say"]},
    ]
    unknown = [*steps[:2], {"name": "report", "job": {"task": "tests.nowhere"}, "depends_on": ["sum"]}]
    problem = assert_problem(
        admin.post("/api/v1/workflows", json={"name": "x", "steps": unknown}), 422, "UNKNOWN_TASK"
    )
    assert problem["errors"][0]["field"] == "steps.2.job.task"
    created = admin.post("/api/v1/workflows", json={"name": "tasks flow", "steps": steps})
    assert created.status_code == 201, created.text
    workflow_id = created.json()["id"]
    wait_for(lambda: admin.get(f"/api/v1/workflows/{workflow_id}").json()["status"] != "running", timeout=30)
    detail = admin.get(f"/api/v1/workflows/{workflow_id}").json()
    assert detail["status"] == "completed", detail
    report = next(step for step in detail["steps"] if step["name"] == "report")
    # the task gets its own payload plus `upstream_results`: a task's JSON result, a command's stdout
    assert executions(admin, report["job_id"])[0]["result"]["got"] == {
        "k": 1,
        "upstream_results": {"sum": 42, "say": "hello\n"},
    }
