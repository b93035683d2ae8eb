"""List filters on GET /api/v1/jobs: label key=value (repeatable, all must match), created
before/after, name prefix; combined with paging and visibility."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import httpx

from tests.conftest import LiveServer, assert_problem

JOBS = "/api/v1/jobs"
# the server's own executor leaves other queues to pull workers (test_worker_filter_...)
SERVER_SETTINGS = {"executor_url": "local://?concurrency=4&queues=default"}
LATER = (datetime.now(UTC) + timedelta(days=365)).isoformat()


def create(client: httpx.Client, **fields: object) -> dict:
    response = client.post(JOBS, json={"command": ["true"], "run_at": LATER, **fields})
    assert response.status_code == 201, response.text
    return response.json()


def ids(client: httpx.Client, params: list[tuple[str, str]]) -> list[str]:
    response = client.get(JOBS, params=[*params, ("limit", "100")])
    assert response.status_code == 200, response.text
    return [job["id"] for job in response.json()["data"]]


def test_label_filters_match_all_given_pairs(admin: httpx.Client) -> None:
    a = create(admin, labels={"flt": "one", "env": "prod"})
    b = create(admin, labels={"flt": "one", "env": "dev"})
    c = create(admin, labels={"flt": "two", "env": "prod"})
    assert ids(admin, [("label", "flt=one")]) == [b["id"], a["id"]]
    assert ids(admin, [("label", "flt=one"), ("label", "env=prod")]) == [a["id"]]
    assert ids(admin, [("label", "flt=one,env=prod")]) == [a["id"]]
    assert ids(admin, [("label", "flt=three")]) == []
    assert c["id"] in ids(admin, [("label", "env=prod")])


def test_created_after_and_before(admin: httpx.Client) -> None:
    first = create(admin, queue="flt-time")
    time.sleep(0.01)
    middle = create(admin, queue="flt-time")
    time.sleep(0.01)
    last = create(admin, queue="flt-time")
    q = [("queue", "flt-time")]
    assert ids(admin, [*q, ("created_after", first["created_at"])]) == [last["id"], middle["id"]]
    assert ids(admin, [*q, ("created_before", last["created_at"])]) == [middle["id"], first["id"]]
    window = [("created_after", first["created_at"]), ("created_before", last["created_at"])]
    assert ids(admin, q + window) == [middle["id"]]


def test_name_prefix_is_literal_and_case_sensitive(admin: httpx.Client) -> None:
    a = create(admin, name="fltname backup_1")
    b = create(admin, name="fltname backup%2")
    create(admin, name="FLTNAME backup 3")
    assert ids(admin, [("name", "fltname backup")]) == [b["id"], a["id"]]
    assert ids(admin, [("name", "fltname backup_")]) == [a["id"]]
    assert ids(admin, [("name", "fltname backup%")]) == [b["id"]]


def test_filters_page_with_cursors(admin: httpx.Client) -> None:
    made = [create(admin, labels={"fltpage": "yes"})["id"] for _ in range(5)]
    seen: list[str] = []
    params: list[tuple[str, str]] = [("label", "fltpage=yes"), ("limit", "2")]
    cursor = None
    while True:
        page = admin.get(JOBS, params=params + ([("cursor", cursor)] if cursor else [])).json()
        seen += [j["id"] for j in page["data"]]
        cursor = page["pagination"]["next_cursor"]
        if not cursor:
            break
    assert seen == list(reversed(made))


def test_members_filter_only_their_own_jobs(server: LiveServer, admin: httpx.Client) -> None:
    create(admin, labels={"fltvis": "x"})
    with server.client(server.token("member")) as member:
        mine = create(member, labels={"fltvis": "x"})
        assert ids(member, [("label", "fltvis=x")]) == [mine["id"]]


def test_bad_filters_are_400(admin: httpx.Client) -> None:
    for params in [
        {"label": "novalue"},
        {"label": "=x"},
        {"label": "bad key=x"},
        {"created_after": "yesterday"},
        {"created_before": "2026-01-01T00:00:00"},
        {"name": ""},
        {"name": "x" * 201},
    ]:
        assert_problem(admin.get(JOBS, params=params), 400)


def test_search_finds_a_substring_of_the_name_in_any_case_and_literally(admin: httpx.Client) -> None:
    a = create(admin, name="Nightly BACKUP of db_1", queue="flt-search")
    b = create(admin, name="restore backup 100%", queue="flt-search")
    c = create(admin, name="Ünïcode Bäckup", queue="flt-search")
    create(admin, name="something else", queue="flt-search")
    q = [("queue", "flt-search")]
    assert ids(admin, [*q, ("search", "backup")]) == [b["id"], a["id"]]
    assert ids(admin, [*q, ("search", "BaCkUp Of")]) == [a["id"]]
    # LIKE's wildcards are plain characters here
    assert ids(admin, [*q, ("search", "100%")]) == [b["id"]]
    assert ids(admin, [*q, ("search", "db_")]) == [a["id"]]
    assert ids(admin, [*q, ("search", "b_ckup")]) == []
    assert ids(admin, [*q, ("search", "%")]) == [b["id"]]
    assert ids(admin, [*q, ("search", "!")]) == []
    # letters beyond ASCII fold too, on every database
    assert ids(admin, [*q, ("search", "BÄCKUP")]) == [c["id"]]
    assert ids(admin, [*q, ("search", "ünï")]) == [c["id"]]


def test_count_gives_the_total_of_every_page(admin: httpx.Client) -> None:
    for _ in range(5):
        create(admin, queue="flt-count")
    first = admin.get(JOBS, params={"queue": "flt-count", "limit": 2, "count": "true"}).json()
    assert first["pagination"]["total"] == 5 and len(first["data"]) == 2
    cursor = first["pagination"]["next_cursor"]
    second = admin.get(JOBS, params={"queue": "flt-count", "limit": 2, "count": "true", "cursor": cursor})
    assert second.json()["pagination"]["total"] == 5
    # not asked, not counted
    assert "total" not in admin.get(JOBS, params={"queue": "flt-count"}).json()["pagination"]
    empty = admin.get(JOBS, params={"queue": "flt-count-none", "count": "true"}).json()
    assert empty["pagination"]["total"] == 0


def test_owner_filter_for_those_who_see_every_job(server: LiveServer, admin: httpx.Client) -> None:
    mine = create(admin, queue="flt-owner")
    with server.client(server.token("member")) as member:
        theirs = create(member, queue="flt-owner")
        q = [("queue", "flt-owner")]
        assert ids(admin, [*q, ("owner", "member-user")]) == [theirs["id"]]
        assert ids(admin, [*q, ("owner", "admin")]) == [mine["id"]]
        assert ids(admin, [*q, ("owner", "nobody")]) == []
        with server.client(server.token("viewer")) as viewer:
            assert ids(viewer, [*q, ("owner", "admin")]) == [mine["id"]]
        # a member sees only their own jobs: another owner's filter just finds nothing
        assert ids(member, [*q, ("owner", "admin")]) == []
        assert ids(member, [*q, ("owner", "member-user")]) == [theirs["id"]]
        counted = member.get(JOBS, params={"queue": "flt-owner", "owner": "admin", "count": "true"})
        assert counted.json()["pagination"]["total"] == 0


def test_worker_filter_finds_the_jobs_a_worker_ran(admin: httpx.Client) -> None:
    robot = admin.post("/api/v1/workers", json={"name": "flt-robot", "queues": ["flt-robots"]}).json()
    done = admin.post(JOBS, json={"command": ["true"], "queue": "flt-robots"}).json()
    waiting = create(admin, queue="flt-robots")
    claimed = admin.post(f"/api/v1/workers/{robot['id']}/claim", json={"max_jobs": 5}).json()["jobs"]
    assert [job["id"] for job in claimed] == [done["id"]]
    running = ids(admin, [("worker", robot["id"])])
    assert running == [done["id"]]
    report = {"worker_id": robot["id"], "attempt": 1, "exit_code": 0}
    assert admin.post(f"{JOBS}/{done['id']}/complete", json=report).status_code == 200
    assert ids(admin, [("worker", robot["id"])]) == [done["id"]]  # ran, and finished
    assert waiting["id"] not in ids(admin, [("queue", "flt-robots"), ("worker", robot["id"])])
    assert ids(admin, [("worker", "no-such-worker")]) == []


def test_sort_by_several_fields_pages_in_that_order(admin: httpx.Client) -> None:
    made = [
        create(admin, queue="flt-sort", priority=p, name=f"job {n}") for n, p in enumerate([3, 7, 3, 7, 5])
    ]
    expected = sorted(made, key=lambda j: (-j["priority"], j["name"]))
    seen: list[str] = []
    cursor = None
    while True:
        params = [("queue", "flt-sort"), ("sort", "-priority,name"), ("limit", "2")]
        page = admin.get(JOBS, params=params + ([("cursor", cursor)] if cursor else [])).json()
        seen += [j["id"] for j in page["data"]]
        cursor = page["pagination"]["next_cursor"]
        if not cursor:
            break
    assert seen == [j["id"] for j in expected]
    # repeated parameters are the same sort
    repeated = ids(admin, [("queue", "flt-sort"), ("sort", "-priority"), ("sort", "name")])
    assert repeated == seen
    # a cursor belongs to its sort
    two = admin.get(JOBS, params={"queue": "flt-sort", "sort": "-priority,name", "limit": 2}).json()
    other = admin.get(
        JOBS, params={"queue": "flt-sort", "sort": "-priority", "cursor": two["pagination"]["next_cursor"]}
    )
    assert_problem(other, 400, "INVALID_CURSOR")


def test_bad_sorts_searches_and_owners_are_400(admin: httpx.Client) -> None:
    # a field named again can only order ties it no longer has: ignored, not refused
    assert ids(admin, [("sort", "priority,-priority")]) == ids(admin, [("sort", "priority")])
    for params in [
        {"sort": "priority,priority"},
        {"sort": "status"},
        {"sort": "-created_at,name,priority,run_at,updated_at,-id"},
        {"search": ""},
        {"search": "x" * 201},
        {"owner": ""},
        {"worker": ""},
        {"count": "maybe"},
    ]:
        assert_problem(admin.get(JOBS, params=params), 400, "VALIDATION_ERROR")
