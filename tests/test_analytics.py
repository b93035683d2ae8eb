"""GET /api/v1/analytics/summary and /trends against a live server: jobs with chosen run times
and waits are written into its database (tests/jobdata.py) in a window of their own, years
before the jobs other tests submit."""

from __future__ import annotations

from datetime import datetime, timedelta

import httpx
import pytest

from tests.conftest import LiveServer, assert_problem
from tests.jobdata import SeedJob, insert_jobs

pytestmark = pytest.mark.uses_server

SUMMARY = "/api/v1/analytics/summary"
TRENDS = "/api/v1/analytics/trends"
T0 = datetime(2020, 3, 1, 12, 0, 0)
WINDOW = {"from": "2020-03-01T12:00:00Z", "to": "2020-03-01T13:00:00Z"}
# run times 1..100 s in queue "etl" (name "load"), waits 0..9.9 s, 10 failed; 5 never started
DURATIONS = [float(n) for n in range(1, 101)]


def near(value: float | None, expected: float, tolerance: float = 0.012) -> bool:
    """Equal within the documented 1% (a histogram bin's half-width) and a rounding."""
    return value is not None and abs(value - expected) <= tolerance * expected + 1e-6


@pytest.fixture(scope="module")
def seeded(server: LiveServer) -> None:
    seeds = [
        SeedJob(
            created_at=T0 + timedelta(seconds=i * 30),
            status="failed" if i % 10 == 9 else "completed",
            queue="etl",
            name="load",
            labels={"team": "data"} if i % 2 == 0 else {},
            wait=i / 10,
            durations=(seconds,),
        )
        for i, seconds in enumerate(DURATIONS)
    ]
    seeds += [
        # cancelled before they started (pending ones would be run by the test server)
        SeedJob(created_at=T0 + timedelta(minutes=5, seconds=i), status="cancelled", queue="mail",
                name="send", wait=None, durations=())
        for i in range(5)
    ]  # fmt: skip
    # after the window: must not count
    seeds.append(SeedJob(created_at=T0 + timedelta(hours=1), queue="etl", name="load", durations=(999.0,)))
    assert insert_jobs(server.settings.database_url, seeds) == len(seeds)


def test_summary_counts_rates_and_percentiles(admin: httpx.Client, seeded: None) -> None:
    response = admin.get(SUMMARY, params=WINDOW)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["from"], body["to"]) == ("2020-03-01T12:00:00.000000Z", "2020-03-01T13:00:00.000000Z")
    totals = body["totals"]
    assert totals["jobs"] == 105
    assert totals["by_status"] == {
        "waiting": 0,
        "scheduled": 0, "pending": 0, "running": 0, "completed": 90, "failed": 10, "cancelled": 5,
        "timed_out": 0,
    }  # fmt: skip
    assert totals["success_rate"] == 0.9
    runs = totals["duration_seconds"]
    assert runs["count"] == 100
    # percentile_cont over 1..100: p50 = 50.5, p95 = 95.05, p99 = 99.01
    assert near(runs["p50"], 50.5) and near(runs["p95"], 95.05) and near(runs["p99"], 99.01), runs
    waits = totals["queue_wait_seconds"]
    assert waits["count"] == 100
    assert near(waits["p50"], 4.95, 0.025) and near(waits["p95"], 9.405, 0.025), waits


def test_summary_per_queue_and_per_name(admin: httpx.Client, seeded: None) -> None:
    body = admin.get(SUMMARY, params=WINDOW).json()
    assert [q["queue"] for q in body["by_queue"]] == ["etl", "mail"]  # most jobs first
    etl, mail = body["by_queue"]
    assert etl["jobs"] == 100 and etl["success_rate"] == 0.9
    assert mail["jobs"] == 5 and mail["success_rate"] is None
    assert mail["duration_seconds"] == {"count": 0, "p50": None, "p95": None, "p99": None}
    assert [n["name"] for n in body["by_name"]] == ["load", "send"]
    assert body["by_name"][0]["duration_seconds"]["count"] == 100


def test_summary_filters(admin: httpx.Client, seeded: None) -> None:
    only_mail = admin.get(SUMMARY, params={**WINDOW, "queue": "mail"}).json()
    assert only_mail["totals"]["jobs"] == 5 and [q["queue"] for q in only_mail["by_queue"]] == ["mail"]
    labelled = admin.get(SUMMARY, params={**WINDOW, "label": "team=data"}).json()
    assert labelled["totals"]["jobs"] == 50
    assert labelled["totals"]["duration_seconds"]["count"] == 50
    named = admin.get(SUMMARY, params={**WINDOW, "name": "se"}).json()
    assert named["totals"]["jobs"] == 5


def test_a_member_sees_figures_of_their_own_jobs_only(server: LiveServer, seeded: None) -> None:
    with server.client(server.token("member")) as member:
        body = member.get(SUMMARY, params=WINDOW).json()
    assert body["totals"]["jobs"] == 0 and body["by_queue"] == [] and body["by_name"] == []


def test_summary_defaults_to_the_last_day(admin: httpx.Client) -> None:
    body = admin.get(SUMMARY).json()
    start = datetime.fromisoformat(body["from"].rstrip("Z"))
    end = datetime.fromisoformat(body["to"].rstrip("Z"))
    assert end - start == timedelta(days=1)


def test_trends_fill_gaps_with_zeros(admin: httpx.Client, seeded: None) -> None:
    params = {"bucket": "minute", "from": "2020-03-01T11:58:30Z", "to": "2020-03-01T12:05:00Z"}
    body = admin.get(TRENDS, params=params).json()
    assert body["from"] == "2020-03-01T11:58:00.000000Z"  # rounded down to a minute
    starts = [point["start"] for point in body["points"]]
    assert starts[0] == "2020-03-01T11:58:00.000000Z" and len(starts) == 7
    first, second, third = body["points"][:3]
    assert first["jobs"] == 0 and first["success_rate"] is None and first["duration_seconds"]["p50"] is None
    assert second["jobs"] == 0
    assert third["jobs"] == 2  # 12:00:00 and 12:00:30
    assert third["duration_seconds"]["count"] == 2 and near(third["duration_seconds"]["p50"], 1.5)
    assert sum(point["jobs"] for point in body["points"]) == 10


def test_trends_by_hour_and_day(admin: httpx.Client, seeded: None) -> None:
    hours = admin.get(TRENDS, params={"bucket": "hour", "from": "2020-03-01T00:00:00Z",
                                      "to": "2020-03-02T00:00:00Z"}).json()  # fmt: skip
    assert len(hours["points"]) == 24
    assert hours["points"][12]["jobs"] == 105 and hours["points"][13]["jobs"] == 1
    days = admin.get(TRENDS, params={"bucket": "day", "from": "2020-02-28T00:00:00Z",
                                     "to": "2020-03-03T00:00:00Z"}).json()  # fmt: skip
    assert [p["jobs"] for p in days["points"]] == [0, 0, 106, 0]
    assert days["points"][2]["success_rate"] == round(91 / 101, 4)


def test_trends_defaults(admin: httpx.Client) -> None:
    assert len(admin.get(TRENDS).json()["points"]) in (24, 25)  # a day of hours, rounded down
    assert len(admin.get(TRENDS, params={"bucket": "minute"}).json()["points"]) in (60, 61)


def test_bad_windows_are_400(admin: httpx.Client) -> None:
    backwards = {"from": "2020-03-02T00:00:00Z", "to": "2020-03-01T00:00:00Z"}
    assert_problem(admin.get(SUMMARY, params=backwards), 400, "INVALID_TIME_RANGE")
    assert_problem(admin.get(TRENDS, params=backwards), 400, "INVALID_TIME_RANGE")
    month_of_minutes = {"bucket": "minute", "from": "2020-03-01T00:00:00Z", "to": "2020-04-01T00:00:00Z"}
    body = assert_problem(admin.get(TRENDS, params=month_of_minutes), 400, "TOO_MANY_BUCKETS")
    assert "44640" in body["detail"]
    assert_problem(admin.get(SUMMARY, params={"from": "yesterday"}), 400, "VALIDATION_ERROR")
    assert_problem(admin.get(TRENDS, params={"bucket": "week"}), 400, "VALIDATION_ERROR")
    assert_problem(admin.get(SUMMARY, params={"from": "9999-12-31T23:59:59-01:00"}), 400)
