"""Storage of queue definitions, their statistics, and the admission rule every claim applies:
no job of a paused queue starts, and a queue's max_concurrency holds across all claimers.

A mixin of SQLStorage (it uses its `_write()` helper and connections)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from baton.backends.storage.tables import jobs, queues

from baton.eventtypes import queue_event
from baton.models import TERMINAL_STATES, JobStatus, Queue

if TYPE_CHECKING:
    from baton.backends.storage.sql import SQLStorage

__all__ = ["QueuesMixin", "admit", "paused_queues"]


def _queue(m: Any) -> Queue:
    return Queue(
        m["name"],
        m["description"],
        m["max_concurrency"],
        m["default_timeout_seconds"],
        m["default_max_retries"],
        bool(m["paused"]),
        m["created_at"],
        m["updated_at"],
    )


def paused_queues() -> sa.Select:
    """Names of paused queues, for `jobs.queue NOT IN (…)` in a claim."""
    return sa.select(queues.c.name).where(queues.c.paused.is_(sa.true()))


def admit(conn: sa.Connection, dialect: str, candidates: Sequence[tuple[str, str]]) -> set[str]:
    """Of (job id, queue) candidates in dispatch order, the ids that may start now: none of a
    paused queue, and no more than each queue's max_concurrency minus what already runs.

    Claimers of a limited queue are serialized on its row (FOR UPDATE; SQLite's BEGIN IMMEDIATE
    already serializes every writer), and only then count its running jobs: on MySQL/MariaDB
    that count is this transaction's first consistent read, so it sees every claim committed
    before the lock was granted."""
    names = sorted({queue for _, queue in candidates})
    if not names:
        return set()
    rows = sa.select(queues.c.name, queues.c.max_concurrency, queues.c.paused).where(queues.c.name.in_(names))
    if dialect != "sqlite":
        rows = rows.with_for_update()
    limits: dict[str, int] = {}
    paused: set[str] = set()
    for name, limit, is_paused in (conn.execute(rows.order_by(queues.c.name))).all():
        if is_paused:
            paused.add(name)
        elif limit is not None:
            limits[name] = limit
    room: dict[str, int] = {}
    if limits:
        running = (
            sa.select(jobs.c.queue, sa.func.count())
            .where(jobs.c.queue.in_(sorted(limits)), jobs.c.status == JobStatus.RUNNING.value)
            .group_by(jobs.c.queue)
        )
        counts = dict((conn.execute(running)).all())
        room = {name: max(0, limit - counts.get(name, 0)) for name, limit in limits.items()}
    admitted: set[str] = set()
    for job_id, queue in candidates:
        if queue in paused:
            continue
        if queue in room:
            if room[queue] <= 0:
                continue
            room[queue] -= 1
        admitted.add(job_id)
    return admitted


class QueuesMixin:
    async def insert_queue(self: SQLStorage, queue: Queue) -> bool:
        """False if a queue of that name exists; else it is stored with its `queue.created` event."""

        def run(conn: sa.Connection) -> Any:
            if (conn.execute(sa.select(queues.c.name).where(queues.c.name == queue.name))).first():
                return False
            conn.execute(queues.insert().values(**queue.__dict__))
            self._append_events(conn, [queue_event(queue, "queue.created", queue.created_at)])
            return True

        return await self._transaction(run)

    async def get_queue(self: SQLStorage, name: str) -> Queue | None:
        def run(conn: sa.Connection) -> Any:
            row = (conn.execute(sa.select(queues).where(queues.c.name == name))).first()
            return _queue(row._mapping) if row else None

        return await self._read(run, point=True)

    async def list_queues(self: SQLStorage, limit: int, after_name: str | None) -> list[Queue]:
        def run(conn: sa.Connection) -> Any:
            stmt = sa.select(queues).order_by(queues.c.name).limit(limit)
            if after_name is not None:
                stmt = stmt.where(queues.c.name > after_name)
            return [_queue(row._mapping) for row in conn.execute(stmt)]

        return await self._read(run)

    async def update_queue(self: SQLStorage, name: str, at: datetime, **changes: Any) -> Queue | None:
        """Change the queue (None if there is none), writing `queue.paused` / `queue.resumed` when
        its pause flips, else `queue.updated` when anything changed."""

        def run(conn: sa.Connection) -> Any:
            find = sa.select(queues).where(queues.c.name == name)
            if self.dialect != "sqlite":
                find = find.with_for_update()
            row = (conn.execute(find)).first()
            if row is None:
                return None
            before = _queue(row._mapping)
            changed = {key: value for key, value in changes.items() if getattr(before, key) != value}
            if not changed:
                return before
            conn.execute(queues.update().where(queues.c.name == name).values(**changed, updated_at=at))
            after = _queue((conn.execute(sa.select(queues).where(queues.c.name == name))).one()._mapping)
            kind = "queue.updated"
            if "paused" in changed:
                kind = "queue.paused" if after.paused else "queue.resumed"
            self._append_events(conn, [queue_event(after, kind, at)])
            return after

        return await self._transaction(run)

    async def delete_queue(self: SQLStorage, name: str, at: datetime) -> bool:
        def run(conn: sa.Connection) -> Any:
            row = (conn.execute(sa.select(queues).where(queues.c.name == name))).first()
            if row is None:
                return False
            if (conn.execute(queues.delete().where(queues.c.name == name))).rowcount != 1:
                return False
            self._append_events(conn, [queue_event(_queue(row._mapping), "queue.deleted", at)])
            return True

        return await self._transaction(run)

    async def queue_stats(self: SQLStorage, name: str, now: datetime) -> dict[str, Any]:
        def run(conn: sa.Connection) -> Any:
            by_status = dict(
                (
                    conn.execute(
                        sa.select(jobs.c.status, sa.func.count())
                        .where(jobs.c.queue == name)
                        .group_by(jobs.c.status)
                    )
                ).all()
            )
            oldest = (
                conn.execute(
                    sa.select(sa.func.min(jobs.c.run_at)).where(
                        jobs.c.queue == name, jobs.c.status == JobStatus.PENDING.value
                    )
                )
            ).scalar_one()
            finished = (
                conn.execute(
                    sa.select(sa.func.count()).where(
                        jobs.c.queue == name,
                        jobs.c.finished_at >= now - timedelta(seconds=60),
                        jobs.c.status.in_(sorted(s.value for s in TERMINAL_STATES)),
                    )
                )
            ).scalar_one()
            return {
                "by_status": {status.value: int(by_status.get(status.value, 0)) for status in JobStatus},
                "oldest_pending_run_at": oldest,
                "finished_last_minute": int(finished),
            }

        return await self._read(run, long=True)
