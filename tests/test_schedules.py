"""Schedules through HTTP: CRUD with ETags, 422s with the parser's reason, preview (with DST in
Europe/Berlin), trigger, pause/resume, each overlap and misfire policy, `schedule_id` on the jobs
and the `?schedule_id=` filter, the `schedule.*` events, and who sees which schedule.

Downtime is simulated with a `start_at` in the past: the fire times since then count as missed.
(Exactly once across processes: test_schedules_processes.py.)"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.conftest import LiveServer, ThreadedServer, assert_problem, make_settings, wait_for

SCHEDULES = "/api/v1/schedules"
JOBS = "/api/v1/jobs"
LONG = ["sleep", "30"]  # a run that stays live for the overlap tests
QUICK = ["true"]
EXPRESSION = "INVALID_SCHEDULE_EXPRESSION"


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def create(client: httpx.Client, **fields: object) -> dict:
    body = {"name": "test schedule", "job": {"command": QUICK}, **fields}
    if "cron" not in body and "interval_seconds" not in body:
        body["cron"] = "0 3 * * *"
    response = client.post(SCHEDULES, json=body)
    assert response.status_code == 201, response.text
    assert response.headers["location"] == f"{SCHEDULES}/{response.json()['id']}"
    return response.json()


def get(client: httpx.Client, schedule_id: str) -> dict:
    response = client.get(f"{SCHEDULES}/{schedule_id}")
    assert response.status_code == 200, response.text
    return response.json()


def runs(client: httpx.Client, schedule_id: str) -> list[dict]:
    response = client.get(JOBS, params={"schedule_id": schedule_id, "limit": 100, "sort": "created_at"})
    assert response.status_code == 200, response.text
    return response.json()["data"]


def events(client: httpx.Client, schedule_id: str, kind: str = "schedule.") -> list[dict]:
    found, after = [], 0
    while True:
        page = client.get("/api/v1/events", params={"type": kind, "after": after, "limit": 100}).json()
        found += [e for e in page["data"] if e["subject_id"] == schedule_id]
        after = page["last_event_id"]
        if not page["has_more"]:
            return found


def finish(client: httpx.Client, schedule_id: str) -> None:
    """Delete the schedule and cancel its live runs (they would hold the executor's slots)."""
    assert client.delete(f"{SCHEDULES}/{schedule_id}").status_code == 204
    for job in runs(client, schedule_id):
        if job["status"] in ("scheduled", "pending", "running"):
            client.post(f"{JOBS}/{job['id']}/cancel")


def test_create_get_list_patch_delete(admin: httpx.Client) -> None:
    schedule = create(
        admin, name="nightly", cron="30 2 * * *", timezone="Europe/Berlin", labels={"team": "ops"}
    )
    assert schedule["owner"] == "admin" and schedule["timezone"] == "Europe/Berlin"
    assert schedule["overlap_policy"] == "skip" and schedule["misfire_policy"] == "run_once"
    assert schedule["max_catch_up"] == 10 and schedule["paused"] is False and schedule["run_count"] == 0
    assert schedule["job"]["queue"] == "default" and schedule["job"]["priority"] == 5  # defaults filled in
    next_run = datetime.fromisoformat(schedule["next_run_at"])
    assert next_run > datetime.now(UTC)
    assert next_run.astimezone(ZoneInfo("Europe/Berlin")).strftime("%H:%M") == "02:30"
    response = admin.get(f"{SCHEDULES}/{schedule['id']}")
    tag = response.headers["etag"]
    assert admin.get(f"{SCHEDULES}/{schedule['id']}", headers={"If-None-Match": tag}).status_code == 304
    listed = admin.get(SCHEDULES, params={"limit": 100}).json()["data"]
    assert schedule["id"] in [s["id"] for s in listed]

    stale = admin.patch(f"{SCHEDULES}/{schedule['id']}", json={"name": "x"}, headers={"If-Match": '"nope"'})
    assert_problem(stale, 412, "PRECONDITION_FAILED")
    patched = admin.patch(
        f"{SCHEDULES}/{schedule['id']}", json={"interval_seconds": 3600, "labels": {"team": None}},
        headers={"If-Match": tag},
    )  # fmt: skip
    assert patched.status_code == 200, patched.text
    body = patched.json()
    assert body["cron"] is None and body["interval_seconds"] == 3600 and body["labels"] == {}
    assert abs(
        datetime.fromisoformat(body["next_run_at"]) - datetime.now(UTC) - timedelta(hours=1)
    ) < timedelta(seconds=30)
    assert_problem(
        admin.patch(f"{SCHEDULES}/{schedule['id']}", json={"paused": True}), 422, "READ_ONLY_FIELD"
    )

    assert admin.delete(f"{SCHEDULES}/{schedule['id']}").status_code == 204
    assert_problem(admin.get(f"{SCHEDULES}/{schedule['id']}"), 404, "SCHEDULE_NOT_FOUND")
    kinds = [e["type"] for e in events(admin, schedule["id"])]
    assert kinds == ["schedule.created", "schedule.updated", "schedule.deleted"]


@pytest.mark.parametrize(
    ("fields", "code", "field", "reason"),
    [
        ({"cron": "61 * * * *"}, "INVALID_SCHEDULE_EXPRESSION", "cron", "61"),
        ({"cron": "* * *"}, "INVALID_SCHEDULE_EXPRESSION", "cron", "3 fields"),
        ({"cron": "0 0 30 2 *"}, "INVALID_SCHEDULE_EXPRESSION", "cron", "never matches"),
        ({"cron": "@reboot"}, "INVALID_SCHEDULE_EXPRESSION", "cron", "unknown macro"),
        ({"cron": "0 * * * *", "timezone": "Mars/Olympus"}, EXPRESSION, "timezone", "unknown IANA"),
        ({"cron": "0 * * * *", "timezone": "europe/berlin"}, EXPRESSION, "timezone", "Europe/Berlin"),
        ({"cron": "0 * * * *", "interval_seconds": 60}, "INVALID_SCHEDULE_EXPRESSION", "cron", "exactly one"),
        ({"interval_seconds": 60, "start_at": "2030-01-02T00:00:00Z", "end_at": "2030-01-01T00:00:00Z"},
         "INVALID_SCHEDULE", "end_at", "after start_at"),
        ({"interval_seconds": 60, "job": {"command": QUICK, "run_at": "2030-01-01T00:00:00Z"}},
         "INVALID_SCHEDULE", "job.run_at", "leave run_at out"),
    ],
)  # fmt: skip
def test_invalid_schedules_are_422_with_the_reason(
    admin: httpx.Client, fields: dict, code: str, field: str, reason: str
) -> None:
    body = {"name": "bad", "job": {"command": QUICK}, **fields}
    problem = assert_problem(admin.post(SCHEDULES, json=body), 422, code)
    assert problem["errors"][0]["field"] == field and reason in problem["errors"][0]["message"], problem


def test_schema_errors_are_400(admin: httpx.Client) -> None:
    # neither job nor template: a rule of the two (422), not of the schema
    assert_problem(admin.post(SCHEDULES, json={"name": "x", "cron": "* * * * *"}), 422, "INVALID_SCHEDULE")
    body = {"name": "x", "cron": "* * * * *", "job": {"command": QUICK}, "overlap_policy": "sometimes"}
    assert_problem(admin.post(SCHEDULES, json=body), 400, "VALIDATION_ERROR")


def test_preview_follows_berlin_daylight_saving(admin: httpx.Client) -> None:
    # 2027: clocks go forward on 28 March (02:00 CET -> 03:00 CEST) and back on 31 October
    spring = create(admin, cron="30 2 * * *", timezone="Europe/Berlin", start_at="2027-03-26T12:00:00Z")
    times = admin.get(f"{SCHEDULES}/{spring['id']}/preview", params={"count": 3}).json()
    assert [t["at"] for t in times["fire_times"]] == [
        "2027-03-27T01:30:00.000000Z",  # 02:30 CET
        "2027-03-28T01:00:00.000000Z",  # 02:30 does not exist: once, at the jump (03:00 CEST)
        "2027-03-29T00:30:00.000000Z",  # 02:30 CEST
    ]
    assert times["timezone"] == "Europe/Berlin" and all(t["run_at"] == t["at"] for t in times["fire_times"])
    autumn = create(admin, cron="30 2 * * *", timezone="Europe/Berlin", start_at="2027-10-30T12:00:00Z")
    times = admin.get(f"{SCHEDULES}/{autumn['id']}/preview", params={"count": 2}).json()["fire_times"]
    # 02:30 occurs twice on 31 October: it fires once, the first time (CEST)
    assert [t["at"] for t in times] == ["2027-10-31T00:30:00.000000Z", "2027-11-01T01:30:00.000000Z"]
    hourly = create(admin, cron="0 * * * *", timezone="Europe/Berlin", start_at="2027-10-30T23:30:00Z")
    times = admin.get(f"{SCHEDULES}/{hourly['id']}/preview", params={"count": 3}).json()["fire_times"]
    # 02:00 CEST, then 03:00 CET: the repeated 02:00 does not fire again
    assert [t["at"] for t in times] == [
        "2027-10-31T00:00:00.000000Z",
        "2027-10-31T02:00:00.000000Z",
        "2027-10-31T03:00:00.000000Z",
    ]
    bounded = create(
        admin, interval_seconds=60, start_at="2030-01-01T00:00:00Z", max_runs=2, jitter_seconds=30
    )
    times = admin.get(f"{SCHEDULES}/{bounded['id']}/preview").json()["fire_times"]
    assert [t["at"] for t in times] == ["2030-01-01T00:00:00.000000Z", "2030-01-01T00:01:00.000000Z"]
    assert all(t["at"] <= t["run_at"] <= t["at"].replace("00.000000Z", "30.000000Z") for t in times)
    assert_problem(admin.get(f"{SCHEDULES}/{bounded['id']}/preview", params={"count": 0}), 400)
    for schedule in (spring, autumn, hourly, bounded):
        finish(admin, schedule["id"])


def test_an_interval_schedule_fires_its_jobs_and_pauses(admin: httpx.Client) -> None:
    schedule = create(admin, interval_seconds=1, overlap_policy="allow")
    wait_for(lambda: len(runs(admin, schedule["id"])) >= 2, timeout=10)
    jobs = runs(admin, schedule["id"])
    assert all(job["schedule_id"] == schedule["id"] and job["command"] == QUICK for job in jobs)
    paused = admin.post(f"{SCHEDULES}/{schedule['id']}/pause")
    assert (
        paused.status_code == 200 and paused.json()["paused"] is True and paused.json()["next_run_at"] is None
    )
    count = get(admin, schedule["id"])["run_count"]
    time.sleep(1.5)
    current = get(admin, schedule["id"])
    assert current["run_count"] == count and len(runs(admin, schedule["id"])) == count
    assert current["last_job_id"] == runs(admin, schedule["id"])[-1]["id"]
    fired = events(admin, schedule["id"], "schedule.fired")
    assert [e["data"]["job_id"] for e in fired] == [job["id"] for job in runs(admin, schedule["id"])]
    assert all(e["data"]["manual"] is False for e in fired)
    resumed = admin.post(f"{SCHEDULES}/{schedule['id']}/resume").json()
    assert resumed["paused"] is False and resumed["next_run_at"] is not None
    wait_for(lambda: get(admin, schedule["id"])["run_count"] > count, timeout=10)
    kinds = {e["type"] for e in events(admin, schedule["id"])}
    assert {"schedule.created", "schedule.fired", "schedule.paused", "schedule.resumed"} <= kinds
    # another schedule's runs are not in this one's list
    other = create(admin, interval_seconds=3600)
    assert runs(admin, other["id"]) == []
    finish(admin, schedule["id"])
    finish(admin, other["id"])


def test_trigger_runs_now_even_while_paused(admin: httpx.Client) -> None:
    schedule = create(admin, cron="0 3 * * *", paused=True)
    response = admin.post(f"{SCHEDULES}/{schedule['id']}/trigger")
    assert response.status_code == 201, response.text
    job = response.json()
    assert job["schedule_id"] == schedule["id"] and job["status"] in ("pending", "running", "completed")
    assert response.headers["location"] == f"{JOBS}/{job['id']}"
    current = get(admin, schedule["id"])
    assert current["last_job_id"] == job["id"] and current["run_count"] == 0 and current["paused"] is True
    fired = events(admin, schedule["id"], "schedule.fired")
    assert [(e["data"]["job_id"], e["data"]["manual"]) for e in fired] == [(job["id"], True)]
    assert_problem(
        admin.post(f"{SCHEDULES}/00000000-0000-7000-8000-000000000000/trigger"), 404, "SCHEDULE_NOT_FOUND"
    )
    finish(admin, schedule["id"])


def test_create_and_trigger_repeated_with_an_idempotency_key_act_once(admin: httpx.Client) -> None:
    body = {"name": "idempotent", "cron": "0 3 * * *", "paused": True, "job": {"command": QUICK}}
    key = {"Idempotency-Key": f"schedule-{time.monotonic_ns()}"}
    first, again = (admin.post(SCHEDULES, json=body, headers=key) for _ in range(2))
    assert first.status_code == again.status_code == 201, first.text
    assert again.json()["id"] == first.json()["id"] and again.headers["idempotent-replayed"] == "true"
    trigger = f"{SCHEDULES}/{first.json()['id']}/trigger"
    key = {"Idempotency-Key": f"trigger-{time.monotonic_ns()}"}
    ran, ran_again = (admin.post(trigger, headers=key) for _ in range(2))
    assert ran.status_code == ran_again.status_code == 201, ran.text
    assert ran_again.json()["id"] == ran.json()["id"]
    assert [job["id"] for job in runs(admin, first.json()["id"])] == [ran.json()["id"]]
    finish(admin, first.json()["id"])


# -- misfires: six hourly fire times missed (start_at 5.5 hours ago), the next one in 30 minutes --


def missed(client: httpx.Client, **fields: object) -> dict:
    start = datetime.now(UTC) - timedelta(hours=5, minutes=30)
    schedule = create(client, interval_seconds=3600, start_at=stamp(start), **fields)
    done = wait_for(
        lambda: (s := get(client, schedule["id"]))["next_run_at"] > stamp(datetime.now(UTC)) and s
    )
    assert abs(datetime.fromisoformat(done["next_run_at"]) - (start + timedelta(hours=6))) < timedelta(
        seconds=1
    )
    return done


def test_misfire_skip_drops_every_missed_fire_time(admin: httpx.Client) -> None:
    schedule = missed(admin, misfire_policy="skip")
    assert schedule["run_count"] == 0 and schedule["skipped_count"] == 6 and runs(admin, schedule["id"]) == []
    skipped = events(admin, schedule["id"], "schedule.skipped")
    assert (
        len(skipped) == 1 and skipped[0]["data"]["count"] == 6 and "misfire" in skipped[0]["data"]["reason"]
    )
    finish(admin, schedule["id"])


def test_misfire_run_once_runs_the_newest_once(admin: httpx.Client) -> None:
    schedule = missed(admin, misfire_policy="run_once")
    assert (
        schedule["run_count"] == 1
        and schedule["skipped_count"] == 5
        and len(runs(admin, schedule["id"])) == 1
    )
    (fired,) = events(admin, schedule["id"], "schedule.fired")
    newest = datetime.fromisoformat(schedule["next_run_at"]) - timedelta(hours=1)
    assert datetime.fromisoformat(fired["data"]["fire_time"]) == newest
    finish(admin, schedule["id"])


def test_misfire_run_all_runs_the_newest_max_catch_up(admin: httpx.Client) -> None:
    schedule = missed(admin, misfire_policy="run_all", max_catch_up=3, overlap_policy="allow")
    assert (
        schedule["run_count"] == 3
        and schedule["skipped_count"] == 3
        and len(runs(admin, schedule["id"])) == 3
    )
    next_run = datetime.fromisoformat(schedule["next_run_at"])
    fire_times = [
        datetime.fromisoformat(e["data"]["fire_time"])
        for e in events(admin, schedule["id"], "schedule.fired")
    ]
    assert fire_times == [next_run - timedelta(hours=h) for h in (3, 2, 1)]  # the newest three, oldest first
    finish(admin, schedule["id"])


# -- overlap: every second, with a run that lasts 30 s -------------------------------------------


def overlapping(client: httpx.Client, policy: str) -> dict:
    return create(client, interval_seconds=1, overlap_policy=policy, job={"command": LONG})


def test_overlap_skip_skips_while_the_run_is_live(admin: httpx.Client) -> None:
    schedule = overlapping(admin, "skip")
    wait_for(lambda: get(admin, schedule["id"])["skipped_count"] >= 2, timeout=10)
    (job,) = runs(admin, schedule["id"])
    skipped = events(admin, schedule["id"], "schedule.skipped")
    assert skipped and all(job["id"] in e["data"]["reason"] and e["data"]["count"] == 1 for e in skipped)
    finish(admin, schedule["id"])


def test_overlap_allow_runs_side_by_side(admin: httpx.Client) -> None:
    schedule = overlapping(admin, "allow")
    jobs = wait_for(lambda: len(found := runs(admin, schedule["id"])) >= 3 and found, timeout=10)
    assert all(job["status"] in ("pending", "running") for job in jobs)
    assert get(admin, schedule["id"])["skipped_count"] == 0
    finish(admin, schedule["id"])


def test_overlap_queue_keeps_one_fire_time_waiting(admin: httpx.Client) -> None:
    schedule = overlapping(admin, "queue")
    queued = wait_for(lambda: (s := get(admin, schedule["id"]))["skipped_count"] >= 1 and s, timeout=10)
    assert queued["queued_fire_at"] is not None
    (first,) = runs(admin, schedule["id"])  # one live, one fire time waiting, the rest skipped
    assert admin.post(f"{JOBS}/{first['id']}/cancel").status_code == 200
    second = wait_for(lambda: len(found := runs(admin, schedule["id"])) == 2 and found[1], timeout=10)
    assert second["schedule_id"] == schedule["id"]
    fired = events(admin, schedule["id"], "schedule.fired")
    assert fired[1]["data"]["fire_time"] == queued["queued_fire_at"]  # the one that waited
    finish(admin, schedule["id"])


def test_overlap_cancel_previous_cancels_the_live_run(admin: httpx.Client) -> None:
    schedule = overlapping(admin, "cancel_previous")
    wait_for(lambda: len(runs(admin, schedule["id"])) >= 2, timeout=10)
    first = wait_for(
        lambda: (job := runs(admin, schedule["id"])[0])["status"] == "cancelled" and job, timeout=10
    )
    assert "schedule" in first["error"]
    live = [
        job for job in runs(admin, schedule["id"]) if job["status"] in ("scheduled", "pending", "running")
    ]
    assert len(live) <= 1
    finish(admin, schedule["id"])


# -- who sees what ---------------------------------------------------------------------------


def test_members_see_their_own_schedules_and_viewers_read(server: LiveServer, admin: httpx.Client) -> None:
    with (
        server.client(server.make_user("sched-alice", "member")) as alice,
        server.client(server.make_user("sched-bob", "member")) as bob,
        server.client(server.token("viewer")) as viewer,
    ):
        mine = create(alice, cron="0 3 * * *")
        assert mine["owner"] == "sched-alice"
        assert_problem(bob.get(f"{SCHEDULES}/{mine['id']}"), 404, "SCHEDULE_NOT_FOUND")
        assert_problem(bob.post(f"{SCHEDULES}/{mine['id']}/pause"), 404, "SCHEDULE_NOT_FOUND")
        assert_problem(bob.delete(f"{SCHEDULES}/{mine['id']}"), 404, "SCHEDULE_NOT_FOUND")
        assert mine["id"] not in [s["id"] for s in bob.get(SCHEDULES).json()["data"]]
        assert events(bob, mine["id"]) == [] and len(events(alice, mine["id"])) == 1
        # a viewer reads every schedule but changes none
        assert viewer.get(f"{SCHEDULES}/{mine['id']}").status_code == 200
        assert viewer.get(f"{SCHEDULES}/{mine['id']}/preview").status_code == 200
        assert_problem(viewer.post(f"{SCHEDULES}/{mine['id']}/trigger"), 403, "FORBIDDEN")
        refused = viewer.post(SCHEDULES, json={"name": "v", "cron": "* * * * *", "job": {"command": QUICK}})
        assert_problem(refused, 403, "FORBIDDEN")
        # the job a trigger creates is the owner's, whoever asked
        job = admin.post(f"{SCHEDULES}/{mine['id']}/trigger").json()
        assert job["owner"] == "sched-alice"
        assert alice.get(f"{JOBS}/{job['id']}").status_code == 200
        assert bob.get(JOBS, params={"schedule_id": mine["id"]}).json()["data"] == []
        assert [e["type"] for e in events(alice, mine["id"])] == ["schedule.created", "schedule.fired"]
        finish(alice, mine["id"])


def test_a_process_with_the_scheduler_off_fires_nothing(tmp_path) -> None:
    settings = make_settings(tmp_path / "baton.db", scheduler_enabled=False)
    with ThreadedServer(settings) as url:
        server = LiveServer(url, settings)
        with server.client(server.token("admin")) as client:
            schedule = create(client, interval_seconds=1)
            time.sleep(2.5)
            current = get(client, schedule["id"])
            assert current["run_count"] == 0 and runs(client, schedule["id"]) == []
            assert current["next_run_at"] < stamp(datetime.now(UTC))  # due, and left to other processes


def test_a_disabled_owners_schedule_fires_nothing(server: LiveServer, admin: httpx.Client) -> None:
    with server.client(server.make_user("sched-carol", "member")) as carol:
        schedule = create(carol, interval_seconds=1, overlap_policy="allow")
        wait_for(lambda: get(admin, schedule["id"])["run_count"] >= 1, timeout=10)
    users = admin.get("/api/v1/users", params={"limit": 100}).json()["data"]
    (user,) = [u for u in users if u["username"] == "sched-carol"]
    assert admin.patch(f"/api/v1/users/{user['id']}", json={"disabled": True}).status_code == 200
    time.sleep(0.5)  # a fire that read the schedule before the change commits
    count = get(admin, schedule["id"])["run_count"]
    time.sleep(1.5)
    assert get(admin, schedule["id"])["run_count"] == count
    finish(admin, schedule["id"])


def test_a_patch_retimes_only_a_changed_trigger_and_catches_nothing_up(admin: httpx.Client) -> None:
    schedule = create(admin, interval_seconds=3600)
    renamed = admin.patch(f"{SCHEDULES}/{schedule['id']}", json={"name": "renamed", "interval_seconds": 3600})
    assert renamed.status_code == 200 and renamed.json()["next_run_at"] == schedule["next_run_at"]
    past = stamp(datetime.now(UTC) - timedelta(hours=5))
    moved = admin.patch(f"{SCHEDULES}/{schedule['id']}", json={"start_at": past}).json()
    assert moved["start_at"].startswith(past[:19])
    assert datetime.fromisoformat(moved["next_run_at"]) > datetime.now(UTC)  # the past is not caught up
    time.sleep(1.2)
    assert get(admin, schedule["id"])["run_count"] == 0 and runs(admin, schedule["id"]) == []
    finish(admin, schedule["id"])
