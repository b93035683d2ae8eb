"""Execution role: the Protocol every executor implements, and the URL registry.

An executor only moves a claimed job to something that runs it and reports the outcome back;
the database stays the source of truth (DESIGN.md §3)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol

from baton.backends import BackendError, BackendSpec, load_class

from baton.models import Job, JobStatus, Outcome

__all__ = ["Executor", "QueueExecutor", "ReportOutcome", "create_executor", "is_queue_executor"]

# (job as claimed, its outcome) -> recorded by the lifecycle service
ReportOutcome = Callable[[Job, Outcome], Awaitable[None]]


class Executor(Protocol):
    name: str
    worker: str  # identity written on each execution, e.g. "local:host:pid"
    # what the server claims for it: jobs of these queues (None: every queue) whose labels are
    # all among these (None: whatever their labels)
    queues: frozenset[str] | None
    labels: Mapping[str, str] | None

    async def start(self, report: ReportOutcome) -> None: ...
    async def stop(self) -> None:
        """Stop every running attempt and report it; return when all are reported."""

    def free_slots(self) -> int: ...
    def running(self) -> dict[str, int]:
        """job id -> attempt, for every attempt this executor is running now."""

    async def submit(self, job: Job) -> None:
        """Start running a job already claimed (status running) for this worker."""

    def cancel(self, job_id: str, reason: str) -> bool:
        """Kill the job's process if it runs here; False if it does not."""

    def describe(self) -> dict[str, Any]:
        """Backend name and options without secrets, for /info."""


class QueueExecutor(Executor, Protocol):
    """An executor whose workers run elsewhere and claim jobs themselves (arq): the server never
    claims for it (`free_slots()` is 0); its dispatcher hands out due pending jobs instead."""

    batch: int  # most due jobs handed out per dispatch tick
    reconcile_seconds: float  # how often the queue is checked against the database

    async def enqueue(self, due: Sequence[tuple[str, str, int, int, datetime]]) -> int:
        """Hand out due pending jobs, given as (id, queue, attempts so far, priority, run_at) in
        dispatch order; the same job and attempt is never handed out twice. Returns how many
        were handed out now."""

    def handed_out(self, due: Sequence[tuple[str, str, int, int, datetime]]) -> bool:
        """Whether every one of these due jobs was handed out recently (dispatch then looks past them)."""

    async def reconcile(
        self,
        due: Sequence[tuple[str, str, int, int, datetime]],
        states: Callable[[Sequence[str]], Awaitable[dict[str, tuple[JobStatus, int]]]],
    ) -> Any:
        """Make the queue agree with the database again (it may have lost hand-outs, or kept
        ones that can no longer be claimed); `states` looks jobs up in the database."""


def is_queue_executor(executor: Executor) -> bool:
    return callable(getattr(executor, "enqueue", None)) and callable(getattr(executor, "reconcile", None))


REGISTRY: dict[str, BackendSpec] = {
    "local": BackendSpec("baton.backends.execution.local:LocalExecutor"),
    "arq": BackendSpec("baton.backends.execution.arq:ArqExecutor", ("arq", "redis"), "arq"),
}


def create_executor(url: str, *, output_limit: int) -> Executor:
    scheme, sep, _ = url.partition("://")
    if not sep:
        raise BackendError(
            f"executor URL {url!r}: expected scheme://…, e.g. local://?concurrency=4 or arq://localhost:6379/0"
        )
    cls = load_class("executor", url, scheme, REGISTRY)
    return cls.from_url(url, output_limit=output_limit)
