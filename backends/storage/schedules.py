"""Storage of schedules: the rows, with their `schedule.*` events in the same transaction, and the
fire: a compare-and-set on the schedule's next fire time in the transaction that inserts its jobs
(with their `job.created` events), so that of any number of server processes exactly one creates
the job of each fire time.

A mixin of SQLStorage (its `_transaction()`, `_read()`, `_append_events()` and the jobs mixin's
`_insert_job_rows()`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from baton.backends.storage.tables import jobs, schedules, users

from baton.models import LIVE_STATES, Event, Job, Schedule

if TYPE_CHECKING:
    from baton.backends.storage.sql import SQLStorage

__all__ = ["FirePlan", "SchedulesMixin", "row_to_schedule", "select_schedules"]

_LIVE = sorted(s.value for s in LIVE_STATES)


@dataclass
class FirePlan:
    """What one fire writes: the schedule's changes, the jobs it creates, its own events, and the
    live runs to cancel once it committed (overlap policy cancel_previous)."""

    changes: dict[str, Any]
    jobs: list[Job] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    cancel: tuple[str, ...] = ()


def select_schedules() -> sa.Select:
    owner = sa.select(users.c.username).where(users.c.id == schedules.c.owner_id).scalar_subquery()
    return sa.select(*schedules.c, owner.label("owner")).select_from(schedules)


def row_to_schedule(m: Any) -> Schedule:
    return Schedule(
        **{column.name: m[column.name] for column in schedules.c},
        owner=m["owner"],
    )


def _row(schedule: Schedule) -> dict[str, Any]:
    return {column.name: getattr(schedule, column.name) for column in schedules.c}


def _matching(stmt: Any, expect: Mapping[str, Any]) -> Any:
    for name, value in expect.items():
        column = schedules.c[name]
        stmt = stmt.where(column.is_(None) if value is None else column == value)
    return stmt


def _owner_enabled() -> sa.Select:
    # a disabled user's schedules fire nothing (their jobs could not be seen or stopped by them)
    return sa.select(users.c.id).where(users.c.id == schedules.c.owner_id, users.c.disabled.is_(False))


class SchedulesMixin:
    async def insert_schedule(self: SQLStorage, schedule: Schedule, event: Event) -> Schedule:
        def run(conn: sa.Connection) -> Any:
            conn.execute(schedules.insert().values(**_row(schedule)))
            self._append_events(conn, [event])
            return schedule

        return await self._transaction(run)

    async def get_schedule(self: SQLStorage, schedule_id: str) -> Schedule | None:
        def run(conn: sa.Connection) -> Any:
            row = conn.execute(select_schedules().where(schedules.c.id == schedule_id)).first()
            return row_to_schedule(row._mapping) if row else None

        return await self._read(run, point=True)

    async def list_schedules(
        self: SQLStorage, owner_id: str | None, limit: int, before_id: str | None
    ) -> list[Schedule]:
        """Newest first (ids are UUIDv7); every owner's when owner_id is None."""

        def run(conn: sa.Connection) -> Any:
            stmt = select_schedules().order_by(schedules.c.id.desc()).limit(limit)
            if owner_id is not None:
                stmt = stmt.where(schedules.c.owner_id == owner_id)
            if before_id is not None:
                stmt = stmt.where(schedules.c.id < before_id)
            return [row_to_schedule(row._mapping) for row in conn.execute(stmt)]

        return await self._read(run)

    async def update_schedule(
        self: SQLStorage,
        schedule_id: str,
        changes: Mapping[str, Any],
        *,
        updated_at_was: datetime,
        event: Callable[[Schedule], Event],
    ) -> Schedule | None:
        """Apply `changes` if the schedule was last changed at `updated_at_was`, with the event
        `event` makes of the changed schedule. None when it is gone or changed meanwhile."""

        def run(conn: sa.Connection) -> Any:
            stmt = schedules.update().where(
                schedules.c.id == schedule_id, schedules.c.updated_at == updated_at_was
            )
            if conn.execute(stmt.values(**changes)).rowcount != 1:
                return None
            row = conn.execute(select_schedules().where(schedules.c.id == schedule_id)).first()
            schedule = row_to_schedule(row._mapping)
            self._append_events(conn, [event(schedule)])
            return schedule

        return await self._transaction(run)

    async def delete_schedule(
        self: SQLStorage, schedule_id: str, event: Event, *, updated_at_was: datetime
    ) -> bool:
        """Delete the schedule with `event` (schedule.deleted); its jobs stay, with their schedule_id."""

        def run(conn: sa.Connection) -> Any:
            stmt = schedules.delete().where(
                schedules.c.id == schedule_id, schedules.c.updated_at == updated_at_was
            )
            if conn.execute(stmt).rowcount != 1:
                return False
            self._append_events(conn, [event])
            return True

        return await self._transaction(run)

    # -- firing ----------------------------------------------------------------------------------

    async def due_schedules(self: SQLStorage, now: datetime, limit: int) -> list[Schedule]:
        """Unpaused schedules of enabled owners whose next fire time has come, or whose queued
        fire time waits for its previous run (overlap policy queue)."""

        def run(conn: sa.Connection) -> Any:
            stmt = (
                select_schedules()
                .where(
                    schedules.c.paused.is_(False),
                    sa.or_(schedules.c.next_run_at <= now, schedules.c.queued_fire_at.is_not(None)),
                    _owner_enabled().exists(),
                )
                .order_by(schedules.c.next_run_at)
                .limit(limit)
            )
            return [row_to_schedule(row._mapping) for row in conn.execute(stmt)]

        return await self._read(run)

    async def next_schedule_due(self: SQLStorage) -> datetime | None:
        """The earliest next fire time of an unpaused schedule of an enabled owner (the others
        are not due: a loop waiting for them would never sleep)."""

        def run(conn: sa.Connection) -> Any:
            stmt = sa.select(sa.func.min(schedules.c.next_run_at)).where(
                schedules.c.paused.is_(False), _owner_enabled().exists()
            )
            return conn.execute(stmt).scalar()

        return await self._read(run, point=True)

    async def fire_schedule(
        self: SQLStorage,
        schedule_id: str,
        expect: Mapping[str, Any],
        decide: Callable[[Schedule, dict[str, str]], FirePlan | None],
    ) -> FirePlan | None:
        """If the schedule's columns still hold `expect` (its next fire time as the firer read it,
        say): lock it, read its live runs (job id -> status), ask `decide` what to write, and write
        it: the changes, the jobs with their `job.created` events, and the plan's events, all in
        one transaction. None when another process fired it first (or `decide` said None)."""

        def run(conn: sa.Connection) -> Any:
            lock = _matching(sa.select(schedules.c.id).where(schedules.c.id == schedule_id), expect)
            if self.dialect != "sqlite":  # SQLite's writer holds the database already
                lock = lock.with_for_update()
            if conn.execute(lock).first() is None:
                return None
            row = conn.execute(select_schedules().where(schedules.c.id == schedule_id)).first()
            live = conn.execute(
                sa.select(jobs.c.id, jobs.c.status).where(
                    jobs.c.schedule_id == schedule_id, jobs.c.status.in_(_LIVE)
                )
            )
            plan = decide(row_to_schedule(row._mapping), {job_id: status for job_id, status in live})
            if plan is None:
                return None
            update = _matching(schedules.update().where(schedules.c.id == schedule_id), expect)
            if conn.execute(update.values(**plan.changes)).rowcount != 1:
                return None
            if plan.jobs:
                self._insert_job_rows(conn, plan.jobs)
            if plan.events:
                self._append_events(conn, plan.events)
            return plan

        return await self._transaction(run, point=False)
