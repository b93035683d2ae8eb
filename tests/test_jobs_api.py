"""Jobs through HTTP: create, read, list and page, cancel, retry, delete, visibility, bad input."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from tests.conftest import LiveServer, assert_problem, wait_for_status

JOBS = "/api/v1/jobs"
# labels here are data to round-trip, not affinity: this server's executor takes any job
SERVER_SETTINGS = {"executor_url": "local://?concurrency=4&labels=*"}
FAR_FUTURE = (datetime.now(UTC) + timedelta(days=365)).isoformat()


def create(client: httpx.Client, **fields: object) -> dict:
    body = {"command": ["true"], **fields}
    response = client.post(JOBS, json=body)
    assert response.status_code == 201, response.text
    return response.json()


def test_create_returns_the_job_and_its_location(admin: httpx.Client) -> None:
    response = admin.post(
        JOBS,
        json={
            "name": "disk usage",
            "command": ["df", "-h"],
            "timeout_seconds": 30,
            "max_retries": 2,
            "priority": 7,
            "labels": {"team": "infra", "os": "linux"},
            "run_at": None,
        },
    )
    assert response.status_code == 201
    job = response.json()
    assert response.headers["location"] == f"{JOBS}/{job['id']}"
    assert uuid.UUID(job["id"]).version == 7
    assert job["name"] == "disk usage" and job["command"] == ["df", "-h"]
    assert job["priority"] == 7 and job["max_retries"] == 2 and job["timeout_seconds"] == 30
    assert job["labels"] == {"team": "infra", "os": "linux"}
    assert job["status"] in {"pending", "running", "completed"}
    assert job["owner"] == "admin" and job["attempt"] == 0
    for stamp in ("created_at", "updated_at", "run_at"):
        assert job[stamp].endswith("Z")


def test_defaults_come_from_the_spec(admin: httpx.Client) -> None:
    job = create(admin, command=["echo", "hi"])
    assert job["name"] == "echo hi"
    assert job["queue"] == "default"
    assert (job["priority"], job["timeout_seconds"], job["max_retries"], job["retry_backoff_seconds"]) == (
        5,
        3600,
        0,
        10,
    )
    assert job["labels"] == {}


def test_ids_sort_by_creation(admin: httpx.Client) -> None:
    ids = [create(admin, run_at=FAR_FUTURE)["id"] for _ in range(5)]
    assert ids == sorted(ids)


def test_future_run_at_keeps_the_job_scheduled(admin: httpx.Client) -> None:
    job = create(admin, run_at="2099-01-01T00:00:00+02:00")
    assert job["status"] == "scheduled"
    assert job["run_at"] == "2098-12-31T22:00:00.000000Z"  # stored and shown in UTC


def test_get_one_job(admin: httpx.Client) -> None:
    job = create(admin, run_at=FAR_FUTURE)
    fetched = admin.get(f"{JOBS}/{job['id']}")
    assert fetched.status_code == 200 and fetched.json()["id"] == job["id"]
    upper = admin.get(f"{JOBS}/{job['id'].upper()}")
    assert upper.status_code == 200 and upper.json()["id"] == job["id"]


def test_unknown_and_malformed_ids(admin: httpx.Client) -> None:
    assert_problem(admin.get(f"{JOBS}/{uuid.uuid4()}"), 404, "JOB_NOT_FOUND")
    for bad in ["not-a-uuid", "1" * 36, "%00", "' OR 1=1 --"]:
        assert_problem(admin.get(f"{JOBS}/{bad}"), 400, "VALIDATION_ERROR")
    for suffix in ["cancel", "retry"]:
        assert_problem(admin.post(f"{JOBS}/{uuid.uuid4()}/{suffix}"), 404, "JOB_NOT_FOUND")
    assert_problem(admin.delete(f"{JOBS}/{uuid.uuid4()}"), 404, "JOB_NOT_FOUND")
    assert_problem(admin.get(f"{JOBS}/{uuid.uuid4()}/executions"), 404, "JOB_NOT_FOUND")


BAD_BODIES = {
    "empty-command": {"command": []},
    "command-not-list": {"command": "rm -rf /"},
    "command-item-not-string": {"command": ["echo", 1]},
    "empty-argument": {"command": [""]},
    "nul-in-command": {"command": ["echo", "a\u0000b"]},
    "nul-in-name": {"command": ["true"], "name": "a\u0000"},
    "priority-too-high": {"command": ["true"], "priority": 10},
    "priority-wrong-type": {"command": ["true"], "priority": "high"},
    "priority-float": {"command": ["true"], "priority": 1.5},
    "timeout-zero": {"command": ["true"], "timeout_seconds": 0},
    "negative-retries": {"command": ["true"], "max_retries": -1},
    "huge-number": {"command": ["true"], "priority": 10**30},
    "labels-not-strings": {"command": ["true"], "labels": {"a": 1}},
    "too-many-labels": {"command": ["true"], "labels": {f"k{i}": "v" for i in range(33)}},
    "run-at-not-a-time": {"command": ["true"], "run_at": "tomorrow"},
    "run-at-without-offset": {"command": ["true"], "run_at": "2030-01-01T00:00:00"},
    "queue-bad-chars": {"command": ["true"], "queue": "Has Spaces"},
    "mass-assign-status": {"command": ["true"], "status": "completed"},
    "mass-assign-owner": {"command": ["true"], "owner": "someone"},
    "mass-assign-attempt": {"command": ["true"], "attempt": 5},
    "mass-assign-id": {"command": ["true"], "id": str(uuid.uuid4())},
    "body-is-list": [{"command": ["true"]}],
    "body-is-null": None,
}


@pytest.mark.parametrize("body", BAD_BODIES.values(), ids=BAD_BODIES.keys())
def test_bad_bodies_are_400_and_change_nothing(admin: httpx.Client, body: object) -> None:
    before = admin.get(JOBS, params={"limit": 100}).json()["data"]
    response = admin.post(JOBS, json=body)
    problem = assert_problem(response, 400)
    assert problem["code"] in {"VALIDATION_ERROR", "BODY_REQUIRED"}
    after = admin.get(JOBS, params={"limit": 100}).json()["data"]
    assert [j["id"] for j in after] == [j["id"] for j in before]


def test_a_body_without_command_or_task_is_422_and_changes_nothing(admin: httpx.Client) -> None:
    # neither is a domain rule (command XOR task, see tests/test_tasks.py), not a schema one
    before = admin.get(JOBS, params={"limit": 100}).json()["data"]
    assert_problem(admin.post(JOBS, json={"name": "x"}), 422, "COMMAND_OR_TASK")
    after = admin.get(JOBS, params={"limit": 100}).json()["data"]
    assert [j["id"] for j in after] == [j["id"] for j in before]


def test_validation_errors_name_each_field(admin: httpx.Client) -> None:
    response = admin.post(JOBS, json={"command": ["true"], "priority": 10, "status": "completed"})
    errors = assert_problem(response, 400, "VALIDATION_ERROR")["errors"]
    assert {e["field"] for e in errors} == {"priority", "status"}


def test_bad_label_key_is_400(admin: httpx.Client) -> None:
    errors = assert_problem(admin.post(JOBS, json={"command": ["true"], "labels": {"bad key": "x"}}), 400)[
        "errors"
    ]
    assert errors == [{"field": "labels.bad key", "message": "Invalid label key"}]


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"\xff\xfe{}", "INVALID_ENCODING"),
        (b'{"command": ["\xc3\x28"]}', "INVALID_ENCODING"),
        (b"{not json", "INVALID_JSON"),
        (b'{"command": ["true"]', "INVALID_JSON"),
        (b'{"command": ["\\ud800"]}', "INVALID_JSON"),
        (b"[" * 5000 + b"]" * 5000, "INVALID_JSON"),
    ],
    ids=["bad-utf8-start", "bad-utf8-inside", "not-json", "truncated", "lone-surrogate", "deep-nesting"],
)
def test_undecodable_bodies_are_400(admin: httpx.Client, content: bytes, code: str) -> None:
    response = admin.post(JOBS, content=content, headers={"Content-Type": "application/json"})
    assert_problem(response, 400, code)


def test_empty_body_is_400(admin: httpx.Client) -> None:
    assert_problem(admin.post(JOBS, content=b"", headers={"Content-Type": "application/json"}), 400)


def test_wrong_content_type_is_415(admin: httpx.Client) -> None:
    response = admin.post(JOBS, content=b"command=true", headers={"Content-Type": "text/plain"})
    assert_problem(response, 415, "UNSUPPORTED_MEDIA_TYPE")


@pytest.mark.parametrize(
    "params",
    [
        {"limit": 0},
        {"limit": 100000},
        {"limit": -1},
        {"limit": "abc"},
        {"limit": "1e9"},
        {"status": "bogus"},
        {"status": "running,bogus"},
        {"sort": "status"},
        {"sort": "-created_at,-created_at"},
        {"queue": "BAD QUEUE"},
        {"cursor": "!!!"},
        {"cursor": "x" * 600},
        {"unknown": "1"},
    ],
)
def test_bad_list_parameters_are_400(admin: httpx.Client, params: dict) -> None:
    assert_problem(admin.get(JOBS, params=params), 400)


def test_forged_cursor_is_400(admin: httpx.Client) -> None:
    for cursor in ["abc", "eyJzIjoiLWNyZWF0ZWRfYXQiLCJwIjpbMSwyXX0", "bnVsbA"]:
        assert_problem(admin.get(JOBS, params={"cursor": cursor}), 400, "INVALID_CURSOR")


def test_pages_cover_every_job_once_even_while_jobs_are_added(server: LiveServer) -> None:
    token = server.make_user("pager", "member")  # a fresh owner: only these jobs are visible
    with server.client(token) as client:
        created = [create(client, run_at=FAR_FUTURE, priority=i % 3)["id"] for i in range(7)]
        seen: list[str] = []
        page = client.get(JOBS, params={"limit": 3}).json()
        while True:
            assert page["pagination"]["limit"] == 3
            seen += [j["id"] for j in page["data"]]
            create(client, run_at=FAR_FUTURE)  # newer than every cursor: must not shift pages
            if not page["pagination"]["has_next"]:
                assert page["pagination"]["next_cursor"] is None
                break
            page = client.get(JOBS, params={"limit": 3, "cursor": page["pagination"]["next_cursor"]}).json()
        assert seen == list(reversed(created))  # newest first, no repeats, none skipped

        by_priority = client.get(JOBS, params={"limit": 100, "sort": "-priority"}).json()["data"]
        keys = [(j["priority"], j["id"]) for j in by_priority]
        assert keys == sorted(keys, reverse=True)
        ascending = client.get(JOBS, params={"limit": 2, "sort": "priority"}).json()
        rest = client.get(
            JOBS, params={"limit": 100, "sort": "priority", "cursor": ascending["pagination"]["next_cursor"]}
        ).json()["data"]
        everything = [(j["priority"], j["id"]) for j in ascending["data"] + rest]
        assert everything == sorted(everything) and len(everything) == len(by_priority)

        # a cursor belongs to its sort order
        cursor = ascending["pagination"]["next_cursor"]
        assert_problem(client.get(JOBS, params={"cursor": cursor}), 400, "INVALID_CURSOR")


def test_filters_by_status_and_queue(admin: httpx.Client) -> None:
    scheduled = create(admin, run_at=FAR_FUTURE, queue="reports")
    done = create(admin, command=["true"], queue="reports")
    wait_for_status(admin, done["id"], {"completed"})
    page = admin.get(JOBS, params={"status": "scheduled,pending", "queue": "reports", "limit": 100}).json()
    ids = {j["id"] for j in page["data"]}
    assert scheduled["id"] in ids and done["id"] not in ids
    assert all(j["status"] in {"scheduled", "pending"} and j["queue"] == "reports" for j in page["data"])
    completed = admin.get(JOBS, params={"status": "completed", "queue": "reports"}).json()["data"]
    assert [j["id"] for j in completed] == [done["id"]]


def test_cancel_scheduled_job(admin: httpx.Client) -> None:
    job = create(admin, run_at=FAR_FUTURE)
    response = admin.post(f"{JOBS}/{job['id']}/cancel")
    assert response.status_code == 200
    cancelled = response.json()
    assert cancelled["status"] == "cancelled" and cancelled["finished_at"] is not None
    assert cancelled["error"] == "Cancelled by admin"
    assert_problem(admin.post(f"{JOBS}/{job['id']}/cancel"), 409, "INVALID_JOB_STATE")


def test_delete_only_finished_jobs(admin: httpx.Client) -> None:
    job = create(admin, run_at=FAR_FUTURE)
    assert_problem(admin.delete(f"{JOBS}/{job['id']}"), 409, "INVALID_JOB_STATE")
    assert admin.get(f"{JOBS}/{job['id']}").json()["status"] == "scheduled"
    admin.post(f"{JOBS}/{job['id']}/cancel")
    deleted = admin.delete(f"{JOBS}/{job['id']}")
    assert deleted.status_code == 204 and deleted.content == b""
    assert_problem(admin.get(f"{JOBS}/{job['id']}"), 404, "JOB_NOT_FOUND")
    assert_problem(admin.get(f"{JOBS}/{job['id']}/executions"), 404, "JOB_NOT_FOUND")


def test_retry_only_finished_jobs(admin: httpx.Client) -> None:
    job = create(admin, run_at=FAR_FUTURE)
    assert_problem(admin.post(f"{JOBS}/{job['id']}/retry"), 409, "INVALID_JOB_STATE")
    admin.post(f"{JOBS}/{job['id']}/cancel")
    retried = admin.post(f"{JOBS}/{job['id']}/retry")
    assert retried.status_code == 200
    assert retried.json()["status"] in {"pending", "running", "completed"}
    assert retried.json()["error"] is None
    assert wait_for_status(admin, job["id"], {"completed"})["attempt"] == 1


def test_viewer_reads_but_cannot_write(server: LiveServer, admin: httpx.Client) -> None:
    job = create(admin, run_at=FAR_FUTURE)
    with server.client(server.token("viewer")) as viewer:
        assert viewer.get(f"{JOBS}/{job['id']}").status_code == 200
        assert job["id"] in {j["id"] for j in viewer.get(JOBS, params={"limit": 100}).json()["data"]}
        body = assert_problem(viewer.post(JOBS, json={"command": ["true"]}), 403, "FORBIDDEN")
        assert "jobs:write" in body["detail"]
        assert_problem(viewer.post(f"{JOBS}/{job['id']}/cancel"), 403, "FORBIDDEN")
        assert_problem(viewer.post(f"{JOBS}/{job['id']}/retry"), 403, "FORBIDDEN")
        assert_problem(viewer.delete(f"{JOBS}/{job['id']}"), 403, "FORBIDDEN")


def test_member_sees_only_own_jobs(server: LiveServer, admin: httpx.Client) -> None:
    others = create(admin, run_at=FAR_FUTURE)
    with server.client(server.token("member")) as member:
        mine = create(member, run_at=FAR_FUTURE)
        assert mine["owner"] == "member-user"
        listed = {j["id"] for j in member.get(JOBS, params={"limit": 100}).json()["data"]}
        assert mine["id"] in listed and others["id"] not in listed
        # another owner's job is indistinguishable from a missing one
        for response in [
            member.get(f"{JOBS}/{others['id']}"),
            member.get(f"{JOBS}/{others['id']}/executions"),
            member.post(f"{JOBS}/{others['id']}/cancel"),
            member.post(f"{JOBS}/{others['id']}/retry"),
            member.delete(f"{JOBS}/{others['id']}"),
        ]:
            assert_problem(response, 404, "JOB_NOT_FOUND")
        assert admin.get(f"{JOBS}/{others['id']}").json()["status"] == "scheduled"
    # the admin (like a manager) sees everyone's jobs
    assert admin.get(f"{JOBS}/{mine['id']}").status_code == 200


def test_unicode_round_trips(admin: httpx.Client) -> None:
    job = create(admin, name="ñame 🚀 задача", command=["echo", "héllo 🌍"], labels={"team": "ünïcode ✓"})
    assert job["name"] == "ñame 🚀 задача"
    done = wait_for_status(admin, job["id"], {"completed"})
    assert done["labels"] == {"team": "ünïcode ✓"}
    execution = admin.get(f"{JOBS}/{job['id']}/executions").json()["data"][0]
    assert execution["stdout"] == "héllo 🌍\n"


def test_status_filter_accepts_repeated_and_comma_forms(admin: httpx.Client) -> None:
    scheduled = create(admin, run_at=FAR_FUTURE, queue="statusforms")
    cancelled = create(admin, run_at=FAR_FUTURE, queue="statusforms")
    admin.post(f"{JOBS}/{cancelled['id']}/cancel")
    create(admin, command=["true"], queue="statusforms")
    expected = {scheduled["id"], cancelled["id"]}
    for params in [
        [("status", "scheduled"), ("status", "cancelled"), ("queue", "statusforms")],
        [("status", "scheduled,cancelled"), ("queue", "statusforms")],
    ]:
        found = {j["id"] for j in admin.get(JOBS, params=params).json()["data"]}
        assert found == expected, params


def test_huge_bodies_are_413_before_being_read(server: LiveServer, admin: httpx.Client) -> None:
    limit = server.settings.max_body_bytes
    big = b'{"command": ["echo", "' + b"a" * limit + b'"]}'
    body = assert_problem(admin.post(JOBS, content=big, headers={"Content-Type": "application/json"}), 413)
    assert body["code"] == "BODY_TOO_LARGE"

    def chunks():  # no Content-Length: the limit must hold for streamed bodies too
        yield b'{"command": ["echo", "'
        for _ in range(limit // 65536 + 2):
            yield b"a" * 65536
        yield b'"]}'

    streamed = admin.post(JOBS, content=chunks(), headers={"Content-Type": "application/json"})
    assert_problem(streamed, 413, "BODY_TOO_LARGE")


def test_chunked_bodies_are_accepted(admin: httpx.Client) -> None:
    def chunks():
        yield b'{"command": ["echo", '
        yield b'"chunked"], "run_at": "2099-01-01T00:00:00Z"}'

    response = admin.post(JOBS, content=chunks(), headers={"Content-Type": "application/json"})
    assert response.status_code == 201, response.text
    assert response.json()["command"] == ["echo", "chunked"]


@pytest.mark.parametrize(
    "run_at",
    ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00"],
    ids=["before-year-1-in-utc", "after-year-9999-in-utc"],
)
def test_run_at_out_of_range_is_400(admin: httpx.Client, run_at: str) -> None:
    errors = assert_problem(admin.post(JOBS, json={"command": ["true"], "run_at": run_at}), 400)["errors"]
    assert errors[0]["field"] == "run_at"


def test_rfc3339_lower_case_t_and_z_are_accepted(admin: httpx.Client) -> None:
    job = create(admin, run_at="2099-01-01t00:00:00z")
    assert job["run_at"] == "2099-01-01T00:00:00.000000Z"


def test_cursors_with_out_of_range_values_are_400(admin: httpx.Client) -> None:
    from baton.pagination import encode_cursor

    job = create(admin, run_at=FAR_FUTURE)
    cases = [
        ("-created_at", {}, encode_cursor("-created_at", ["0001-01-01T00:00:00+05:00", job["id"]])),
        ("priority", {"sort": "priority"}, encode_cursor("priority", [2**63, job["id"]])),
        ("priority", {"sort": "priority"}, encode_cursor("priority", [-1, job["id"]])),
        ("name", {"sort": "name"}, encode_cursor("name", [{"$gt": ""}, job["id"]])),
        ("name", {"sort": "name"}, encode_cursor("name", ["x" * 201, job["id"]])),
        # a position must hold a value for each sort key, then the id
        ("-priority,name", {"sort": "-priority,name"}, encode_cursor("-priority,name", [5, job["id"]])),
        ("-priority,name", {"sort": "-priority,name"}, encode_cursor("-priority,name", [5, 7, job["id"]])),
    ]
    for _, params, cursor in cases:
        assert_problem(admin.get(JOBS, params={**params, "cursor": cursor}), 400, "INVALID_CURSOR")
    huge_attempt = encode_cursor("attempt", [2**63])
    response = admin.get(f"{JOBS}/{job['id']}/executions", params={"cursor": huge_attempt})
    assert_problem(response, 400, "INVALID_CURSOR")


@pytest.mark.parametrize(
    "body",
    [{"command": ["true"], "queue": "abc\n"}, {"command": ["true"], "labels": {"abc\n": "x"}}],
    ids=["queue", "label-key"],
)
def test_trailing_newline_does_not_slip_past_patterns(admin: httpx.Client, body: dict) -> None:
    assert_problem(admin.post(JOBS, json=body), 400, "VALIDATION_ERROR")


def test_trailing_newline_in_query_pattern_is_400(admin: httpx.Client) -> None:
    assert_problem(admin.get(JOBS, params={"queue": "abc\n"}), 400, "VALIDATION_ERROR")
