"""List filters on GET /api/v1/jobs: label key=value (repeatable, all must match), created
before/after, name prefix; combined with paging and visibility."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import httpx

from tests.conftest import LiveServer, assert_problem

JOBS = "/api/v1/jobs"
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
