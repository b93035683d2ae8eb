"""Schedule storage on SQLite, MariaDB and PostgreSQL: a fire is a compare-and-set on the
schedule's next fire time, so racing firers (two backend instances: two server processes, as
far as the database can tell) write one fire time's jobs once; the jobs carry the schedule's id
and their `job.created` events commit with the fire's own events; the plan is made from the row
as it is inside the transaction, with the schedule's live runs."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from baton.backends.storage import EventQuery, JobQuery
from baton.backends.storage.schedules import FirePlan
from baton.backends.storage.sql import SQLStorage

from baton.eventtypes import schedule_event
from baton.models import JobStatus, Schedule, User
from baton.timeutil import new_id
from tests.contract.test_storage_contract import T0, make_job

FIRE = T0 + timedelta(minutes=1)


def make_schedule(owner: User) -> Schedule:
    return Schedule(
        id=new_id(), owner_id=owner.id, owner=owner.username, name="s", cron=None, interval_seconds=60,
        timezone="UTC", job={"command": ["true"], "queue": "default"}, overlap_policy="allow",
        misfire_policy="run_once", max_catch_up=10, start_at=None, end_at=None, max_runs=None,
        jitter_seconds=0, paused=False, labels={}, anchor=FIRE, next_run_at=FIRE, processed_until=T0,
        queued_fire_at=None, run_count=0, skipped_count=0, last_run_at=None, last_job_id=None,
        created_at=T0, updated_at=T0,
    )  # fmt: skip


async def stored(storage: SQLStorage, owner: User) -> Schedule:
    schedule = make_schedule(owner)
    return await storage.insert_schedule(schedule, schedule_event(schedule, "schedule.created", T0))


def one_run(owner: User, seen: list[dict[str, str]]):
    """A decide() that always runs one job and moves the next fire time on a minute."""

    def decide(schedule: Schedule, live: dict[str, str]) -> FirePlan:
        seen.append(live)
        job = make_job(owner, schedule_id=schedule.id)
        changes = {
            "next_run_at": schedule.next_run_at + timedelta(minutes=1),
            "run_count": schedule.run_count + 1,
        }
        event = schedule_event(schedule, "schedule.fired", FIRE, job_id=job.id)
        return FirePlan(changes, [job], [event])

    return decide


async def test_a_fire_time_is_written_once(storage: SQLStorage, owner: User) -> None:
    schedule = await stored(storage, owner)
    seen: list[dict[str, str]] = []
    first = await storage.fire_schedule(schedule.id, {"next_run_at": FIRE}, one_run(owner, seen))
    assert first is not None and len(first.jobs) == 1
    again = await storage.fire_schedule(schedule.id, {"next_run_at": FIRE}, one_run(owner, seen))
    assert again is None  # the row moved on: nothing written
    after = await storage.get_schedule(schedule.id)
    assert after is not None and after.next_run_at == FIRE + timedelta(minutes=1) and after.run_count == 1
    jobs = await storage.list_jobs(JobQuery(limit=10, schedule_id=schedule.id))
    assert [(job.id, job.schedule_id) for job in jobs] == [(first.jobs[0].id, schedule.id)]
    page, _ = await storage.list_events(EventQuery(after=0, limit=100))
    assert [e.type for e in page] == ["schedule.created", "job.created", "schedule.fired"]
    # the next fire sees the first run live
    await storage.fire_schedule(
        schedule.id, {"next_run_at": FIRE + timedelta(minutes=1)}, one_run(owner, seen)
    )
    assert seen == [{}, {first.jobs[0].id: JobStatus.PENDING.value}]


async def test_racing_firers_write_one_fire_time_once(
    storage: SQLStorage, other_storage: SQLStorage, owner: User
) -> None:
    schedule = await stored(storage, owner)
    seen: list[dict[str, str]] = []
    expect = {"next_run_at": FIRE, "queued_fire_at": None}
    results = await asyncio.gather(
        *(
            backend.fire_schedule(schedule.id, expect, one_run(owner, seen))
            for _ in range(4)
            for backend in (storage, other_storage)
        )
    )
    assert len([plan for plan in results if plan is not None]) == 1
    assert len(await storage.list_jobs(JobQuery(limit=10, schedule_id=schedule.id))) == 1


async def test_a_deleted_schedule_fires_nothing_and_keeps_its_runs(storage: SQLStorage, owner: User) -> None:
    schedule = await stored(storage, owner)
    await storage.fire_schedule(schedule.id, {"next_run_at": FIRE}, one_run(owner, []))
    current = await storage.get_schedule(schedule.id)
    assert current is not None
    event = schedule_event(current, "schedule.deleted", FIRE)
    assert await storage.delete_schedule(schedule.id, event, updated_at_was=current.updated_at)
    assert await storage.fire_schedule(schedule.id, {}, one_run(owner, [])) is None
    assert len(await storage.list_jobs(JobQuery(limit=10, schedule_id=schedule.id))) == 1
