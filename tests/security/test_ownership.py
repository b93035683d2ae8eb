"""Who may touch whose job. A member acting on another member's job gets exactly what a job that
does not exist gets (404 JOB_NOT_FOUND, same body and headers but for the id), whatever the
operation and whatever conditional or idempotency headers come with it; the job is untouched.
A viewer reads every job and changes none; a manager acts on all of them."""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests.conftest import LiveServer, assert_problem
from tests.security.conftest import (
    JOBS,
    cancelled_job,
    create_job,
    finished_job,
    live_job,
    load_spec,
    missing_id,
)

# jobs here carry labels as data; this server's executor takes jobs whatever their labels
SERVER_SETTINGS = {"executor_url": "local://?concurrency=4&labels=*"}

OPERATION_IDS = {
    op["operationId"] for item in load_spec()["paths"].values() for op in item.values() if "operationId" in op
}
HAS_LOG = "get_execution_log" in OPERATION_IDS
HAS_BULK_CANCEL = "cancel_jobs" in OPERATION_IDS
HAS_BATCH = "create_jobs" in OPERATION_IDS
# headers whose value or presence legitimately differs between two answers
VOLATILE_HEADERS = {"date", "x-request-id", "content-length"}


@pytest.fixture(scope="module")
def member_a(server: LiveServer):
    with server.client(server.make_user("member-a", "member")) as client:
        yield client


@pytest.fixture(scope="module")
def member_b(server: LiveServer):
    with server.client(server.make_user("member-b", "member")) as client:
        yield client


@pytest.fixture(scope="module")
def b_jobs(member_b: httpx.Client) -> dict[str, dict]:
    return {
        "live": live_job(member_b, name="b-live", labels={"owner": "b"}),
        "finished": finished_job(member_b, name="b-finished", labels={"owner": "b"}),
        "cancelled": cancelled_job(member_b, name="b-cancelled", labels={"owner": "b"}),
    }


def snapshot(client: httpx.Client, job_id: str) -> dict:
    response = client.get(f"{JOBS}/{job_id}")
    assert response.status_code == 200, response.text
    return response.json()


def assert_like_missing(
    attempt: httpx.Response, control: httpx.Response, job_id: str, absent_id: str
) -> None:
    """`attempt` (on a job the caller may not see) is indistinguishable from `control` (on an id
    no job has): same status, code, body but for the id, same header names."""
    body = assert_problem(attempt, 404, "JOB_NOT_FOUND")
    expected = assert_problem(control, 404, "JOB_NOT_FOUND")
    strip = lambda b, i: {k: str(v).replace(i, "<id>") for k, v in b.items() if k != "request_id"}  # noqa: E731
    assert strip(body, job_id) == strip(expected, absent_id)
    names = lambda r: {k.lower() for k in r.headers} - VOLATILE_HEADERS  # noqa: E731
    assert names(attempt) == names(control)


def attempts(b_jobs: dict[str, dict]) -> list[tuple[str, str, str, dict]]:
    """(name, method, path template, request kwargs) of every job operation, each on the job of
    B in the state where it would succeed for B."""
    live, finished, cancelled = b_jobs["live"], b_jobs["finished"], b_jobs["cancelled"]
    found = [
        ("get", "GET", "/{id}", live, {}),
        ("get-if-none-match", "GET", "/{id}", live, {"headers": {"If-None-Match": "*"}}),
        ("patch", "PATCH", "/{id}", live, {"json": {"priority": 1}}),
        ("patch-if-match", "PATCH", "/{id}", live, {"json": {"priority": 1}, "headers": {"If-Match": "*"}}),
        ("cancel", "POST", "/{id}/cancel", live, {}),
        ("cancel-idempotent", "POST", "/{id}/cancel", live, {"headers": {"Idempotency-Key": "a-cancels"}}),
        ("retry", "POST", "/{id}/retry", cancelled, {}),
        ("delete", "DELETE", "/{id}", cancelled, {}),
        ("delete-if-match", "DELETE", "/{id}", cancelled, {"headers": {"If-Match": "*"}}),
        ("executions", "GET", "/{id}/executions", finished, {}),
    ]
    if HAS_LOG:
        found += [
            ("log", "GET", "/{id}/executions/1/log", finished, {}),
            (
                "log-stderr-range",
                "GET",
                "/{id}/executions/1/log",
                finished,
                {"params": {"stream": "stderr"}, "headers": {"Range": "bytes=0-10"}},
            ),
            ("log-unknown-attempt", "GET", "/{id}/executions/99/log", finished, {}),
        ]
    return [(name, method, template, job["id"], kwargs) for name, method, template, job, kwargs in found]


ATTEMPT_NAMES = [
    "get",
    "get-if-none-match",
    "patch",
    "patch-if-match",
    "cancel",
    "cancel-idempotent",
    "retry",
    "delete",
    "delete-if-match",
    "executions",
    *(["log", "log-stderr-range", "log-unknown-attempt"] if HAS_LOG else []),
]


@pytest.mark.parametrize("name", ATTEMPT_NAMES)
def test_another_members_job_is_a_missing_job(
    member_a: httpx.Client, member_b: httpx.Client, b_jobs: dict[str, dict], name: str
) -> None:
    ((method, template, job_id, kwargs),) = [(m, t, i, k) for n, m, t, i, k in attempts(b_jobs) if n == name]
    before = snapshot(member_b, job_id)
    absent = missing_id()
    attempt = member_a.request(method, JOBS + template.format(id=job_id), **kwargs)
    control = member_a.request(method, JOBS + template.format(id=absent), **kwargs)
    assert_like_missing(attempt, control, job_id, absent)
    assert snapshot(member_b, job_id) == before


def test_every_attempt_is_parametrized(b_jobs: dict[str, dict]) -> None:
    assert [name for name, *_ in attempts(b_jobs)] == ATTEMPT_NAMES


def test_etags_of_another_members_job_reveal_nothing(
    member_a: httpx.Client, member_b: httpx.Client, b_jobs: dict[str, dict]
) -> None:
    job_id = b_jobs["live"]["id"]
    etag = member_b.get(f"{JOBS}/{job_id}").headers["etag"]
    # the right tag must not turn the 404 into a 304 (existence and content confirmed) ...
    for method, kwargs in [
        ("GET", {"headers": {"If-None-Match": etag}}),
        ("PATCH", {"json": {"priority": 2}, "headers": {"If-Match": etag}}),
        ("PATCH", {"json": {"priority": 2}, "headers": {"If-Match": '"wrong"'}}),
    ]:
        assert_problem(member_a.request(method, f"{JOBS}/{job_id}", **kwargs), 404, "JOB_NOT_FOUND")
    # ... nor a wrong one into a 412
    cancelled = b_jobs["cancelled"]["id"]
    response = member_a.delete(f"{JOBS}/{cancelled}", headers={"If-Match": '"wrong"'})
    assert_problem(response, 404, "JOB_NOT_FOUND")
    assert member_b.get(f"{JOBS}/{job_id}").headers["etag"] == etag


def all_pages(client: httpx.Client, **params: object) -> list[dict]:
    jobs, cursor = [], None
    while True:
        response = client.get(JOBS, params={**params, "limit": 100, **({"cursor": cursor} if cursor else {})})
        assert response.status_code == 200, response.text
        page = response.json()
        jobs += page["data"]
        cursor = page["pagination"]["next_cursor"]
        if not cursor:
            return jobs


def test_lists_show_a_member_only_their_own_jobs(
    member_a: httpx.Client, b_jobs: dict[str, dict], server: LiveServer
) -> None:
    own = create_job(member_a, name="a-own", run_at=b_jobs["live"]["run_at"])
    seen = all_pages(member_a)
    assert own["id"] in {job["id"] for job in seen}
    assert {job["owner"] for job in seen} == {"member-a"}
    for params in (
        {"name": "b-"},
        {"label": "owner=b"},
        {"status": "scheduled,completed,cancelled"},
        {"sort": "priority"},
    ):
        assert not {job["id"] for job in all_pages(member_a, **params)} & {j["id"] for j in b_jobs.values()}


@pytest.mark.skipif(not HAS_BULK_CANCEL, reason="POST /api/v1/jobs/cancel is not in the spec")
def test_bulk_cancel_never_reaches_another_members_jobs(
    member_a: httpx.Client, member_b: httpx.Client, b_jobs: dict[str, dict]
) -> None:
    target = b_jobs["live"]["id"]
    before = snapshot(member_b, target)
    own = live_job(member_a, name="a-bulk")
    for body in (
        {"filter": {"ids": [target]}},
        {"filter": {"ids": [target, own["id"]]}},
        {"filter": {"labels": {"owner": "b"}}},
        {"filter": {"name_prefix": "b-"}},
        {"filter": {"status": ["scheduled", "pending", "running"]}},
    ):
        response = member_a.post(f"{JOBS}/cancel", json=body)
        assert response.status_code == 200, response.text
        result = response.json()
        assert target not in result["job_ids"], result
        # not even counted: a skipped job would tell that it exists
        assert result["cancelled"] == len(result["job_ids"]) and result["skipped"] == 0, result
        assert result["has_more"] is False
    assert snapshot(member_a, own["id"])["status"] == "cancelled"
    assert snapshot(member_b, target) == before


def test_idempotency_keys_are_per_user(member_a: httpx.Client, member_b: httpx.Client) -> None:
    # the same key and body from another user must not replay the first user's answer (their job)
    key = f"shared-{uuid.uuid4()}"
    body = {"name": "same-key", "command": ["true"], "run_at": "2099-01-01T00:00:00Z"}
    first = member_b.post(JOBS, json=body, headers={"Idempotency-Key": key})
    second = member_a.post(JOBS, json=body, headers={"Idempotency-Key": key})
    assert first.status_code == second.status_code == 201, (first.text, second.text)
    assert second.json()["id"] != first.json()["id"]
    assert second.json()["owner"] == "member-a" and "idempotent-replayed" not in second.headers


def test_a_viewer_reads_every_job_and_changes_none(
    server: LiveServer, member_b: httpx.Client, b_jobs: dict[str, dict], clients: dict[str, httpx.Client]
) -> None:
    viewer = clients["viewer"]
    for job in b_jobs.values():
        assert viewer.get(f"{JOBS}/{job['id']}").status_code == 200
    assert viewer.get(f"{JOBS}/{b_jobs['finished']['id']}/executions").json()["data"]
    if HAS_LOG:
        log = viewer.get(f"{JOBS}/{b_jobs['finished']['id']}/executions/1/log")
        assert log.status_code == 200 and "security-suite-output" in log.text
    assert {j["id"] for j in b_jobs.values()} <= {job["id"] for job in all_pages(viewer, name="b-")}

    live, cancelled = b_jobs["live"]["id"], b_jobs["cancelled"]["id"]
    writes = [
        ("PATCH", f"{JOBS}/{live}", {"json": {"priority": 0}}),
        ("POST", f"{JOBS}/{live}/cancel", {}),
        ("POST", f"{JOBS}/{cancelled}/retry", {}),
        ("DELETE", f"{JOBS}/{cancelled}", {}),
        ("POST", JOBS, {"json": {"command": ["true"]}}),
    ]
    if HAS_BULK_CANCEL:
        writes.append(("POST", f"{JOBS}/cancel", {"json": {"filter": {"ids": [live]}}}))
    if HAS_BATCH:
        writes.append(("POST", f"{JOBS}/batch", {"json": {"jobs": [{"command": ["true"]}]}}))
    before = {job_id: snapshot(member_b, job_id) for job_id in (live, cancelled)}
    for method, path, kwargs in writes:
        assert_problem(viewer.request(method, path, **kwargs), 403, "FORBIDDEN")
    assert {job_id: snapshot(member_b, job_id) for job_id in (live, cancelled)} == before


def test_a_manager_acts_on_every_job(clients: dict[str, httpx.Client], member_b: httpx.Client) -> None:
    manager = clients["manager"]
    live = live_job(member_b, name="b-for-manager")
    assert manager.get(f"{JOBS}/{live['id']}").status_code == 200
    patched = manager.patch(f"{JOBS}/{live['id']}", json={"priority": 9})
    assert patched.status_code == 200 and patched.json()["priority"] == 9
    cancelled = manager.post(f"{JOBS}/{live['id']}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["owner"] == "member-b"  # acting on a job does not take it over
    assert manager.post(f"{JOBS}/{live['id']}/retry").status_code == 200
    finished = finished_job(member_b, name="b-finished-for-manager")
    assert manager.get(f"{JOBS}/{finished['id']}/executions").json()["data"]
    if HAS_LOG:
        assert manager.get(f"{JOBS}/{finished['id']}/executions/1/log").status_code == 200
    assert manager.delete(f"{JOBS}/{finished['id']}").status_code == 204
    assert member_b.get(f"{JOBS}/{finished['id']}").status_code == 404
    if HAS_BULK_CANCEL:
        other = live_job(member_b, name="b-bulk-for-manager")
        result = manager.post(f"{JOBS}/cancel", json={"filter": {"ids": [other["id"]]}}).json()
        assert result["job_ids"] == [other["id"]]
        assert snapshot(member_b, other["id"])["status"] == "cancelled"
