"""Rows to domain objects, and the SELECT of a job with its owner's name: shared by every storage
mixin (kept out of sql.py so the mixins need not import the class that combines them)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from baton.backends.storage.tables import jobs, users
from sqlalchemy.engine import Row

from baton.models import Event, Execution, ExecutionStatus, Job, JobStatus, Role, User

__all__ = [
    "OWNER_NAME",
    "row_to_event",
    "row_to_execution",
    "row_to_job",
    "row_to_user",
    "running_execution",
    "select_jobs",
]


# a job's owner's name as a correlated subquery, not a join: with a join MariaDB drove the plan
# from `users` and sorted every job of the owner to return one page; this way each dialect walks
# the jobs index in page order and looks up the name for the returned rows only
OWNER_NAME = sa.select(users.c.username).where(users.c.id == jobs.c.owner_id).scalar_subquery().label("owner")


def select_jobs() -> sa.Select:
    return sa.select(*jobs.c, OWNER_NAME).select_from(jobs)


def row_to_job(row: Row) -> Job:
    m = row._mapping
    return Job(
        id=m["id"],
        name=m["name"],
        queue=m["queue"],
        command=list(m["command"]),
        priority=m["priority"],
        timeout_seconds=m["timeout_seconds"],
        max_retries=m["max_retries"],
        retry_backoff_seconds=m["retry_backoff_seconds"],
        labels=dict(m["labels"]),
        status=JobStatus(m["status"]),
        attempt=m["attempt"],
        retries_used=m["retries_used"],
        run_at=m["run_at"],
        owner_id=m["owner_id"],
        owner=m["owner"],
        created_at=m["created_at"],
        updated_at=m["updated_at"],
        started_at=m["started_at"],
        finished_at=m["finished_at"],
        exit_code=m["exit_code"],
        error=m["error"],
        worker=m["worker"],
        lease_expires_at=m["lease_expires_at"],
        schedule_id=m["schedule_id"],
        task=m["task"],
        payload=m["payload"],
        workflow_id=m["workflow_id"],
        step=m["step"],
    )


def row_to_user(m: Any) -> User:
    return User(
        id=m["id"],
        username=m["username"],
        password_hash=m["password_hash"],
        role=Role(m["role"]),
        disabled=bool(m["disabled"]),
        created_at=m["created_at"],
    )


def row_to_execution(row: Row) -> Execution:
    m = row._mapping
    return Execution(
        job_id=m["job_id"],
        attempt=m["attempt"],
        status=ExecutionStatus(m["status"]),
        worker=m["worker"],
        started_at=m["started_at"],
        finished_at=m["finished_at"],
        exit_code=m["exit_code"],
        stdout=m["stdout"],
        stderr=m["stderr"],
        stdout_truncated=bool(m["stdout_truncated"]),
        stderr_truncated=bool(m["stderr_truncated"]),
        error=m["error"],
        result=m["result"],
    )


def row_to_event(row: Row) -> Event:
    m = row._mapping
    return Event(
        id=int(m["id"]),
        type=m["type"],
        subject_type=m["subject_type"],
        subject_id=m["subject_id"],
        at=m["at"],
        data=dict(m["data"]),
        queue=m["queue"],
        worker_id=m["worker_id"],
        owner_id=m["owner_id"],
    )


def running_execution(job_id: str, attempt: int, worker: str, started_at: Any) -> dict[str, Any]:
    """The executions row a claim inserts: a running attempt with no output yet."""
    return {
        "job_id": job_id,
        "attempt": attempt,
        "status": ExecutionStatus.RUNNING.value,
        "worker": worker,
        "started_at": started_at,
        "stdout": "",
        "stderr": "",
        "stdout_truncated": False,
        "stderr_truncated": False,
    }
