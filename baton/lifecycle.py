"""Job lifecycle: what users and executors do to jobs, and who may see which.

The moves themselves and their rules are baton/states.py; each is a compare-and-set in storage
(with its event), so concurrent callers (API requests, executors, the reconciler, other server
processes) can never both move one job."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable
from datetime import datetime
from typing import Any

from baton import states
from baton.backends.execution import Executor
from baton.backends.logs import LogStore
from baton.backends.storage import StorageBackend
from baton.errors import Conflict, InvalidInput, NotFound, PreconditionFailed, Unprocessable
from baton.models import (
    LIVE_STATES,
    TERMINAL_STATES,
    Execution,
    ExecutionStatus,
    Job,
    JobStatus,
    Outcome,
    Principal,
    Queue,
)
from baton.pagination import decode_cursor, encode_cursor, invalid_cursor
from baton.queuecache import QueueCache
from baton.timeutil import new_id, parse_input_timestamp, utcnow

__all__ = ["JobService", "build_job", "check_label_keys"]

DEFAULT_TIMEOUT_SECONDS = 3600
MAX_LABELS = 32  # as the spec's Labels schema says; a merge patch can reach past it
# what a merge patch may still change: nothing about a job that started or finished
PATCHABLE_STATES = frozenset({JobStatus.SCHEDULED, JobStatus.PENDING})
_LABEL_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9_./-]{0,62}")
_CAS_ATTEMPTS = 5
MAX_ATTEMPT = 2**31 - 1


class JobService:
    def __init__(
        self,
        storage: StorageBackend,
        executor: Executor,
        wake: Callable[[], None],
        logs: LogStore | None = None,
        queue_cache_seconds: float = 0,
    ) -> None:
        self.storage = storage
        self.executor = executor
        self.wake = wake  # nudges the dispatcher when a job becomes pending
        self.logs = logs
        # the queue defaults a submit applies; fed queue events by the app (baton/queuecache.py)
        self.queues = QueueCache(storage, queue_cache_seconds)

    # -- API operations ----------------------------------------------------------------------

    async def create(self, principal: Principal, body: dict[str, Any]) -> Job:
        queue = await self.queues.get(body["queue"])
        known = await self.known_tasks() if body.get("task") is not None else frozenset()
        job = build_job(principal, body, utcnow(), queue, known)
        await self.storage.insert_job(job)
        if job.status is JobStatus.PENDING:
            self.wake()
        return job

    async def get(self, principal: Principal, job_id: str) -> Job:
        job = await self.storage.get_job(job_id.lower())
        if job is None or not (principal.sees_all_jobs or job.owner_id == principal.user_id):
            # another owner's job is indistinguishable from a missing one
            raise NotFound(f"No job {job_id}", code="JOB_NOT_FOUND")
        return job

    async def cancel(self, principal: Principal, job_id: str) -> Job:
        for _ in range(_CAS_ATTEMPTS):
            job = await self.get(principal, job_id)
            if job.status not in LIVE_STATES:
                raise Conflict(
                    f"Job is {job.status}; only scheduled, pending or running jobs can be cancelled",
                    code="INVALID_JOB_STATE",
                )
            now = utcnow()
            moved = await self.storage.transition(
                [states.cancel(job, f"Cancelled by {principal.username}", now)], now
            )
            if not moved:
                continue  # it changed under us: look again
            self.stop_cancelled(job, moved[0].error or "Cancelled")
            return moved[0]
        raise Conflict("The job is changing too fast; try again", code="CONCURRENT_UPDATE")

    async def known_tasks(self) -> frozenset[str]:
        """The registered Python tasks some worker can run: this server's executor's own (the local
        executor's, or what arq workers announce in Redis) and those pull workers registered with."""
        names: set[str] = set(await self.storage.worker_task_names())
        own = getattr(self.executor, "task_names", None)
        if own is not None:
            names.update(await own())
        return frozenset(names)

    def stop_cancelled(self, job: Job, reason: str) -> None:
        """After `job` (as it was read) moved to cancelled: stop its process if it runs here. One
        running elsewhere is stopped by its worker, which learns it at its next lease renewal
        (its execution already ended with the cancel)."""
        if job.status is JobStatus.RUNNING:
            self.executor.cancel(job.id, reason)

    async def retry(self, principal: Principal, job_id: str) -> Job:
        for _ in range(_CAS_ATTEMPTS):
            job = await self.get(principal, job_id)
            if job.status not in TERMINAL_STATES:
                raise Conflict(
                    f"Job is {job.status}; only finished jobs can be retried", code="INVALID_JOB_STATE"
                )
            now = utcnow()
            moved = await self.storage.transition([states.retry(job, now)], now)
            if moved:
                self.wake()
                return moved[0]
        raise Conflict("The job is changing too fast; try again", code="CONCURRENT_UPDATE")

    async def update(
        self,
        principal: Principal,
        job_id: str,
        patch: dict[str, Any],
        *,
        precondition: Callable[[Job], bool] | None = None,
    ) -> Job:
        """Apply a JSON Merge Patch (RFC 7396) of priority, labels and run_at to a job that has
        not started; the schema already allows no other field."""
        labels_patch = patch.get("labels") or {}
        check_label_keys([key for key, value in labels_patch.items() if value is not None])
        for _ in range(_CAS_ATTEMPTS):
            job = await self.get(principal, job_id)
            if job.status not in PATCHABLE_STATES:
                raise Conflict(
                    f"Job is {job.status}; only scheduled or pending jobs can be changed",
                    code="INVALID_JOB_STATE",
                )
            _require(precondition, job)
            now = utcnow()
            changes = _patched(job, patch, now)
            if not changes:
                return job  # nothing differs: no write, and the ETag stays what it was
            # updated_at in the compare-and-set: a concurrent PATCH (its labels merge, or an
            # If-Match checked against the same version) makes this write miss and look again
            moved = await self.storage.transition(
                [states.reschedule(job, changes, now, check_version=True)], now
            )
            if not moved:
                continue  # started, cancelled or changed under us: look again
            if moved[0].status is JobStatus.PENDING:
                self.wake()
            return moved[0]
        raise Conflict("The job is changing too fast; try again", code="CONCURRENT_UPDATE")

    async def delete(
        self, principal: Principal, job_id: str, *, precondition: Callable[[Job], bool] | None = None
    ) -> None:
        job = await self.get(principal, job_id)
        if not job.is_terminal:
            raise Conflict(f"Job is {job.status}; cancel it before deleting it", code="INVALID_JOB_STATE")
        # after the state check: a precondition only decides between success and 412
        _require(precondition, job)
        # with a precondition, only the version it was checked against may be deleted
        updated_at_was = job.updated_at if precondition is not None else None
        if await self.storage.delete_job(
            job.id, sorted(TERMINAL_STATES), utcnow(), updated_at_was=updated_at_was
        ):
            if self.logs is not None:
                await self.logs.delete(job.id)
        else:
            current = await self.storage.get_job(job.id)
            if current is None:
                return  # deleted concurrently: the outcome the caller asked for
            if current.is_terminal:
                _require(precondition, current)  # changed since it was checked: check again
            raise Conflict(f"Job is {current.status}; cancel it before deleting it", code="INVALID_JOB_STATE")

    async def executions(
        self, principal: Principal, job_id: str, *, limit: int, cursor: str | None
    ) -> tuple[list[Execution], str | None]:
        job = await self.get(principal, job_id)
        after = 0
        if cursor:
            position = decode_cursor(cursor, "attempt")
            if len(position) != 1 or not _int_between(position[0], 0, MAX_ATTEMPT):
                raise invalid_cursor()
            after = position[0]
        items = await self.storage.list_executions(job.id, after, limit + 1)
        next_cursor = None
        if len(items) > limit:
            items = items[:limit]
            next_cursor = encode_cursor("attempt", [items[-1].attempt])
        return items, next_cursor

    # -- executor and reconciler callbacks -----------------------------------------------------

    async def record_outcome(self, job: Job, outcome: Outcome) -> Job | None:
        """An attempt ended. Returns the job if this report moved it (it may have been cancelled
        or taken over meanwhile, in which case only the execution's outputs are kept)."""
        now = utcnow()
        execution = Execution(
            job_id=job.id,
            attempt=job.attempt,
            status=outcome.status,
            worker=job.worker or "",
            started_at=job.started_at or now,
            finished_at=now,
            exit_code=outcome.exit_code,
            stdout=outcome.stdout,
            stderr=outcome.stderr,
            stdout_truncated=outcome.stdout_truncated,
            stderr_truncated=outcome.stderr_truncated,
            error=states.clip(outcome.error),
            result=outcome.result,
        )
        moved = await self.storage.finish_attempt(states.after_attempt(job, outcome, now), execution, now)
        if moved is not None and moved.status is JobStatus.PENDING:
            self.wake()
        return moved

    async def recover_lost(self, limit: int = 100) -> int:
        """Jobs whose worker stopped renewing its lease (it died, or lost the database) are
        settled by their retry policy. Returns how many were recovered."""
        recovered = 0
        for job in await self.storage.expired_leases(utcnow(), limit):
            outcome = Outcome(
                ExecutionStatus.LOST,
                error=f"Worker {job.worker} stopped answering (lease expired)",
            )
            if await self.record_outcome(job, outcome) is not None:
                recovered += 1
        return recovered


def build_job(
    principal: Principal,
    body: dict[str, Any],
    now: datetime,
    queue: Queue | None = None,
    known_tasks: Collection[str] = frozenset(),
) -> Job:
    """A new job from a create body the schema validated (defaults filled in), with its queue's
    defaults for what the body leaves out; raises InvalidInput for what the schema cannot say.
    A task job's task must be among `known_tasks` (what the fleet has registered)."""
    labels = body.get("labels") or {}
    check_label_keys(labels)
    run_at = _run_at(body.get("run_at"), now)
    command, task, payload = _command_or_task(body, known_tasks)
    return Job(
        id=new_id(),
        name=body.get("name") or (task or " ".join(command))[:200],
        queue=body["queue"],
        command=command,
        task=task,
        payload=payload,
        priority=body["priority"],
        timeout_seconds=_given_or_default(body, "timeout_seconds", queue, DEFAULT_TIMEOUT_SECONDS),
        max_retries=_given_or_default(body, "max_retries", queue, 0),
        retry_backoff_seconds=body["retry_backoff_seconds"],
        labels=labels,
        status=JobStatus.SCHEDULED if run_at > now else JobStatus.PENDING,
        attempt=0,
        retries_used=0,
        run_at=run_at,
        owner_id=principal.user_id,
        owner=principal.username,
        created_at=now,
        updated_at=now,
    )


def _command_or_task(
    body: dict[str, Any], known_tasks: Collection[str]
) -> tuple[list[str], str | None, dict[str, Any] | None]:
    """(command, task, payload) of a create body: exactly one of `command` and `task` (OpenAPI 3.0
    cannot say "one of two fields" without a oneOf the generated clients handle badly)."""
    command, task = body.get("command"), body.get("task")
    if (command is None) == (task is None) or (task is None and "payload" in body):
        given = [name for name in ("command", "task", "payload") if name in body]
        raise Unprocessable(
            "A job runs either a `command` or a registered `task` (with an optional `payload`), "
            f"not both and not neither; this one has {', '.join(given) or 'neither'}",
            code="COMMAND_OR_TASK",
            errors=[{"field": name, "message": "Give command, or task and payload"} for name in given][:3]
            or [{"field": "command", "message": "Give command, or task and payload"}],
        )
    if task is None:
        return command, None, None
    if task not in known_tasks:
        raise Unprocessable(
            f"No worker has registered the task {task!r}; known tasks: "
            + (", ".join(sorted(known_tasks)[:20]) or "none"),
            code="UNKNOWN_TASK",
            errors=[{"field": "task", "message": f"Unknown task {task!r}"}],
        )
    return [], task, body.get("payload") or {}


def _given_or_default(body: dict[str, Any], name: str, queue: Queue | None, fallback: int) -> int:
    if body.get(name) is not None:
        return body[name]
    default = getattr(queue, f"default_{name}", None) if queue is not None else None
    return fallback if default is None else default


def check_label_keys(keys: Iterable[str], field: str = "labels") -> None:
    # the key rule is one OpenAPI 3.0 cannot state (it has no propertyNames)
    bad = [key for key in keys if not _LABEL_KEY.fullmatch(key)]
    if bad:
        raise InvalidInput(
            "Label keys start with a letter or digit and use letters, digits, _ . - / (max 63)",
            errors=[{"field": f"{field}.{key}", "message": "Invalid label key"} for key in bad[:20]],
        )


def _run_at(value: str | None, now: datetime) -> datetime:
    """A body's run_at: null or absent means now."""
    if value is None:
        return now
    return parse_input_timestamp(value, "run_at")


def _patched(job: Job, patch: dict[str, Any], now: datetime) -> dict[str, Any]:
    """The column changes a merge patch makes to `job` (only those that differ)."""
    changes: dict[str, Any] = {}
    if "priority" in patch and patch["priority"] != job.priority:
        changes["priority"] = patch["priority"]
    if "labels" in patch:
        if patch["labels"] is None:
            labels = {}  # RFC 7396: null removes the member; a job's labels are then empty
        else:
            labels = {**job.labels, **patch["labels"]}
            labels = {key: value for key, value in labels.items() if value is not None}
        if len(labels) > MAX_LABELS:
            raise Unprocessable(
                f"A job has at most {MAX_LABELS} labels; this change would leave it {len(labels)}",
                code="TOO_MANY_LABELS",
                errors=[{"field": "labels", "message": f"At most {MAX_LABELS} labels"}],
            )
        if labels != job.labels:
            changes["labels"] = labels
    if "run_at" in patch:
        run_at = _run_at(patch["run_at"], now)
        if run_at != job.run_at or (run_at > now) != (job.status is JobStatus.SCHEDULED):
            changes["run_at"] = run_at  # the move decides scheduled or pending from it
    return changes


def _require(precondition: Callable[[Job], bool] | None, job: Job) -> None:
    if precondition is not None and not precondition(job):
        raise PreconditionFailed(
            "The job changed: its ETag does not match If-Match; fetch it again",
            code="PRECONDITION_FAILED",
        )


def _int_between(value: Any, low: int, high: int) -> bool:
    # a cursor is client input: an integer the database cannot hold must be a 400, not a 500
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high
