"""Domain model: jobs, executions, users, and the job state machine of DESIGN.md §4."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

__all__ = [
    "ALL_SCOPES",
    "LIVE_STATES",
    "ROLE_SCOPES",
    "TERMINAL_STATES",
    "ApiKey",
    "AuditEvent",
    "Event",
    "Execution",
    "ExecutionStatus",
    "Job",
    "JobStatus",
    "Outcome",
    "Principal",
    "Queue",
    "Role",
    "Schedule",
    "TemplateRecord",
    "User",
    "Webhook",
    "WebhookAttempt",
    "WebhookDelivery",
    "Worker",
    "WorkerState",
    "WorkflowRecord",
    "WsTicket",
]


class JobStatus(StrEnum):
    WAITING = "waiting"  # a workflow step waiting on the steps it depends on (baton/dag.py)
    SCHEDULED = "scheduled"
    PENDING = "pending"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"
    TIMED_OUT = "timed_out"


TERMINAL_STATES = frozenset({JobStatus.COMPLETED, JobStatus.FAILED, JobStatus.CANCELLED, JobStatus.TIMED_OUT})
LIVE_STATES = frozenset({JobStatus.WAITING, JobStatus.SCHEDULED, JobStatus.PENDING, JobStatus.RUNNING})


class ExecutionStatus(StrEnum):
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"
    TIMED_OUT = "timed_out"
    LOST = "lost"


class WorkerState(StrEnum):
    ACTIVE = "active"
    DRAINING = "draining"  # gets no new jobs; one-way


class Role(StrEnum):
    ADMIN = "admin"
    MANAGER = "manager"
    MEMBER = "member"
    VIEWER = "viewer"


_WEBHOOKS = ("webhooks:read", "webhooks:write")
_SCHEDULES = ("schedules:read", "schedules:write")
_WORKFLOWS = ("workflows:read", "workflows:write", "templates:read", "templates:write")
ROLE_SCOPES: dict[Role, frozenset[str]] = {
    Role.ADMIN: frozenset(
        {
            "admin",
            "jobs:read",
            "jobs:write",
            "metrics:read",
            "queues:write",
            "workers:read",
            "workers:write",
            *_WEBHOOKS,
            *_SCHEDULES,
            *_WORKFLOWS,
        }
    ),
    # a pull worker (robot) logs in as a manager: it acts on every owner's jobs it claims.
    # metrics:read: /metrics counts every owner's jobs, like the fleet's figures
    Role.MANAGER: frozenset(
        {
            "jobs:read",
            "jobs:write",
            "metrics:read",
            "queues:write",
            "workers:read",
            "workers:write",
            *_WEBHOOKS,
            *_SCHEDULES,
            *_WORKFLOWS,
        }
    ),
    # members own their webhooks; a webhook only ever carries what its owner may read
    # schedules are job templates that submit jobs: whoever submits jobs may schedule them
    Role.MEMBER: frozenset({"jobs:read", "jobs:write", *_WEBHOOKS, *_SCHEDULES, *_WORKFLOWS}),
    # members see only their own jobs, and the fleet's figures count everyone's: not theirs to read;
    # a webhook is something one configures (and it sends data out): not a viewer's
    Role.VIEWER: frozenset(
        {"jobs:read", "workers:read", "schedules:read", "workflows:read", "templates:read"}
    ),
}


ALL_SCOPES: frozenset[str] = frozenset().union(*ROLE_SCOPES.values())


@dataclass
class User:
    id: str
    username: str
    password_hash: str
    role: Role
    disabled: bool
    created_at: datetime


@dataclass
class ApiKey:
    id: str
    user_id: str
    owner: str  # username
    name: str
    prefix: str
    secret_hash: str
    scopes: list[str]
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None

    def active(self, now: datetime) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


@dataclass
class AuditEvent:
    id: str
    at: datetime
    action: str
    outcome: str  # success | failure
    actor_id: str | None
    actor: str | None
    target_type: str | None
    target_id: str | None
    client: str | None
    details: dict[str, Any]


@dataclass(frozen=True)
class Principal:
    """Who is calling, resolved fresh on every request (role changes apply at once)."""

    user_id: str
    username: str
    role: Role
    session_id: str | None  # None for an API key
    api_key_id: str | None = None
    key_scopes: frozenset[str] | None = None  # an API key's own scopes, within the role's
    # a token asked for fewer scopes than the role has (OAuth2 `scope`); None: the role's
    token_scopes: frozenset[str] | None = None
    expires_at: datetime | None = None  # when the credential ends (a token's exp, a key's expiry)

    @property
    def scopes(self) -> frozenset[str]:
        """What the caller may do now: the role's scopes, narrowed by the key or token."""
        scopes = ROLE_SCOPES[self.role]
        for narrowed in (self.key_scopes, self.token_scopes):
            if narrowed is not None:
                scopes = scopes & narrowed
        return scopes

    @property
    def sees_all_jobs(self) -> bool:
        # members see their own jobs only; everyone else with jobs:read sees all
        return self.role is not Role.MEMBER

    @property
    def sees_all_webhooks(self) -> bool:
        # like API keys: everyone owns theirs, admins see (and manage) all
        return "admin" in self.scopes


@dataclass
class Job:
    id: str
    name: str
    queue: str
    command: list[str]
    priority: int
    timeout_seconds: int
    max_retries: int
    retry_backoff_seconds: int
    labels: dict[str, str]
    status: JobStatus
    attempt: int
    retries_used: int
    run_at: datetime
    owner_id: str
    owner: str
    created_at: datetime
    updated_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None
    exit_code: int | None = None
    error: str | None = None
    worker: str | None = None
    lease_expires_at: datetime | None = None
    schedule_id: str | None = None  # the schedule that created it, if one did
    # a registered Python task (baton.tasks) and its JSON payload, instead of a command
    task: str | None = None
    payload: dict[str, Any] | None = None
    workflow_id: str | None = None  # the workflow whose step this job is
    step: str | None = None  # the step's name in it

    @property
    def is_terminal(self) -> bool:
        return self.status in TERMINAL_STATES


@dataclass
class Execution:
    job_id: str
    attempt: int
    status: ExecutionStatus
    worker: str
    started_at: datetime
    finished_at: datetime | None = None
    exit_code: int | None = None
    stdout: str = ""
    stderr: str = ""
    stdout_truncated: bool = False
    stderr_truncated: bool = False
    error: str | None = None
    result: Any = None  # a task's JSON result


@dataclass
class Outcome:
    """What one attempt produced, as reported by whoever ran it."""

    status: ExecutionStatus
    exit_code: int | None = None
    stdout: str = ""
    stderr: str = ""
    stdout_truncated: bool = False
    stderr_truncated: bool = False
    error: str | None = None
    result: Any = None  # a task's JSON result (checked against baton.tasks.RESULT_LIMIT_BYTES)
    # stopped by the platform (server shutdown), not by the job: re-run without using a retry
    interrupted: bool = False


@dataclass
class Queue:
    name: str
    description: str
    max_concurrency: int | None
    default_timeout_seconds: int | None
    default_max_retries: int | None
    paused: bool
    created_at: datetime
    updated_at: datetime


@dataclass
class Worker:
    """A pull worker (robot, agent) that takes jobs over HTTP. Jobs it runs carry its id as
    their `worker`."""

    id: str
    name: str
    hostname: str
    queues: list[str]
    labels: dict[str, str]
    capacity: int
    load: int
    state: WorkerState
    registered_at: datetime
    last_heartbeat_at: datetime
    running_jobs: int = 0  # jobs running on it now, as the database knows them
    tasks: list[str] = field(default_factory=list)  # the registered Python tasks it can run


@dataclass
class Event:
    """One entry of the event log (DESIGN.md §4): something that happened to a job, a worker or a
    queue. Written in the same transaction as the change it records; `id` is given by storage,
    gap-free and in commit order."""

    type: str  # e.g. job.created, job.completed, worker.registered, queue.depth_changed
    subject_type: str  # job | worker | queue
    subject_id: str  # the job id, worker id or queue name
    at: datetime
    data: dict[str, Any]
    queue: str | None = None  # the queue it concerns, when it concerns one
    worker_id: str | None = None  # the worker it concerns (for job events: the one running it)
    owner_id: str | None = None  # the job's owner: who besides readers of every job may see it
    id: int = 0
    # its JSON view, encoded once by the first stream that sends it (baton/events.py event_json):
    # one event goes to every subscriber of the process
    encoded: bytes | None = field(default=None, repr=False, compare=False)


@dataclass
class WsTicket:
    """What a single-use WebSocket ticket stands for: the credential it was issued to."""

    ticket_hash: str  # SHA-256 of the ticket; the ticket itself is shown once
    user_id: str
    session_id: str | None  # issued to a bearer token of this session
    api_key_id: str | None  # or to this API key
    token_expires_at: datetime | None  # the credential ends then, and so does the socket
    expires_at: datetime  # the ticket itself: use it before this
    token_scopes: list[str] | None = None  # a narrowed token's scopes (None: the role's)


@dataclass
class Webhook:
    """A durable subscription to the event log, delivered by signed HTTPS POSTs."""

    id: str
    owner_id: str
    owner: str  # username
    name: str
    description: str
    url: str
    event_types: list[str]  # exact types, or prefixes ending in "."
    filters: dict[str, Any]  # queue, labels, owner (a job owner's username)
    enabled: bool
    parallel: bool  # deliver out of event order, several at a time
    secret: str
    created_at: datetime
    updated_at: datetime
    cursor: int = 0  # the last event id matched against it
    disabled_reason: str | None = None
    disabled_at: datetime | None = None
    previous_secret: str | None = None
    previous_secret_expires_at: datetime | None = None
    consecutive_failures: int = 0
    failing_since: datetime | None = None

    def signing_secrets(self, now: datetime) -> list[str]:
        """The secrets that sign now: the current one, and the previous one during a rotation."""
        if self.previous_secret and self.previous_secret_expires_at and self.previous_secret_expires_at > now:
            return [self.secret, self.previous_secret]
        return [self.secret]


@dataclass
class WebhookDelivery:
    """One message (an event for one webhook) and where its delivery stands."""

    id: str
    webhook_id: str
    event_id: int
    event_type: str
    message_id: str  # `webhook-id`: the same on every attempt, so receivers can drop duplicates
    body: str
    status: str  # pending | delivering | delivered | failed
    attempts: int
    created_at: datetime
    retry_base: int = 0
    next_attempt_at: datetime | None = None
    lease_owner: str | None = None
    lease_expires_at: datetime | None = None
    last_attempt_at: datetime | None = None
    last_status: int | None = None
    last_error: str | None = None
    last_duration: float | None = None
    last_response: str | None = None
    delivered_at: datetime | None = None


@dataclass
class WebhookAttempt:
    delivery_id: str
    attempt: int
    at: datetime
    status: int | None
    error: str | None
    duration: float
    response: str | None
    next_attempt_at: datetime | None


@dataclass
class Schedule:
    """A job template and when to submit it (baton/schedules.py); times are naive UTC."""

    id: str
    owner_id: str
    owner: str
    name: str
    cron: str | None
    interval_seconds: int | None
    timezone: str
    job: dict[str, Any]  # a POST /jobs body, defaults filled in
    overlap_policy: str
    misfire_policy: str
    max_catch_up: int
    start_at: datetime | None
    end_at: datetime | None
    max_runs: int | None
    jitter_seconds: int
    paused: bool
    labels: dict[str, str]
    anchor: datetime | None  # interval schedules count from here
    next_run_at: datetime | None  # the next nominal fire time; None: the schedule is over
    processed_until: datetime  # the newest nominal fire time dealt with (or when counting began)
    queued_fire_at: datetime | None  # overlap `queue`: a fire time waiting for the live run
    run_count: int
    skipped_count: int
    last_run_at: datetime | None
    last_job_id: str | None
    created_at: datetime
    updated_at: datetime
    # the job template version `job` was made from: {id, version, parameters}; None: inline
    template: dict[str, Any] | None = None


@dataclass
class WorkflowRecord:
    """A stored workflow: its definition as submitted (steps, phases) and its derived status; its
    steps are the jobs that carry its id (baton/workflows.py)."""

    id: str
    name: str
    owner_id: str
    owner: str  # username
    status: str  # running | completed | failed | cancelled (baton/workflow_state.py)
    definition: dict[str, Any]
    labels: dict[str, str]
    created_at: datetime
    updated_at: datetime
    finished_at: datetime | None = None


@dataclass
class TemplateRecord:
    """A stored template at one of its versions (baton/templates.py): the definition is the
    template body as saved, `{name, description, visibility, parameters, job | workflow}`."""

    id: str
    name: str
    owner_id: str
    owner: str  # username
    visibility: str  # private | public
    latest_version: int
    version: int  # the version `definition` is
    definition: dict[str, Any]
    created_at: datetime
    updated_at: datetime  # when this version was saved
