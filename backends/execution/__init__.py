"""Execution role: the Protocol every executor implements, and the URL registry.

An executor only moves a claimed job to something that runs it and reports the outcome back;
the database stays the source of truth (DESIGN.md §3)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from baton.backends import BackendError, BackendSpec, load_class

from baton.models import Job, Outcome

__all__ = ["Executor", "ReportOutcome", "create_executor"]

# (job as claimed, its outcome) -> recorded by the lifecycle service
ReportOutcome = Callable[[Job, Outcome], Awaitable[None]]


class Executor(Protocol):
    name: str
    worker: str  # identity written on each execution, e.g. "local:host:pid"

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


REGISTRY: dict[str, BackendSpec] = {
    "local": BackendSpec("baton.backends.execution.local:LocalExecutor"),
}


def create_executor(url: str, *, output_limit: int) -> Executor:
    scheme, sep, _ = url.partition("://")
    if not sep:
        raise BackendError(f"executor URL {url!r}: expected scheme://…, e.g. local://?concurrency=4")
    cls = load_class("executor", url, scheme, REGISTRY)
    return cls.from_url(url, output_limit=output_limit)
