"""When schedules fire: cron parsing, DST rules, intervals, bounds, jitter, misfires, overlap."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from itertools import islice, pairwise
from zoneinfo import ZoneInfo

import pytest

from baton.cron import parse_timezone
from baton.errors import InvalidInput, Unprocessable
from baton.schedule_policy import (
    SKIP_COUNT_LIMIT,
    OverlapAction,
    decide_overlap,
    parse_policies,
    plan_catch_up,
    queued_run_to_release,
)
from baton.triggers import Trigger, jitter_offset, parse_trigger

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
CREATED = datetime(2024, 1, 1, tzinfo=UTC)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def cron(expression: str, timezone: str = "UTC", **body) -> Trigger:
    return parse_trigger({"cron": expression, "timezone": timezone, **body}, created_at=CREATED)


def local_walls(times: list[datetime], zone: ZoneInfo) -> list[str]:
    return [t.astimezone(zone).strftime("%d %H:%M %Z") for t in times]


def fires_on_local_day(trigger: Trigger, zone: ZoneInfo, day: datetime) -> list[datetime]:
    start = day.replace(tzinfo=zone).astimezone(UTC)
    end = (day + timedelta(days=1)).replace(tzinfo=zone).astimezone(UTC)
    times = []
    for moment in trigger.fires_after(start - timedelta(microseconds=1)):
        if moment >= end:
            return times
        times.append(moment)
    return times


# -- parsing ---------------------------------------------------------------------------------


def test_five_fields_fire_on_the_minute() -> None:
    trigger = cron("*/15 * * * *")
    assert trigger.preview(3, utc(2024, 5, 1, 10, 7, 30)) == [
        utc(2024, 5, 1, 10, 15),
        utc(2024, 5, 1, 10, 30),
        utc(2024, 5, 1, 10, 45),
    ]


def test_six_fields_put_seconds_first() -> None:
    trigger = cron("30 */5 * * * *")
    assert trigger.preview(2, utc(2024, 5, 1, 10, 1)) == [
        utc(2024, 5, 1, 10, 5, 30),
        utc(2024, 5, 1, 10, 10, 30),
    ]


@pytest.mark.parametrize(
    ("macro", "expected"),
    [
        ("@yearly", utc(2025, 1, 1)),
        ("@annually", utc(2025, 1, 1)),
        ("@monthly", utc(2024, 6, 1)),
        ("@weekly", utc(2024, 5, 5)),  # a Sunday
        ("@daily", utc(2024, 5, 2)),
        ("@midnight", utc(2024, 5, 2)),
        ("@hourly", utc(2024, 5, 1, 11)),
        ("@DAILY", utc(2024, 5, 2)),
    ],
)
def test_macros(macro: str, expected: datetime) -> None:
    assert cron(macro).next_fire(utc(2024, 5, 1, 10, 7)) == expected


@pytest.mark.parametrize(
    ("expression", "reason"),
    [
        ("* * * *", "4 fields"),
        ("* * * * * * *", "7 fields"),
        ("61 * * * *", "out of range"),
        ("* * * * mon-xyz", "not acceptable"),
        ("*/0 * * * *", "step '0'|must not be zero"),  # croniter 7 | croniter 6
        ("H * * * *", r"hashed \(H\) and random \(R\)"),
        ("R * * * *", r"hashed \(H\) and random \(R\)"),
        ("@reboot", "unknown macro"),
        ("0 0 30 2 *", "never matches"),
        ("", "must be a cron expression"),
        ("x" * 300, "at most 256"),
    ],
)
def test_invalid_expressions_say_why(expression: str, reason: str) -> None:
    with pytest.raises(Unprocessable) as caught:
        cron(expression)
    assert caught.value.code == "INVALID_SCHEDULE_EXPRESSION"
    assert caught.value.status == 422
    [error] = caught.value.errors
    assert error["field"] == "cron"
    assert re.search(reason, error["message"])


@pytest.mark.parametrize("name", ["Mars/Olympus", "Europe", "../etc/passwd", "", "localtime", "a\x00b", 5])
def test_unknown_time_zones_are_rejected(name: object) -> None:
    with pytest.raises(Unprocessable) as caught:
        parse_timezone(name)
    assert caught.value.code == "INVALID_SCHEDULE_EXPRESSION"
    assert caught.value.errors[0]["field"] == "timezone"


def test_a_miscased_zone_gets_a_hint() -> None:
    with pytest.raises(Unprocessable) as caught:
        cron("0 9 * * *", "europe/berlin")
    assert "did you mean Europe/Berlin" in caught.value.errors[0]["message"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"cron": "0 * * * *", "interval_seconds": 60}, "cron"),
        ({}, "cron"),
        ({"interval_seconds": 0}, "interval_seconds"),
        ({"interval_seconds": True}, "interval_seconds"),
        ({"interval_seconds": 1.5}, "interval_seconds"),
        ({"cron": "0 * * * *", "max_runs": 0}, "max_runs"),
        ({"cron": "0 * * * *", "jitter_seconds": -1}, "jitter_seconds"),
        (
            {"cron": "0 * * * *", "start_at": "2024-05-02T00:00:00Z", "end_at": "2024-05-01T00:00:00Z"},
            "end_at",
        ),
    ],
)
def test_invalid_trigger_bodies(body: dict, field: str) -> None:
    with pytest.raises(Unprocessable) as caught:
        parse_trigger(body, created_at=CREATED)
    assert caught.value.errors[0]["field"] == field


def test_an_unreadable_timestamp_is_a_400() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_trigger({"cron": "0 * * * *", "start_at": "yesterday"}, created_at=CREATED)
    assert caught.value.errors[0]["field"] == "start_at"


# -- DST: spring gap -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "spring_day"),
    [(BERLIN, datetime(2024, 3, 31)), (NEW_YORK, datetime(2024, 3, 10))],
)
def test_daily_in_the_spring_gap_fires_once_at_the_jump(zone: ZoneInfo, spring_day: datetime) -> None:
    trigger = cron("30 2 * * *", zone.key)
    times = trigger.preview(3, (spring_day - timedelta(hours=12)).replace(tzinfo=zone))
    walls = [t.astimezone(zone).replace(tzinfo=None) for t in times]
    day = spring_day
    assert walls == [
        day.replace(hour=3),
        day + timedelta(days=1, hours=2, minutes=30),
        day + timedelta(days=2, hours=2, minutes=30),
    ]
    # 03:00 local is the jump: one second earlier the clock still read 01:59:59 (or 02:00 - 1 s)
    before = (times[0] - timedelta(seconds=1)).astimezone(zone)
    assert (before.hour, before.minute, before.second) == (1, 59, 59)


@pytest.mark.parametrize(
    ("zone", "spring_day", "expected"),
    [
        (BERLIN, datetime(2024, 3, 31), ["00:00", "01:00", "03:00", "04:00"]),
        (NEW_YORK, datetime(2024, 3, 10), ["00:00", "01:00", "03:00", "04:00"]),
    ],
)
def test_hourly_in_the_spring_gap_skips_the_missing_hour(zone, spring_day, expected) -> None:
    times = fires_on_local_day(cron("0 * * * *", zone.key), zone, spring_day)
    assert [t.astimezone(zone).strftime("%H:%M") for t in times[:4]] == expected
    assert len(times) == 23  # a 23-hour day: 02:00 is the same instant as 03:00
    assert all(b - a == timedelta(hours=1) for a, b in pairwise(times))


@pytest.mark.parametrize(
    ("zone", "spring_day"), [(BERLIN, datetime(2024, 3, 31)), (NEW_YORK, datetime(2024, 3, 10))]
)
def test_every_15_minutes_in_the_spring_gap(zone: ZoneInfo, spring_day: datetime) -> None:
    times = fires_on_local_day(cron("*/15 * * * *", zone.key), zone, spring_day)
    walls = [t.astimezone(zone).strftime("%H:%M") for t in times]
    assert walls[6:10] == ["01:30", "01:45", "03:00", "03:15"]
    assert len(times) == 96 - 4  # 02:00..02:45 all collapse into the one fire at 03:00
    assert len(set(times)) == len(times)
    assert all(b - a == timedelta(minutes=15) for a, b in pairwise(times))


# -- DST: autumn repeat ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "autumn_day", "expression", "offset"),
    [
        (BERLIN, datetime(2024, 10, 27), "30 2 * * *", "+0200"),  # 02:00-02:59 repeats
        (NEW_YORK, datetime(2024, 11, 3), "30 1 * * *", "-0400"),  # 01:00-01:59 repeats
    ],
)
def test_daily_in_the_repeated_hour_fires_once_the_first_time(zone, autumn_day, expression, offset) -> None:
    trigger = cron(expression, zone.key)
    times = trigger.preview(2, (autumn_day - timedelta(hours=12)).replace(tzinfo=zone))
    first, second = (t.astimezone(zone) for t in times)
    assert first.day == autumn_day.day and first.strftime("%z") == offset
    assert second.date() == (autumn_day + timedelta(days=1)).date()


@pytest.mark.parametrize(
    ("zone", "autumn_day", "repeated"),
    [(BERLIN, datetime(2024, 10, 27), 2), (NEW_YORK, datetime(2024, 11, 3), 1)],
)
def test_hourly_in_the_repeated_hour_fires_each_wall_time_once(zone, autumn_day, repeated) -> None:
    times = fires_on_local_day(cron("0 * * * *", zone.key), zone, autumn_day)
    hours = [t.astimezone(zone).hour for t in times]
    assert hours == list(range(24))  # the repeated hour fires once: 24 fires in a 25-hour day
    gap = times[repeated + 1] - times[repeated]
    assert gap == timedelta(hours=2)  # the repeated wall hour is not run a second time


@pytest.mark.parametrize(
    ("zone", "autumn_day"), [(BERLIN, datetime(2024, 10, 27)), (NEW_YORK, datetime(2024, 11, 3))]
)
def test_every_15_minutes_in_the_repeated_hour(zone: ZoneInfo, autumn_day: datetime) -> None:
    times = fires_on_local_day(cron("*/15 * * * *", zone.key), zone, autumn_day)
    walls = [t.astimezone(zone).strftime("%H:%M") for t in times]
    assert len(times) == 96 and len(set(walls)) == 96  # every wall time once
    assert times == sorted(times)


def test_next_fire_from_the_second_pass_of_a_repeated_hour() -> None:
    trigger = cron("*/15 * * * *", "Europe/Berlin")
    second_pass = utc(2024, 10, 27, 1, 20)  # 02:20 CET: 02:30 and 02:45 already fired (CEST)
    assert second_pass.astimezone(BERLIN).fold == 1
    assert local_walls([trigger.next_fire(second_pass)], BERLIN) == ["27 03:00 CET"]
    newest_past = next(trigger.fires_at_or_before(second_pass))
    assert local_walls([newest_past], BERLIN) == ["27 02:45 CEST"]


@pytest.mark.parametrize(
    "expression", ["*/15 * * * *", "0 * * * *", "30 2 * * *", "30 1 * * *", "0 */20 * * * *"]
)
@pytest.mark.parametrize("zone", ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe"])
@pytest.mark.parametrize("start", [utc(2024, 3, 30, 12), utc(2024, 10, 26, 12), utc(2024, 4, 6, 6)])
def test_backward_walk_mirrors_the_forward_walk(expression: str, zone: str, start: datetime) -> None:
    trigger = cron(expression, zone)
    forward = list(islice(trigger.fires_after(start), 150))
    backward = list(islice(trigger.fires_at_or_before(forward[-1]), 150))
    assert backward[::-1] == forward
    assert all(a < b for a, b in pairwise(forward))


def test_next_fire_is_strictly_after() -> None:
    trigger = cron("0 * * * *")
    assert trigger.next_fire(utc(2024, 5, 1, 10)) == utc(2024, 5, 1, 11)
    assert trigger.next_fire(datetime(2024, 5, 1, 10)) == utc(2024, 5, 1, 11)  # naive means UTC


# -- intervals and bounds ----------------------------------------------------------------------


def test_interval_is_elapsed_time_across_dst() -> None:
    trigger = parse_trigger(
        {"interval_seconds": 3600, "timezone": "Europe/Berlin", "start_at": "2024-03-30T23:30:00Z"},
        created_at=CREATED,
    )
    times = trigger.preview(4, utc(2024, 3, 30))
    assert times[0] == utc(2024, 3, 30, 23, 30)  # start_at itself fires
    assert all(b - a == timedelta(hours=1) for a, b in pairwise(times))
    assert local_walls(times, BERLIN) == ["31 00:30 CET", "31 01:30 CET", "31 03:30 CEST", "31 04:30 CEST"]


def test_interval_without_start_counts_from_creation() -> None:
    created = utc(2024, 5, 1, 10, 0, 7)
    trigger = parse_trigger({"interval_seconds": 90}, created_at=created)
    assert trigger.preview(2, created) == [utc(2024, 5, 1, 10, 1, 37), utc(2024, 5, 1, 10, 3, 7)]
    assert trigger.next_fire(utc(2024, 5, 1, 10, 1, 37)) == utc(2024, 5, 1, 10, 3, 7)
    assert list(islice(trigger.fires_at_or_before(utc(2024, 5, 1, 10, 3)), 5)) == [utc(2024, 5, 1, 10, 1, 37)]


def test_start_and_end_bound_a_cron_schedule() -> None:
    trigger = cron("0 * * * *", start_at="2024-05-01T10:00:00Z", end_at="2024-05-01T12:00:00Z")
    assert trigger.next_fire(utc(2024, 4, 1)) == utc(2024, 5, 1, 10)  # start_at fires
    assert trigger.preview(10, utc(2024, 4, 1)) == [utc(2024, 5, 1, h) for h in (10, 11, 12)]  # end inclusive
    assert trigger.next_fire(utc(2024, 5, 1, 12)) is None
    assert list(trigger.fires_at_or_before(utc(2024, 6, 1))) == [utc(2024, 5, 1, h) for h in (12, 11, 10)]


def test_max_runs_ends_the_schedule() -> None:
    trigger = cron("0 * * * *", max_runs=3)
    assert trigger.preview(10, utc(2024, 5, 1)) == [utc(2024, 5, 1, h) for h in (1, 2, 3)]
    assert trigger.preview(10, utc(2024, 5, 1), runs_so_far=2) == [utc(2024, 5, 1, 1)]
    assert trigger.next_fire(utc(2024, 5, 1), runs_so_far=3) is None


@pytest.mark.parametrize("count", [0, 1001])
def test_preview_count_is_bounded(count: int) -> None:
    with pytest.raises(InvalidInput):
        cron("0 * * * *").preview(count, CREATED)


# -- jitter --------------------------------------------------------------------------------------


def test_jitter_is_deterministic_and_bounded() -> None:
    nominal = [utc(2024, 5, 1) + timedelta(minutes=15 * i) for i in range(2000)]
    offsets = [jitter_offset("sched-1", t, 30) for t in nominal]
    assert offsets == [jitter_offset("sched-1", t, 30) for t in nominal]
    assert offsets[5] == jitter_offset("sched-1", nominal[5].replace(tzinfo=None), 30)  # naive UTC alike
    assert min(offsets) == 0 and max(offsets) == 30  # both ends reachable
    assert len(set(offsets)) == 31
    others = [jitter_offset("sched-2", t, 30) for t in nominal]
    assert others != offsets
    assert jitter_offset("sched-1", nominal[0], 0) == 0


def test_run_at_adds_the_jitter() -> None:
    trigger = cron("0 * * * *", jitter_seconds=600)
    run_at = trigger.run_at("abc", utc(2024, 5, 1, 10))
    assert utc(2024, 5, 1, 10) <= run_at <= utc(2024, 5, 1, 10, 10)
    assert run_at - utc(2024, 5, 1, 10) == timedelta(seconds=jitter_offset("abc", utc(2024, 5, 1, 10), 600))


# -- misfires ------------------------------------------------------------------------------------


HOURLY = cron("0 * * * *")
OUTAGE = {"processed_until": utc(2024, 5, 1, 9), "now": utc(2024, 5, 1, 15, 10)}  # 10:00..15:00 missed


def test_an_on_time_fire_runs() -> None:
    plan = plan_catch_up(
        HOURLY, processed_until=utc(2024, 5, 1, 9), now=utc(2024, 5, 1, 10, 0, 30), policy="skip"
    )
    assert plan.run == [utc(2024, 5, 1, 10)]
    assert plan.skipped == 0
    assert plan.processed_until == utc(2024, 5, 1, 10)
    assert plan.next_fire == utc(2024, 5, 1, 11)


def test_nothing_due_yet() -> None:
    plan = plan_catch_up(
        HOURLY, processed_until=utc(2024, 5, 1, 9), now=utc(2024, 5, 1, 9, 30), policy="run_all"
    )
    assert (plan.run, plan.skipped, plan.processed_until) == ([], 0, utc(2024, 5, 1, 9))
    assert plan.next_fire == utc(2024, 5, 1, 10)


def test_grace_is_sixty_seconds() -> None:
    on_time = plan_catch_up(
        HOURLY, processed_until=utc(2024, 5, 1, 9), now=utc(2024, 5, 1, 10, 1), policy="skip"
    )
    late = plan_catch_up(
        HOURLY, processed_until=utc(2024, 5, 1, 9), now=utc(2024, 5, 1, 10, 1, 1), policy="skip"
    )
    assert on_time.run == [utc(2024, 5, 1, 10)]
    assert (late.run, late.skipped) == ([], 1)


@pytest.mark.parametrize(
    ("policy", "max_catch_up", "runs", "skipped"),
    [
        ("skip", 10, [], 6),
        ("run_once", 10, [15], 5),
        ("run_all", 3, [13, 14, 15], 3),
        ("run_all", 10, [10, 11, 12, 13, 14, 15], 0),
        ("run_all", 0, [], 6),
    ],
)
def test_misfire_policies_after_an_outage(policy, max_catch_up, runs, skipped) -> None:
    plan = plan_catch_up(HOURLY, **OUTAGE, policy=policy, max_catch_up=max_catch_up)
    assert plan.run == [utc(2024, 5, 1, h) for h in runs]
    assert plan.skipped == skipped
    assert plan.processed_until == utc(2024, 5, 1, 15)
    assert plan.next_fire == utc(2024, 5, 1, 16)


@pytest.mark.parametrize(
    ("policy", "runs", "skipped"),
    [("skip", [15], 5), ("run_once", [15], 5), ("run_all", [12, 13, 14, 15], 2)],
)
def test_misfires_behind_an_on_time_fire(policy, runs, skipped) -> None:
    plan = plan_catch_up(
        HOURLY,
        processed_until=utc(2024, 5, 1, 9),
        now=utc(2024, 5, 1, 15, 0, 30),
        policy=policy,
        max_catch_up=3,
    )
    assert plan.run == [utc(2024, 5, 1, h) for h in runs]
    assert plan.skipped == skipped


def test_catch_up_stops_at_max_runs() -> None:
    trigger = cron("0 * * * *", max_runs=5)
    plan = plan_catch_up(trigger, **OUTAGE, policy="run_all", max_catch_up=10, runs_so_far=3)
    assert plan.run == [utc(2024, 5, 1, 10), utc(2024, 5, 1, 11)]
    assert plan.next_fire is None


def test_catch_up_stops_at_end_at() -> None:
    trigger = cron("0 * * * *", end_at="2024-05-01T12:30:00Z")
    plan = plan_catch_up(trigger, **OUTAGE, policy="run_once")
    assert plan.run == [utc(2024, 5, 1, 12)]
    assert plan.next_fire is None


def test_a_long_outage_costs_little() -> None:
    every_second = cron("* * * * * *")
    plan = plan_catch_up(
        every_second, processed_until=utc(2024, 5, 1), now=utc(2024, 5, 8), policy="run_all", max_catch_up=5
    )
    # 61 on time (the last 60 s, both ends included) and the 5 newest misfired ones before them
    assert plan.run == [utc(2024, 5, 8) - timedelta(seconds=65 - i) for i in range(66)]
    assert plan.skipped == SKIP_COUNT_LIMIT  # saturated: at least that many
    assert plan.next_fire == utc(2024, 5, 8, 0, 0, 1)


def test_interval_misfires() -> None:
    trigger = parse_trigger({"interval_seconds": 600, "start_at": "2024-05-01T00:00:00Z"}, created_at=CREATED)
    plan = plan_catch_up(
        trigger, processed_until=utc(2024, 5, 1), now=utc(2024, 5, 1, 1, 5), policy="run_once"
    )
    assert plan.run == [utc(2024, 5, 1, 1)]
    assert plan.skipped == 5
    assert plan.next_fire == utc(2024, 5, 1, 1, 10)


def test_unknown_misfire_policy() -> None:
    with pytest.raises(ValueError):
        plan_catch_up(HOURLY, **OUTAGE, policy="run_some")


# -- policies ------------------------------------------------------------------------------------


def test_policy_defaults() -> None:
    policies = parse_policies({})
    assert (policies.overlap, policies.misfire, policies.max_catch_up) == ("skip", "run_once", 10)
    given = parse_policies({"overlap_policy": "queue", "misfire_policy": "run_all", "max_catch_up": 0})
    assert (given.overlap, given.misfire, given.max_catch_up) == ("queue", "run_all", 0)


def test_bad_policies_are_named() -> None:
    with pytest.raises(Unprocessable) as caught:
        parse_policies({"overlap_policy": "sometimes", "misfire_policy": ["run_all"], "max_catch_up": 1001})
    assert caught.value.code == "INVALID_SCHEDULE"
    assert [e["field"] for e in caught.value.errors] == ["overlap_policy", "misfire_policy", "max_catch_up"]


# -- overlap -------------------------------------------------------------------------------------


@pytest.mark.parametrize("policy", ["allow", "skip", "queue", "cancel_previous"])
def test_no_live_run_means_create(policy: str) -> None:
    decision = decide_overlap(policy, {"j1": "completed", "j2": "failed", "j3": "cancelled"})
    assert decision.action is OverlapAction.CREATE
    assert decision.cancel == ()


def test_allow_creates_alongside() -> None:
    assert decide_overlap("allow", {"j1": "running"}).action is OverlapAction.CREATE


@pytest.mark.parametrize("status", ["scheduled", "pending", "running", "waiting"])
def test_skip_names_the_blocking_run(status: str) -> None:
    decision = decide_overlap("skip", {"j0": "completed", "j1": status})
    assert decision.action is OverlapAction.SKIP
    assert "j1" in decision.reason and status in decision.reason


def test_queue_keeps_at_most_one_waiting() -> None:
    first = decide_overlap("queue", {"j1": "running"})
    assert first.action is OverlapAction.CREATE_WAITING and "j1" in first.reason
    second = decide_overlap("queue", {"j1": "running", "j2": "waiting"})
    assert second.action is OverlapAction.SKIP and "j2" in second.reason


def test_a_queued_run_is_released_when_the_previous_finishes() -> None:
    assert queued_run_to_release({"j1": "running", "j2": "waiting"}) is None
    assert queued_run_to_release({"j1": "completed", "j2": "waiting"}) == "j2"
    assert queued_run_to_release({"j1": "completed"}) is None


def test_cancel_previous_cancels_every_live_run() -> None:
    decision = decide_overlap("cancel_previous", {"j1": "running", "j2": "waiting", "j3": "completed"})
    assert decision.action is OverlapAction.CANCEL_PREVIOUS_THEN_CREATE
    assert decision.cancel == ("j1", "j2")


def test_unknown_overlap_policy() -> None:
    with pytest.raises(ValueError):
        decide_overlap("sometimes", {})
