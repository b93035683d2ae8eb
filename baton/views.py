"""Domain objects to API bodies, exactly as the spec's schemas describe them."""

from __future__ import annotations

from typing import Any

from baton.errors import BatonError
from baton.models import ROLE_SCOPES, ApiKey, AuditEvent, Execution, Job, Queue, User
from baton.problems import problem_body
from baton.timeutil import isoformat, utcnow

__all__ = [
    "api_key_view",
    "audit_event_view",
    "batch_view",
    "execution_view",
    "job_view",
    "page_view",
    "queue_view",
    "user_view",
]


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
        # by key: the same job gives the same bytes (and ETag) whatever order its storage kept
        "labels": dict(sorted(job.labels.items())),
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
        "disabled": user.disabled,
        "created_at": isoformat(user.created_at),
    }


def api_key_view(key: ApiKey) -> dict[str, Any]:
    """Never the secret nor its hash."""
    return {
        "id": key.id,
        "name": key.name,
        "prefix": key.prefix,
        "owner": key.owner,
        "scopes": key.scopes,
        "created_at": isoformat(key.created_at),
        "expires_at": isoformat(key.expires_at),
        "last_used_at": isoformat(key.last_used_at),
        "revoked_at": isoformat(key.revoked_at),
        "active": key.active(utcnow()),
    }


def audit_event_view(event: AuditEvent) -> dict[str, Any]:
    return {
        "id": event.id,
        "at": isoformat(event.at),
        "action": event.action,
        "outcome": event.outcome,
        "actor_id": event.actor_id,
        "actor": event.actor,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "client": event.client,
        "details": event.details,
    }


def page_view(
    items: list[dict[str, Any]], limit: int, next_cursor: str | None, *, total: int | None = None
) -> dict[str, Any]:
    pagination: dict[str, Any] = {
        "limit": limit,
        "next_cursor": next_cursor,
        "has_next": next_cursor is not None,
    }
    if total is not None:
        pagination["total"] = total
    return {"data": items, "pagination": pagination}


def batch_view(results: list[tuple[int, dict[str, Any] | None, BatonError | None]]) -> dict[str, Any]:
    """(index, job view or None, the error that rejected it or None) per submitted job -> a
    JobBatchResult, each rejection as the problem a single create would have answered."""
    items = [
        {
            "index": index,
            "status": error.status,
            "error": problem_body(error.status, error.code, error.detail, errors=error.errors),
        }
        if error
        else {"index": index, "status": 201, "job": job}
        for index, job, error in results
    ]
    rejected = sum(1 for item in items if "error" in item)
    return {"created": len(items) - rejected, "rejected": rejected, "results": items}


def queue_view(queue: Queue) -> dict[str, Any]:
    return {
        "name": queue.name,
        "description": queue.description,
        "max_concurrency": queue.max_concurrency,
        "default_timeout_seconds": queue.default_timeout_seconds,
        "default_max_retries": queue.default_max_retries,
        "paused": queue.paused,
        "created_at": isoformat(queue.created_at),
        "updated_at": isoformat(queue.updated_at),
    }
