"""GET /api/v1/jobs/export and /api/v1/executions/export: the list's filters and visibility,
CSV and NDJSON, content negotiation, and more rows than one page of the stream's reads."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta

import httpx
import pytest

from baton.export import PAGE
from tests.conftest import LiveServer, assert_problem
from tests.jobdata import SeedJob, insert_jobs

pytestmark = pytest.mark.uses_server

JOBS_EXPORT = "/api/v1/jobs/export"
EXECUTIONS_EXPORT = "/api/v1/executions/export"
T0 = datetime(2019, 6, 1)
WINDOW = {"created_after": "2019-05-31T00:00:00Z", "created_before": "2019-06-30T00:00:00Z"}
COUNT = PAGE * 2 + 7  # three reads of the list


@pytest.fixture(scope="module")
def seeded(server: LiveServer) -> list[SeedJob]:
    seeds = [
        SeedJob(
            created_at=T0 + timedelta(seconds=i),
            status="completed" if i % 3 else "failed",
            queue="export-a" if i % 2 else "export-b",
            name=f'export, "quoted"\n{i}' if i == 5 else f"export-{i}",
            labels={"half": "yes"} if i < COUNT // 2 else {},
            durations=(1.5,) if i % 3 else (1.0, 2.25),  # the failed ones ran twice
        )
        for i in range(COUNT)
    ]
    insert_jobs(server.settings.database_url, seeds)
    return seeds


def ndjson(response: httpx.Response) -> list[dict]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/x-ndjson"
    assert response.text == "" or response.text.endswith("\n")
    return [json.loads(line) for line in response.text.splitlines()]


def rows(response: httpx.Response) -> list[dict]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.text, newline="")))


def test_jobs_as_ndjson_in_list_order(admin: httpx.Client, seeded: list[SeedJob]) -> None:
    response = admin.get(JOBS_EXPORT, params=WINDOW)
    assert response.headers["content-disposition"] == 'attachment; filename="jobs.ndjson"'
    found = ndjson(response)
    assert [job["id"] for job in found] == [seed.id for seed in reversed(seeded)]  # -created_at
    one = admin.get(f"/api/v1/jobs/{found[0]['id']}").json()
    assert found[0] == one  # the same representation as GET of the job


def test_jobs_as_csv_with_a_header_row(admin: httpx.Client, seeded: list[SeedJob]) -> None:
    response = admin.get(JOBS_EXPORT, params={**WINDOW, "sort": "created_at"}, headers={"Accept": "text/csv"})
    assert response.headers["content-disposition"] == 'attachment; filename="jobs.csv"'
    assert response.text.startswith("id,name,queue,status,")
    found = rows(response)
    assert len(found) == COUNT and found[0]["id"] == seeded[0].id
    tricky = found[5]
    assert tricky["name"] == 'export, "quoted"\n5'  # commas, quotes and newlines survive
    assert json.loads(found[0]["labels"]) == {"half": "yes"} and json.loads(found[0]["command"]) == ["true"]
    assert found[0]["exit_code"] == "" and found[0]["owner"] == "admin"


def test_filters_apply(admin: httpx.Client, seeded: list[SeedJob]) -> None:
    only_b = ndjson(admin.get(JOBS_EXPORT, params={**WINDOW, "queue": "export-b", "status": "failed"}))
    expected = [s.id for s in seeded if s.queue == "export-b" and s.status == "failed"]
    assert sorted(job["id"] for job in only_b) == sorted(expected)
    half = ndjson(admin.get(JOBS_EXPORT, params={**WINDOW, "label": "half=yes"}))
    assert len(half) == COUNT // 2
    assert ndjson(admin.get(JOBS_EXPORT, params={**WINDOW, "name": "nothing-like-this"})) == []


def test_executions_of_the_matching_jobs(admin: httpx.Client, seeded: list[SeedJob]) -> None:
    found = ndjson(admin.get(EXECUTIONS_EXPORT, params={**WINDOW, "sort": "created_at"}))
    expected = [(s.id, attempt) for s in seeded for attempt in range(1, len(s.durations) + 1)]
    assert [(e["job_id"], e["attempt"]) for e in found] == expected
    assert found[0]["duration_seconds"] == 2.25 - 1.25 and found[0]["queue"] == "export-b"
    assert set(found[0]) == {
        "job_id", "job_name", "queue", "attempt", "status", "worker", "started_at", "finished_at",
        "duration_seconds", "exit_code", "error",
    }  # fmt: skip
    as_csv = rows(
        admin.get(EXECUTIONS_EXPORT, params={**WINDOW, "queue": "export-a"}, headers={"Accept": "text/csv"})
    )
    assert len(as_csv) == sum(len(s.durations) for s in seeded if s.queue == "export-a")
    assert {row["duration_seconds"] for row in as_csv} == {"1.0", "1.5", "2.25"}


def test_a_member_exports_only_their_own_jobs(server: LiveServer, seeded: list[SeedJob]) -> None:
    with server.client(server.token("member")) as member:
        own = member.post("/api/v1/jobs", json={"name": "member export", "command": ["true"]}).json()
        jobs = ndjson(member.get(JOBS_EXPORT))
        runs = ndjson(member.get(EXECUTIONS_EXPORT, params=WINDOW))
    assert [job["id"] for job in jobs] == [own["id"]]
    assert runs == []


@pytest.mark.parametrize(
    ("accept", "kind"),
    [
        (None, "application/x-ndjson"),
        ("*/*", "application/x-ndjson"),
        ("text/*", "text/csv"),
        ("application/json;q=0.9, text/csv;q=0.5", "text/csv"),
        ("text/csv;q=0.2, application/x-ndjson", "application/x-ndjson"),
    ],
)
def test_content_negotiation(admin: httpx.Client, accept: str | None, kind: str) -> None:
    headers = {"Accept": accept} if accept else {}
    response = admin.get(JOBS_EXPORT, params={"name": "no-such-job"}, headers=headers)
    assert response.status_code == 200 and response.headers["content-type"].startswith(kind)


def test_an_accept_it_cannot_meet_is_406(admin: httpx.Client) -> None:
    for accept in ("application/json", "text/csv;q=0", "image/png"):
        assert_problem(admin.get(JOBS_EXPORT, headers={"Accept": accept}), 406, "NOT_ACCEPTABLE")


def test_bad_filters_are_400_before_the_stream_starts(admin: httpx.Client) -> None:
    assert_problem(admin.get(JOBS_EXPORT, params={"status": "sleeping"}), 400, "VALIDATION_ERROR")
    assert_problem(admin.get(EXECUTIONS_EXPORT, params={"label": "no-equals-sign"}), 400)
    far = {"created_after": "9999-12-31T23:59:59-01:00"}
    assert_problem(admin.get(JOBS_EXPORT, params=far), 400)
