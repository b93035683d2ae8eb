"""Storage for queue-style executors (arq): a worker claims one job it was handed, the server lists
the due pending jobs to hand out, and the reconciler asks where given jobs stand.

A mixin of SQLStorage (it uses its `_write()` / `_get_job()` helpers), kept apart from sql.py so
the executor's storage needs live in one place."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple

import sqlalchemy as sa
from baton.backends.storage.queues import admit, paused_queues
from baton.backends.storage.tables import executions, jobs

from baton.models import ExecutionStatus, Job, JobStatus

if TYPE_CHECKING:
    from baton.backends.storage.sql import SQLStorage

__all__ = ["ClaimsMixin", "DueJob"]

# SQLite accepts at most 999 bound parameters per statement in older builds
_IN_CHUNK = 500


class DueJob(NamedTuple):
    """A pending job whose run_at has come, as much of it as a queue needs to hand it out."""

    id: str
    queue: str
    attempt: int  # attempts so far: the next one is attempt + 1
    priority: int
    run_at: datetime


class ClaimsMixin:
    async def claim_job(
        self: SQLStorage, job_id: str, attempt: int, worker: str, now: datetime, lease_expires_at: datetime
    ) -> Job | None:
        """Compare-and-set one job from pending (attempt - 1 attempts so far, due by `now`) to
        running attempt `attempt` on `worker`, with a running execution row; None when it does
        not hold (cancelled, claimed by someone else, changed or not due), or its queue does not
        admit it now (paused, or at its max_concurrency)."""
        async with self._write() as conn:
            # a locking read: on MySQL/MariaDB the first consistent read must come after the
            # queue's lock (see admit())
            find = sa.select(jobs.c.queue).where(jobs.c.id == job_id)
            if self.dialect != "sqlite":
                find = find.with_for_update()
            queue = (await conn.execute(find)).scalar_one_or_none()
            if queue is None or not await admit(conn, self.dialect, [(job_id, queue)]):
                return None
            result = await conn.execute(
                jobs.update()
                .where(
                    jobs.c.id == job_id,
                    jobs.c.status == JobStatus.PENDING.value,
                    jobs.c.attempt == attempt - 1,
                    jobs.c.run_at <= now,
                )
                .values(
                    status=JobStatus.RUNNING.value,
                    attempt=attempt,
                    worker=worker,
                    lease_expires_at=lease_expires_at,
                    started_at=now,
                    finished_at=None,
                    exit_code=None,
                    updated_at=now,
                )
            )
            if result.rowcount != 1:
                return None
            await conn.execute(
                executions.insert().values(
                    job_id=job_id,
                    attempt=attempt,
                    status=ExecutionStatus.RUNNING.value,
                    worker=worker,
                    started_at=now,
                    stdout="",
                    stderr="",
                    stdout_truncated=False,
                    stderr_truncated=False,
                )
            )
            return await self._get_job(conn, job_id)

    async def due_pending(
        self: SQLStorage, now: datetime, limit: int, after: Sequence | None = None
    ) -> list[DueJob]:
        """Up to `limit` pending jobs due by `now`, in dispatch order (priority, run_at, creation);
        with `after` (a DueJob of the previous page), the ones that follow it."""
        stmt = (
            sa.select(jobs.c.id, jobs.c.queue, jobs.c.attempt, jobs.c.priority, jobs.c.run_at)
            .where(
                jobs.c.status == JobStatus.PENDING.value,
                jobs.c.run_at <= now,
                jobs.c.queue.not_in(paused_queues()),
            )
            .order_by(jobs.c.priority.desc(), jobs.c.run_at, jobs.c.id)
            .limit(limit)
        )
        if after is not None:
            last = DueJob(*after)
            stmt = stmt.where(
                sa.or_(
                    jobs.c.priority < last.priority,
                    sa.and_(
                        jobs.c.priority == last.priority,
                        sa.or_(
                            jobs.c.run_at > last.run_at,
                            sa.and_(jobs.c.run_at == last.run_at, jobs.c.id > last.id),
                        ),
                    ),
                )
            )
        async with self._engine.connect() as conn:
            return [DueJob(*row) for row in await conn.execute(stmt)]

    async def job_states(self: SQLStorage, job_ids: Sequence[str]) -> dict[str, tuple[JobStatus, int]]:
        """Status and attempt of each of the given jobs that exists."""
        states: dict[str, tuple[JobStatus, int]] = {}
        ids = sorted(set(job_ids))
        async with self._engine.connect() as conn:
            for start in range(0, len(ids), _IN_CHUNK):
                chunk = ids[start : start + _IN_CHUNK]
                rows = await conn.execute(
                    sa.select(jobs.c.id, jobs.c.status, jobs.c.attempt).where(jobs.c.id.in_(chunk))
                )
                states.update({job_id: (JobStatus(status), attempt) for job_id, status, attempt in rows})
        return states
