"""The generated client (baton_client) against a live server, sync and async: typed models in,
typed models out, problem+json errors parsed into Problem."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
import uuid
from collections.abc import Iterator

import httpx
import pytest
from baton_client import AuthenticatedClient, Client
from baton_client.api.auth import get_me, login
from baton_client.api.jobs import (
    cancel_job,
    create_job,
    delete_job,
    get_job,
    list_job_executions,
    list_jobs,
    retry_job,
)
from baton_client.api.system import get_health, get_info
from baton_client.models import (
    ExecutionStatus,
    HealthStatus,
    Job,
    JobCreate,
    JobPage,
    JobStatus,
    Labels,
    ListJobsSortItem,
    LoginRequest,
    Problem,
    TokenPair,
)

from tests.conftest import ADMIN_PASSWORD, LiveServer

# jobs here carry labels as data; this server's executor takes jobs whatever their labels
SERVER_SETTINGS = {"executor_url": "local://?concurrency=4&labels=*"}

FINISHED = {JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.CANCELLED, JobStatus.TIMED_OUT}
HELLO = ["sh", "-c", "echo hello"]
TIMEOUT = httpx.Timeout(30)


def far_future() -> dt.datetime:
    return dt.datetime.now(dt.UTC) + dt.timedelta(days=1)


def unique_queue() -> str:
    return f"client-{uuid.uuid4().hex[:12]}"


def authenticated(server: LiveServer, token: str | None = None) -> AuthenticatedClient:
    return AuthenticatedClient(base_url=server.url, token=token or server.token("admin"), timeout=TIMEOUT)


def problem(response, status: int, code: str) -> Problem:
    """The parsed Problem of a *_detailed response, checked against the raw response."""
    assert response.status_code == status, response.content
    assert response.headers["content-type"].startswith("application/problem+json")
    parsed = response.parsed
    assert isinstance(parsed, Problem), parsed
    assert parsed.status == status and parsed.code == code, parsed
    assert parsed.request_id == response.headers["x-request-id"]
    return parsed


@pytest.fixture(scope="module")
def api(server: LiveServer) -> Iterator[AuthenticatedClient]:
    with authenticated(server) as client:
        yield client


def wait_until_finished(api: AuthenticatedClient, job_id: str, timeout: float = 20) -> Job:
    deadline = time.monotonic() + timeout
    while True:
        job = get_job.sync(job_id, client=api)
        assert isinstance(job, Job), job
        if job.status in FINISHED or time.monotonic() > deadline:
            return job
        time.sleep(0.05)


async def wait_until_finished_async(api: AuthenticatedClient, job_id: str) -> Job:
    deadline = time.monotonic() + 20
    while True:
        job = await get_job.asyncio(job_id, client=api)
        assert isinstance(job, Job), job
        if job.status in FINISHED or time.monotonic() > deadline:
            return job
        await asyncio.sleep(0.05)


# ---------------------------------------------------------------- sync


def test_login_gives_a_token_pair_that_works(server: LiveServer) -> None:
    with Client(base_url=server.url, timeout=TIMEOUT) as anonymous:
        response = login.sync_detailed(
            client=anonymous, body=LoginRequest(username="admin", password=ADMIN_PASSWORD)
        )
    assert response.status_code == 200
    pair = response.parsed
    assert isinstance(pair, TokenPair)
    assert pair.token_type == "bearer" and pair.expires_in > 0 and pair.access_token
    with authenticated(server, pair.access_token) as client:
        me = get_me.sync(client=client)
    assert me is not None and not isinstance(me, Problem)
    assert me.username == "admin" and "jobs:write" in me.scopes


def test_wrong_password_is_a_parsed_problem(server: LiveServer) -> None:
    with Client(base_url=server.url, timeout=TIMEOUT) as anonymous:
        response = login.sync_detailed(client=anonymous, body=LoginRequest(username="admin", password="nope"))
    problem(response, 401, "INVALID_CREDENTIALS")


def test_public_system_endpoints(server: LiveServer) -> None:
    with Client(base_url=server.url, timeout=TIMEOUT) as anonymous:
        health = get_health.sync(client=anonymous)
        info = get_info.sync(client=anonymous)
    assert health is not None and health.status == HealthStatus.OK
    assert info is not None and info.name == "baton" and info.api_version == "v1"
    assert info.storage.backend == server.settings.database_url.split("+")[0]
    assert info.executor.backend == "local"


def test_job_lifecycle(api: AuthenticatedClient) -> None:
    labels = Labels.from_dict({"suite": "client"})
    created = create_job.sync_detailed(client=api, body=JobCreate(command=HELLO, name="hello", labels=labels))
    assert created.status_code == 201, created.content
    job = created.parsed
    assert isinstance(job, Job)
    assert job.command == HELLO and job.name == "hello" and job.owner == "admin"
    assert job.labels.additional_properties == {"suite": "client"}
    assert job.status in {JobStatus.PENDING, JobStatus.RUNNING, JobStatus.COMPLETED}
    assert isinstance(job.created_at, dt.datetime) and job.created_at.tzinfo is not None
    assert created.headers["location"].endswith(f"/api/v1/jobs/{job.id}")

    done = wait_until_finished(api, job.id)
    assert done.status == JobStatus.COMPLETED and done.exit_code == 0 and done.attempt == 1
    assert done.finished_at is not None and done.error is None

    page = list_job_executions.sync(job.id, client=api)
    assert page is not None and not isinstance(page, Problem)
    [execution] = page.data
    assert execution.attempt == 1 and execution.status == ExecutionStatus.COMPLETED
    assert execution.stdout == "hello\n" and execution.stderr == "" and execution.exit_code == 0
    assert page.pagination.has_next is False and page.pagination.next_cursor is None

    retried = retry_job.sync_detailed(job.id, client=api)
    assert retried.status_code == 200, retried.content
    assert isinstance(retried.parsed, Job) and retried.parsed.status in {
        JobStatus.PENDING,
        JobStatus.RUNNING,
        JobStatus.COMPLETED,
    }
    again = wait_until_finished(api, job.id)
    assert again.status == JobStatus.COMPLETED and again.attempt == 2
    executions = list_job_executions.sync(job.id, client=api, limit=1)
    assert executions is not None and not isinstance(executions, Problem)
    assert [e.attempt for e in executions.data] == [1] and executions.pagination.has_next
    assert isinstance(executions.pagination.next_cursor, str)
    rest = list_job_executions.sync(job.id, client=api, limit=1, cursor=executions.pagination.next_cursor)
    assert rest is not None and not isinstance(rest, Problem)
    assert [(e.attempt, e.stdout) for e in rest.data] == [(2, "hello\n")]

    deleted = delete_job.sync_detailed(job.id, client=api)
    assert deleted.status_code == 204 and deleted.parsed is None
    problem(get_job.sync_detailed(job.id, client=api), 404, "JOB_NOT_FOUND")


def test_cancel_a_scheduled_job(api: AuthenticatedClient) -> None:
    job = create_job.sync(client=api, body=JobCreate(command=HELLO, run_at=far_future()))
    assert isinstance(job, Job) and job.status == JobStatus.SCHEDULED
    cancelled = cancel_job.sync_detailed(job.id, client=api)
    assert cancelled.status_code == 200, cancelled.content
    assert isinstance(cancelled.parsed, Job) and cancelled.parsed.status == JobStatus.CANCELLED
    fetched = get_job.sync(job.id, client=api)
    assert isinstance(fetched, Job) and fetched.status == JobStatus.CANCELLED
    problem(cancel_job.sync_detailed(job.id, client=api), 409, "INVALID_JOB_STATE")
    assert delete_job.sync_detailed(job.id, client=api).status_code == 204


def test_delete_a_live_job_is_a_conflict(api: AuthenticatedClient) -> None:
    job = create_job.sync(client=api, body=JobCreate(command=HELLO, run_at=far_future()))
    assert isinstance(job, Job)
    problem(delete_job.sync_detailed(job.id, client=api), 409, "INVALID_JOB_STATE")
    problem(retry_job.sync_detailed(job.id, client=api), 409, "INVALID_JOB_STATE")
    assert isinstance(cancel_job.sync(job.id, client=api), Job)


def test_list_jobs_filters_and_pages(api: AuthenticatedClient) -> None:
    queue = unique_queue()
    created = []
    for priority in (1, 2, 3):
        job = create_job.sync(
            client=api, body=JobCreate(command=HELLO, queue=queue, priority=priority, run_at=far_future())
        )
        assert isinstance(job, Job)
        created.append(job.id)

    seen: list[str] = []
    cursor: str | None = None
    for _ in range(5):
        kwargs = {"cursor": cursor} if cursor else {}
        page = list_jobs.sync(
            client=api,
            queue=queue,
            status=[JobStatus.SCHEDULED],
            limit=2,
            sort=[ListJobsSortItem.CREATED_AT],
            **kwargs,
        )
        assert isinstance(page, JobPage), page
        assert page.pagination.limit == 2 and len(page.data) <= 2
        assert all(j.status == JobStatus.SCHEDULED and j.queue == queue for j in page.data)
        seen += [j.id for j in page.data]
        if not page.pagination.has_next:
            assert page.pagination.next_cursor is None
            break
        cursor = page.pagination.next_cursor
    assert seen == created  # oldest first, each job once

    by_priority = list_jobs.sync(
        client=api, queue=queue, sort=[ListJobsSortItem.VALUE_7, ListJobsSortItem.CREATED_AT], count=True
    )
    assert isinstance(by_priority, JobPage)
    assert [j.priority for j in by_priority.data] == [3, 2, 1]
    assert by_priority.pagination.total == 3
    none_done = list_jobs.sync(client=api, queue=queue, status=[JobStatus.COMPLETED])
    assert isinstance(none_done, JobPage) and none_done.data == []
    for job_id in created:
        assert isinstance(cancel_job.sync(job_id, client=api), Job)


def test_list_jobs_with_several_statuses(api: AuthenticatedClient) -> None:
    queue = unique_queue()
    scheduled = create_job.sync(client=api, body=JobCreate(command=HELLO, queue=queue, run_at=far_future()))
    cancelled = create_job.sync(client=api, body=JobCreate(command=HELLO, queue=queue, run_at=far_future()))
    assert isinstance(scheduled, Job) and isinstance(cancelled, Job)
    cancel_job.sync(cancelled.id, client=api)
    page = list_jobs.sync(client=api, queue=queue, status=[JobStatus.SCHEDULED, JobStatus.CANCELLED])
    cancel_job.sync(scheduled.id, client=api)
    assert isinstance(page, JobPage)
    assert {j.id for j in page.data} == {scheduled.id, cancelled.id}


def test_unknown_job_is_a_parsed_problem(api: AuthenticatedClient) -> None:
    missing = str(uuid.uuid4())
    body = problem(get_job.sync_detailed(missing, client=api), 404, "JOB_NOT_FOUND")
    assert missing in str(body.detail)
    problem(list_job_executions.sync_detailed(missing, client=api), 404, "JOB_NOT_FOUND")


def test_no_token_is_401(server: LiveServer) -> None:
    with Client(base_url=server.url, timeout=TIMEOUT) as anonymous:
        problem(list_jobs.sync_detailed(client=anonymous), 401, "UNAUTHORIZED")  # type: ignore[arg-type]
    with authenticated(server, "not-a-jwt") as forged:
        response = get_job.sync_detailed(str(uuid.uuid4()), client=forged)
    assert response.status_code == 401 and isinstance(response.parsed, Problem)


# ---------------------------------------------------------------- async


async def test_async_login_and_system(server: LiveServer) -> None:
    async with Client(base_url=server.url, timeout=TIMEOUT) as anonymous:
        credentials = LoginRequest(username="admin", password=ADMIN_PASSWORD)
        pair = await login.asyncio(client=anonymous, body=credentials)
        health = await get_health.asyncio(client=anonymous)
        info = await get_info.asyncio(client=anonymous)
    assert isinstance(pair, TokenPair) and pair.access_token
    assert health is not None and health.status == HealthStatus.OK
    assert info is not None and info.version


async def test_async_job_lifecycle(server: LiveServer) -> None:
    async with authenticated(server) as api:
        created = await create_job.asyncio_detailed(client=api, body=JobCreate(command=HELLO))
        assert created.status_code == 201, created.content
        job = created.parsed
        assert isinstance(job, Job) and job.command == HELLO

        done = await wait_until_finished_async(api, job.id)
        assert done.status == JobStatus.COMPLETED and done.exit_code == 0
        page = await list_job_executions.asyncio(job.id, client=api)
        assert page is not None and not isinstance(page, Problem)
        assert [(e.attempt, e.stdout) for e in page.data] == [(1, "hello\n")]

        listed = await list_jobs.asyncio(client=api, status=[JobStatus.COMPLETED], limit=100)
        assert isinstance(listed, JobPage) and job.id in {j.id for j in listed.data}

        retried = await retry_job.asyncio(job.id, client=api)
        assert isinstance(retried, Job) and retried.retries_used == 0
        again = await wait_until_finished_async(api, job.id)
        assert again.status == JobStatus.COMPLETED and again.attempt == 2

        deleted = await delete_job.asyncio_detailed(job.id, client=api)
        assert deleted.status_code == 204
        problem(await get_job.asyncio_detailed(job.id, client=api), 404, "JOB_NOT_FOUND")


async def test_async_cancel_and_page(server: LiveServer) -> None:
    queue = unique_queue()
    async with authenticated(server) as api:
        jobs = await asyncio.gather(
            *(
                create_job.asyncio(
                    client=api, body=JobCreate(command=HELLO, queue=queue, run_at=far_future())
                )
                for _ in range(3)
            )
        )
        assert all(isinstance(j, Job) and j.status == JobStatus.SCHEDULED for j in jobs)
        first = await list_jobs.asyncio(client=api, queue=queue, limit=2)
        assert isinstance(first, JobPage) and len(first.data) == 2 and first.pagination.has_next
        assert first.pagination.next_cursor is not None
        cursor = first.pagination.next_cursor
        second = await list_jobs.asyncio(client=api, queue=queue, limit=2, cursor=cursor)
        assert isinstance(second, JobPage) and len(second.data) == 1 and not second.pagination.has_next
        assert {j.id for j in first.data + second.data} == {j.id for j in jobs if isinstance(j, Job)}

        for job in jobs:
            assert isinstance(job, Job)
            cancelled = await cancel_job.asyncio(job.id, client=api)
            assert isinstance(cancelled, Job) and cancelled.status == JobStatus.CANCELLED
        remaining = await list_jobs.asyncio(client=api, queue=queue, status=[JobStatus.SCHEDULED])
        assert isinstance(remaining, JobPage) and remaining.data == []


async def test_async_errors_are_parsed(server: LiveServer) -> None:
    async with Client(base_url=server.url, timeout=TIMEOUT) as anonymous:
        response = await get_job.asyncio_detailed(str(uuid.uuid4()), client=anonymous)  # type: ignore[arg-type]
    problem(response, 401, "UNAUTHORIZED")
    async with authenticated(server) as api:
        problem(await get_job.asyncio_detailed(str(uuid.uuid4()), client=api), 404, "JOB_NOT_FOUND")
        problem(await cancel_job.asyncio_detailed(str(uuid.uuid4()), client=api), 404, "JOB_NOT_FOUND")


def test_a_workflow_through_the_generated_client(api: AuthenticatedClient) -> None:
    from baton_client.api.workflows import create_workflow, get_workflow, list_workflows
    from baton_client.models import (
        WorkflowCreate,
        WorkflowDetail,
        WorkflowStatus,
        WorkflowStepCreate,
        WorkflowStepStatus,
    )

    body = WorkflowCreate(
        name="client flow",
        steps=[
            WorkflowStepCreate(name="first", job=JobCreate(command=HELLO)),
            WorkflowStepCreate(name="second", job=JobCreate(command=HELLO), depends_on=["first"]),
        ],
    )
    created = create_workflow.sync(client=api, body=body)
    assert isinstance(created, WorkflowDetail), created
    assert [s.status for s in created.steps][1] == WorkflowStepStatus.WAITING
    deadline = time.monotonic() + 30
    while (found := get_workflow.sync(client=api, workflow_id=created.id)).status == WorkflowStatus.RUNNING:
        assert time.monotonic() < deadline, found
        time.sleep(0.05)
    assert found.status == WorkflowStatus.COMPLETED and found.progress.completed_steps == 2
    page = list_workflows.sync(client=api, limit=5)
    assert created.id in [w.id for w in page.data]
    invalid = WorkflowCreate(
        name="bad", steps=[WorkflowStepCreate(name="a", job=JobCreate(command=HELLO), depends_on=["zz"])]
    )
    problem(create_workflow.sync_detailed(client=api, body=invalid), 422, "INVALID_WORKFLOW")
