"""The firing loop of schedules: every server process runs one; exactly one of them creates the
job of each fire time.

Each pass reads the schedules that are due and fires each with one storage transaction: lock the
schedule row where `next_run_at` (and `queued_fire_at`) still hold what this process read, plan
from the row as it is then (misfire policy: baton/schedule_policy.py `plan_catch_up`; overlap
policy: `decide_overlap` against the schedule's live runs), and write the plan: the schedule's
new next fire time, its jobs with their `job.created` events, and its `schedule.*` events. A
process that read the same fire time finds the row moved on and writes nothing, so a fire time
never makes two jobs; a process killed mid-fire rolls back, and another fires the time instead.

Overlap `queue` keeps the one waiting fire time on the schedule (`queued_fire_at`) rather than as
a job: its job is created when no run is live any more (checked at every pass).

The loop sleeps until the earliest next fire time, at most MAX_SLEEP_SECONDS (a schedule made or
resumed by another process is seen that late at worst; one made here wakes the loop at once)."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from baton import states
from baton.backends.storage import StorageBackend
from baton.backends.storage.schedules import FirePlan
from baton.cron import as_utc
from baton.errors import NotFound
from baton.eventtypes import schedule_event
from baton.lifecycle import JobService, build_job
from baton.models import LIVE_STATES, Job, JobStatus, Principal, Queue, Role, Schedule
from baton.schedule_policy import WAITING, OverlapAction, decide_overlap, plan_catch_up
from baton.timeutil import isoformat, utcnow
from baton.triggers import Trigger, parse_trigger

__all__ = ["MAX_SLEEP_SECONDS", "Scheduler", "naive", "trigger_of"]

log = logging.getLogger(__name__)
MAX_SLEEP_SECONDS = 1.0
# a schedule left due (one that failed to fire) must not turn the loop into a busy one
MIN_SLEEP_SECONDS = 0.01
DUE_PAGE = 100
_QUEUED = "queued fire time"  # stands for the waiting fire time among a schedule's live runs


def naive(value: datetime | None) -> datetime | None:
    """Aware to naive UTC, as storage keeps times."""
    return None if value is None else as_utc(value).replace(tzinfo=None)


def trigger_of(schedule: Schedule) -> Trigger:
    fields = {
        "cron": schedule.cron,
        "interval_seconds": schedule.interval_seconds,
        "timezone": schedule.timezone,
        "start_at": schedule.start_at,
        "end_at": schedule.end_at,
        "max_runs": schedule.max_runs,
        "jitter_seconds": schedule.jitter_seconds,
    }
    trigger = parse_trigger(fields, created_at=schedule.created_at)
    if trigger.interval is not None and schedule.anchor is not None:
        trigger = dataclasses.replace(trigger, anchor=as_utc(schedule.anchor))
    return trigger


def _run_job(
    schedule: Schedule, trigger: Trigger, nominal: datetime, now: datetime, queue: Queue | None
) -> Job:
    """The job of one fire time: the template, owned by the schedule's owner, due at the fire time
    plus the schedule's jitter."""
    owner = Principal(schedule.owner_id, schedule.owner, Role.MEMBER, session_id=None)
    # a task was known when the schedule was saved; if no worker has it now, its job waits for one
    job = build_job(owner, {**schedule.job, "run_at": None}, now, queue, {schedule.job.get("task")} - {None})
    job.run_at = max(naive(trigger.run_at(schedule.id, nominal)), now)
    job.status = JobStatus.SCHEDULED if job.run_at > now else JobStatus.PENDING
    job.schedule_id = schedule.id
    return job


def plan_fire(
    schedule: Schedule, live: dict[str, str], now: datetime, queue: Queue | None
) -> FirePlan | None:
    """What firing `schedule` at `now` writes, given its live runs (job id -> status)."""
    if schedule.paused:
        return None
    trigger = trigger_of(schedule)
    runs = dict(live)
    queued = schedule.queued_fire_at
    if queued is not None:
        runs[_QUEUED] = WAITING
    created: list[tuple[Job, datetime]] = []
    events = []
    cancel: list[str] = []

    def create(nominal: datetime) -> None:
        job = _run_job(schedule, trigger, nominal, now, queue)
        created.append((job, nominal))
        runs[job.id] = job.status.value

    # a queued fire time goes once no run is live any more
    if queued is not None and not [job_id for job_id in runs if job_id != _QUEUED]:
        del runs[_QUEUED]
        create(as_utc(queued))
        queued = None
    due = schedule.next_run_at is not None and schedule.next_run_at <= now
    if not due and not created:
        return None
    skipped = 0
    catch_up = None
    if due:
        catch_up = plan_catch_up(
            trigger,
            processed_until=schedule.processed_until,
            now=now,
            policy=schedule.misfire_policy,
            max_catch_up=schedule.max_catch_up,
            runs_so_far=schedule.run_count,
        )
        for nominal in catch_up.run:
            decision = decide_overlap(schedule.overlap_policy, runs)
            if decision.action is OverlapAction.SKIP:
                skipped += 1
                events.append(("overlap", decision.reason, nominal))
                continue
            if decision.action is OverlapAction.CREATE_WAITING:
                queued = naive(nominal)
                runs[_QUEUED] = WAITING
                continue
            for job_id in decision.cancel:
                del runs[job_id]
                if job_id == _QUEUED:
                    queued = None
                else:
                    cancel.append(job_id)
            create(nominal)
        if catch_up.skipped:
            reason = (
                f"{catch_up.skipped} fire time(s) missed while the schedule could not fire "
                f"(misfire policy {schedule.misfire_policy})"
            )
            events.append(("misfire", reason, None))
    run_count = schedule.run_count + len(created)  # a queued fire time counts once its job exists
    changes: dict[str, Any] = {"queued_fire_at": queued}
    if catch_up is not None:
        processed = max(as_utc(catch_up.processed_until), as_utc(schedule.processed_until))
        changes["processed_until"] = naive(processed)
        changes["next_run_at"] = naive(trigger.next_fire(max(as_utc(now), processed), runs_so_far=run_count))
        changes["skipped_count"] = schedule.skipped_count + skipped + catch_up.skipped
    changes["run_count"] = run_count
    if created:
        changes["last_run_at"] = now
        changes["last_job_id"] = created[-1][0].id
    after = dataclasses.replace(schedule, **changes)
    plan_events = [
        schedule_event(
            after, "schedule.fired", now, job_id=job.id, fire_time=isoformat(naive(nominal)), manual=False
        )
        for job, nominal in created
    ]
    for kind, reason, nominal in events:
        count = 1 if kind == "overlap" else catch_up.skipped if catch_up else 0
        plan_events.append(
            schedule_event(
                after,
                "schedule.skipped",
                now,
                reason=reason,
                count=count,
                fire_time=isoformat(naive(nominal)),
            )
        )
    return FirePlan(changes, [job for job, _ in created], plan_events, tuple(cancel))


def plan_manual(schedule: Schedule, now: datetime, queue: Queue | None) -> FirePlan:
    """`POST …/trigger`: one run now, whatever the overlap policy; not counted towards max_runs."""
    job = _run_job(schedule, dataclasses.replace(trigger_of(schedule), jitter_seconds=0), now, now, queue)
    changes = {"last_run_at": now, "last_job_id": job.id}
    after = dataclasses.replace(schedule, **changes)
    event = schedule_event(after, "schedule.fired", now, job_id=job.id, fire_time=isoformat(now), manual=True)
    return FirePlan(changes, [job], [event])


class Scheduler:
    def __init__(
        self, storage: StorageBackend, jobs: JobService, clock: Callable[[], datetime] = utcnow
    ) -> None:
        self.storage = storage
        self.jobs = jobs
        self.clock = clock
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def wake(self) -> None:
        self._wake.set()

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        while True:
            delay = MAX_SLEEP_SECONDS
            try:
                await self.tick()
                due = await self.storage.next_schedule_due()
                if due is not None:
                    delay = min(
                        max((due - self.clock()).total_seconds(), MIN_SLEEP_SECONDS), MAX_SLEEP_SECONDS
                    )
            except asyncio.CancelledError:
                raise
            except Exception:  # a database hiccup: try again at the next pass
                log.exception("scheduler pass failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=delay)
            self._wake.clear()

    async def tick(self) -> int:
        """Fire what is due now; returns the jobs created."""
        now = self.clock()
        created = 0
        for schedule in await self.storage.due_schedules(now, DUE_PAGE):
            try:
                plan = await self.fire(schedule, now)
            except asyncio.CancelledError:
                raise
            except Exception:  # one schedule that cannot fire must not stop the others
                log.exception("schedule %s could not fire", schedule.id)
                continue
            created += len(plan.jobs) if plan is not None else 0
        return created

    async def fire(self, schedule: Schedule, now: datetime) -> FirePlan | None:
        queue = await self.storage.get_queue(schedule.job.get("queue", "default"))
        expect = {"next_run_at": schedule.next_run_at, "queued_fire_at": schedule.queued_fire_at}
        plan = await self.storage.fire_schedule(
            schedule.id, expect, lambda fresh, live: plan_fire(fresh, live, now, queue)
        )
        if plan is not None:
            await self._after(plan, f"Cancelled by schedule {schedule.name}: a newer run started")
        return plan

    async def run_now(self, schedule: Schedule) -> Job:
        now = self.clock()
        queue = await self.storage.get_queue(schedule.job.get("queue", "default"))
        plan = await self.storage.fire_schedule(
            schedule.id, {}, lambda fresh, _: plan_manual(fresh, now, queue)
        )
        if plan is None:  # deleted meanwhile
            raise NotFound(f"No schedule {schedule.id}", code="SCHEDULE_NOT_FOUND")
        await self._after(plan, "")
        return plan.jobs[0]

    async def _after(self, plan: FirePlan, reason: str) -> None:
        """Once a fire committed: cancel the runs it replaces, and wake the dispatcher."""
        for job_id in plan.cancel:
            job = await self.storage.get_job(job_id)
            if job is None or job.status not in LIVE_STATES:
                continue
            now = utcnow()
            moved = await self.storage.transition([states.cancel(job, reason, now)], now)
            if moved:
                self.jobs.stop_cancelled(job, reason)
        if any(job.status is JobStatus.PENDING for job in plan.jobs):
            self.jobs.wake()
