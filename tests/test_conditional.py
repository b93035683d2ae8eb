"""HTTP semantics through HTTP: strong ETags and 304 on GETs, PATCH as JSON Merge Patch, and
If-Match preconditions (412) on PATCH and DELETE."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from baton_client import AuthenticatedClient
from baton_client.api.jobs import get_job, update_job
from baton_client.models import Job, JobPatch, LabelsPatchType0, Problem

from tests.conftest import LiveServer, assert_problem, wait_for_status

JOBS = "/api/v1/jobs"
FAR_FUTURE = "2099-01-01T00:00:00Z"
STRONG_TAG = re.compile(r'^"[!#-~]+"$')
MERGE_PATCH = {"Content-Type": "application/merge-patch+json"}


def create(client: httpx.Client, **fields: object) -> dict:
    response = client.post(JOBS, json={"command": ["true"], **fields})
    assert response.status_code == 201, response.text
    return response.json()


def scheduled(client: httpx.Client, **fields: object) -> dict:
    """A job that stays put (nothing runs it until 2099), so its representation is stable."""
    return create(client, run_at=FAR_FUTURE, **fields)


def fetch(client: httpx.Client, job_id: str, **headers: str) -> httpx.Response:
    return client.get(f"{JOBS}/{job_id}", headers=headers)


def patch(client: httpx.Client, job_id: str, body: object, **headers: str) -> httpx.Response:
    return client.patch(f"{JOBS}/{job_id}", json=body, headers=headers)


def if_match(tag: str) -> dict[str, str]:
    return {"If-Match": tag}


@pytest.fixture(scope="module")
def member(server: LiveServer) -> Iterator[httpx.Client]:
    with server.client(server.make_user("cond-member", "member")) as client:
        yield client


# ---------------------------------------------------------------- ETag and If-None-Match


def test_get_job_has_a_strong_etag_that_is_stable(admin: httpx.Client) -> None:
    job = scheduled(admin)
    first, second = fetch(admin, job["id"]), fetch(admin, job["id"])
    assert first.status_code == second.status_code == 200
    tag = first.headers["etag"]
    assert STRONG_TAG.match(tag), tag  # quoted, and not W/ (a strong validator)
    assert second.headers["etag"] == tag
    assert first.headers["cache-control"] == "private, no-cache"
    # same representation (by another spelling of the id), same tag
    assert fetch(admin, job["id"].upper()).headers["etag"] == tag


def test_etag_changes_with_the_job(admin: httpx.Client) -> None:
    job = scheduled(admin)
    before = fetch(admin, job["id"]).headers["etag"]
    assert admin.post(f"{JOBS}/{job['id']}/cancel").status_code == 200
    after = fetch(admin, job["id"])
    assert after.headers["etag"] != before
    # the old tag no longer matches: the client gets the new representation
    stale = fetch(admin, job["id"], **{"If-None-Match": before})
    assert stale.status_code == 200 and stale.json()["status"] == "cancelled"
    assert stale.headers["etag"] == after.headers["etag"]


def test_if_none_match_gives_304_without_a_body(admin: httpx.Client) -> None:
    job = scheduled(admin)
    tag = fetch(admin, job["id"]).headers["etag"]
    other = '"0123456789abcdef"'
    for value in [
        tag,
        f"{other}, {tag}",
        f"{other},{tag}",
        f"{other} ,\t{tag}",
        "*",
        f"W/{tag}",
        f"W/{other}, W/{tag}",
    ]:
        response = fetch(admin, job["id"], **{"If-None-Match": value})
        assert response.status_code == 304, (value, response.text)
        assert response.content == b""
        assert response.headers["etag"] == tag
        assert response.headers["cache-control"] == "private, no-cache"
        assert "content-length" not in response.headers or response.headers["content-length"] == "0"
    # a list split over several header lines counts as one list
    split = admin.get(f"{JOBS}/{job['id']}", headers=[("If-None-Match", other), ("If-None-Match", tag)])
    assert split.status_code == 304
    for value in [other, f"{other}, W/{other}", '""', tag.replace('"', '"x', 1)]:
        response = fetch(admin, job["id"], **{"If-None-Match": value})
        assert response.status_code == 200 and response.json()["id"] == job["id"], value


@pytest.mark.parametrize(
    "value", ["garbage", "abc123", '"unterminated', "W/abc", '"a" "b"', '"a";"b"', "*, *x", '"a\tb"']
)
def test_malformed_if_none_match_is_400(admin: httpx.Client, value: str) -> None:
    job = scheduled(admin)
    body = assert_problem(fetch(admin, job["id"], **{"If-None-Match": value}), 400, "VALIDATION_ERROR")
    assert body["errors"][0]["field"] == "header.If-None-Match"


def test_entity_tag_comparison() -> None:
    from baton.conditional import etag_of, matches_if_match, matches_if_none_match

    tag = etag_of({"a": 1})
    assert tag == etag_of({"a": 1}) != etag_of({"a": 2}) and STRONG_TAG.match(tag)
    assert etag_of({"a": 1, "b": 2}) != etag_of({"b": 2, "a": 1})  # other bytes, other tag
    assert matches_if_none_match([f'"x", W/{tag}'], tag)  # weak comparison
    assert not matches_if_match([f'"x", W/{tag}'], tag)  # strong comparison
    assert matches_if_match(['"x"', tag], tag) and matches_if_match(["*"], tag)
    assert not matches_if_none_match(['"x"'], tag) and not matches_if_match([tag.upper()], tag)


def test_unknown_job_is_404_whatever_the_preconditions(admin: httpx.Client) -> None:
    missing = str(uuid.uuid4())
    assert_problem(fetch(admin, missing, **{"If-None-Match": "*"}), 404, "JOB_NOT_FOUND")
    assert_problem(patch(admin, missing, {"priority": 1}, **if_match("*")), 404, "JOB_NOT_FOUND")
    assert_problem(admin.delete(f"{JOBS}/{missing}", headers=if_match("*")), 404, "JOB_NOT_FOUND")


def test_list_etag_changes_when_a_job_is_added(member: httpx.Client) -> None:
    scheduled(member)
    first = member.get(JOBS)
    tag = first.headers["etag"]
    assert STRONG_TAG.match(tag) and first.headers["cache-control"] == "private, no-cache"
    assert member.get(JOBS).headers["etag"] == tag
    cached = member.get(JOBS, headers={"If-None-Match": tag})
    assert cached.status_code == 304 and cached.content == b""
    # each page and filter is its own representation
    assert member.get(JOBS, params={"limit": 1}).headers["etag"] != tag

    scheduled(member)
    changed = member.get(JOBS, headers={"If-None-Match": tag})
    assert changed.status_code == 200 and changed.headers["etag"] != tag
    assert len(changed.json()["data"]) == len(first.json()["data"]) + 1


def test_list_etag_depends_on_who_asks(admin: httpx.Client, member: httpx.Client) -> None:
    scheduled(member)
    tag = member.get(JOBS).headers["etag"]
    # admin sees everyone's jobs: another representation, so a member's tag is not a match
    assert admin.get(JOBS, headers={"If-None-Match": tag}).status_code == 200


def test_executions_have_an_etag(admin: httpx.Client) -> None:
    job = create(admin, command=["true"])
    wait_for_status(admin, job["id"], {"completed"})
    url = f"{JOBS}/{job['id']}/executions"
    response = admin.get(url)
    assert response.status_code == 200 and len(response.json()["data"]) == 1
    tag = response.headers["etag"]
    assert STRONG_TAG.match(tag) and response.headers["cache-control"] == "private, no-cache"
    assert admin.get(url, headers={"If-None-Match": tag}).status_code == 304
    # a second attempt adds an execution: a new representation
    assert admin.post(f"{JOBS}/{job['id']}/retry").status_code == 200
    wait_for_status(admin, job["id"], {"completed"})
    again = admin.get(url, headers={"If-None-Match": tag})
    assert again.status_code == 200 and again.headers["etag"] != tag


def test_me_has_an_etag(server: LiveServer) -> None:
    with server.client(server.make_user("cond-me", "member")) as client:
        first = client.get("/api/v1/auth/me")
        tag = first.headers["etag"]
        assert first.status_code == 200 and STRONG_TAG.match(tag)
        assert first.headers["cache-control"] == "private, no-cache"
        cached = client.get("/api/v1/auth/me", headers={"If-None-Match": tag})
        assert cached.status_code == 304 and cached.content == b"" and cached.headers["etag"] == tag
    with server.client(server.token("admin")) as admin:
        # another user is another representation
        assert admin.get("/api/v1/auth/me", headers={"If-None-Match": tag}).status_code == 200


# ---------------------------------------------------------------- PATCH (JSON Merge Patch)


def test_patch_priority_returns_the_job_and_its_new_etag(admin: httpx.Client) -> None:
    job = scheduled(admin, priority=2)
    response = patch(admin, job["id"], {"priority": 8})
    assert response.status_code == 200, response.text
    changed = response.json()
    assert changed["priority"] == 8 and changed["status"] == "scheduled"
    assert changed["updated_at"] > job["updated_at"]
    current = fetch(admin, job["id"])
    assert current.json() == changed
    assert response.headers["etag"] == current.headers["etag"]


def test_patch_merges_labels(admin: httpx.Client) -> None:
    job = scheduled(admin, labels={"team": "infra", "os": "linux", "tier": "gold"})
    body = {"labels": {"os": None, "tier": "silver", "zone": "eu-1", "absent": None}}
    response = patch(admin, job["id"], body)
    assert response.status_code == 200, response.text
    assert response.json()["labels"] == {"team": "infra", "tier": "silver", "zone": "eu-1"}
    cleared = patch(admin, job["id"], {"labels": None})
    assert cleared.status_code == 200 and cleared.json()["labels"] == {}


def test_patch_run_at_moves_the_job_between_scheduled_and_pending(admin: httpx.Client) -> None:
    job = scheduled(admin)
    later = (datetime.now(UTC) + timedelta(days=3)).replace(microsecond=0)
    moved = patch(admin, job["id"], {"run_at": later.isoformat()})
    assert moved.status_code == 200, moved.text
    assert moved.json()["status"] == "scheduled"
    assert moved.json()["run_at"] == later.strftime("%Y-%m-%dT%H:%M:%S.000000Z")

    now = patch(admin, job["id"], {"run_at": None})
    assert now.status_code == 200, now.text
    assert now.json()["status"] == "pending"
    assert now.json()["run_at"] < later.strftime("%Y-%m-%dT%H:%M:%S.000000Z")
    wait_for_status(admin, job["id"], {"completed"})  # and it runs


def test_patch_run_at_future_takes_a_pending_job_back_to_scheduled(
    server: LiveServer, admin: httpx.Client
) -> None:
    # keep every executor slot busy, so a new job stays pending until we move it
    concurrency = int(server.settings.executor_url.rpartition("concurrency=")[2])
    blockers = [create(admin, command=["sleep", "60"])["id"] for _ in range(concurrency)]
    try:
        for blocker in blockers:
            wait_for_status(admin, blocker, {"running"})
        job = create(admin)
        assert job["status"] == "pending"
        past = patch(admin, job["id"], {"run_at": "2020-01-01T00:00:00Z", "priority": 9})
        assert past.status_code == 200 and past.json()["status"] == "pending"
        future = patch(admin, job["id"], {"run_at": FAR_FUTURE})
        assert future.status_code == 200, future.text
        assert future.json()["status"] == "scheduled"
        assert future.json()["run_at"] == "2099-01-01T00:00:00.000000Z"
    finally:
        for blocker in blockers:
            admin.post(f"{JOBS}/{blocker}/cancel")
    assert fetch(admin, job["id"]).json()["status"] == "scheduled"  # free slots change nothing


def test_patch_accepts_merge_patch_json(admin: httpx.Client) -> None:
    job = scheduled(admin)
    response = admin.patch(f"{JOBS}/{job['id']}", content=b'{"priority": 0}', headers=MERGE_PATCH)
    assert response.status_code == 200 and response.json()["priority"] == 0


def test_empty_patch_changes_nothing(admin: httpx.Client) -> None:
    job = scheduled(admin)
    before = fetch(admin, job["id"])
    for body in [{}, {"priority": job["priority"]}, {"labels": {}}, {"labels": {"nothing": None}}]:
        response = patch(admin, job["id"], body)
        assert response.status_code == 200
        assert response.headers["etag"] == before.headers["etag"]
        assert response.json() == before.json()


def test_patch_of_a_running_or_finished_job_is_409(admin: httpx.Client) -> None:
    running = create(admin, command=["sleep", "60"])
    try:
        wait_for_status(admin, running["id"], {"running"})
        assert_problem(patch(admin, running["id"], {"priority": 1}), 409, "INVALID_JOB_STATE")
    finally:
        admin.post(f"{JOBS}/{running['id']}/cancel")
    finished = fetch(admin, running["id"]).json()
    assert finished["status"] == "cancelled"
    assert_problem(patch(admin, running["id"], {"priority": 1}), 409, "INVALID_JOB_STATE")
    done = create(admin, command=["true"])
    wait_for_status(admin, done["id"], {"completed"})
    assert_problem(patch(admin, done["id"], {"labels": {"a": "b"}}), 409, "INVALID_JOB_STATE")
    assert fetch(admin, running["id"]).json() == finished


READ_ONLY = {
    "id": str(uuid.uuid4()),
    "status": "completed",
    "owner": "someone-else",
    "attempt": 3,
    "retries_used": 0,
    "command": ["rm", "-rf", "/"],
    "name": "renamed",
    "queue": "other",
    "timeout_seconds": 1,
    "created_at": "2020-01-01T00:00:00Z",
    "exit_code": 0,
    "unknown_field": 1,
}


@pytest.mark.parametrize("field", READ_ONLY)
def test_read_only_fields_are_422_and_unknown_ones_400(admin: httpx.Client, field: str) -> None:
    job = scheduled(admin)
    before = fetch(admin, job["id"])
    response = patch(admin, job["id"], {"priority": 9, field: READ_ONLY[field]})
    if field == "unknown_field":  # not a field of a job at all: the schema's 400
        errors = assert_problem(response, 400, "VALIDATION_ERROR")["errors"]
        assert errors == [
            {"field": field, "message": f"Additional properties are not allowed ('{field}' was unexpected)"}
        ]
    else:  # a job's field that a patch cannot change (mass assignment): 422, named
        errors = assert_problem(response, 422, "READ_ONLY_FIELD")["errors"]
        assert errors == [{"field": field, "message": "This field cannot be changed"}]
    after = fetch(admin, job["id"])
    assert after.json() == before.json() and after.headers["etag"] == before.headers["etag"]


def test_every_read_only_field_is_named_and_a_schema_fault_wins(admin: httpx.Client) -> None:
    job = scheduled(admin)
    response = patch(admin, job["id"], {"status": "completed", "owner": "mallory", "attempt": 7})
    fields = [e["field"] for e in assert_problem(response, 422, "READ_ONLY_FIELD")["errors"]]
    assert sorted(fields) == ["attempt", "owner", "status"]
    # a read-only field beside a field that breaks the schema: the request is malformed first
    response = patch(admin, job["id"], {"status": "completed", "priority": 99})
    assert_problem(response, 400, "VALIDATION_ERROR")
    response = patch(admin, job["id"], {"status": "completed", "bogus": 1})
    assert_problem(response, 400, "VALIDATION_ERROR")
    assert fetch(admin, job["id"]).json()["status"] == "scheduled"


BAD_PATCHES = {
    "priority-too-high": {"priority": 10},
    "priority-null": {"priority": None},
    "priority-wrong-type": {"priority": "high"},
    "priority-float": {"priority": 1.5},
    "labels-not-an-object": {"labels": ["a"]},
    "label-not-a-string": {"labels": {"a": 1}},
    "label-with-nul": {"labels": {"a": "x\u0000"}},
    "too-many-labels-in-patch": {"labels": {f"k{i}": "v" for i in range(33)}},
    "run-at-not-a-time": {"run_at": "tomorrow"},
    "run-at-without-offset": {"run_at": "2030-01-01T00:00:00"},
    "run-at-out-of-range": {"run_at": "0001-01-01T00:00:00+05:00"},
    "body-is-a-list": [{"priority": 1}],
    "body-is-a-string": "priority",
    "body-is-null": None,
}


@pytest.mark.parametrize("body", BAD_PATCHES.values(), ids=BAD_PATCHES.keys())
def test_bad_patches_are_400_and_change_nothing(admin: httpx.Client, body: object) -> None:
    job = scheduled(admin)
    before = fetch(admin, job["id"]).json()
    problem = assert_problem(patch(admin, job["id"], body), 400)
    assert problem["code"] in {"VALIDATION_ERROR", "BODY_REQUIRED"}
    assert fetch(admin, job["id"]).json() == before


def test_bad_label_key_is_400_but_removing_any_key_is_fine(admin: httpx.Client) -> None:
    job = scheduled(admin)
    errors = assert_problem(patch(admin, job["id"], {"labels": {"bad key": "x"}}), 400)["errors"]
    assert errors == [{"field": "labels.bad key", "message": "Invalid label key"}]
    assert patch(admin, job["id"], {"labels": {"bad key": None}}).status_code == 200


@pytest.mark.parametrize(
    "content",
    [b"{not json", b'{"priority": 1', b"\xff\xfe{}", b""],
    ids=["not-json", "truncated", "not-utf8", "empty"],
)
def test_undecodable_patch_is_400(admin: httpx.Client, content: bytes) -> None:
    job = scheduled(admin)
    assert_problem(admin.patch(f"{JOBS}/{job['id']}", content=content, headers=MERGE_PATCH), 400)


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "application/xml"]
)
def test_patch_with_another_content_type_is_415(admin: httpx.Client, content_type: str) -> None:
    job = scheduled(admin)
    response = admin.patch(
        f"{JOBS}/{job['id']}", content=b"priority=1", headers={"Content-Type": content_type}
    )
    assert_problem(response, 415, "UNSUPPORTED_MEDIA_TYPE")


def test_patch_that_would_exceed_the_label_limit_is_422(admin: httpx.Client) -> None:
    job = scheduled(admin, labels={f"k{i}": "v" for i in range(30)})
    response = patch(admin, job["id"], {"labels": {"x": "1", "y": "2", "z": "3"}})
    assert assert_problem(response, 422, "TOO_MANY_LABELS")["errors"][0]["field"] == "labels"
    assert len(fetch(admin, job["id"]).json()["labels"]) == 30
    # replacing and removing keeps within the limit
    swap = patch(admin, job["id"], {"labels": {"k0": None, "k1": None, "x": "1", "y": "2"}})
    assert swap.status_code == 200 and len(swap.json()["labels"]) == 30


# ---------------------------------------------------------------- If-Match


def test_if_match_mismatch_is_412_and_changes_nothing(admin: httpx.Client) -> None:
    job = scheduled(admin, priority=3)
    before = fetch(admin, job["id"])
    tag = before.headers["etag"]
    for stale in ['"0123456789abcdef"', f"W/{tag}", '"a", "b"']:
        response = patch(admin, job["id"], {"priority": 9}, **if_match(stale))
        assert_problem(response, 412, "PRECONDITION_FAILED")
    after = fetch(admin, job["id"])
    assert after.json() == before.json() and after.headers["etag"] == tag


def test_if_match_with_the_current_etag_succeeds_once(admin: httpx.Client) -> None:
    job = scheduled(admin, priority=3)
    tag = fetch(admin, job["id"]).headers["etag"]
    first = patch(admin, job["id"], {"priority": 4}, **if_match(tag))
    assert first.status_code == 200 and first.json()["priority"] == 4
    # a second writer holding the same (now stale) tag loses instead of overwriting
    second = patch(admin, job["id"], {"priority": 9}, **if_match(tag))
    assert_problem(second, 412, "PRECONDITION_FAILED")
    assert fetch(admin, job["id"]).json()["priority"] == 4
    # with the tag the first answer carried, the next change goes through
    third = patch(admin, job["id"], {"priority": 5}, **if_match(f'"other", {first.headers["etag"]}'))
    assert third.status_code == 200 and third.json()["priority"] == 5


def test_if_match_star_matches_any_existing_job(admin: httpx.Client) -> None:
    job = scheduled(admin)
    response = patch(admin, job["id"], {"priority": 7}, **if_match("*"))
    assert response.status_code == 200 and response.json()["priority"] == 7


def test_malformed_if_match_is_400(admin: httpx.Client) -> None:
    job = scheduled(admin)
    body = assert_problem(
        patch(admin, job["id"], {"priority": 1}, **if_match("nope")), 400, "VALIDATION_ERROR"
    )
    assert body["errors"][0]["field"] == "header.If-Match"


def test_state_is_checked_before_if_match(admin: httpx.Client) -> None:
    # RFC 9110 §13.2.1: preconditions are ignored when the answer would not be a success anyway
    done = create(admin, command=["true"])
    wait_for_status(admin, done["id"], {"completed"})
    assert_problem(patch(admin, done["id"], {"priority": 1}, **if_match('"stale"')), 409, "INVALID_JOB_STATE")
    live = scheduled(admin)
    response = admin.delete(f"{JOBS}/{live['id']}", headers=if_match('"stale"'))
    assert_problem(response, 409, "INVALID_JOB_STATE")


def test_delete_with_if_match(admin: httpx.Client) -> None:
    job = scheduled(admin)
    admin.post(f"{JOBS}/{job['id']}/cancel")
    tag = fetch(admin, job["id"]).headers["etag"]
    assert_problem(
        admin.delete(f"{JOBS}/{job['id']}", headers=if_match('"stale"')), 412, "PRECONDITION_FAILED"
    )
    assert_problem(
        admin.delete(f"{JOBS}/{job['id']}", headers=if_match(f"W/{tag}")), 412, "PRECONDITION_FAILED"
    )
    assert fetch(admin, job["id"]).status_code == 200
    deleted = admin.delete(f"{JOBS}/{job['id']}", headers=if_match(tag))
    assert deleted.status_code == 204 and deleted.content == b""
    assert_problem(fetch(admin, job["id"]), 404, "JOB_NOT_FOUND")

    other = scheduled(admin)
    admin.post(f"{JOBS}/{other['id']}/cancel")
    assert admin.delete(f"{JOBS}/{other['id']}", headers=if_match("*")).status_code == 204


# ---------------------------------------------------------------- who may PATCH


def test_members_cannot_patch_each_others_jobs(server: LiveServer) -> None:
    with (
        server.client(server.make_user("cond-alice", "member")) as alice,
        server.client(server.make_user("cond-bob", "member")) as bob,
    ):
        job = scheduled(alice, priority=1)
        before = fetch(alice, job["id"])
        assert_problem(patch(bob, job["id"], {"priority": 9}), 404, "JOB_NOT_FOUND")
        assert_problem(patch(bob, job["id"], {"priority": 9}, **if_match("*")), 404, "JOB_NOT_FOUND")
        assert_problem(fetch(bob, job["id"], **{"If-None-Match": "*"}), 404, "JOB_NOT_FOUND")
        assert fetch(alice, job["id"]).json() == before.json()
        own = patch(alice, job["id"], {"priority": 2}, **if_match(before.headers["etag"]))
        assert own.status_code == 200 and own.json()["priority"] == 2


def test_viewers_cannot_patch(server: LiveServer, admin: httpx.Client) -> None:
    job = scheduled(admin)
    with server.client(server.token("viewer")) as viewer:
        assert fetch(viewer, job["id"]).status_code == 200
        assert_problem(patch(viewer, job["id"], {"priority": 9}), 403, "FORBIDDEN")
    assert fetch(admin, job["id"]).json()["priority"] == job["priority"]


def test_patch_needs_a_token(server: LiveServer, admin: httpx.Client) -> None:
    job = scheduled(admin)
    with server.client() as anonymous:
        assert_problem(patch(anonymous, job["id"], {"priority": 9}), 401)


# ---------------------------------------------------------------- generated client


def test_generated_client_updates_with_if_match(server: LiveServer, admin: httpx.Client) -> None:
    job_id = scheduled(admin, labels={"keep": "1", "drop": "2"})["id"]
    with AuthenticatedClient(
        base_url=server.url, token=server.token("admin"), timeout=httpx.Timeout(30)
    ) as api:
        current = get_job.sync_detailed(job_id, client=api)
        assert current.status_code == 200 and isinstance(current.parsed, Job)
        tag = current.headers["etag"]
        unchanged = get_job.sync_detailed(job_id, client=api, if_none_match=tag)
        assert unchanged.status_code == 304 and unchanged.parsed is None

        labels = LabelsPatchType0.from_dict({"drop": None, "new": "3"})
        changed = update_job.sync(job_id, client=api, body=JobPatch(priority=9, labels=labels), if_match=tag)
        assert isinstance(changed, Job), changed
        assert changed.priority == 9 and changed.labels.additional_properties == {"keep": "1", "new": "3"}

        stale = update_job.sync_detailed(job_id, client=api, body=JobPatch(priority=1), if_match=tag)
        assert stale.status_code == 412
        assert isinstance(stale.parsed, Problem) and stale.parsed.code == "PRECONDITION_FAILED"
        assert stale.parsed.request_id == stale.headers["x-request-id"]


def test_concurrent_patches_with_one_if_match_have_one_winner(
    server: LiveServer, admin: httpx.Client
) -> None:
    import threading

    job = scheduled(admin)
    tag = fetch(admin, job["id"]).headers["etag"]
    statuses: list[int] = []

    def attempt(priority: int) -> None:
        with server.client(server.token("admin")) as client:
            statuses.append(patch(client, job["id"], {"priority": priority}, **if_match(tag)).status_code)

    threads = [threading.Thread(target=attempt, args=(p,)) for p in (1, 2, 3, 4, 6, 7)]  # 5 is a no-op
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200] + [412] * 5  # one version, one writer


def test_concurrent_label_merges_lose_nothing(server: LiveServer, admin: httpx.Client) -> None:
    import threading

    job = scheduled(admin)

    def merge(key: str) -> None:
        with server.client(server.token("admin")) as client:
            assert patch(client, job["id"], {"labels": {key: "set"}}).status_code == 200

    threads = [threading.Thread(target=merge, args=(f"k{i}",)) for i in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert fetch(admin, job["id"]).json()["labels"] == {f"k{i}": "set" for i in range(5)}


def test_a_created_job_carries_the_etag_a_get_gives_so_it_can_be_patched_at_once(
    admin: httpx.Client,
) -> None:
    labels = {"zeta": "1", "alpha": "2", "mid": "3"}  # not in key order: the tag must not depend on it
    response = admin.post(JOBS, json={"command": ["true"], "run_at": FAR_FUTURE, "labels": labels})
    assert response.status_code == 201, response.text
    tag = response.headers["etag"]
    assert STRONG_TAG.match(tag)
    assert fetch(admin, response.json()["id"]).headers["etag"] == tag
    changed = patch(admin, response.json()["id"], {"priority": 7}, **{"If-Match": tag})
    assert changed.status_code == 200, changed.text


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/queues", {"name": "etag-queue", "max_concurrency": 2}),
        ("/api/v1/users", {"username": "etag-user", "role": "viewer", "password": "long enough pw"}),
        ("/api/v1/workers", {"name": "etag-robot", "queues": ["robots"], "labels": {"b": "1", "a": "2"}}),
    ],
)
def test_other_created_resources_carry_the_etag_a_get_gives(
    admin: httpx.Client, path: str, body: dict
) -> None:
    response = admin.post(path, json=body)
    assert response.status_code == 201, response.text
    assert STRONG_TAG.match(response.headers["etag"])
    again = admin.get(response.headers["location"])
    assert again.status_code == 200
    assert again.headers["etag"] == response.headers["etag"]
