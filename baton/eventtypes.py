"""The event catalogue: every event type, who may see it, and the event of each kind of subject.

Events are written by storage in the transaction of the change they record; what they say is
decided here, once. Their JSON shapes are the `*EventData` schemas of openapi/baton.yaml."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from baton.models import Event, Job, JobStatus, Queue, Schedule, Webhook, Worker
from baton.states import clip
from baton.timeutil import isoformat

__all__ = [
    "AUTH_EVENTS",
    "EVENT_TYPES",
    "OWNED_SUBJECTS",
    "SCHEDULE_EVENTS",
    "SUBJECT_SCOPES",
    "WEBHOOK_EVENTS",
    "WORKFLOW_EVENTS",
    "auth_event",
    "depth_event",
    "job_event",
    "queue_event",
    "schedule_event",
    "visible_subjects",
    "webhook_event",
    "worker_event",
    "workflow_event",
]

EVENT_ERROR_LIMIT = 500  # characters of a job's error carried by its events

JOB_EVENTS = frozenset({"job.created", "job.updated", "job.deleted", *(f"job.{s.value}" for s in JobStatus)})
WORKER_EVENTS = frozenset(
    {
        "worker.registered",
        "worker.online",
        "worker.stale",
        "worker.offline",
        "worker.drained",
        "worker.deregistered",
    }
)
QUEUE_EVENTS = frozenset(
    {
        "queue.created",
        "queue.updated",
        "queue.paused",
        "queue.resumed",
        "queue.deleted",
        "queue.depth_changed",
    }
)
# changes to credentials, so every process drops what it cached of them (baton/authcache.py):
# in the log, but no reader sees them (their subject has no scope in SUBJECT_SCOPES)
AUTH_EVENTS = frozenset({"auth.session_revoked", "auth.user_changed", "auth.api_key_revoked"})
# webhook.test goes only to the webhook it tests (baton/webhook_fanout.py)
WEBHOOK_EVENTS = frozenset(
    {"webhook.created", "webhook.updated", "webhook.deleted", "webhook.disabled", "webhook.test"}
)
SCHEDULE_EVENTS = frozenset(
    {
        "schedule.created",
        "schedule.updated",
        "schedule.fired",
        "schedule.skipped",
        "schedule.paused",
        "schedule.resumed",
        "schedule.deleted",
    }
)
WORKFLOW_EVENTS = frozenset(
    {"workflow.created", "workflow.completed", "workflow.failed", "workflow.cancelled", "workflow.retried"}
)
EVENT_TYPES = JOB_EVENTS | WORKER_EVENTS | QUEUE_EVENTS | WEBHOOK_EVENTS | SCHEDULE_EVENTS | WORKFLOW_EVENTS

# the scope a reader needs to see events about each kind of subject (the scope of reading that
# resource through the REST API); of jobs, a member sees only their own, of webhooks everyone
# but an admin
SUBJECT_SCOPES = {
    "job": "jobs:read",
    "queue": "jobs:read",
    "worker": "workers:read",
    "webhook": "webhooks:read",
    "schedule": "schedules:read",
    "workflow": "workflows:read",
}
# subjects with an owner: a reader who does not see every job sees only their own of these (a
# schedule is visible as its jobs are)
OWNED_SUBJECTS = ("job", "schedule", "workflow")


def visible_subjects(scopes: frozenset[str]) -> frozenset[str]:
    return frozenset(subject for subject, scope in SUBJECT_SCOPES.items() if scope in scopes)


def job_event(job: Job, event_type: str, previous: JobStatus | None, at: datetime) -> Event:
    """The event of a job as it is after a change (its creation, a move, or its deletion)."""
    return Event(
        type=event_type,
        subject_type="job",
        subject_id=job.id,
        at=at,
        queue=job.queue,
        worker_id=job.worker,
        owner_id=job.owner_id,
        data={
            "job_id": job.id,
            "name": job.name,
            "queue": job.queue,
            "status": job.status.value,
            "previous_status": previous.value if previous is not None else None,
            "attempt": job.attempt,
            "retries_used": job.retries_used,
            "worker": job.worker,
            "exit_code": job.exit_code,
            "error": clip(job.error, EVENT_ERROR_LIMIT),
            "run_at": isoformat(job.run_at),
            "owner": job.owner,
            # what webhooks filter on; receivers get them too
            "labels": dict(job.labels),
            "task": job.task,
            "workflow_id": job.workflow_id,
            "step": job.step,
        },
    )


def worker_event(worker: Worker, event_type: str, at: datetime, **extra: Any) -> Event:
    return Event(
        type=event_type,
        subject_type="worker",
        subject_id=worker.id,
        at=at,
        worker_id=worker.id,
        data={
            "worker_id": worker.id,
            "name": worker.name,
            "hostname": worker.hostname,
            "queues": list(worker.queues),
            "state": worker.state.value,
            "capacity": worker.capacity,
            "last_heartbeat_at": isoformat(worker.last_heartbeat_at),
            **extra,
        },
    )


def queue_event(queue: Queue, event_type: str, at: datetime) -> Event:
    return Event(
        type=event_type,
        subject_type="queue",
        subject_id=queue.name,
        at=at,
        queue=queue.name,
        data={
            "queue": queue.name,
            "paused": queue.paused,
            "max_concurrency": queue.max_concurrency,
        },
    )


def auth_event(event_type: str, subject_id: str, at: datetime) -> Event:
    """A credential changed: a session revoked, a user changed (role, disabled, password), a key
    revoked. Only caches read these."""
    return Event(type=event_type, subject_type="auth", subject_id=subject_id, at=at, data={})


def depth_event(queue: str, pending: int, running: int, at: datetime) -> Event:
    return Event(
        type="queue.depth_changed",
        subject_type="queue",
        subject_id=queue,
        at=at,
        queue=queue,
        data={"queue": queue, "pending": pending, "running": running},
    )


def webhook_event(webhook: Webhook, event_type: str, at: datetime) -> Event:
    """A webhook's event; never its URL (it may hold a token, as chat services' URLs do) nor secret."""
    return Event(
        type=event_type,
        subject_type="webhook",
        subject_id=webhook.id,
        at=at,
        owner_id=webhook.owner_id,
        data={
            "webhook_id": webhook.id,
            "name": webhook.name,
            "owner": webhook.owner,
            "events": list(webhook.event_types),
            "enabled": webhook.enabled,
            "disabled_reason": webhook.disabled_reason,
        },
    )


def schedule_event(schedule: Schedule, event_type: str, at: datetime, **extra: Any) -> Event:
    """A schedule's event: what it is after the change, and for `schedule.fired` the job it
    created (`job_id`, `fire_time`), for `schedule.skipped` why and how many fire times."""
    return Event(
        type=event_type,
        subject_type="schedule",
        subject_id=schedule.id,
        at=at,
        queue=schedule.job.get("queue"),
        owner_id=schedule.owner_id,
        data={
            "schedule_id": schedule.id,
            "name": schedule.name,
            "owner": schedule.owner,
            "paused": schedule.paused,
            "next_run_at": isoformat(schedule.next_run_at),
            "run_count": schedule.run_count,
            **extra,
        },
    )


def workflow_event(
    workflow_id: str, name: str, owner_id: str, owner: str, status: str, event_type: str, at: datetime
) -> Event:
    return Event(
        type=event_type,
        subject_type="workflow",
        subject_id=workflow_id,
        at=at,
        owner_id=owner_id,
        data={"workflow_id": workflow_id, "name": name, "status": status, "owner": owner},
    )
