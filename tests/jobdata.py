"""Jobs and executions with chosen times, written straight into a server's database: analytics
tests need run times and waits no real job would take exactly, and the benches a million rows
(the API would take hours). Works on every dialect, through the storage backend itself."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from baton.backends.storage import create_storage
from baton.backends.storage.tables import executions, job_labels, jobs, users

from baton.timeutil import new_id

__all__ = ["SeedJob", "insert_jobs", "owner_id", "synthetic_jobs"]

BATCH = 5000


@dataclass
class SeedJob:
    created_at: datetime
    status: str = "completed"
    queue: str = "default"
    name: str = "seeded"
    labels: dict[str, str] = field(default_factory=dict)
    wait: float | None = 0.0  # seconds from run_at (= created_at) to start; None: never started
    durations: tuple[float, ...] = (1.0,)  # one finished execution per value
    id: str = field(default_factory=new_id)


def _rows(job: SeedJob, owner: str) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
    started = None if job.wait is None else job.created_at + timedelta(seconds=job.wait)
    runs, at = [], started
    for attempt, seconds in enumerate(job.durations if started else (), start=1):
        end = at + timedelta(seconds=seconds)
        runs.append(
            {
                "job_id": job.id, "attempt": attempt, "status": "completed" if job.status == "completed"
                else "failed", "worker": "seed", "started_at": at, "finished_at": end, "exit_code": 0,
                "stdout": "", "stderr": "", "stdout_truncated": False, "stderr_truncated": False,
                "error": None,
            }
        )  # fmt: skip
        at = end
    row = {
        "id": job.id, "name": job.name, "queue": job.queue, "command": ["true"], "priority": 5,
        "timeout_seconds": 60, "max_retries": 0, "retry_backoff_seconds": 10, "labels": job.labels,
        "status": job.status, "attempt": len(runs), "retries_used": 0, "run_at": job.created_at,
        "owner_id": owner, "created_at": job.created_at, "updated_at": at or job.created_at,
        "started_at": started, "finished_at": at if job.status not in ("pending", "scheduled", "running")
        and started else None, "exit_code": None, "error": None, "worker": None, "lease_expires_at": None,
    }  # fmt: skip
    labels = [{"job_id": job.id, "key": k, "value": v} for k, v in job.labels.items()]
    return row, runs, labels


async def _insert(url: str, owner_name: str, seeds: Iterable[SeedJob]) -> int:
    storage = create_storage(url)
    await storage.connect()
    try:
        owner = await storage._read(
            lambda conn: conn.execute(
                sa.select(users.c.id).where(users.c.username == owner_name)
            ).scalar_one()
        )
        written, batch = 0, []
        for seed in seeds:
            batch.append(_rows(seed, owner))
            if len(batch) == BATCH:
                written += await _write(storage, batch)
                batch = []
        if batch:
            written += await _write(storage, batch)
        return written
    finally:
        await storage.close()


async def _write(storage: Any, batch: list[Any]) -> int:
    def run(conn: sa.Connection) -> None:
        conn.execute(jobs.insert(), [row for row, _, _ in batch])
        runs = [run for _, found, _ in batch for run in found]
        if runs:
            conn.execute(executions.insert(), runs)
        labels = [label for _, _, found in batch for label in found]
        if labels:
            conn.execute(job_labels.insert(), labels)

    await storage._transaction(run, point=False)
    return len(batch)


def insert_jobs(url: str, seeds: Iterable[SeedJob], owner: str = "admin") -> int:
    """Write the jobs (owned by the user named `owner`) and their executions; how many jobs."""
    return asyncio.run(_insert(url, owner, seeds))


def owner_id(url: str, username: str) -> str:
    async def find() -> str:
        storage = create_storage(url)
        await storage.connect()
        try:
            query = sa.select(users.c.id).where(users.c.username == username)
            return await storage._read(lambda conn: conn.execute(query).scalar_one())
        finally:
            await storage.close()

    return asyncio.run(find())


def synthetic_jobs(
    count: int, start: datetime, span: timedelta, queues: int = 8, names: int = 200
) -> Iterator[SeedJob]:
    """`count` jobs spread evenly over `span` from `start`: mostly completed, some failed, a few
    pending; run times and waits spread over orders of magnitude (deterministic)."""
    step = span / count
    for i in range(count):
        status = "failed" if i % 17 == 0 else "pending" if i % 101 == 0 else "completed"
        yield SeedJob(
            created_at=start + step * i,
            status=status,
            queue=f"queue-{i % queues}",
            name=f"job-{(i * 7919) % names}",
            wait=None if status == "pending" else (i % 1000) / 100.0,
            durations=() if status == "pending" else (0.01 * (1 + (i * 31) % 5000),),
        )
