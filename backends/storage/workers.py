"""Storage of pull workers (robots, agents that take jobs over HTTP): registration, heartbeats,
their claims with label affinity, lease extension, deregistration, and the fleet's figures.

A mixin of SQLStorage (it uses its `_write()`, `_engine`, `_select_jobs()` and `_get_job()`).
Every job transition here is a compare-and-set, like everywhere else; a claim applies the same
queue admission (`admit()`) as every other claim."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from baton.backends.storage.queues import admit, paused_queues
from baton.backends.storage.tables import executions, job_labels, jobs, worker_labels, worker_queues, workers

from baton.models import ExecutionStatus, Job, JobStatus, Worker, WorkerState

if TYPE_CHECKING:
    from baton.backends.storage.sql import SQLStorage
    from sqlalchemy.ext.asyncio import AsyncConnection

__all__ = ["WorkersMixin"]


def _running_on(worker_id: Any) -> sa.ScalarSelect:
    return (
        sa.select(sa.func.count())
        .select_from(jobs)
        .where(jobs.c.worker == worker_id, jobs.c.status == JobStatus.RUNNING.value)
        .scalar_subquery()
    )


def _select_workers() -> sa.Select:
    return sa.select(workers, _running_on(workers.c.id).label("running_jobs"))


def _worker(m: Any) -> Worker:
    return Worker(
        id=m["id"],
        name=m["name"],
        hostname=m["hostname"],
        queues=list(m["queues"]),
        labels=dict(m["labels"]),
        capacity=m["capacity"],
        load=m["load"],
        state=WorkerState(m["state"]),
        registered_at=m["registered_at"],
        last_heartbeat_at=m["last_heartbeat_at"],
        running_jobs=int(m["running_jobs"]),
    )


def _claimable(queues: Sequence[str], labels: dict[str, str], now: datetime) -> list[Any]:
    """Conditions of a job this worker may take now: due, pending, of one of `queues` that is not
    paused, and every label of the job present on the worker with the same value."""
    foreign_label = sa.select(job_labels.c.job_id).where(job_labels.c.job_id == jobs.c.id)
    if labels:
        foreign_label = foreign_label.where(
            sa.not_(
                sa.or_(
                    *(
                        sa.and_(job_labels.c.key == key, job_labels.c.value == value)
                        for key, value in sorted(labels.items())
                    )
                )
            )
        )
    return [
        jobs.c.status == JobStatus.PENDING.value,
        jobs.c.run_at <= now,
        jobs.c.queue.in_(sorted(queues)),
        jobs.c.queue.not_in(paused_queues()),
        ~sa.exists(foreign_label),
    ]


class WorkersMixin:
    async def insert_worker(self: SQLStorage, worker: Worker) -> None:
        async with self._write() as conn:
            await conn.execute(
                workers.insert().values(
                    id=worker.id,
                    name=worker.name,
                    hostname=worker.hostname,
                    queues=worker.queues,
                    labels=worker.labels,
                    capacity=worker.capacity,
                    load=worker.load,
                    state=worker.state.value,
                    registered_at=worker.registered_at,
                    last_heartbeat_at=worker.last_heartbeat_at,
                )
            )
            await conn.execute(
                worker_queues.insert(), [{"worker_id": worker.id, "queue": queue} for queue in worker.queues]
            )
            if worker.labels:
                await conn.execute(
                    worker_labels.insert(),
                    [{"worker_id": worker.id, "key": k, "value": v} for k, v in worker.labels.items()],
                )

    async def get_worker(self: SQLStorage, worker_id: str) -> Worker | None:
        async with self._engine.connect() as conn:
            return await self._get_worker(conn, worker_id)

    @staticmethod
    async def _get_worker(conn: AsyncConnection, worker_id: str) -> Worker | None:
        row = (await conn.execute(_select_workers().where(workers.c.id == worker_id))).first()
        return _worker(row._mapping) if row else None

    async def list_workers(
        self: SQLStorage,
        limit: int,
        after_id: str | None = None,
        *,
        queue: str | None = None,
        labels: Sequence[tuple[str, str]] = (),
        heartbeat_ranges: Sequence[tuple[datetime | None, datetime | None]] = (),
    ) -> list[Worker]:
        """Workers by id (registration order) after `after_id`; with `heartbeat_ranges`, only those
        whose last heartbeat lies in one of the [low, high) ranges (None: unbounded)."""
        stmt = _select_workers().order_by(workers.c.id).limit(limit)
        if after_id is not None:
            stmt = stmt.where(workers.c.id > after_id)
        if queue is not None:
            stmt = stmt.where(
                workers.c.id.in_(sa.select(worker_queues.c.worker_id).where(worker_queues.c.queue == queue))
            )
        for key, value in labels:
            stmt = stmt.where(
                workers.c.id.in_(
                    sa.select(worker_labels.c.worker_id).where(
                        worker_labels.c.key == key, worker_labels.c.value == value
                    )
                )
            )
        if heartbeat_ranges:
            ranges = []
            for low, high in heartbeat_ranges:
                bounds = []
                if low is not None:
                    bounds.append(workers.c.last_heartbeat_at >= low)
                if high is not None:
                    bounds.append(workers.c.last_heartbeat_at < high)
                ranges.append(sa.and_(sa.true(), *bounds))
            stmt = stmt.where(sa.or_(*ranges))
        async with self._engine.connect() as conn:
            return [_worker(row._mapping) for row in await conn.execute(stmt)]

    async def update_worker(self: SQLStorage, worker_id: str, **changes: Any) -> Worker | None:
        """Change `load`, `capacity`, `state` and `last_heartbeat_at`; None if there is no such worker.
        A draining worker stays draining."""
        values = {k: (v.value if isinstance(v, WorkerState) else v) for k, v in changes.items()}
        if values.get("state") == WorkerState.ACTIVE.value:
            values.pop("state")  # draining is one-way; active is what a new worker is anyway
        async with self._write() as conn:
            if values:
                await conn.execute(workers.update().where(workers.c.id == worker_id).values(**values))
            return await self._get_worker(conn, worker_id)

    async def delete_worker(self: SQLStorage, worker_id: str, now: datetime, reason: str) -> list[str] | None:
        """Forget the worker and re-queue the jobs it runs (pending now, no retry used, their
        executions `lost`): one transaction. Returns the re-queued job ids; None if there was
        no such worker."""
        async with self._write() as conn:
            if not await self._lock_worker(conn, worker_id):
                return None
            running = (
                await conn.execute(
                    sa.select(jobs.c.id, jobs.c.attempt)
                    .where(jobs.c.worker == worker_id, jobs.c.status == JobStatus.RUNNING.value)
                    .order_by(jobs.c.id)
                )
            ).all()
            requeued = []
            for job_id, attempt in running:
                moved = await conn.execute(
                    jobs.update()
                    .where(
                        jobs.c.id == job_id,
                        jobs.c.status == JobStatus.RUNNING.value,
                        jobs.c.attempt == attempt,
                        jobs.c.worker == worker_id,
                    )
                    .values(
                        status=JobStatus.PENDING.value,
                        run_at=now,
                        lease_expires_at=None,
                        finished_at=None,
                        exit_code=None,
                        error=reason,
                        updated_at=now,
                    )
                )
                if moved.rowcount != 1:
                    continue
                requeued.append(job_id)
                await conn.execute(
                    executions.update()
                    .where(
                        executions.c.job_id == job_id,
                        executions.c.attempt == attempt,
                        executions.c.status == ExecutionStatus.RUNNING.value,
                    )
                    .values(status=ExecutionStatus.LOST.value, finished_at=now, error=reason)
                )
            # the label and queue rows go by ON DELETE CASCADE; said explicitly for SQLite's sake
            await conn.execute(worker_queues.delete().where(worker_queues.c.worker_id == worker_id))
            await conn.execute(worker_labels.delete().where(worker_labels.c.worker_id == worker_id))
            await conn.execute(workers.delete().where(workers.c.id == worker_id))
            return requeued

    async def _lock_worker(self: SQLStorage, conn: AsyncConnection, worker_id: str) -> Any:
        """The worker's row, locked until commit (claims and deregistration of one worker queue
        up on it; SQLite's BEGIN IMMEDIATE already serializes every writer)."""
        stmt = sa.select(workers.c.state, workers.c.capacity).where(workers.c.id == worker_id)
        if self.dialect != "sqlite":
            stmt = stmt.with_for_update()
        return (await conn.execute(stmt)).first()

    async def claimable_exists(
        self: SQLStorage, queues: Sequence[str], labels: dict[str, str], now: datetime
    ) -> bool:
        """Whether a job this worker could take is due (a cheap read for the long poll: it says
        when a claim is worth its write transaction)."""
        stmt = sa.select(jobs.c.id).where(*_claimable(queues, labels, now)).limit(1)
        async with self._engine.connect() as conn:
            return (await conn.execute(stmt)).first() is not None

    async def claim_for_worker(
        self: SQLStorage,
        worker_id: str,
        queues: Sequence[str],
        max_jobs: int,
        now: datetime,
        lease_expires_at: datetime,
    ) -> list[Job] | None:
        """Move up to `max_jobs` jobs the worker may take (see `_claimable`), within its free
        capacity and queue admission, to running on it in dispatch order, each with a running
        execution; the claim counts as a heartbeat. None if the worker does not exist or is
        draining (nothing changes then)."""
        async with self._write() as conn:
            found = await self._lock_worker(conn, worker_id)
            if found is None or found.state != WorkerState.ACTIVE.value:
                return None
            await conn.execute(
                workers.update().where(workers.c.id == worker_id).values(last_heartbeat_at=now)
            )
            busy = (await conn.execute(sa.select(_running_on(worker_id)))).scalar_one()
            room = min(max_jobs, found.capacity - busy)
            if room <= 0:
                return []
            labels = {
                key: value
                for key, value in await conn.execute(
                    sa.select(worker_labels.c.key, worker_labels.c.value).where(
                        worker_labels.c.worker_id == worker_id
                    )
                )
            }
            candidates = (
                sa.select(jobs.c.id, jobs.c.attempt, jobs.c.queue)
                .where(*_claimable(queues, labels, now))
                .order_by(jobs.c.priority.desc(), jobs.c.run_at, jobs.c.id)
                # more than asked: a queue at its limit must not hide the jobs behind it
                .limit(min(room * 4, room + 400))
            )
            if self.dialect != "sqlite":
                # concurrent claimers skip each other's rows instead of queueing behind them
                candidates = candidates.with_for_update(skip_locked=True)
            rows = (await conn.execute(candidates)).all()
            admitted = await admit(conn, self.dialect, [(job_id, queue) for job_id, _, queue in rows])
            chosen = [(job_id, attempt) for job_id, attempt, _ in rows if job_id in admitted][:room]
            claimed: list[str] = []
            for job_id, attempt in chosen:
                moved = await conn.execute(
                    jobs.update()
                    .where(
                        jobs.c.id == job_id,
                        jobs.c.status == JobStatus.PENDING.value,
                        jobs.c.attempt == attempt,
                    )
                    .values(
                        status=JobStatus.RUNNING.value,
                        attempt=attempt + 1,
                        worker=worker_id,
                        lease_expires_at=lease_expires_at,
                        started_at=now,
                        finished_at=None,
                        exit_code=None,
                        updated_at=now,
                    )
                )
                if moved.rowcount != 1:
                    continue  # the compare-and-set guard: taken or changed meanwhile
                claimed.append(job_id)
                await conn.execute(
                    executions.insert().values(
                        job_id=job_id,
                        attempt=attempt + 1,
                        status=ExecutionStatus.RUNNING.value,
                        worker=worker_id,
                        started_at=now,
                        stdout="",
                        stderr="",
                        stdout_truncated=False,
                        stderr_truncated=False,
                    )
                )
            if not claimed:
                return []
            from baton.backends.storage.sql import _row_to_job  # sql.py imports this module

            result = await conn.execute(self._select_jobs().where(jobs.c.id.in_(claimed)))
            by_id = {job.id: job for job in map(_row_to_job, result)}
        return [by_id[job_id] for job_id in claimed]

    async def extend_lease(
        self: SQLStorage, job_id: str, worker_id: str, attempt: int, lease_expires_at: datetime
    ) -> bool:
        """Compare-and-set: only while the job runs this attempt on this worker."""
        async with self._write() as conn:
            result = await conn.execute(
                jobs.update()
                .where(
                    jobs.c.id == job_id,
                    jobs.c.status == JobStatus.RUNNING.value,
                    jobs.c.attempt == attempt,
                    jobs.c.worker == worker_id,
                )
                .values(lease_expires_at=lease_expires_at)
            )
        return result.rowcount == 1

    async def fleet_figures(
        self: SQLStorage, online_after: datetime, offline_before: datetime
    ) -> dict[str, Any]:
        """Worker counts by derived status, the capacity and load of those not offline, jobs by
        status, and pending/running jobs per queue."""
        seen = workers.c.last_heartbeat_at
        status = sa.case(
            (seen >= online_after, "online"), (seen >= offline_before, "stale"), else_="offline"
        ).label("status")
        async with self._engine.connect() as conn:
            by_worker_status = {
                name: (count, capacity, load)
                for name, count, capacity, load in await conn.execute(
                    sa.select(
                        status,
                        sa.func.count(),
                        sa.func.coalesce(sa.func.sum(workers.c.capacity), 0),
                        sa.func.coalesce(sa.func.sum(workers.c.load), 0),
                    ).group_by(status)
                )
            }
            jobs_by_status = dict(
                (await conn.execute(sa.select(jobs.c.status, sa.func.count()).group_by(jobs.c.status))).all()
            )
            depths = (
                await conn.execute(
                    sa.select(jobs.c.queue, jobs.c.status, sa.func.count())
                    .where(jobs.c.status.in_([JobStatus.PENDING.value, JobStatus.RUNNING.value]))
                    .group_by(jobs.c.queue, jobs.c.status)
                )
            ).all()
            on_workers = (
                await conn.execute(
                    sa.select(sa.func.count())
                    .select_from(jobs)
                    .where(
                        jobs.c.status == JobStatus.RUNNING.value,
                        jobs.c.worker.in_(sa.select(workers.c.id)),
                    )
                )
            ).scalar_one()
        return {
            "by_worker_status": {k: tuple(int(x) for x in v) for k, v in by_worker_status.items()},
            "jobs_by_status": {s.value: int(jobs_by_status.get(s.value, 0)) for s in JobStatus},
            "depths": [(queue, JobStatus(s), int(count)) for queue, s, count in depths],
            "running_on_workers": int(on_workers),
        }
