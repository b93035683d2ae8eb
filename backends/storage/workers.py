"""Storage of pull workers (robots, agents that take jobs over HTTP): registration, heartbeats,
lease extension, deregistration, the announcement of their derived status, and the fleet's figures.

A mixin of SQLStorage (it uses its `_write()`, connections, `_apply()` and `_append_events()`).
A pull worker's claim is `claim()` of transitions.py; deregistration re-queues the worker's jobs
through the same transition primitive."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from baton.backends.storage.tables import executions, jobs, worker_labels, worker_queues, workers
from baton.backends.storage.transitions import running_on

from baton.eventtypes import worker_event
from baton.models import ExecutionStatus, JobStatus, Worker, WorkerState
from baton.states import Transition

if TYPE_CHECKING:
    from baton.backends.storage.sql import SQLStorage

__all__ = ["WorkersMixin"]


def _select_workers() -> sa.Select:
    return sa.select(workers, running_on(workers.c.id).label("running_jobs"))


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
        tasks=list(m["tasks"] or []),
    )


class WorkersMixin:
    async def insert_worker(self: SQLStorage, worker: Worker) -> None:
        """Register the worker, with its `worker.registered` event."""

        def run(conn: sa.Connection) -> Any:
            conn.execute(
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
                    reported_status="online",  # registering is a sign of life
                    tasks=worker.tasks or None,
                )
            )
            conn.execute(
                worker_queues.insert(), [{"worker_id": worker.id, "queue": queue} for queue in worker.queues]
            )
            if worker.labels:
                conn.execute(
                    worker_labels.insert(),
                    [{"worker_id": worker.id, "key": k, "value": v} for k, v in worker.labels.items()],
                )
            self._append_events(conn, [worker_event(worker, "worker.registered", worker.registered_at)])

        return await self._transaction(run)

    async def worker_task_names(self: SQLStorage) -> set[str]:
        """The registered Python tasks of every registered pull worker (whatever its status: one
        that is away for a moment still takes the job when it is back)."""

        def run(conn: sa.Connection) -> set[str]:
            rows = conn.execute(sa.select(workers.c.tasks).where(workers.c.tasks.is_not(None)))
            return {name for (names,) in rows for name in names or []}

        return await self._read(run)

    async def get_worker(self: SQLStorage, worker_id: str) -> Worker | None:
        def run(conn: sa.Connection) -> Any:
            return self._get_worker(conn, worker_id)

        return await self._read(run, point=True)

    @staticmethod
    def _get_worker(conn: sa.Connection, worker_id: str) -> Worker | None:
        row = (conn.execute(_select_workers().where(workers.c.id == worker_id))).first()
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

        def run(conn: sa.Connection) -> Any:
            stmt = _select_workers().order_by(workers.c.id).limit(limit)
            if after_id is not None:
                stmt = stmt.where(workers.c.id > after_id)
            if queue is not None:
                stmt = stmt.where(
                    workers.c.id.in_(
                        sa.select(worker_queues.c.worker_id).where(worker_queues.c.queue == queue)
                    )
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
            return [_worker(row._mapping) for row in conn.execute(stmt)]

        return await self._read(run)

    async def update_worker(self: SQLStorage, worker_id: str, at: datetime, **changes: Any) -> Worker | None:
        """Change `load`, `capacity`, `state` and `last_heartbeat_at`; None if there is no such worker.
        A draining worker stays draining; the move to draining writes `worker.drained`."""

        def run(conn: sa.Connection) -> Any:
            values = {k: (v.value if isinstance(v, WorkerState) else v) for k, v in changes.items()}
            drain = values.pop("state", None) == WorkerState.DRAINING.value  # active is one-way
            if values:
                conn.execute(workers.update().where(workers.c.id == worker_id).values(**values))
            drained = (
                drain
                and (
                    conn.execute(
                        workers.update()
                        .where(workers.c.id == worker_id, workers.c.state == WorkerState.ACTIVE.value)
                        .values(state=WorkerState.DRAINING.value)
                    )
                ).rowcount
                == 1
            )
            worker = self._get_worker(conn, worker_id)
            if drained and worker is not None:
                self._append_events(conn, [worker_event(worker, "worker.drained", at)])
            return worker

        return await self._transaction(run)

    async def delete_worker(
        self: SQLStorage, worker_id: str, at: datetime, requeue: Callable[[str, int], Transition]
    ) -> list[str] | None:
        """Forget the worker and re-queue the jobs it runs with `requeue(job id, attempt)` (their
        executions `lost`), writing `worker.deregistered`: one transaction. Returns the re-queued
        job ids; None if there was no such worker."""

        def run(conn: sa.Connection) -> Any:
            if not self._lock_worker(conn, worker_id):
                return None
            worker = self._get_worker(conn, worker_id)
            running = (
                conn.execute(
                    sa.select(jobs.c.id, jobs.c.attempt)
                    .where(jobs.c.worker == worker_id, jobs.c.status == JobStatus.RUNNING.value)
                    .order_by(jobs.c.id)
                )
            ).all()
            moves = [requeue(job_id, attempt) for job_id, attempt in running]
            moved, events = self._apply(conn, moves, at)
            attempts = dict(running)
            for job in moved:  # their attempts were lost; the job's error says why
                conn.execute(
                    executions.update()
                    .where(
                        executions.c.job_id == job.id,
                        executions.c.attempt == attempts[job.id],
                        executions.c.status == ExecutionStatus.RUNNING.value,
                    )
                    .values(status=ExecutionStatus.LOST.value, finished_at=at, error=job.error)
                )
            # the label and queue rows go by ON DELETE CASCADE; said explicitly for SQLite's sake
            conn.execute(worker_queues.delete().where(worker_queues.c.worker_id == worker_id))
            conn.execute(worker_labels.delete().where(worker_labels.c.worker_id == worker_id))
            conn.execute(workers.delete().where(workers.c.id == worker_id))
            self._append_events(conn, [*events, worker_event(worker, "worker.deregistered", at)])
            return [job.id for job in moved]

        return await self._transaction(run, point=False)

    def _lock_worker(self: SQLStorage, conn: sa.Connection, worker_id: str) -> Any:
        """The worker's row, locked until commit (claims and deregistration of one worker queue
        up on it; SQLite's BEGIN IMMEDIATE already serializes every writer)."""
        columns = (workers.c.state, workers.c.capacity, workers.c.tasks)
        stmt = sa.select(*columns).where(workers.c.id == worker_id)
        if self.dialect != "sqlite":
            stmt = stmt.with_for_update()
        return (conn.execute(stmt)).first()

    async def extend_lease(
        self: SQLStorage, job_id: str, worker_id: str, attempt: int, lease_expires_at: datetime
    ) -> bool:
        """Compare-and-set: only while the job runs this attempt on this worker."""

        def run(conn: sa.Connection) -> Any:
            result = conn.execute(
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

        return await self._transaction(run)

    async def fleet_figures(
        self: SQLStorage, online_after: datetime, offline_before: datetime
    ) -> dict[str, Any]:
        """Worker counts by derived status, the capacity and load of those not offline, jobs by
        status, and pending/running jobs per queue."""

        def run(conn: sa.Connection) -> Any:
            seen = workers.c.last_heartbeat_at
            status = sa.case(
                (seen >= online_after, "online"), (seen >= offline_before, "stale"), else_="offline"
            ).label("status")
            by_worker_status = {
                name: (count, capacity, load)
                for name, count, capacity, load in conn.execute(
                    sa.select(
                        status,
                        sa.func.count(),
                        sa.func.coalesce(sa.func.sum(workers.c.capacity), 0),
                        sa.func.coalesce(sa.func.sum(workers.c.load), 0),
                    ).group_by(status)
                )
            }
            jobs_by_status = dict(
                (conn.execute(sa.select(jobs.c.status, sa.func.count()).group_by(jobs.c.status))).all()
            )
            depths = (
                conn.execute(
                    sa.select(jobs.c.queue, jobs.c.status, sa.func.count())
                    .where(jobs.c.status.in_([JobStatus.PENDING.value, JobStatus.RUNNING.value]))
                    .group_by(jobs.c.queue, jobs.c.status)
                )
            ).all()
            on_workers = (
                conn.execute(
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

        return await self._read(run)
