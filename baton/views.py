"""Domain objects to API bodies, exactly as the spec's schemas describe them."""

from __future__ import annotations

from typing import Any

import orjson

from baton.errors import BatonError
from baton.models import (
    ROLE_SCOPES,
    ApiKey,
    AuditEvent,
    Execution,
    Job,
    Queue,
    Schedule,
    User,
    Webhook,
    WebhookAttempt,
    WebhookDelivery,
)
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
    "schedule_view",
    "user_view",
    "webhook_attempt_view",
    "webhook_delivery_view",
    "webhook_view",
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
        "schedule_id": job.schedule_id,
        "task": job.task,
        "payload": job.payload,
        "workflow_id": job.workflow_id,
        "step": job.step,
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
        "result": execution.result,
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


def webhook_view(webhook: Webhook) -> dict[str, Any]:
    """Never the secrets: they are shown once, when made (create, rotate-secret)."""
    now = utcnow()
    rotating = webhook.previous_secret_expires_at if webhook.signing_secrets(now)[1:] else None
    return {
        "id": webhook.id,
        "name": webhook.name,
        "description": webhook.description,
        "url": webhook.url,
        "events": webhook.event_types,
        "filters": {
            "queue": webhook.filters.get("queue"),
            "labels": webhook.filters.get("labels") or {},
            "owner": webhook.filters.get("owner"),
        },
        "enabled": webhook.enabled,
        "disabled_reason": webhook.disabled_reason,
        "disabled_at": isoformat(webhook.disabled_at),
        "parallel": webhook.parallel,
        "owner": webhook.owner,
        "previous_secret_expires_at": isoformat(rotating),
        "created_at": isoformat(webhook.created_at),
        "updated_at": isoformat(webhook.updated_at),
    }


def webhook_attempt_view(attempt: WebhookAttempt) -> dict[str, Any]:
    return {
        "attempt": attempt.attempt,
        "at": isoformat(attempt.at),
        "status_code": attempt.status,
        "error": attempt.error,
        "duration_seconds": attempt.duration,
        "response_body": attempt.response,
        "next_attempt_at": isoformat(attempt.next_attempt_at),
    }


def webhook_delivery_view(
    delivery: WebhookDelivery, attempts: list[WebhookAttempt] | None = None
) -> dict[str, Any]:
    """The message and where it stands; with `attempts`, each of them and the payload too."""
    last = None
    if delivery.last_attempt_at is not None and delivery.status != "delivering":
        last = {
            "at": isoformat(delivery.last_attempt_at),
            "status_code": delivery.last_status,
            "error": delivery.last_error,
            "duration_seconds": delivery.last_duration,
            "response_body": delivery.last_response,
        }
    view: dict[str, Any] = {
        "id": delivery.id,
        "webhook_id": delivery.webhook_id,
        "event_id": delivery.event_id,
        "event_type": delivery.event_type,
        "message_id": delivery.message_id,
        "status": delivery.status,
        "attempts": delivery.attempts,
        "next_attempt_at": isoformat(delivery.next_attempt_at) if delivery.status == "pending" else None,
        "created_at": isoformat(delivery.created_at),
        "delivered_at": isoformat(delivery.delivered_at),
        "last_attempt": last,
    }
    if attempts is not None:
        view["attempt_log"] = [webhook_attempt_view(attempt) for attempt in attempts]
        view["payload"] = orjson.loads(delivery.body)
    return view


def schedule_view(schedule: Schedule) -> dict[str, Any]:
    return {
        "id": schedule.id,
        "name": schedule.name,
        "owner": schedule.owner,
        "cron": schedule.cron,
        "interval_seconds": schedule.interval_seconds,
        "timezone": schedule.timezone,
        "job": schedule.job,
        "template": schedule.template,
        "overlap_policy": schedule.overlap_policy,
        "misfire_policy": schedule.misfire_policy,
        "max_catch_up": schedule.max_catch_up,
        "start_at": isoformat(schedule.start_at),
        "end_at": isoformat(schedule.end_at),
        "max_runs": schedule.max_runs,
        "jitter_seconds": schedule.jitter_seconds,
        "paused": schedule.paused,
        "labels": dict(sorted(schedule.labels.items())),
        # a paused schedule fires nothing: its next fire time is decided when it resumes
        "next_run_at": None if schedule.paused else isoformat(schedule.next_run_at),
        "queued_fire_at": isoformat(schedule.queued_fire_at),
        "last_run_at": isoformat(schedule.last_run_at),
        "last_job_id": schedule.last_job_id,
        "run_count": schedule.run_count,
        "skipped_count": schedule.skipped_count,
        "created_at": isoformat(schedule.created_at),
        "updated_at": isoformat(schedule.updated_at),
    }
