"""The storage operations the contract tests use, phrased with the state machine of
baton/states.py (the only way a job's status changes): claims, finishing, cancelling."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from baton.backends.storage import ClaimRequest
from baton.backends.storage.sql import SQLStorage

from baton import states
from baton.models import Execution, ExecutionStatus, Job, JobStatus, Outcome

__all__ = ["cancel", "claim_for_worker", "claim_job", "claim_pending", "complete", "finish", "reschedule"]


async def claim_pending(
    store: SQLStorage, limit: int, worker: str, now: datetime, lease: datetime, **request: Any
) -> list[Job]:
    return await store.claim(
        ClaimRequest(limit=limit, now=now, **request),
        lambda job_id, attempts: states.claim(job_id, attempts, worker, now, lease),
    )


async def claim_job(
    store: SQLStorage, job_id: str, attempt: int, worker: str, now: datetime, lease: datetime
) -> Job | None:
    """A hand-out of attempt `attempt` (arq): that job only."""
    claimed = await claim_pending(store, 1, worker, now, lease, job=(job_id, attempt - 1))
    return claimed[0] if claimed else None


async def claim_for_worker(
    store: SQLStorage, worker_id: str, queues: list[str], max_jobs: int, now: datetime, lease: datetime
) -> list[Job] | None:
    return await store.claim(
        ClaimRequest(limit=max_jobs, now=now, queues=frozenset(queues), pull_worker=worker_id),
        lambda job_id, attempts: states.claim(job_id, attempts, worker_id, now, lease),
    )


async def cancel(
    store: SQLStorage, job_id: str, reason: str = "cancelled", at: datetime | None = None
) -> Job | None:
    job = await store.get_job(job_id)
    at = at or job.updated_at + timedelta(microseconds=1)
    moved = await store.transition([states.cancel(job, reason, at)], at)
    return moved[0] if moved else None


def finish(job_id: str, attempt: int, outcome: Execution) -> states.Transition:
    """The move of a completed attempt (fenced by its attempt)."""
    return states.Transition(
        states.Move.COMPLETE,
        job_id,
        JobStatus.RUNNING,
        JobStatus.COMPLETED,
        {"finished_at": outcome.finished_at, "exit_code": outcome.exit_code, "lease_expires_at": None},
        attempt=attempt,
    )


async def complete(store: SQLStorage, job: Job, at: datetime | None = None) -> Job | None:
    at = at or job.started_at or job.updated_at
    outcome = Execution(job.id, job.attempt, ExecutionStatus.COMPLETED, job.worker or "", at, at, exit_code=0)
    return await store.finish_attempt(finish(job.id, job.attempt, outcome), outcome, at)


async def requeue_lost(store: SQLStorage, job: Job, at: datetime) -> Job | None:
    """The lease of the job's attempt ran out: back to pending without using a retry."""
    outcome = Outcome(ExecutionStatus.LOST, error="lost", interrupted=True)
    lost = Execution(job.id, job.attempt, ExecutionStatus.LOST, job.worker or "", at, at)
    return await store.finish_attempt(states.after_attempt(job, outcome, at), lost, at)


async def reschedule(
    store: SQLStorage, job: Job, at: datetime, *, check_version: bool = False, **changes: Any
) -> Job | None:
    moved = await store.transition([states.reschedule(job, changes, at, check_version=check_version)], at)
    return moved[0] if moved else None
