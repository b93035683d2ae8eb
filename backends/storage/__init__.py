"""Storage role: the Protocol every storage backend implements, and the URL registry.

Backends store and fetch; the rules (state machine, retries, leases) live in baton/ services."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from baton.backends import BackendError, BackendSpec, load_class

from baton.models import (
    ApiKey,
    AuditEvent,
    Event,
    Execution,
    Job,
    JobStatus,
    Queue,
    Role,
    Schedule,
    TemplateRecord,
    User,
    Webhook,
    WebhookAttempt,
    WebhookDelivery,
    Worker,
    WorkflowRecord,
)

if TYPE_CHECKING:
    from baton.backends.storage.analytics import AnalyticsQuery, Tally
    from baton.backends.storage.metrics import DurationCounts, MetricsSnapshot
    from baton.backends.storage.schedules import FirePlan

    from baton.states import Transition

__all__ = [
    "AlreadyExists",
    "ClaimRequest",
    "EventQuery",
    "IdempotencyRecord",
    "JobQuery",
    "StorageBackend",
    "WorkflowQuery",
    "create_storage",
]


@dataclass(frozen=True)
class JobQuery:
    limit: int
    statuses: frozenset[JobStatus] = frozenset()
    queue: str | None = None
    owner_id: str | None = None
    labels: tuple[tuple[str, str], ...] = ()  # every (key, value) must match
    created_after: datetime | None = None
    created_before: datetime | None = None
    name_prefix: str | None = None
    name_contains: str | None = None  # a substring of the name, in any letter case
    owner_name: str | None = None  # the owner's username
    worker: str | None = None  # a worker that ran (or runs) one of the job's attempts
    schedule_id: str | None = None  # only the runs of this schedule
    ids: frozenset[str] = frozenset()  # when given, only these jobs
    workflow_id: str | None = None  # the steps of this workflow
    sort_field: str = "created_at"  # created_at | updated_at | run_at | priority | name
    descending: bool = True
    # further sort keys, (field, descending) each; ties of every key are broken by id, in the
    # direction of the last key
    then_by: tuple[tuple[str, bool], ...] = ()
    # keyset position: each sort key's value and the id, of the last row of the previous page
    after: tuple[Any, ...] | None = None

    @property
    def order(self) -> tuple[tuple[str, bool], ...]:
        return ((self.sort_field, self.descending), *self.then_by)


@dataclass(frozen=True)
class WorkflowQuery:
    limit: int
    owner_id: str | None = None  # only this owner's (a member's view)
    statuses: frozenset[str] = frozenset()
    labels: tuple[tuple[str, str], ...] = ()  # every (key, value) must match
    created_after: datetime | None = None
    created_before: datetime | None = None
    after: tuple[datetime, str] | None = None  # keyset: (created_at, id) of the previous page's last


class AlreadyExists(Exception):
    """A row with this unique key exists (a backend-neutral duplicate-key error)."""


@dataclass(frozen=True)
class ClaimRequest:
    """Who claims what: due pending jobs, in dispatch order, that the queues' admission allows."""

    limit: int
    now: datetime
    queues: frozenset[str] | None = None  # only jobs of these queues (None: of every queue)
    # label affinity: only jobs whose every label is among these (None: labels are not looked at)
    labels: Mapping[str, str] | None = None
    # a registered pull worker: its labels apply, its free capacity caps the claim, the claim
    # counts as its heartbeat; the claim is None if it is unknown or draining
    pull_worker: str | None = None
    job: tuple[str, int] | None = None  # only this job, at this many attempts so far (a hand-out)
    # registered Python tasks the claimer runs: a task job only if its task is among these (None:
    # any job); a pull worker's are those it registered with
    tasks: frozenset[str] | None = None


@dataclass(frozen=True)
class EventQuery:
    after: int = 0  # events with a greater id
    limit: int = 100
    up_to: int | None = None  # and an id at most this
    types: frozenset[str] = frozenset()  # exact types, or (with prefixes) either
    prefixes: frozenset[str] = frozenset()  # e.g. "job."
    job_id: str | None = None
    queue: str | None = None
    worker_id: str | None = None
    # visibility: the kinds of subject the reader may see (None: all), and of jobs only those of
    # this owner (None: every owner's), of webhooks only those of `webhook_owner_id`
    subject_types: frozenset[str] | None = None
    owner_id: str | None = None
    webhook_owner_id: str | None = None


@dataclass
class IdempotencyRecord:
    fingerprint: str
    state: str  # in_flight | done
    status_code: int | None
    headers: dict[str, str] | None
    body: str | None


@dataclass
class SessionRecord:
    id: str
    user: User
    expires_at: datetime
    revoked_at: datetime | None = None


class StorageBackend(Protocol):
    url: str
    dialect: str

    async def connect(self) -> None: ...
    async def close(self) -> None: ...
    async def migrate(self) -> None:
        """Bring the schema to the newest migration (idempotent)."""

    async def ping(self) -> None:
        """Raise if the database does not answer."""

    # users and sessions
    async def count_users(self) -> int: ...
    async def insert_user(self, user: User) -> None: ...
    async def get_user(self, user_id: str) -> User | None: ...
    async def get_user_by_username(self, username: str) -> User | None: ...
    async def insert_session(
        self, session_id: str, user_id: str, now: datetime, expires_at: datetime
    ) -> None: ...
    async def get_active_session(self, session_id: str, now: datetime) -> SessionRecord | None:
        """The session with its user, if neither is revoked, expired or disabled."""

    async def revoke_session(self, session_id: str, now: datetime) -> None: ...
    async def insert_refresh_token(self, jti: str, session_id: str, expires_at: datetime) -> None: ...
    async def use_refresh_token(self, jti: str, session_id: str, now: datetime) -> bool:
        """Mark a refresh token used; False when it is unknown or was used before."""

    async def list_users(self, limit: int, after_username: str | None) -> list[User]:
        """Users by username, after the given one."""

    async def update_user(self, user_id: str, now: datetime, **changes: Any) -> User | None:
        """Change `role` / `disabled` (None: no such user); raises LastAdmin instead of leaving no
        enabled admin; disabling ends the user's sessions."""

    async def set_password_hash(self, user_id: str, password_hash: str, now: datetime) -> bool:
        """Store a new hash and end the user's sessions; False if there is no such user."""

    async def insert_api_key(self, key: ApiKey) -> None: ...
    async def get_api_key(self, key_id: str) -> ApiKey | None: ...
    async def get_api_key_by_prefix(self, prefix: str) -> ApiKey | None: ...

    async def list_api_keys(self, user_id: str | None, limit: int, before_id: str | None) -> list[ApiKey]:
        """Newest first; every user's when user_id is None."""

    async def revoke_api_key(self, key_id: str, now: datetime) -> bool:
        """True if this call revoked it."""

    async def touch_api_key(self, key_id: str, now: datetime) -> None:
        """Record a use (at most one write a minute per key)."""

    async def insert_audit_event(self, event: AuditEvent) -> None: ...

    async def list_audit_events(
        self,
        limit: int,
        before_id: str | None = None,
        actions: list[str] | None = None,
        actor: str | None = None,
        after: datetime | None = None,
    ) -> list[AuditEvent]:
        """Newest first."""

    async def recent_failed_logins(self, username: str, since: datetime, limit: int) -> list[datetime]:
        """The name's latest `limit` failed logins after `since` and its last success, newest first."""

    async def purge_audit_events(self, before: datetime) -> int: ...

    async def list_secrets(self) -> list[tuple[str, str, datetime]]:
        """Every stored secret: (name, value, created_at)."""

    async def get_or_create_secret(self, name: str, value: str, now: datetime) -> str:
        """Store `value` under `name` unless one is stored; return the stored one."""

    # jobs
    async def insert_job(self, job: Job) -> None: ...
    async def insert_jobs(self, jobs: Sequence[Job]) -> None:
        """Insert every job, with its `job.created` event, in one transaction: all or none."""

    async def get_job(self, job_id: str) -> Job | None: ...
    async def list_jobs(self, query: JobQuery) -> list[Job]:
        """At most `query.limit` jobs after the keyset position, in the query's order."""

    async def count_jobs(self, query: JobQuery) -> int:
        """How many jobs match the query's filters (its limit and position aside)."""

    async def job_tallies(self, query: AnalyticsQuery) -> dict[Any, Tally]:
        """Counts, run times and waits of a window of jobs, per group (analytics.py)."""

    async def roll_analytics(self, hours: list[int] | None = None) -> int:
        """Fold dirty hours into the analytics rollups (rollups.py); how many."""

    async def roll_closed_analytics(self, now: datetime) -> int:
        """Fold the dirty hours that closed over an hour before `now`; how many."""

    async def executions_of(self, job_ids: Sequence[str]) -> list[Execution]:
        """Every execution of these jobs, without their output, by job and attempt (export)."""

    async def metrics_snapshot(self, now: datetime) -> MetricsSnapshot:
        """Jobs by queue and status, and each queue's longest wait: /metrics's gauges."""

    async def duration_counts(
        self, after: datetime | None, up_to: datetime, bounds: Sequence[float]
    ) -> dict[str, DurationCounts]:
        """Executions finished in (after, up_to] per queue, counted under each bound."""

    async def delete_job(
        self,
        job_id: str,
        statuses: Sequence[JobStatus],
        at: datetime,
        *,
        updated_at_was: datetime | None = None,
    ) -> bool:
        """Delete the job (and its executions), with a `job.deleted` event, if its status is one of
        `statuses` (and it was not modified since `updated_at_was`, when given)."""

    # the one way a job's status changes (baton/states.py builds the transitions)
    async def transition(self, moves: Sequence[Transition], at: datetime) -> list[Job]:
        """Compare-and-set each move (it holds only while the job is in its source status, and at
        its attempt, worker and version, when given) and write the event of each that held, in one
        transaction. Returns the jobs that moved, as they are now, in the order of `moves`."""

    async def claim(self, request: ClaimRequest, start: Callable[[str, int], Transition]) -> list[Job] | None:
        """Select the due jobs the request may take (each by at most one claimer) and apply
        `start(job id, attempts so far)` to them, recording a running execution each."""

    async def promote_due(self, now: datetime, promote: Callable[[str], Transition]) -> int:
        """Apply `promote(job id)` to the scheduled jobs whose run_at has come; how many moved."""

    async def finish_attempt(self, move: Transition | None, outcome: Execution, at: datetime) -> Job | None:
        """Record an attempt's outcome: the job moves only if `move` still holds (fencing); the
        execution row always keeps the outputs. Returns the job if it moved."""

    async def renew_leases(
        self, attempts: dict[str, int], worker: str, lease_expires_at: datetime
    ) -> set[str]:
        """Extend leases of jobs still running the given attempt on `worker`; return their ids."""

    async def expired_leases(self, now: datetime, limit: int) -> list[Job]: ...
    async def mark_execution(self, job_id: str, attempt: int, **changes: Any) -> None:
        """Update an execution row that is still running (for cancel and lost workers)."""

    async def list_executions(self, job_id: str, after_attempt: int, limit: int) -> list[Execution]: ...

    # the event log
    async def append_events(self, events: Sequence[Event]) -> None:
        """Events that record no change of a row, in a transaction of their own."""

    async def list_events(self, query: EventQuery) -> tuple[list[Event], int]:
        """Matching events in id order, and the id up to which the log was read."""

    async def last_event_id(self) -> int: ...
    async def event_bounds(self) -> tuple[int | None, int]:
        """(the oldest kept event's id or None, the newest id ever given)."""

    async def purge_events(self, before: datetime) -> int: ...
    async def queue_depths(self, names: Sequence[str]) -> dict[str, tuple[int, int]]:
        """(pending, running) jobs of each named queue."""

    async def announce_depth(
        self, queue: str, pending: int, running: int, now: datetime, not_before: datetime, event: Event
    ) -> str:
        """Write `event` if the depth changed since its last announcement, made before
        `not_before`: "announced", "same" or "later"."""

    async def workers_to_announce(
        self, online_after: datetime, offline_before: datetime
    ) -> list[tuple[Worker, str | None]]:
        """Workers whose derived status differs from the one last announced (and that one)."""

    async def announce_worker_status(
        self, worker_id: str, expected: str | None, status: str, event: Event
    ) -> bool:
        """Write `event` if the worker's announced status is still `expected`; it becomes `status`."""

    # queues
    async def insert_queue(self, queue: Queue) -> bool:
        """False if a queue of that name exists."""

    async def get_queue(self, name: str) -> Queue | None: ...
    async def list_queues(self, limit: int, after_name: str | None) -> list[Queue]: ...
    async def update_queue(self, name: str, **changes: Any) -> Queue | None: ...
    async def delete_queue(self, name: str) -> bool: ...
    async def queue_stats(self, name: str, now: datetime) -> dict[str, Any]:
        """by_status counts, oldest_pending_run_at, finished_last_minute."""

    # Idempotency-Key records
    async def claim_idempotency_key(
        self, principal: str, key: str, fingerprint: str, now: datetime, expires_at: datetime
    ) -> IdempotencyRecord | None:
        """Record the key as in flight and return None; or, if the principal already used the
        key and it has not expired, return that record and change nothing."""

    async def complete_idempotency_key(
        self, principal: str, key: str, status_code: int, headers: dict[str, str], body: str
    ) -> None: ...
    async def release_idempotency_key(self, principal: str, key: str) -> None:
        """Forget an in-flight key (its request failed without an answer worth replaying)."""

    async def purge_idempotency_keys(self, now: datetime) -> int: ...

    # queue-style executors (arq): what to hand out, and where handed-out jobs stand
    async def due_pending(
        self, now: datetime, limit: int, after: Sequence | None = None
    ) -> Sequence[tuple[str, str, int, int, datetime]]:
        """Up to `limit` due pending jobs in dispatch order, as (id, queue, attempt, priority,
        run_at) tuples (`DueJob` in backends/storage/claims.py); with `after` (such a tuple of
        the previous page), the ones that follow it."""

    async def job_states(self, job_ids: Sequence[str]) -> dict[str, tuple[JobStatus, int]]:
        """(status, attempt) of each given job that exists."""

    # pull workers (backends/storage/workers.py)
    async def insert_worker(self, worker: Worker) -> None: ...
    async def worker_task_names(self) -> set[str]:
        """The registered Python tasks of every registered pull worker."""

    async def get_worker(self, worker_id: str) -> Worker | None: ...
    async def list_workers(
        self,
        limit: int,
        after_id: str | None = None,
        *,
        queue: str | None = None,
        labels: Sequence[tuple[str, str]] = (),
        heartbeat_ranges: Sequence[tuple[datetime | None, datetime | None]] = (),
    ) -> list[Worker]:
        """Workers by id after `after_id`, serving `queue`, with every label, and whose last
        heartbeat lies in one of the [low, high) ranges (None: unbounded), when given."""

    async def update_worker(self, worker_id: str, at: datetime, **changes: Any) -> Worker | None:
        """Change load, capacity, state, last_heartbeat_at (draining stays draining; becoming it
        writes `worker.drained`); None if unknown."""

    async def delete_worker(
        self, worker_id: str, at: datetime, requeue: Callable[[str, int], Transition]
    ) -> list[str] | None:
        """Forget the worker, writing `worker.deregistered`; re-queue its running jobs with
        `requeue(job id, attempt)` (their executions lost) in the same transaction. The re-queued
        ids, or None if there was no such worker."""

    async def claimable_exists(
        self, queues: Sequence[str], labels: dict[str, str], now: datetime, tasks: Collection[str] = ()
    ) -> bool:
        """Whether a due pending job of these queues whose labels all are in `labels` (a command,
        or a task among `tasks`) exists."""

    async def extend_lease(
        self, job_id: str, worker_id: str, attempt: int, lease_expires_at: datetime
    ) -> bool:
        """Compare-and-set the lease of a job still running this attempt on this worker."""

    # webhooks (backends/storage/webhooks.py, webhook_deliveries.py)
    async def insert_webhook(self, webhook: Webhook, event: Event) -> Webhook:
        """Store it with its webhook.created event; its cursor is that event's id."""

    async def get_webhook(self, webhook_id: str) -> Webhook | None: ...
    async def list_webhooks(
        self, owner_id: str | None, limit: int, before_id: str | None
    ) -> list[Webhook]: ...
    async def update_webhook(
        self,
        webhook_id: str,
        changes: Mapping[str, Any],
        *,
        updated_at_was: datetime | None = None,
        event_type: str | None = None,
        restart_cursor: bool = False,
    ) -> Webhook | None: ...
    async def delete_webhook(
        self, webhook_id: str, event: Event, *, updated_at_was: datetime | None = None
    ) -> bool: ...
    async def webhooks_behind(self, head: int, limit: int = 1000) -> list[tuple[Webhook, Role | None]]:
        """Enabled webhooks whose cursor is before `head`, with their owner's role (None: disabled)."""

    async def queue_deliveries(
        self, moves: Sequence[tuple[str, int, Sequence[Mapping[str, Any]]]], cursor: int
    ) -> set[str]:
        """Compare-and-set each webhook's cursor to `cursor` and insert its deliveries, at once."""

    async def event_ids_between(
        self, since: datetime | None, until: datetime | None
    ) -> tuple[int, int | None]: ...
    async def claim_deliveries(
        self,
        now: datetime,
        limit: int,
        lease_owner: str,
        lease_expires_at: datetime,
        admit: Callable[[str, bool], bool],
        full: Collection[str] = (),
    ) -> list[tuple[WebhookDelivery, Webhook]]:
        """Lease due deliveries (an ordered webhook's oldest undelivered only) that `admit` lets in,
        of webhooks not in `full`."""

    async def finish_delivery(
        self,
        delivery_id: str,
        lease_owner: str,
        attempt: WebhookAttempt,
        changes: Mapping[str, Any],
        settle: Callable[[Webhook], tuple[dict[str, Any], list[Event]]] | None = None,
    ) -> bool:
        """Record the attempt if the lease still holds; apply what `settle` says to the webhook."""

    async def finish_and_take_next(
        self,
        delivery_id: str,
        lease_owner: str,
        attempt: WebhookAttempt,
        changes: Mapping[str, Any],
        settle: Callable[[Webhook], tuple[dict[str, Any], list[Event]]] | None = None,
        take_next: tuple[str, datetime, datetime] | None = None,
    ) -> tuple[bool, tuple[WebhookDelivery, Webhook] | None]:
        """finish_delivery(), and claim an ordered webhook's next due message in the same transaction."""

    async def insert_delivery_now(
        self, event: Event, make: Callable[[Event], dict[str, Any]]
    ) -> WebhookDelivery: ...
    async def list_deliveries(self, query: Any) -> list[WebhookDelivery]: ...
    async def get_delivery(self, webhook_id: str, delivery_id: str) -> WebhookDelivery | None: ...
    async def list_attempts(self, delivery_id: str, limit: int) -> list[WebhookAttempt]: ...
    async def replay_delivery(self, delivery_id: str, now: datetime) -> WebhookDelivery | None: ...
    async def replay_events(
        self, webhook_id: str, rows: Sequence[Mapping[str, Any]], now: datetime
    ) -> int: ...
    async def purge_deliveries(self, before: datetime) -> int: ...

    # schedules (backends/storage/schedules.py)
    async def insert_schedule(self, schedule: Schedule, event: Event) -> Schedule: ...
    async def get_schedule(self, schedule_id: str) -> Schedule | None: ...
    async def list_schedules(
        self, owner_id: str | None, limit: int, before_id: str | None
    ) -> list[Schedule]: ...
    async def update_schedule(
        self,
        schedule_id: str,
        changes: Mapping[str, Any],
        *,
        updated_at_was: datetime,
        event: Callable[[Schedule], Event],
    ) -> Schedule | None: ...
    async def delete_schedule(self, schedule_id: str, event: Event, *, updated_at_was: datetime) -> bool: ...
    async def due_schedules(self, now: datetime, limit: int) -> list[Schedule]: ...
    async def next_schedule_due(self) -> datetime | None: ...
    async def fire_schedule(
        self,
        schedule_id: str,
        expect: Mapping[str, Any],
        decide: Callable[[Schedule, dict[str, str]], FirePlan | None],
    ) -> FirePlan | None:
        """Compare-and-set on `expect`, then write what `decide` plans, with its jobs, at once."""

    # templates (backends/storage/templates.py)
    async def insert_template(self, record: TemplateRecord) -> None: ...
    async def get_template(self, template_id: str, version: int | None = None) -> TemplateRecord | None: ...
    async def list_templates(
        self, limit: int, visible_to: str | None, after: tuple[datetime, str] | None
    ) -> list[TemplateRecord]: ...
    async def add_template_version(self, record: TemplateRecord, previous: int, at: datetime) -> bool:
        """A new version if `previous` is still the latest (compare-and-set)."""

    # workflows (backends/storage/workflows.py)
    async def insert_workflow(self, workflow: WorkflowRecord, steps: Sequence[Job], event: Event) -> None:
        """The workflow with its step jobs and their events, in one transaction."""

    async def get_workflow(self, workflow_id: str, *, definition: bool = True) -> WorkflowRecord | None: ...
    async def workflow_step_states(self, workflow_id: str) -> list[Any]:
        """(step, job_id, status, attempt, error) of each step's job."""

    async def workflow_steps(self, workflow_id: str) -> list[Job]: ...
    async def list_workflows(self, query: WorkflowQuery) -> list[WorkflowRecord]: ...
    async def running_workflows(self, limit: int = 1000) -> list[str]: ...
    async def advance_workflow(
        self,
        workflow_id: str,
        moves: Sequence[Transition],
        status: tuple[str, str] | None,
        events: Sequence[Event],
        at: datetime,
    ) -> tuple[list[Job], bool]:
        """Steps' moves and the workflow's status compare-and-set, with their events, at once."""

    async def step_results(
        self, workflow_id: str, steps: Sequence[str]
    ) -> list[tuple[str, str, str | None, str, bool]]: ...

    async def fleet_figures(self, online_after: datetime, offline_before: datetime) -> dict[str, Any]:
        """by_worker_status {status: (count, capacity, load)}, jobs_by_status, depths
        [(queue, status, count)] of pending and running jobs, running_on_workers."""


_DEFAULT_DRIVERS = {"sqlite": "aiosqlite", "mysql": "aiomysql", "postgresql": "asyncpg"}
_SQL = "baton.backends.storage.sql:SQLStorage"
REGISTRY: dict[str, BackendSpec] = {
    "sqlite+aiosqlite": BackendSpec(_SQL, ("aiosqlite",)),
    "mysql+aiomysql": BackendSpec(_SQL, ("aiomysql",), "mysql"),
    "mariadb+aiomysql": BackendSpec(_SQL, ("aiomysql",), "mysql"),
    "postgresql+asyncpg": BackendSpec(_SQL, ("asyncpg",), "postgres"),
}


def create_storage(url: str) -> StorageBackend:
    scheme, sep, _ = url.partition("://")
    if not sep:
        raise BackendError(f"database URL {url!r}: expected scheme://…, e.g. sqlite+aiosqlite:///./baton.db")
    if "+" not in scheme and scheme in _DEFAULT_DRIVERS:
        scheme = f"{scheme}+{_DEFAULT_DRIVERS[scheme]}"
        url = f"{scheme}://{url.partition('://')[2]}"
    cls = load_class("database", url, scheme, REGISTRY)
    return cls(url)
