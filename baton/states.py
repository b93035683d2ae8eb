"""The job state machine (DESIGN.md §4): which moves exist, which status each may leave and reach,
and the change each makes to a job.

Nothing else decides a job's status. Services build a `Transition` here and hand a batch of them to
storage's one compare-and-set primitive (`StorageBackend.transition`, or a claim that selects the
jobs to move and asks `claim()` here for each), which applies them and writes the matching event
of each move that committed, in the same transaction.

    scheduled ─promote─▶ pending ─claim─▶ running ─complete─▶ completed
        ▲                  ▲  ▲             │ ├─fail─▶ failed | timed_out
        └──retry_later─────┘  └─requeue─────┘ └─retry_later (retries left, after a backoff)
    waiting | scheduled | pending | running ─cancel─▶ cancelled
    completed | failed | cancelled | timed_out ─retry─▶ pending | waiting (a workflow's re-run step)
    waiting ─release─▶ pending (a workflow step whose dependencies finished: baton/workflow_state.py)
    scheduled | pending ─reschedule─▶ scheduled | pending (run_at, priority or labels changed)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from baton.models import LIVE_STATES, TERMINAL_STATES, ExecutionStatus, Job, JobStatus, Outcome

__all__ = [
    "ALLOWED",
    "MOVES",
    "Move",
    "Transition",
    "after_attempt",
    "backoff_delay",
    "cancel",
    "cancel_waiting",
    "claim",
    "clip",
    "promote",
    "release",
    "requeue",
    "reschedule",
    "retry",
]

S = JobStatus
MAX_BACKOFF_SECONDS = 86400
ERROR_LIMIT = 2000  # characters of an attempt's error kept on the job


class Move(StrEnum):
    PROMOTE = "promote"  # a scheduled job's run_at has come
    CLAIM = "claim"  # a worker takes a due job: a new attempt starts
    COMPLETE = "complete"  # the attempt succeeded
    FAIL = "fail"  # the attempt failed or timed out, no retry left
    RETRY_LATER = "retry_later"  # the attempt failed, a retry is left: again after a backoff
    REQUEUE = "requeue"  # the attempt was interrupted by the platform: again at once, no retry used
    CANCEL = "cancel"  # someone cancelled a live job
    RETRY = "retry"  # someone re-runs a finished job
    RESCHEDULE = "reschedule"  # someone changed a job that has not started
    RELEASE = "release"  # a workflow step's dependencies finished: it may run


# move -> (statuses it may leave, statuses it may reach); the one table of allowed moves
MOVES: Mapping[Move, tuple[frozenset[JobStatus], frozenset[JobStatus]]] = MappingProxyType(
    {
        Move.PROMOTE: (frozenset({S.SCHEDULED}), frozenset({S.PENDING})),
        Move.CLAIM: (frozenset({S.PENDING}), frozenset({S.RUNNING})),
        Move.COMPLETE: (frozenset({S.RUNNING}), frozenset({S.COMPLETED})),
        Move.FAIL: (frozenset({S.RUNNING}), frozenset({S.FAILED, S.TIMED_OUT})),
        Move.RETRY_LATER: (frozenset({S.RUNNING}), frozenset({S.SCHEDULED, S.PENDING})),
        Move.REQUEUE: (frozenset({S.RUNNING}), frozenset({S.PENDING})),
        Move.CANCEL: (LIVE_STATES, frozenset({S.CANCELLED})),
        Move.RETRY: (TERMINAL_STATES, frozenset({S.PENDING, S.WAITING})),
        Move.RESCHEDULE: (frozenset({S.SCHEDULED, S.PENDING}), frozenset({S.SCHEDULED, S.PENDING})),
        Move.RELEASE: (frozenset({S.WAITING}), frozenset({S.PENDING})),
    }
)
ALLOWED: frozenset[tuple[JobStatus, JobStatus]] = frozenset(
    (source, target) for sources, targets in MOVES.values() for source in sources for target in targets
)


@dataclass(frozen=True)
class Transition:
    """One compare-and-set on one job: it applies only while the job is in `source` (and at
    `attempt`, on `worker`, last changed at `updated_at_was`, for each of those given)."""

    move: Move
    job_id: str
    source: JobStatus
    target: JobStatus
    changes: Mapping[str, Any] = field(default_factory=dict)  # other columns the move sets
    attempt: int | None = None
    worker: str | None = None
    updated_at_was: datetime | None = None
    start_execution: bool = False  # a claim: record a running execution of the new attempt
    # the running execution of `attempt` ends with the job, at its finished_at and with its error
    # (a cancel: the job and its attempt end at one instant, whenever the process stops)
    end_execution: ExecutionStatus | None = None

    def __post_init__(self) -> None:
        sources, targets = MOVES[self.move]
        if self.source not in sources or self.target not in targets:
            raise ValueError(f"{self.move}: {self.source} -> {self.target} is not an allowed move")
        if "status" in self.changes:
            raise ValueError("a transition's status is its target")

    @property
    def event_type(self) -> str:
        # a change that keeps the status (a new priority, say) is an update, not a status change
        return f"job.{self.target}" if self.target is not self.source else "job.updated"


def backoff_delay(base_seconds: int, retries_used: int) -> int:
    """Delay before automatic retry number `retries_used + 1`: base, 2x base, 4x base, … capped."""
    return min(base_seconds * (2 ** min(retries_used, 30)), MAX_BACKOFF_SECONDS)


def promote(job_id: str, now: datetime) -> Transition:
    return Transition(Move.PROMOTE, job_id, S.SCHEDULED, S.PENDING, {"updated_at": now})


def claim(
    job_id: str, attempts_so_far: int, worker: str, now: datetime, lease_expires_at: datetime
) -> Transition:
    return Transition(
        Move.CLAIM,
        job_id,
        S.PENDING,
        S.RUNNING,
        {
            "attempt": attempts_so_far + 1,
            "worker": worker,
            "lease_expires_at": lease_expires_at,
            "started_at": now,
            "finished_at": None,
            "exit_code": None,
            "updated_at": now,
        },
        attempt=attempts_so_far,
        start_execution=True,
    )


def after_attempt(job: Job, outcome: Outcome, now: datetime) -> Transition:
    """What the end of the job's current attempt does to it: completed, failed or timed out, or
    (retries left) scheduled again after a backoff, or (interrupted) pending again at once."""
    error = clip(outcome.error)
    base: dict[str, Any] = {
        "exit_code": outcome.exit_code,
        "error": error,
        "lease_expires_at": None,
        "updated_at": now,
    }

    def move(kind: Move, target: JobStatus, **changes: Any) -> Transition:
        return Transition(kind, job.id, S.RUNNING, target, {**base, **changes}, attempt=job.attempt)

    status = outcome.status
    if status is ExecutionStatus.COMPLETED:
        return move(Move.COMPLETE, S.COMPLETED, finished_at=now)
    if status is ExecutionStatus.CANCELLED:
        return move(Move.CANCEL, S.CANCELLED, finished_at=now)
    if outcome.interrupted:
        return move(Move.REQUEUE, S.PENDING, run_at=now, finished_at=None)
    if job.retries_used < job.max_retries:
        delay = backoff_delay(job.retry_backoff_seconds, job.retries_used)
        return move(
            Move.RETRY_LATER,
            S.SCHEDULED if delay > 0 else S.PENDING,
            run_at=now + timedelta(seconds=delay),
            retries_used=job.retries_used + 1,
            finished_at=None,
        )
    final = S.TIMED_OUT if status is ExecutionStatus.TIMED_OUT else S.FAILED
    return move(Move.FAIL, final, finished_at=now)


def requeue(job_id: str, attempt: int, worker: str, reason: str, now: datetime) -> Transition:
    """The platform took the attempt away (its worker was deregistered): pending again at once,
    without using a retry."""
    return Transition(
        Move.REQUEUE,
        job_id,
        S.RUNNING,
        S.PENDING,
        {
            "run_at": now,
            "lease_expires_at": None,
            "finished_at": None,
            "exit_code": None,
            "error": clip(reason),
            "updated_at": now,
        },
        attempt=attempt,
        worker=worker,
    )


def cancel(job: Job, reason: str, now: datetime) -> Transition:
    return Transition(
        Move.CANCEL,
        job.id,
        job.status,
        S.CANCELLED,
        {"finished_at": now, "updated_at": now, "error": clip(reason), "lease_expires_at": None},
        attempt=job.attempt,
        end_execution=ExecutionStatus.CANCELLED if job.status is S.RUNNING else None,
    )


def release(job_id: str, now: datetime) -> Transition:
    """A waiting workflow step may run: pending, due now."""
    return Transition(Move.RELEASE, job_id, S.WAITING, S.PENDING, {"run_at": now, "updated_at": now})


def cancel_waiting(job_id: str, attempt: int, reason: str, now: datetime) -> Transition:
    """A waiting workflow step will not run (a step it depends on did not succeed)."""
    return Transition(
        Move.CANCEL,
        job_id,
        S.WAITING,
        S.CANCELLED,
        {"finished_at": now, "updated_at": now, "error": clip(reason), "lease_expires_at": None},
        attempt=attempt,
    )


def retry(job: Job, now: datetime, target: JobStatus = S.PENDING) -> Transition:
    """A finished job runs again from the start: a fresh retry budget (a workflow's re-run step
    waits on its dependencies again: `target` waiting)."""
    return Transition(
        Move.RETRY,
        job.id,
        job.status,
        target,
        {
            "run_at": now,
            "retries_used": 0,
            "started_at": None,
            "finished_at": None,
            "exit_code": None,
            "error": None,
            "updated_at": now,
        },
        attempt=job.attempt,
    )


def reschedule(job: Job, changes: Mapping[str, Any], now: datetime, *, check_version: bool) -> Transition:
    """A merge patch of a job that has not started: `changes` may hold priority, labels and run_at;
    a run_at in the future makes it scheduled, one that has come pending."""
    run_at = changes.get("run_at", job.run_at)
    target = S.SCHEDULED if run_at > now else S.PENDING
    return Transition(
        Move.RESCHEDULE,
        job.id,
        job.status,
        target,
        {**changes, "updated_at": now},
        attempt=job.attempt,
        # PATCH compares the version it read: a concurrent change in between must not be lost
        updated_at_was=job.updated_at if check_version else None,
    )


def clip(text: str | None, limit: int = ERROR_LIMIT) -> str | None:
    if text is None or len(text) <= limit:
        return text
    return text[: limit - 1] + "…"
