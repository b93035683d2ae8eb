"""Domain objects to API bodies, exactly as the spec's schemas describe them."""

from __future__ import annotations

from typing import Any

from baton.models import ROLE_SCOPES, Execution, Job, User
from baton.timeutil import isoformat

__all__ = ["execution_view", "job_view", "page_view", "user_view"]


def job_view(job: Job) -> dict[str, Any]:
    return {
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
        "run_at": isoformat(job.run_at),
        "owner": job.owner,
        "created_at": isoformat(job.created_at),
        "updated_at": isoformat(job.updated_at),
        "started_at": isoformat(job.started_at),
        "finished_at": isoformat(job.finished_at),
        "exit_code": job.exit_code,
        "error": job.error,
    }


def execution_view(execution: Execution) -> dict[str, Any]:
    duration = None
    if execution.finished_at is not None:
        duration = round((execution.finished_at - execution.started_at).total_seconds(), 6)
    return {
        "attempt": execution.attempt,
        "status": execution.status.value,
        "worker": execution.worker,
        "started_at": isoformat(execution.started_at),
        "finished_at": isoformat(execution.finished_at),
        "duration_seconds": duration,
        "exit_code": execution.exit_code,
        "stdout": execution.stdout,
        "stderr": execution.stderr,
        "stdout_truncated": execution.stdout_truncated,
        "stderr_truncated": execution.stderr_truncated,
        "error": execution.error,
    }


def user_view(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "username": user.username,
        "role": user.role.value,
        "scopes": sorted(ROLE_SCOPES[user.role]),
        "created_at": isoformat(user.created_at),
    }


def page_view(items: list[dict[str, Any]], limit: int, next_cursor: str | None) -> dict[str, Any]:
    return {
        "data": items,
        "pagination": {"limit": limit, "next_cursor": next_cursor, "has_next": next_cursor is not None},
    }
