"""Storage of the event log: appending events inside the transaction of the change they record (the
transactional outbox), reading them in id order with filters and visibility, retention, and the
compare-and-sets that make derived events (queue depth, worker status) be announced once.

A mixin of SQLStorage (its `_transaction()` and `_read()` runners).

Ids come from the one row of `event_sequence`, incremented by each transaction that appends
events, as the last thing it does before it commits: the row lock is held until commit, so ids are
gap-free and a reader that sees the sequence at N sees every event up to N committed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from baton.backends.storage import EventQuery
from baton.backends.storage.rows import row_to_event
from baton.backends.storage.runner import COMMITTED_EVENTS, DEFERRED_EVENTS
from baton.backends.storage.tables import event_sequence, events, jobs, queue_depths, workers
from sqlalchemy.exc import DBAPIError

from baton.eventtypes import OWNED_SUBJECTS
from baton.models import Event, JobStatus, Worker

if TYPE_CHECKING:
    from baton.backends.storage.sql import SQLStorage

__all__ = ["EventsMixin"]

SEQUENCE = "events"
_PURGE_CHUNK = 5000
# built once: every write transaction that records a change runs these (a statement built per
# call costs more than its execution on SQLite)
_BUMP = (
    event_sequence.update()
    .where(event_sequence.c.name == SEQUENCE)
    .values(last_id=event_sequence.c.last_id + sa.bindparam("appended", type_=sa.Integer))
)
_BUMP_RETURNING = _BUMP.returning(event_sequence.c.last_id)
_LAST_ID = sa.select(event_sequence.c.last_id).where(event_sequence.c.name == SEQUENCE)
_INSERT = events.insert()


def _prefix_like(prefix: str) -> Any:
    escaped = prefix.replace("!", "!!").replace("%", "!%").replace("_", "!_")
    return events.c.type.like(f"{escaped}%", escape="!")


class EventsMixin:
    def _append_events(self: SQLStorage, conn: sa.Connection, batch: Sequence[Event]) -> None:
        """Give the events their ids and insert them: call it last in a write transaction (the
        sequence row stays locked until the commit). In a group of writes (runner.py) they are
        inserted with the group's, after its last write: their ids are not set before then, so a
        write that needs an id inside its transaction is not a point write."""
        deferred = conn.info.get(DEFERRED_EVENTS)
        if deferred is not None:
            deferred.extend(batch)
            return
        self._insert_events(conn, batch)

    def _insert_events(self: SQLStorage, conn: sa.Connection, batch: Sequence[Event]) -> None:
        if not batch:
            return
        appended = {"appended": len(batch)}
        if self.dialect == "mysql":  # no UPDATE … RETURNING; the row is ours until commit anyway
            conn.execute(_BUMP, appended)
            last = conn.execute(_LAST_ID).scalar_one()
        else:
            last = conn.execute(_BUMP_RETURNING, appended).scalar_one()
        first = last - len(batch) + 1
        rows = []
        for offset, event in enumerate(batch):
            event.id = first + offset
            rows.append(
                {
                    "id": event.id,
                    "type": event.type,
                    "at": event.at,
                    "subject_type": event.subject_type,
                    "subject_id": event.subject_id,
                    "queue": event.queue,
                    "worker_id": event.worker_id,
                    "owner_id": event.owner_id,
                    "data": event.data,
                }
            )
        conn.execute(_INSERT, rows)
        conn.info.setdefault(COMMITTED_EVENTS, []).extend(batch)

    async def append_events(self: SQLStorage, batch: Sequence[Event]) -> None:
        """Events that record no change of a row (e.g. a test delivery): a transaction of their own."""

        def run(conn: sa.Connection) -> Any:
            self._append_events(conn, batch)

        return await self._transaction(run)

    async def last_event_id(self: SQLStorage) -> int:
        def run(conn: sa.Connection) -> Any:
            return self._last_event_id(conn)

        return await self._read(run, point=True)

    @staticmethod
    def _last_event_id(conn: sa.Connection) -> int:
        return int(conn.execute(_LAST_ID).scalar_one_or_none() or 0)

    async def event_bounds(self: SQLStorage) -> tuple[int | None, int]:
        """(the oldest kept event's id or None, the newest id ever given)."""

        def run(conn: sa.Connection) -> Any:
            last = self._last_event_id(conn)
            oldest = (conn.execute(sa.select(sa.func.min(events.c.id)))).scalar_one_or_none()
            return (int(oldest) if oldest is not None else None), last

        return await self._read(run, point=True)

    async def list_events(self: SQLStorage, query: EventQuery) -> tuple[list[Event], int]:
        """Events after `query.after` that match, in id order, and how far the log was read: the
        id of the last event returned when the page is full, else the newest id there is (a
        filtered reader need not read again what it skipped)."""

        def run(conn: sa.Connection) -> Any:
            # read the sequence first: every event up to it has committed
            head = self._last_event_id(conn)
            if query.up_to is not None:
                head = min(head, query.up_to)
            if head <= query.after:
                # nothing after it; a position past the newest id reads on from the newest (so
                # after=<a huge number> is "from now on")
                return [], head
            stmt = (
                sa.select(events)
                .where(events.c.id > query.after, events.c.id <= head)
                .order_by(events.c.id)
                .limit(query.limit)
            )
            for clause in _filters(query):
                stmt = stmt.where(clause)
            found = [row_to_event(row) for row in conn.execute(stmt)]
            if len(found) >= query.limit:
                return found, found[-1].id
            return found, head

        return await self._read(run)

    async def purge_events(self: SQLStorage, before: datetime) -> int:
        """Delete events older than `before` (retention), a chunk per transaction; how many."""

        def chunk(conn: sa.Connection) -> tuple[int, bool]:
            upto = conn.execute(
                sa.select(events.c.id)
                .where(events.c.at < before)
                .order_by(events.c.id)
                .offset(_PURGE_CHUNK - 1)
                .limit(1)
            ).scalar_one_or_none()
            stmt = events.delete().where(events.c.at < before)
            if upto is not None:
                stmt = stmt.where(events.c.id <= upto)
            count = conn.execute(stmt).rowcount
            return count, upto is not None and count > 0

        removed, more = 0, True
        while more:
            count, more = await self._transaction(chunk, point=False)
            removed += count
        return removed

    # -- derived events, announced once whoever notices them ---------------------------------------

    async def queue_depths(self: SQLStorage, names: Sequence[str]) -> dict[str, tuple[int, int]]:
        """(pending, running) jobs of each named queue, now."""

        def run(conn: sa.Connection) -> Any:
            if not names:
                return {}
            counted = sa.select(jobs.c.queue, jobs.c.status, sa.func.count()).where(
                jobs.c.queue.in_(sorted(set(names))),
                jobs.c.status.in_([JobStatus.PENDING.value, JobStatus.RUNNING.value]),
            )
            depths = {name: (0, 0) for name in names}
            for queue, status, count in conn.execute(counted.group_by(jobs.c.queue, jobs.c.status)):
                pending, running = depths[queue]
                if status == JobStatus.PENDING.value:
                    depths[queue] = (int(count), running)
                else:
                    depths[queue] = (pending, int(count))
            return depths

        return await self._read(run)

    async def announce_depth(
        self: SQLStorage,
        queue: str,
        pending: int,
        running: int,
        now: datetime,
        not_before: datetime,
        event: Event,
    ) -> str:
        """Write `event` (a queue.depth_changed) if the depth differs from the one last announced
        and that was announced before `not_before`; at most one process wins each announcement.
        Returns "announced", "same" (nothing to say), or "later" (announced too recently, or
        another process is announcing it now: look again)."""

        def run(conn: sa.Connection) -> Any:
            try:
                # in a savepoint: the error caught below must not abort the whole transaction
                # (PostgreSQL's would be, and a group of writes shares it: runner.py)
                with conn.begin_nested():
                    row = (
                        conn.execute(
                            sa.select(
                                queue_depths.c.pending, queue_depths.c.running, queue_depths.c.announced_at
                            )
                            .where(queue_depths.c.queue == queue)
                            .with_for_update()
                        )
                    ).first()
                    if row is None:
                        if pending == 0 and running == 0:
                            return "same"  # a queue never announced and empty: nothing to say
                        conn.execute(
                            queue_depths.insert().values(
                                queue=queue, pending=pending, running=running, announced_at=now
                            )
                        )
                    elif (row.pending, row.running) == (pending, running):
                        return "same"
                    elif row.announced_at > not_before:
                        return "later"
                    else:
                        conn.execute(
                            queue_depths.update()
                            .where(queue_depths.c.queue == queue)
                            .values(pending=pending, running=running, announced_at=now)
                        )
            except DBAPIError:
                # another process inserted the first row at the same moment (a duplicate key, or a
                # deadlock on InnoDB's gap lock): it announces; this one looks again next time
                return "later"
            self._append_events(conn, [event])
            return "announced"

        return await self._transaction(run)

    async def workers_to_announce(
        self: SQLStorage, online_after: datetime, offline_before: datetime
    ) -> list[tuple[Worker, str | None]]:
        """Workers whose derived status (online/stale/offline by their last heartbeat) is not the
        one last announced, with the announced one."""

        def run(conn: sa.Connection) -> Any:
            seen = workers.c.last_heartbeat_at
            derived = sa.case(
                (seen >= online_after, "online"), (seen >= offline_before, "stale"), else_="offline"
            )
            stmt = (
                sa.select(workers.c.id, workers.c.reported_status)
                .where(sa.or_(workers.c.reported_status.is_(None), workers.c.reported_status != derived))
                .order_by(workers.c.id)
                .limit(500)
            )
            rows = (conn.execute(stmt)).all()
            found = []
            for worker_id, reported in rows:
                worker = self._get_worker(conn, worker_id)
                if worker is not None:
                    found.append((worker, reported))
            return found

        return await self._read(run)

    async def announce_worker_status(
        self: SQLStorage, worker_id: str, expected: str | None, status: str, event: Event
    ) -> bool:
        """Record `event` if the worker's announced status is still `expected`; set it to `status`."""

        def run(conn: sa.Connection) -> Any:
            result = conn.execute(
                workers.update()
                .where(
                    workers.c.id == worker_id,
                    workers.c.reported_status.is_(None)
                    if expected is None
                    else workers.c.reported_status == expected,
                )
                .values(reported_status=status)
            )
            if result.rowcount != 1:
                return False
            self._append_events(conn, [event])
            return True

        return await self._transaction(run)


def _filters(query: EventQuery) -> list[Any]:
    clauses: list[Any] = []
    if query.types or query.prefixes:
        clauses.append(
            sa.or_(
                *([events.c.type.in_(sorted(query.types))] if query.types else []),
                *(_prefix_like(prefix) for prefix in sorted(query.prefixes)),
            )
        )
    if query.job_id is not None:
        clauses.append(sa.and_(events.c.subject_type == "job", events.c.subject_id == query.job_id))
    if query.queue is not None:
        clauses.append(events.c.queue == query.queue)
    if query.worker_id is not None:
        clauses.append(events.c.worker_id == query.worker_id)
    # visibility: the kinds of subject the reader may see, and of jobs (and workflows) only their own
    if query.subject_types is not None:
        clauses.append(events.c.subject_type.in_(sorted(query.subject_types)))
    if query.owner_id is not None:
        clauses.append(
            sa.or_(events.c.subject_type.not_in(OWNED_SUBJECTS), events.c.owner_id == query.owner_id)
        )
    if query.webhook_owner_id is not None:
        clauses.append(
            sa.or_(events.c.subject_type != "webhook", events.c.owner_id == query.webhook_owner_id)
        )
    return clauses
