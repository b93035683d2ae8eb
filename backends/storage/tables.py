"""SQLAlchemy Core tables: one schema for every dialect; Alembic migrations mirror it."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import mysql

__all__ = [
    "analytics_dirty",
    "analytics_rollups",
    "api_keys",
    "audit_events",
    "event_sequence",
    "events",
    "executions",
    "idempotency_keys",
    "job_labels",
    "jobs",
    "metadata",
    "queue_depths",
    "queues",
    "refresh_tokens",
    "schedules",
    "server_secrets",
    "sessions",
    "template_versions",
    "templates",
    "users",
    "webhook_attempts",
    "webhook_deliveries",
    "webhooks",
    "worker_labels",
    "worker_queues",
    "workers",
    "workflow_labels",
    "workflows",
    "ws_tickets",
]

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# MySQL's DATETIME drops microseconds and TEXT holds only 64 KiB unless asked otherwise.
Timestamp = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql")
LongText = sa.Text().with_variant(mysql.MEDIUMTEXT(), "mysql")
_mysql = {"mysql_charset": "utf8mb4", "mysql_collate": "utf8mb4_bin", "mysql_engine": "InnoDB"}
Id = sa.String(36)

users = sa.Table(
    "users",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("username", sa.String(150), nullable=False, unique=True),
    sa.Column("password_hash", sa.String(255), nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("disabled", sa.Boolean, nullable=False, default=False),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("updated_at", Timestamp, nullable=False),
    **_mysql,
)

# One row per login; every token issued from that login carries its id (`sid`), so logout and
# refresh-token reuse revoke them all with one update.
sessions = sa.Table(
    "sessions",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("user_id", Id, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("expires_at", Timestamp, nullable=False),
    sa.Column("revoked_at", Timestamp, nullable=True),
    **_mysql,
)

refresh_tokens = sa.Table(
    "refresh_tokens",
    metadata,
    sa.Column("jti", Id, primary_key=True),
    sa.Column("session_id", Id, sa.ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("expires_at", Timestamp, nullable=False),
    sa.Column("used_at", Timestamp, nullable=True),
    **_mysql,
)

server_secrets = sa.Table(
    "server_secrets",
    metadata,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
    sa.Column("created_at", Timestamp, nullable=False),
    **_mysql,
)

jobs = sa.Table(
    "jobs",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("queue", sa.String(64), nullable=False),
    sa.Column("command", sa.JSON, nullable=False),
    sa.Column("priority", sa.SmallInteger, nullable=False),
    sa.Column("timeout_seconds", sa.Integer, nullable=False),
    sa.Column("max_retries", sa.Integer, nullable=False),
    sa.Column("retry_backoff_seconds", sa.Integer, nullable=False),
    sa.Column("labels", sa.JSON, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("attempt", sa.Integer, nullable=False),
    sa.Column("retries_used", sa.Integer, nullable=False),
    sa.Column("run_at", Timestamp, nullable=False),
    sa.Column("owner_id", Id, sa.ForeignKey("users.id"), nullable=False),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("updated_at", Timestamp, nullable=False),
    sa.Column("started_at", Timestamp, nullable=True),
    sa.Column("finished_at", Timestamp, nullable=True),
    sa.Column("exit_code", sa.Integer, nullable=True),
    sa.Column("error", sa.Text, nullable=True),
    sa.Column("worker", sa.String(255), nullable=True),
    sa.Column("lease_expires_at", Timestamp, nullable=True),
    # the schedule that created the job (0010); no foreign key: a deleted schedule's runs stay
    sa.Column("schedule_id", Id, nullable=True),
    # a registered Python task and its JSON payload, for jobs that run one instead of a command
    # (0011; such a job's `command` is [])
    sa.Column("task", sa.String(200), nullable=True),
    sa.Column("payload", sa.JSON, nullable=True),
    # dispatch: due pending jobs by priority, then run_at, then creation
    sa.Index("ix_jobs_dispatch", "status", "priority", "run_at", "id"),
    # promotion of due scheduled jobs and the lease reconciler
    sa.Index("ix_jobs_status_run_at", "status", "run_at"),
    sa.Index("ix_jobs_status_lease", "status", "lease_expires_at"),
    # keyset pages in each documented sort order, globally and per owner
    sa.Index("ix_jobs_created", "created_at", "id"),
    sa.Index("ix_jobs_priority", "priority", "id"),
    sa.Index("ix_jobs_owner_created", "owner_id", "created_at", "id"),
    # name prefix search (LIKE 'x%'); PostgreSQL needs the pattern operator class for that
    sa.Index("ix_jobs_name", "name", "id", postgresql_ops={"name": "varchar_pattern_ops"}),
    # per-queue concurrency at dispatch and queue statistics
    sa.Index("ix_jobs_queue_status", "queue", "status", "created_at"),
    sa.Index("ix_jobs_queue_finished", "queue", "finished_at"),
    # jobs running on one pull worker: its capacity at claim, deregistration, its running count
    sa.Index("ix_jobs_worker_status", "worker", "status"),
    # analytics: a window of jobs counted by queue and status, with their waits, from the index
    # alone (0009)
    sa.Index("ix_jobs_analytics", "created_at", "queue", "status", "run_at", "started_at"),
    # a schedule's live runs (overlap policy) and its runs listed with ?schedule_id= (0010)
    sa.Index("ix_jobs_schedule", "schedule_id", "status"),
    # a workflow's steps, and ?workflow_id= (0012)
    sa.Column("workflow_id", Id, nullable=True),
    sa.Column("step", sa.String(100), nullable=True),
    sa.Index("ix_jobs_workflow", "workflow_id", "step"),
    **_mysql,
)

# Labels again, one row per key: JSON paths cannot be indexed the same way on every dialect,
# rows can. Kept in step with jobs.labels by the storage backend, in the same transaction.
job_labels = sa.Table(
    "job_labels",
    metadata,
    sa.Column("job_id", Id, sa.ForeignKey("jobs.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("key", sa.String(63), primary_key=True),
    sa.Column("value", sa.String(256), nullable=False),
    sa.Index("ix_job_labels_key_value", "key", "value", "job_id"),
    **_mysql,
)

# Idempotency-Key records: one per (principal, key), replayed until they expire.
idempotency_keys = sa.Table(
    "idempotency_keys",
    metadata,
    sa.Column("principal", Id, primary_key=True),
    sa.Column("key", sa.String(255), primary_key=True),
    sa.Column("fingerprint", sa.String(64), nullable=False),  # hash of method, path and body
    sa.Column("state", sa.String(16), nullable=False),  # in_flight | done
    sa.Column("status_code", sa.Integer, nullable=True),
    sa.Column("headers", sa.JSON, nullable=True),
    sa.Column("body", LongText, nullable=True),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("expires_at", Timestamp, nullable=False, index=True),
    **_mysql,
)

executions = sa.Table(
    "executions",
    metadata,
    sa.Column("job_id", Id, sa.ForeignKey("jobs.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("attempt", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("worker", sa.String(255), nullable=False),
    sa.Column("started_at", Timestamp, nullable=False),
    sa.Column("finished_at", Timestamp, nullable=True),
    sa.Column("exit_code", sa.Integer, nullable=True),
    sa.Column("stdout", LongText, nullable=False),
    sa.Column("stderr", LongText, nullable=False),
    sa.Column("stdout_truncated", sa.Boolean, nullable=False),
    sa.Column("stderr_truncated", sa.Boolean, nullable=False),
    sa.Column("error", sa.Text, nullable=True),
    # a task's JSON result, at most baton.tasks.RESULT_LIMIT_BYTES encoded (0011)
    sa.Column("result", sa.JSON, nullable=True),
    # GET /api/v1/jobs?worker=: the jobs a worker ran or runs
    sa.Index("ix_executions_worker_job", "worker", "job_id"),
    # /metrics: the executions finished since the previous scrape (0009)
    sa.Index("ix_executions_finished", "finished_at"),
    **_mysql,
)

# Queue definitions. A job may name a queue without a row here: it has no limit and no defaults.
queues = sa.Table(
    "queues",
    metadata,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("description", sa.String(500), nullable=False),
    sa.Column("max_concurrency", sa.Integer, nullable=True),
    sa.Column("default_timeout_seconds", sa.Integer, nullable=True),
    sa.Column("default_max_retries", sa.Integer, nullable=True),
    sa.Column("paused", sa.Boolean, nullable=False),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("updated_at", Timestamp, nullable=False),
    **_mysql,
)

# Pull workers (robots, agents) that take jobs over HTTP. Their queues and labels are also kept
# as rows, like job labels, so lists can filter on them with an index on every dialect.
workers = sa.Table(
    "workers",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("name", sa.String(150), nullable=False),
    sa.Column("hostname", sa.String(255), nullable=False),
    sa.Column("queues", sa.JSON, nullable=False),
    sa.Column("labels", sa.JSON, nullable=False),
    sa.Column("capacity", sa.Integer, nullable=False),
    sa.Column("load", sa.Integer, nullable=False),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("registered_at", Timestamp, nullable=False),
    sa.Column("last_heartbeat_at", Timestamp, nullable=False, index=True),
    # the status (online/stale/offline) last announced in the event log, so each change of the
    # derived status is announced once, by whichever process notices it first
    sa.Column("reported_status", sa.String(16), nullable=True),
    # the registered Python tasks it can run (0011); NULL: none
    sa.Column("tasks", sa.JSON, nullable=True),
    **_mysql,
)

worker_queues = sa.Table(
    "worker_queues",
    metadata,
    sa.Column("worker_id", Id, sa.ForeignKey("workers.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("queue", sa.String(64), primary_key=True),
    sa.Index("ix_worker_queues_queue", "queue", "worker_id"),
    **_mysql,
)

worker_labels = sa.Table(
    "worker_labels",
    metadata,
    sa.Column("worker_id", Id, sa.ForeignKey("workers.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("key", sa.String(63), primary_key=True),
    sa.Column("value", sa.String(256), nullable=False),
    sa.Index("ix_worker_labels_key_value", "key", "value", "worker_id"),
    **_mysql,
)

# API keys: only the SHA-256 of the secret is kept (a key has 256 random bits, so a slow hash would
# only cost time on every request); `prefix` is its public part, unique, for the lookup.
api_keys = sa.Table(
    "api_keys",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("user_id", Id, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("prefix", sa.String(32), nullable=False, unique=True),
    sa.Column("secret_hash", sa.String(64), nullable=False),
    sa.Column("scopes", sa.JSON, nullable=False),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("expires_at", Timestamp, nullable=True),
    sa.Column("last_used_at", Timestamp, nullable=True),
    sa.Column("revoked_at", Timestamp, nullable=True),
    **_mysql,
)

# Security-relevant actions; ids are UUIDv7, so the primary key orders them in time.
audit_events = sa.Table(
    "audit_events",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("at", Timestamp, nullable=False),
    sa.Column("action", sa.String(32), nullable=False),
    sa.Column("outcome", sa.String(16), nullable=False),
    sa.Column("actor_id", Id, nullable=True),
    sa.Column("actor", sa.String(150), nullable=True),
    sa.Column("target_type", sa.String(16), nullable=True),
    sa.Column("target_id", sa.String(255), nullable=True),
    sa.Column("client", sa.String(64), nullable=True),
    sa.Column("details", sa.JSON, nullable=False),
    # failed logins per username in a window: the brute-force throttle's question
    sa.Index("ix_audit_events_action_actor_at", "action", "actor", "at"),
    sa.Index("ix_audit_events_at", "at"),
    **_mysql,
)

# The event log (DESIGN.md §4): one row per thing that happened, written in the transaction of the
# change it records (a transactional outbox). Ids come from `event_sequence`, whose one row every
# writer of events locks last in its transaction: ids are gap-free and commit in id order, so a
# reader that has seen id N has seen every event up to N.
EventId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")  # SQLite: the rowid itself
events = sa.Table(
    "events",
    metadata,
    sa.Column("id", EventId, primary_key=True, autoincrement=False),
    sa.Column("type", sa.String(64), nullable=False),
    sa.Column("at", Timestamp, nullable=False),
    sa.Column("subject_type", sa.String(16), nullable=False),
    sa.Column("subject_id", sa.String(255), nullable=False),
    sa.Column("queue", sa.String(64), nullable=True),
    sa.Column("worker_id", sa.String(255), nullable=True),
    sa.Column("owner_id", Id, nullable=True),
    sa.Column("data", sa.JSON, nullable=False),
    # filters of the list and the streams, each read in id order; `at` for retention
    sa.Index("ix_events_subject_id", "subject_id", "id"),
    sa.Index("ix_events_queue_id", "queue", "id"),
    sa.Index("ix_events_worker_id", "worker_id", "id"),
    sa.Index("ix_events_owner_id", "owner_id", "id"),
    sa.Index("ix_events_type_id", "type", "id"),
    sa.Index("ix_events_at", "at"),
    **_mysql,
)

event_sequence = sa.Table(
    "event_sequence",
    metadata,
    sa.Column("name", sa.String(32), primary_key=True),
    sa.Column("last_id", sa.BigInteger, nullable=False),
    **_mysql,
)

# The depth (pending and running jobs) last announced per queue: `queue.depth_changed` is written
# at most once a second per queue, by a compare-and-set on `announced_at` here.
queue_depths = sa.Table(
    "queue_depths",
    metadata,
    sa.Column("queue", sa.String(64), primary_key=True),
    sa.Column("pending", sa.Integer, nullable=False),
    sa.Column("running", sa.Integer, nullable=False),
    sa.Column("announced_at", Timestamp, nullable=False),
    **_mysql,
)

# Single-use tickets that open the WebSocket as their holder (browsers cannot send a token with
# it): only the SHA-256 of a ticket is kept, with what it stands for.
ws_tickets = sa.Table(
    "ws_tickets",
    metadata,
    sa.Column("ticket_hash", sa.String(64), primary_key=True),
    sa.Column("user_id", Id, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    sa.Column("session_id", Id, nullable=True),
    sa.Column("api_key_id", Id, nullable=True),
    sa.Column("token_expires_at", Timestamp, nullable=True),  # the credential's own end
    sa.Column("token_scopes", sa.JSON, nullable=True),  # a narrowed token's scopes
    sa.Column("expires_at", Timestamp, nullable=False, index=True),
    sa.Column("used_at", Timestamp, nullable=True),
    **_mysql,
)

# Webhooks (baton/webhooks.py): durable subscriptions to the event log. `cursor` is the last event
# id the endpoint was matched against; the matcher moves it by compare-and-set in the transaction
# that inserts the endpoint's deliveries, so two processes never queue one event twice.
webhooks = sa.Table(
    "webhooks",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("owner_id", Id, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("description", sa.String(500), nullable=False),
    sa.Column("url", sa.String(2048), nullable=False),
    sa.Column("event_types", sa.JSON, nullable=False),  # exact types, or prefixes ending in "."
    sa.Column("filters", sa.JSON, nullable=False),  # {"queue", "labels", "owner"}
    sa.Column("enabled", sa.Boolean, nullable=False),
    sa.Column("disabled_reason", sa.String(500), nullable=True),
    sa.Column("disabled_at", Timestamp, nullable=True),
    sa.Column("parallel", sa.Boolean, nullable=False),
    sa.Column("secret", sa.String(128), nullable=False),
    # the secret before the last rotation: it signs too until it expires
    sa.Column("previous_secret", sa.String(128), nullable=True),
    sa.Column("previous_secret_expires_at", Timestamp, nullable=True),
    sa.Column("cursor", EventId, nullable=False),
    # messages that ended failed since the last success, and since when the endpoint fails
    sa.Column("consecutive_failures", sa.Integer, nullable=False),
    sa.Column("failing_since", Timestamp, nullable=True),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("updated_at", Timestamp, nullable=False),
    sa.Index("ix_webhooks_owner_id", "owner_id", "id"),
    sa.Index("ix_webhooks_enabled_cursor", "enabled", "cursor"),
    **_mysql,
)

# One message per (webhook, event): what is sent (the body is kept, so a retry or a replay does
# not depend on the event's retention), where it stands, and the lease of the attempt in flight.
webhook_deliveries = sa.Table(
    "webhook_deliveries",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("webhook_id", Id, sa.ForeignKey("webhooks.id", ondelete="CASCADE"), nullable=False),
    sa.Column("event_id", EventId, nullable=False),
    sa.Column("event_type", sa.String(64), nullable=False),
    sa.Column("message_id", sa.String(80), nullable=False),
    sa.Column("body", LongText, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),  # pending | delivering | delivered | failed
    sa.Column("attempts", sa.Integer, nullable=False),
    # attempts made before the last replay: the retry schedule counts from there
    sa.Column("retry_base", sa.Integer, nullable=False),
    sa.Column("next_attempt_at", Timestamp, nullable=True),
    sa.Column("lease_owner", sa.String(64), nullable=True),
    sa.Column("lease_expires_at", Timestamp, nullable=True),
    sa.Column("last_attempt_at", Timestamp, nullable=True),
    sa.Column("last_status", sa.Integer, nullable=True),
    sa.Column("last_error", sa.String(1000), nullable=True),
    sa.Column("last_duration", sa.Float, nullable=True),
    sa.Column("last_response", sa.Text, nullable=True),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("delivered_at", Timestamp, nullable=True),
    sa.UniqueConstraint("webhook_id", "event_id"),
    # the delivery log (keyset by id within a webhook) and the claim's scan of due messages
    sa.Index("ix_webhook_deliveries_webhook_id", "webhook_id", "id"),
    sa.Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
    sa.Index("ix_webhook_deliveries_order", "webhook_id", "status", "event_id"),
    **_mysql,
)

# Every attempt of a delivery, for its log.
webhook_attempts = sa.Table(
    "webhook_attempts",
    metadata,
    sa.Column(
        "delivery_id", Id, sa.ForeignKey("webhook_deliveries.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("attempt", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("at", Timestamp, nullable=False),
    sa.Column("status", sa.Integer, nullable=True),
    sa.Column("error", sa.String(1000), nullable=True),
    sa.Column("duration", sa.Float, nullable=False),
    sa.Column("response", sa.Text, nullable=True),
    sa.Column("next_attempt_at", Timestamp, nullable=True),
    **_mysql,
)

# Schedules (baton/schedules.py, baton/scheduler.py): a job template and its trigger. Each fire is
# a compare-and-set on `next_run_at` (or `queued_fire_at`) in the transaction that inserts the
# job, so of any number of server processes one creates the job of each fire time.
schedules = sa.Table(
    "schedules",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("owner_id", Id, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("cron", sa.String(256), nullable=True),
    sa.Column("interval_seconds", sa.Integer, nullable=True),
    sa.Column("timezone", sa.String(64), nullable=False),
    sa.Column("job", sa.JSON, nullable=False),
    # the job template version `job` was made from (0014): {id, version, parameters}; NULL: inline
    sa.Column("template", sa.JSON, nullable=True),
    sa.Column("overlap_policy", sa.String(16), nullable=False),
    sa.Column("misfire_policy", sa.String(16), nullable=False),
    sa.Column("max_catch_up", sa.Integer, nullable=False),
    sa.Column("start_at", Timestamp, nullable=True),
    sa.Column("end_at", Timestamp, nullable=True),
    sa.Column("max_runs", sa.Integer, nullable=True),
    sa.Column("jitter_seconds", sa.Integer, nullable=False),
    sa.Column("paused", sa.Boolean, nullable=False),
    sa.Column("labels", sa.JSON, nullable=False),
    sa.Column("anchor", Timestamp, nullable=True),
    sa.Column("next_run_at", Timestamp, nullable=True),
    sa.Column("processed_until", Timestamp, nullable=False),
    sa.Column("queued_fire_at", Timestamp, nullable=True),
    sa.Column("run_count", sa.Integer, nullable=False),
    sa.Column("skipped_count", sa.Integer, nullable=False),
    sa.Column("last_run_at", Timestamp, nullable=True),
    sa.Column("last_job_id", Id, nullable=True),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("updated_at", Timestamp, nullable=False),
    sa.Index("ix_schedules_owner_id", "owner_id", "id"),
    # the firing loop: unpaused schedules by their next fire time
    sa.Index("ix_schedules_due", "paused", "next_run_at"),
    **_mysql,
)

# A workflow (0012): its definition as submitted (validated by baton/dag.py), its steps are the
# jobs that carry its id. `status` is derived from the steps (baton/workflow_state.py) and kept
# here by compare-and-set when it changes, so lists can filter on it.
workflows = sa.Table(
    "workflows",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("owner_id", Id, sa.ForeignKey("users.id"), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("definition", sa.JSON, nullable=False),  # MySQL's JSON holds up to 4 GiB
    sa.Column("labels", sa.JSON, nullable=False),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("updated_at", Timestamp, nullable=False),
    sa.Column("finished_at", Timestamp, nullable=True),
    sa.Index("ix_workflows_created", "created_at", "id"),
    sa.Index("ix_workflows_owner_created", "owner_id", "created_at", "id"),
    # the advancer's rescan of running workflows
    sa.Index("ix_workflows_status", "status", "created_at"),
    **_mysql,
)

workflow_labels = sa.Table(
    "workflow_labels",
    metadata,
    sa.Column("workflow_id", Id, sa.ForeignKey("workflows.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("key", sa.String(63), primary_key=True),
    sa.Column("value", sa.String(256), nullable=False),
    sa.Index("ix_workflow_labels_key_value", "key", "value", "workflow_id"),
    **_mysql,
)

# Templates (0013): one row each with its latest version number, and every version's definition
# (the body as saved): earlier versions stay runnable.
templates = sa.Table(
    "templates",
    metadata,
    sa.Column("id", Id, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("owner_id", Id, sa.ForeignKey("users.id"), nullable=False),
    sa.Column("visibility", sa.String(16), nullable=False),  # private | public
    sa.Column("latest_version", sa.Integer, nullable=False),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("updated_at", Timestamp, nullable=False),
    sa.Index("ix_templates_created", "created_at", "id"),
    **_mysql,
)

template_versions = sa.Table(
    "template_versions",
    metadata,
    sa.Column("template_id", Id, sa.ForeignKey("templates.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("definition", sa.JSON, nullable=False),
    sa.Column("created_at", Timestamp, nullable=False),
    **_mysql,
)

# Analytics rollups (0015, backends/storage/rollups.py): figures of the jobs created in an hour
# (span 1) or a UTC day (span 24) per queue, name and owner; `hour` counts hours since 1970.
# Triggers on jobs and executions append the hour of each changed job to analytics_dirty.
analytics_rollups = sa.Table(
    "analytics_rollups",
    metadata,
    sa.Column("span", sa.SmallInteger, primary_key=True, autoincrement=False),
    sa.Column("hour", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("queue", sa.String(64), primary_key=True),
    sa.Column("name", sa.String(200), primary_key=True),
    sa.Column("owner_id", Id, primary_key=True),
    sa.Column("jobs", sa.Integer, nullable=False),
    sa.Column("statuses", sa.Text, nullable=False),  # {"completed": 12, ...}
    sa.Column("runs", sa.Integer, nullable=False),
    sa.Column("run_bins", LongText, nullable=False),  # [first bin, its count, the next bin's, ...]
    sa.Column("waits", sa.Integer, nullable=False),
    sa.Column("wait_bins", LongText, nullable=False),
    **_mysql,
)

analytics_dirty = sa.Table(
    "analytics_dirty",
    metadata,
    sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True),
    sa.Column("hour", sa.Integer, nullable=False),
    sa.Index("ix_analytics_dirty_hour", "hour"),
    **_mysql,
)
