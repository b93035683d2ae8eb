"""Storage of jobs apart from their transitions and lists (listing.py): insert (with
`job.created`), read, delete (with `job.deleted`), leases, and executions.

A mixin of SQLStorage (it uses its `_write()` helper, connections and `_append_events()`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from baton.backends.storage.rows import row_to_execution, row_to_job, select_jobs
from baton.backends.storage.tables import executions, job_labels, jobs

from baton.eventtypes import job_event
from baton.models import Execution, ExecutionStatus, Job, JobStatus

if TYPE_CHECKING:
    from baton.backends.storage.sql import SQLStorage

__all__ = ["JobsMixin"]


# built once: SQLAlchemy then finds its compiled form by the statement's memoized cache key, where
# a statement built per call is keyed afresh each time (a tenth of a GET's time)
_JOB_BY_ID = select_jobs().where(jobs.c.id == sa.bindparam("job_id"))


class JobsMixin:
    async def insert_job(self: SQLStorage, job: Job) -> None:
        await self.insert_jobs([job])

    async def insert_jobs(self: SQLStorage, batch: Sequence[Job]) -> None:
        """Insert every job, and its `job.created` event, in one transaction: all or none."""
        if not batch:
            return

        def run(conn: sa.Connection) -> None:
            self._insert_job_rows(conn, batch)

        return await self._transaction(run, point=len(batch) <= 20)

    def _insert_job_rows(self: SQLStorage, conn: sa.Connection, batch: Sequence[Job]) -> None:
        """Insert the jobs, their labels and `job.created` events in the caller's transaction."""
        rows = [
            {
                "id": job.id,
                "name": job.name,
                "queue": job.queue,
                "command": job.command,
                "priority": job.priority,
                "timeout_seconds": job.timeout_seconds,
                "max_retries": job.max_retries,
                "retry_backoff_seconds": job.retry_backoff_seconds,
                "labels": job.labels,
                "status": job.status.value,
                "attempt": job.attempt,
                "retries_used": job.retries_used,
                "run_at": job.run_at,
                "owner_id": job.owner_id,
                "created_at": job.created_at,
                "updated_at": job.updated_at,
                "schedule_id": job.schedule_id,
                "task": job.task,
                "payload": job.payload,
                "workflow_id": job.workflow_id,
                "step": job.step,
            }
            for job in batch
        ]
        labels = [
            {"job_id": job.id, "key": key, "value": value}
            for job in batch
            for key, value in job.labels.items()
        ]
        # executemany: one round trip per statement, not per job
        conn.execute(jobs.insert(), rows)
        if labels:
            conn.execute(job_labels.insert(), labels)
        self._append_events(conn, [job_event(job, "job.created", None, job.created_at) for job in batch])

    @staticmethod
    def _write_labels(conn: sa.Connection, job_id: str, labels: dict[str, str]) -> None:
        conn.execute(job_labels.delete().where(job_labels.c.job_id == job_id))
        if labels:
            rows = [{"job_id": job_id, "key": key, "value": value} for key, value in labels.items()]
            conn.execute(job_labels.insert(), rows)

    async def get_job(self: SQLStorage, job_id: str) -> Job | None:
        def run(conn: sa.Connection) -> Any:
            return self._get_job(conn, job_id)

        return await self._read(run, point=True)

    def _get_job(self: SQLStorage, conn: sa.Connection, job_id: str) -> Job | None:
        row = conn.execute(_JOB_BY_ID, {"job_id": job_id}).first()
        return row_to_job(row) if row else None

    async def delete_job(
        self: SQLStorage,
        job_id: str,
        statuses: Sequence[JobStatus],
        at: datetime,
        *,
        updated_at_was: datetime | None = None,
    ) -> bool:
        """Delete the job (and its executions), with a `job.deleted` event, if its status is one
        of `statuses` (and it was not modified since `updated_at_was`, when given)."""

        def run(conn: sa.Connection) -> Any:
            find = select_jobs().where(jobs.c.id == job_id, jobs.c.status.in_([s.value for s in statuses]))
            if updated_at_was is not None:
                find = find.where(jobs.c.updated_at == updated_at_was)
            if self.dialect != "sqlite":
                find = find.with_for_update(of=jobs)
            row = (conn.execute(find)).first()
            if row is None:
                return False
            job = row_to_job(row)
            # SQLite enforces ON DELETE CASCADE only with foreign_keys=ON; be explicit anyway
            conn.execute(executions.delete().where(executions.c.job_id == job_id))
            conn.execute(jobs.delete().where(jobs.c.id == job_id))
            self._append_events(conn, [job_event(job, "job.deleted", job.status, at)])
            return True

        return await self._transaction(run)

    async def renew_leases(
        self: SQLStorage, attempts: dict[str, int], worker: str, lease_expires_at: datetime
    ) -> set[str]:
        if not attempts:
            return set()

        def run(conn: sa.Connection) -> set[str]:
            rows = conn.execute(
                sa.select(jobs.c.id, jobs.c.attempt).where(
                    jobs.c.id.in_(list(attempts)),
                    jobs.c.status == JobStatus.RUNNING.value,
                    jobs.c.worker == worker,
                )
            )
            alive = {job_id for job_id, attempt in rows if attempts.get(job_id) == attempt}
            if alive:
                conn.execute(
                    jobs.update()
                    .where(jobs.c.id.in_(sorted(alive)), jobs.c.status == JobStatus.RUNNING.value)
                    .values(lease_expires_at=lease_expires_at)
                )
            return alive

        return await self._transaction(run)

    async def expired_leases(self: SQLStorage, now: datetime, limit: int) -> list[Job]:
        def run(conn: sa.Connection) -> Any:
            stmt = (
                select_jobs()
                .where(jobs.c.status == JobStatus.RUNNING.value, jobs.c.lease_expires_at < now)
                .order_by(jobs.c.lease_expires_at)
                .limit(limit)
            )
            return [row_to_job(row) for row in conn.execute(stmt)]

        return await self._read(run)

    async def mark_execution(self: SQLStorage, job_id: str, attempt: int, **changes: Any) -> None:
        def run(conn: sa.Connection) -> Any:
            values = {k: (v.value if isinstance(v, ExecutionStatus) else v) for k, v in changes.items()}
            conn.execute(
                executions.update()
                .where(
                    executions.c.job_id == job_id,
                    executions.c.attempt == attempt,
                    executions.c.status == ExecutionStatus.RUNNING.value,
                )
                .values(**values)
            )

        return await self._transaction(run)

    async def list_executions(
        self: SQLStorage, job_id: str, after_attempt: int, limit: int
    ) -> list[Execution]:
        def run(conn: sa.Connection) -> Any:
            stmt = (
                sa.select(executions)
                .where(executions.c.job_id == job_id, executions.c.attempt > after_attempt)
                .order_by(executions.c.attempt)
                .limit(limit)
            )
            return [row_to_execution(row) for row in conn.execute(stmt)]

        return await self._read(run, point=True)
