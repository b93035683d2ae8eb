"""Bulk operations through HTTP: POST /api/v1/jobs/batch (one transaction, per-item results) and
POST /api/v1/jobs/cancel (everything a filter matches)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from tests.conftest import LiveServer, assert_problem, pid_alive, wait_for, wait_for_status

JOBS = "/api/v1/jobs"
BATCH = "/api/v1/jobs/batch"
CANCEL = "/api/v1/jobs/cancel"
LATER = (datetime.now(UTC) + timedelta(days=365)).isoformat()


def listed(client: httpx.Client, **params: str) -> list[dict]:
    response = client.get(JOBS, params={"limit": "100", **params})
    assert response.status_code == 200, response.text
    return response.json()["data"]


def later(queue: str, **fields: object) -> dict:
    return {"command": ["true"], "run_at": LATER, "queue": queue, **fields}


# -- batch submit -------------------------------------------------------------------------------


def test_a_batch_creates_every_job_with_results_in_order(admin: httpx.Client) -> None:
    bodies = [later("bat-order", name=f"shard {i}", priority=i % 10, labels={"run": "b1"}) for i in range(25)]
    response = admin.post(BATCH, json={"jobs": bodies})
    assert response.status_code == 201, response.text
    result = response.json()
    assert (result["created"], result["rejected"]) == (25, 0)
    assert [item["index"] for item in result["results"]] == list(range(25))
    for item, body in zip(result["results"], bodies, strict=True):
        assert item["status"] == 201 and "error" not in item
        assert item["job"]["name"] == body["name"] and item["job"]["priority"] == body["priority"]
        assert item["job"]["status"] == "scheduled" and item["job"]["labels"] == {"run": "b1"}
        assert item["job"]["timeout_seconds"] == 3600  # the spec's defaults, as for one job
    stored = {job["id"]: job for job in listed(admin, queue="bat-order")}
    assert stored == {item["job"]["id"]: item["job"] for item in result["results"]}
    assert {job["id"] for job in listed(admin, label="run=b1")} == set(stored)


def test_batch_jobs_run(admin: httpx.Client) -> None:
    response = admin.post(BATCH, json={"jobs": [{"command": ["echo", str(i)]} for i in range(5)]})
    assert response.status_code == 201, response.text
    for i, item in enumerate(response.json()["results"]):
        job = wait_for_status(admin, item["job"]["id"], {"completed"})
        execution = admin.get(f"{JOBS}/{job['id']}/executions").json()["data"][0]
        assert execution["stdout"] == f"{i}\n"


def test_an_atomic_batch_with_a_rejected_job_creates_nothing(admin: httpx.Client) -> None:
    bodies = [later("bat-atomic"), later("bat-atomic", labels={"-bad key": "x"}), later("bat-atomic")]
    response = admin.post(BATCH, json={"jobs": bodies})
    problem = assert_problem(response, 400, "VALIDATION_ERROR")
    assert problem["errors"] == [{"field": "jobs.1.labels.-bad key", "message": "Invalid label key"}]
    assert "none was created" in problem["detail"]
    assert listed(admin, queue="bat-atomic") == []


def test_a_non_atomic_batch_creates_the_accepted_jobs_and_reports_the_rest(admin: httpx.Client) -> None:
    bodies = [
        later("bat-partial", name="ok 0"),
        later("bat-partial", labels={"/nope": "x"}),
        later("bat-partial", name="ok 2"),
        later("bat-partial", run_at="9999-12-31T23:59:59-05:00"),  # past year 9999 in UTC
    ]
    response = admin.post(BATCH, json={"jobs": bodies, "atomic": False})
    assert response.status_code == 207, response.text
    result = response.json()
    assert (result["created"], result["rejected"]) == (2, 2)
    statuses = [(item["index"], item["status"], "job" in item) for item in result["results"]]
    assert statuses == [(0, 201, True), (1, 400, False), (2, 201, True), (3, 400, False)]
    assert result["results"][1]["error"]["code"] == "VALIDATION_ERROR"
    assert result["results"][1]["error"]["errors"] == [
        {"field": "labels./nope", "message": "Invalid label key"}
    ]
    assert result["results"][3]["error"]["errors"][0]["field"] == "run_at"
    assert sorted(job["name"] for job in listed(admin, queue="bat-partial")) == ["ok 0", "ok 2"]


@pytest.mark.parametrize(
    "body",
    [
        {"jobs": []},
        {"jobs": [{"command": ["true"]}] * 501},
        {"jobs": [{"command": ["true"]}, {"command": []}]},
        {"jobs": [{"command": ["true"], "status": "completed"}]},
        {"jobs": [{"command": ["true"]}], "atomic": "yes"},
        {"jobs": [{"command": ["true"]}], "extra": 1},
        {"jobs": {"command": ["true"]}},
    ],
    ids=[
        "empty",
        "501-jobs",
        "bad-item",
        "read-only-field",
        "atomic-not-bool",
        "unknown-field",
        "not-a-list",
    ],
)
def test_a_batch_that_breaks_the_schema_is_400_and_creates_nothing(admin: httpx.Client, body: dict) -> None:
    before = len(listed(admin))
    assert_problem(admin.post(BATCH, json=body), 400, "VALIDATION_ERROR")
    assert len(listed(admin)) == before


def test_500_jobs_in_one_batch(admin: httpx.Client) -> None:
    response = admin.post(BATCH, json={"jobs": [later("bat-500", name=f"n{i}") for i in range(500)]})
    assert response.status_code == 201, response.text
    assert response.json()["created"] == 500
    seen, cursor = 0, None
    while True:
        page = admin.get(
            JOBS, params={"queue": "bat-500", "limit": 100, **({"cursor": cursor} if cursor else {})}
        )
        seen += len(page.json()["data"])
        cursor = page.json()["pagination"]["next_cursor"]
        if not cursor:
            break
    assert seen == 500


def test_a_batch_replays_under_its_idempotency_key(admin: httpx.Client) -> None:
    body = {"jobs": [later("bat-idem"), later("bat-idem")]}
    headers = {"Idempotency-Key": "batch-key-1"}
    first = admin.post(BATCH, json=body, headers=headers)
    again = admin.post(BATCH, json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.headers["idempotent-replayed"] == "true" and again.json() == first.json()
    assert len(listed(admin, queue="bat-idem")) == 2


def test_a_viewer_cannot_submit_a_batch(server: LiveServer) -> None:
    with server.client(server.token("viewer")) as viewer:
        assert_problem(viewer.post(BATCH, json={"jobs": [later("bat-viewer")]}), 403, "FORBIDDEN")


# -- bulk cancel --------------------------------------------------------------------------------


def submit(client: httpx.Client, bodies: list[dict]) -> list[str]:
    response = client.post(BATCH, json={"jobs": bodies})
    assert response.status_code == 201, response.text
    return [item["job"]["id"] for item in response.json()["results"]]


def test_cancel_by_filter_cancels_only_live_matching_jobs(admin: httpx.Client) -> None:
    nightly = submit(admin, [later("can-q", labels={"run": "nightly"}) for _ in range(4)])
    other = submit(admin, [later("can-q", labels={"run": "weekly"}) for _ in range(2)])
    response = admin.post(CANCEL, json={"filter": {"queue": "can-q", "labels": {"run": "nightly"}}})
    assert response.status_code == 200, response.text
    assert response.json() == {"cancelled": 4, "skipped": 0, "has_more": False, "job_ids": nightly}
    for job in listed(admin, queue="can-q"):
        assert job["status"] == ("cancelled" if job["id"] in nightly else "scheduled")
        if job["id"] in nightly:
            assert job["error"] == "Cancelled by admin" and job["finished_at"]
    # nothing live matches any more: an empty answer, not an error
    again = admin.post(CANCEL, json={"filter": {"ids": nightly}})
    assert again.json() == {"cancelled": 0, "skipped": 0, "has_more": False, "job_ids": []}
    assert {job["status"] for job in listed(admin, queue="can-q") if job["id"] in other} == {"scheduled"}


def test_cancel_pages_with_limit_and_has_more(admin: httpx.Client) -> None:
    ids = submit(admin, [later("can-limit") for _ in range(7)])
    first = admin.post(CANCEL, json={"filter": {"queue": "can-limit"}, "limit": 3}).json()
    assert first == {"cancelled": 3, "skipped": 0, "has_more": True, "job_ids": ids[:3]}  # oldest first
    second = admin.post(CANCEL, json={"filter": {"queue": "can-limit"}, "limit": 3}).json()
    assert second["job_ids"] == ids[3:6] and second["has_more"] is True
    third = admin.post(CANCEL, json={"filter": {"queue": "can-limit"}, "limit": 3}).json()
    assert third["job_ids"] == ids[6:] and third["has_more"] is False


def test_cancel_by_status_name_prefix_and_time(admin: httpx.Client) -> None:
    old = submit(admin, [later("can-mix", name="etl old")])
    fresh = submit(admin, [later("can-mix", name="etl new"), later("can-mix", name="report new")])
    created = {job["id"]: job["created_at"] for job in listed(admin, queue="can-mix")}
    response = admin.post(
        CANCEL,
        json={
            "filter": {
                "queue": "can-mix",
                "status": ["scheduled"],
                "name_prefix": "etl",
                "created_after": created[old[0]],
            }
        },
    )
    assert response.json()["job_ids"] == [fresh[0]]
    pending = admin.post(CANCEL, json={"filter": {"queue": "can-mix", "status": ["pending"]}})
    assert pending.json()["cancelled"] == 0


def test_cancel_kills_running_jobs(admin: httpx.Client) -> None:
    ids = submit(admin, [{"command": ["sh", "-c", "echo $$; exec sleep 300"], "queue": "can-run"}] * 2)
    for job_id in ids:
        wait_for_status(admin, job_id, {"running"})
        # the shell has printed its pid into the log before it execs sleep
        wait_for(lambda j=job_id: admin.get(f"{JOBS}/{j}/executions/1/log").text.strip())
    response = admin.post(CANCEL, json={"filter": {"queue": "can-run", "status": ["running"]}})
    assert sorted(response.json()["job_ids"]) == sorted(ids)
    for job_id in ids:
        wait_for(
            lambda j=job_id: admin.get(f"{JOBS}/{j}/executions").json()["data"][0]["status"] == "cancelled"
        )
        log = admin.get(f"{JOBS}/{job_id}/executions/1/log")
        pid = int(log.text.split()[0])
        wait_for(lambda p=pid: not pid_alive(p), timeout=10)


def test_a_member_cancels_only_their_own_jobs(server: LiveServer, admin: httpx.Client) -> None:
    theirs = submit(admin, [later("can-owner")])
    with server.client(server.token("member")) as member:
        mine = submit(member, [later("can-owner")])
        response = member.post(CANCEL, json={"filter": {"queue": "can-owner"}})
        assert response.json()["job_ids"] == mine
        # naming another's job by id changes nothing either
        assert member.post(CANCEL, json={"filter": {"ids": theirs}}).json()["cancelled"] == 0
    assert admin.get(f"{JOBS}/{theirs[0]}").json()["status"] == "scheduled"
    with server.client(server.token("viewer")) as viewer:
        assert_problem(viewer.post(CANCEL, json={"filter": {"ids": theirs}}), 403, "FORBIDDEN")


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"filter": {}},
        {"filter": {"status": ["completed"]}},
        {"filter": {"queue": "x"}, "limit": 0},
        {"filter": {"queue": "x"}, "limit": 1001},
        {"filter": {"ids": ["not-a-uuid"]}},
        {"filter": {"labels": {}}},
        {"filter": {"owner": "bob"}},
        {"filter": {"created_after": "yesterday"}},
    ],
    ids=[
        "no-filter",
        "empty-filter",
        "terminal-status",
        "limit-0",
        "limit-1001",
        "bad-id",
        "no-labels",
        "unknown-criterion",
        "bad-time",
    ],
)
def test_a_bad_cancel_request_is_400_and_cancels_nothing(admin: httpx.Client, body: dict) -> None:
    ids = submit(admin, [later("can-bad")])
    assert_problem(admin.post(CANCEL, json=body), 400, "VALIDATION_ERROR")
    assert admin.get(f"{JOBS}/{ids[0]}").json()["status"] == "scheduled"
