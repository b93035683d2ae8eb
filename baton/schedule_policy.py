"""What a schedule does when it falls behind (misfire policy) and when its previous run is still
going (overlap policy): pure decisions, no database.

Misfires. The scheduler remembers the last nominal fire time it processed. When it looks again
(`now`), every nominal fire time t with processed < t <= now is *due*. A due time is *on time* when
now - t <= grace (60 s by default) and *misfired* when it is later than that (the server was down,
the schedule was paused, the scheduler stalled). On-time fire times always run. For misfired ones:
  * skip      — none runs; they are dropped and counted.
  * run_once  — the newest misfired time runs once, unless an on-time run already covers it; the
                rest are dropped (a backlog collapses into one run).
  * run_all   — the newest `max_catch_up` misfired times run, oldest first; older ones are dropped
                (the recent past matters more than the distant one, and the bound stays small).
Runs stop at `max_runs` (the earliest chosen fire times are kept). Dropped fire times are counted
up to SKIP_COUNT_LIMIT (a higher count reads as "at least" that many). After resuming a paused
schedule, pass the resume time as `processed_until` so the paused time is not caught up.

Overlap. Given the schedule's live runs (job id -> status):
  * allow            — create the run.
  * skip             — create it only if no run is live; otherwise skip, saying which run blocks.
  * queue            — with a run live, create the new one `waiting` for it; at most one waits:
                       when one already waits, skip. `queued_run_to_release` says when it may go.
  * cancel_previous  — cancel the live runs, then create the new one.

Defaults (`parse_policies`): overlap `skip` (a slow run never piles up copies of itself) and
misfire `run_once` with max_catch_up 10 (after downtime the job runs once, not once per miss)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from baton.cron import as_utc
from baton.errors import Unprocessable
from baton.triggers import INVALID_SCHEDULE, Trigger

__all__ = [
    "ACTIVE_RUN_STATUSES",
    "DEFAULT_MAX_CATCH_UP",
    "MAX_CATCH_UP",
    "MISFIRE_GRACE",
    "SKIP_COUNT_LIMIT",
    "WAITING",
    "CatchUp",
    "MisfirePolicy",
    "OverlapAction",
    "OverlapDecision",
    "OverlapPolicy",
    "SchedulePolicies",
    "decide_overlap",
    "parse_policies",
    "plan_catch_up",
    "queued_run_to_release",
]

MISFIRE_GRACE = timedelta(seconds=60)
DEFAULT_MAX_CATCH_UP = 10
MAX_CATCH_UP = 1000
SKIP_COUNT_LIMIT = 1000
WAITING = "waiting"  # a run created to wait: on the previous run, or on workflow dependencies
ACTIVE_RUN_STATUSES = frozenset({"scheduled", "pending", "running"})


class MisfirePolicy(StrEnum):
    SKIP = "skip"
    RUN_ONCE = "run_once"
    RUN_ALL = "run_all"


class OverlapPolicy(StrEnum):
    ALLOW = "allow"
    SKIP = "skip"
    QUEUE = "queue"
    CANCEL_PREVIOUS = "cancel_previous"


@dataclass(frozen=True)
class SchedulePolicies:
    overlap: OverlapPolicy = OverlapPolicy.SKIP
    misfire: MisfirePolicy = MisfirePolicy.RUN_ONCE
    max_catch_up: int = DEFAULT_MAX_CATCH_UP


def parse_policies(body: Mapping[str, object]) -> SchedulePolicies:
    """`overlap_policy`, `misfire_policy` and `max_catch_up` of a schedule body, defaults filled in;
    a 422 INVALID_SCHEDULE naming each bad field."""
    errors = []
    overlap = body.get("overlap_policy") or OverlapPolicy.SKIP
    misfire = body.get("misfire_policy") or MisfirePolicy.RUN_ONCE
    max_catch_up = body.get("max_catch_up")
    max_catch_up = DEFAULT_MAX_CATCH_UP if max_catch_up is None else max_catch_up
    if not isinstance(overlap, str) or overlap not in OverlapPolicy.__members__.values():
        errors.append({"field": "overlap_policy", "message": f"one of {', '.join(OverlapPolicy)}"})
    if not isinstance(misfire, str) or misfire not in MisfirePolicy.__members__.values():
        errors.append({"field": "misfire_policy", "message": f"one of {', '.join(MisfirePolicy)}"})
    if (
        isinstance(max_catch_up, bool)
        or not isinstance(max_catch_up, int)
        or not 0 <= max_catch_up <= MAX_CATCH_UP
    ):
        errors.append({"field": "max_catch_up", "message": f"a whole number in 0..{MAX_CATCH_UP}"})
    if errors:
        detail = f"Invalid {errors[0]['field']}: {errors[0]['message']}"
        raise Unprocessable(detail, code=INVALID_SCHEDULE, errors=errors)
    assert isinstance(overlap, str) and isinstance(misfire, str) and isinstance(max_catch_up, int)
    return SchedulePolicies(OverlapPolicy(overlap), MisfirePolicy(misfire), max_catch_up)


@dataclass(frozen=True)
class CatchUp:
    run: list[datetime]  # nominal fire times to create runs for now, oldest first
    skipped: int  # due fire times dropped (saturates at SKIP_COUNT_LIMIT)
    processed_until: datetime  # store: the newest due fire time now dealt with
    next_fire: datetime | None  # store: the next nominal fire time; None when the schedule is over


def plan_catch_up(
    trigger: Trigger,
    *,
    processed_until: datetime,
    now: datetime,
    policy: MisfirePolicy | str,
    max_catch_up: int = DEFAULT_MAX_CATCH_UP,
    runs_so_far: int = 0,
    grace: timedelta = MISFIRE_GRACE,
) -> CatchUp:
    """Which due fire times to run now under `policy` (see the module docstring)."""
    policy = MisfirePolicy(policy)
    if not 0 <= max_catch_up <= MAX_CATCH_UP:
        raise ValueError(f"max_catch_up must lie in 0..{MAX_CATCH_UP}")
    processed_until, now = as_utc(processed_until), as_utc(now)
    keep_late = {MisfirePolicy.SKIP: 0, MisfirePolicy.RUN_ONCE: 1}.get(policy, max_catch_up)
    on_time: list[datetime] = []
    late: list[datetime] = []
    dropped = 0
    newest = None
    # newest first, so a long outage costs at most the fire times kept plus the count limit
    for moment in trigger.fires_at_or_before(now):
        if moment <= processed_until:
            break
        newest = newest or moment
        if now - moment <= grace:
            on_time.append(moment)
        elif len(late) < keep_late and not (policy is MisfirePolicy.RUN_ONCE and on_time):
            late.append(moment)
        else:
            dropped += 1
            if dropped >= SKIP_COUNT_LIMIT:
                break
    chosen = sorted(late + on_time)
    runs_left = None if trigger.max_runs is None else max(trigger.max_runs - runs_so_far, 0)
    if runs_left is not None and len(chosen) > runs_left:
        chosen = chosen[:runs_left]
    runs_after = runs_so_far + len(chosen)
    return CatchUp(
        run=chosen,
        skipped=dropped,
        processed_until=max(newest or processed_until, processed_until),
        next_fire=trigger.next_fire(max(now, processed_until), runs_so_far=runs_after),
    )


class OverlapAction(StrEnum):
    CREATE = "create"
    SKIP = "skip"
    CREATE_WAITING = "create_waiting"  # created `waiting` until the previous run finishes
    CANCEL_PREVIOUS_THEN_CREATE = "cancel_previous_then_create"


@dataclass(frozen=True)
class OverlapDecision:
    action: OverlapAction
    reason: str | None = None  # why a run is skipped or waits
    cancel: tuple[str, ...] = ()  # runs to cancel before creating the new one


def decide_overlap(policy: OverlapPolicy | str, runs: Mapping[str, str]) -> OverlapDecision:
    """What to do with a new run of a schedule whose runs have these statuses (id -> status;
    finished runs may be included and are ignored)."""
    policy = OverlapPolicy(policy)
    active = sorted(run_id for run_id, status in runs.items() if status in ACTIVE_RUN_STATUSES)
    waiting = sorted(run_id for run_id, status in runs.items() if status == WAITING)
    live = sorted(active + waiting)
    if policy is OverlapPolicy.ALLOW or not live:
        return OverlapDecision(OverlapAction.CREATE)
    if policy is OverlapPolicy.SKIP:
        return OverlapDecision(OverlapAction.SKIP, reason=f"Run {live[0]} is still {runs[live[0]]}")
    if policy is OverlapPolicy.QUEUE:
        if waiting:
            return OverlapDecision(OverlapAction.SKIP, reason=f"Run {waiting[0]} already waits its turn")
        return OverlapDecision(
            OverlapAction.CREATE_WAITING, reason=f"Waits for run {active[0]} ({runs[active[0]]})"
        )
    return OverlapDecision(OverlapAction.CANCEL_PREVIOUS_THEN_CREATE, cancel=tuple(live))


def queued_run_to_release(runs: Mapping[str, str]) -> str | None:
    """Under the queue policy: the waiting run that may start now (none while a run is active)."""
    if any(status in ACTIVE_RUN_STATUSES for status in runs.values()):
        return None
    waiting = sorted(run_id for run_id, status in runs.items() if status == WAITING)
    return waiting[0] if waiting else None
