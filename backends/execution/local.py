"""In-process executor: a bounded pool of asyncio tasks in the server, each running one command.

Runs are keyed by (job id, attempt): the report or the stop of an old attempt can never reach
the attempt that replaced it. Each run also knows when its lease runs out, and its command is
stopped `lease_margin` seconds before that unless the dispatcher renewed the lease meanwhile: a
server that cannot reach the database (or hangs renewing) must not run a command on once the
job may be taken over, exactly as `baton worker` does."""

from __future__ import annotations

import asyncio
import logging
import os
import platform
import re
import shutil
import socket
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

from baton.backends import BackendError
from baton.backends.execution import ReportOutcome
from baton.backends.logs import LogStore

from baton.models import ExecutionStatus, Job, Outcome
from baton.runner import CommandRun, make_workroot
from baton.tasks import TaskRun, registered
from baton.timeutil import utcnow

__all__ = [
    "LEASE_LOST_REASON",
    "LocalExecutor",
    "LocalSettings",
    "host_labels",
    "parse_labels",
    "split_queue_names",
]

log = logging.getLogger(__name__)

QUEUE_NAME = re.compile(r"[a-z0-9][a-z0-9_.-]{0,63}")  # as the spec's QueueName
LABEL_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9_./-]{0,62}")  # as a job's label keys
LEASE_LOST_REASON = "The server could not renew the job's lease in time (database unreachable)"
SHUTDOWN_REASON = "Interrupted: the server shut down"
REPORT_RETRY_MAX_SECONDS = 2.0


def split_queue_names(values: Iterable[str]) -> list[str]:
    """Queue names from comma-separated lists, in order, without repeats; ValueError names the
    first one that is not a queue name. Shared by `local://?queues=` and `baton worker --queue`."""
    names: list[str] = []
    for value in values:
        for name in filter(None, (part.strip() for part in value.split(","))):
            if not QUEUE_NAME.fullmatch(name):
                raise ValueError(f"{name!r}: a queue name is 1-64 of a-z 0-9 _ . - (not _ . - first)")
            if name not in names:
                names.append(name)
    return names


def host_labels() -> dict[str, str]:
    """The labels a server's own executor has unless told otherwise: its OS and architecture."""
    return {"os": platform.system().lower() or "unknown", "arch": platform.machine().lower() or "unknown"}


def parse_labels(text: str) -> dict[str, str] | None:
    """`os=linux,gpu=a100` -> a dict; `*` -> None (the executor takes jobs whatever their labels);
    an empty string -> {} (only jobs without labels). ValueError names what is wrong."""
    if text.strip() == "*":
        return None
    labels: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        key, sep, value = part.partition("=")
        if not sep or not LABEL_KEY.fullmatch(key) or not 0 < len(value) <= 256:
            raise ValueError(f"{part!r}: expected key=value (key: letters, digits, _ . - /)")
        labels[key] = value
    return labels


@dataclass(frozen=True)
class LocalSettings:
    concurrency: int = 4
    queues: frozenset[str] | None = None  # None: jobs of every queue
    # label affinity, as for pull workers: a job runs here only if each of its labels is among
    # these (None: whatever its labels)
    labels: dict[str, str] | None = field(default_factory=host_labels)

    @classmethod
    def from_url(cls, url: str) -> LocalSettings:
        parts = urlsplit(url)
        if parts.netloc or parts.path not in {"", "/"}:
            raise BackendError(
                f"executor URL {url!r}: local:// takes no host or path, only "
                "?concurrency=N&queues=A,B&labels=K=V,K=V"
            )
        query = parse_qs(parts.query, keep_blank_values=True)
        unknown = set(query) - {"concurrency", "queues", "labels"}
        if unknown:
            raise BackendError(f"executor URL {url!r}: unknown option(s) {', '.join(sorted(unknown))}")
        raw = query.get("concurrency", ["4"])[-1]
        if not raw.isdigit() or not 1 <= int(raw) <= 1024:
            raise BackendError(f"executor URL {url!r}: concurrency must be an integer from 1 to 1024")
        queues = None
        if "queues" in query:
            try:
                names = split_queue_names(query["queues"])
            except ValueError as exc:
                raise BackendError(f"executor URL {url!r}: queues: {exc}") from None
            if not names:
                raise BackendError(
                    f"executor URL {url!r}: queues must name at least one queue (leave it out for all)"
                )
            queues = frozenset(names)
        labels = host_labels()
        if "labels" in query:
            try:
                labels = parse_labels(query["labels"][-1])
            except ValueError as exc:
                raise BackendError(f"executor URL {url!r}: labels: {exc}") from None
        return cls(concurrency=int(raw), queues=queues, labels=labels)


@dataclass
class _Run:
    job: Job
    command: CommandRun | TaskRun  # a registered task runs in this process, a command in its own
    deadline: float  # time.monotonic() when the job's lease runs out unless renewed
    task: asyncio.Task[None] | None = None
    timer: asyncio.TimerHandle | None = None
    lease_lost: bool = False  # stopped because its lease could not be renewed in time
    ended: bool = False  # the command is over; only its report is left


class LocalExecutor:
    name = "local"

    def __init__(self, settings: LocalSettings, *, output_limit: int) -> None:
        self.settings = settings
        self.output_limit = output_limit
        self.worker = f"local:{socket.gethostname()}:{os.getpid()}"
        # how long before its lease runs out an unrenewed command is stopped; the dispatcher sets
        # it to its heartbeat (the kill takes a moment, and other processes act on the lease)
        self.lease_margin = 0.0
        self._runs: dict[tuple[str, int], _Run] = {}
        self._report: ReportOutcome | None = None
        self._stopping = False
        self._workroot: str | None = None
        self.logs: LogStore | None = None  # set by the app: where full outputs go
        # set by the app: what a job gets from outside its own definition (a workflow step: its
        # upstream results): environment variables for a command, payload fields for a task
        self.environment: Callable[[Job], Awaitable[dict[str, Any]]] | None = None
        # set by the dispatcher: called when a run ends and its slot is free for the next job
        self.slot_freed: Callable[[], None] | None = None

    @classmethod
    def from_url(cls, url: str, *, output_limit: int) -> LocalExecutor:
        return cls(LocalSettings.from_url(url), output_limit=output_limit)

    @property
    def queues(self) -> frozenset[str] | None:
        """The queues whose jobs this executor runs; None: every queue."""
        return self.settings.queues

    @property
    def labels(self) -> dict[str, str] | None:
        """A job runs here only if each of its labels is among these; None: whatever its labels."""
        return self.settings.labels

    async def start(self, report: ReportOutcome) -> None:
        self._report = report
        self._workroot = make_workroot()

    async def stop(self) -> None:
        self._stopping = True
        for run in list(self._runs.values()):
            run.command.stop(ExecutionStatus.LOST, SHUTDOWN_REASON)
        tasks = [run.task for run in self._runs.values() if run.task is not None]
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
        if self._workroot:
            shutil.rmtree(self._workroot, ignore_errors=True)

    def free_slots(self) -> int:
        return max(0, self.settings.concurrency - len(self._runs))

    def running(self) -> dict[str, int]:
        """Attempts whose lease should be renewed: not those given up as lost (the server may
        have re-queued them already). Of two attempts of one job here, the newer one."""
        attempts: dict[str, int] = {}
        for (job_id, attempt), run in self._runs.items():
            if not run.lease_lost and attempt > attempts.get(job_id, 0):
                attempts[job_id] = attempt
        return attempts

    async def task_names(self) -> set[str]:
        """The registered Python tasks this server process runs (BATON_TASKS, entry points)."""
        return set(registered())

    async def submit(self, job: Job) -> None:
        extra = await self.environment(job) if self.environment is not None else {}
        run = _Run(job, self._attempt(job, extra), deadline=_monotonic_deadline(job.lease_expires_at))
        key = (job.id, job.attempt)
        self._runs[key] = run
        self._arm(key, run)
        run.task = asyncio.create_task(self._run(key, run), name=f"baton-job-{job.id}-{job.attempt}")

    def _attempt(self, job: Job, extra: dict[str, Any]) -> CommandRun | TaskRun:
        if job.task is not None:
            return TaskRun(job.task, {**(job.payload or {}), **extra}, timeout=job.timeout_seconds)
        return CommandRun(
            job.command,
            timeout=job.timeout_seconds,
            output_limit=self.output_limit,
            workroot=self._workroot,
            env={**extra, "BATON_JOB_ID": job.id, "BATON_JOB_ATTEMPT": str(job.attempt)},
            log=self.logs.writer(job.id, job.attempt) if self.logs is not None else None,
        )

    def lease_renewed(self, job_id: str, attempt: int, lease_expires_at: datetime) -> None:
        """The dispatcher renewed this attempt's lease until `lease_expires_at` (wall clock)."""
        run = self._runs.get((job_id, attempt))
        if run is None or run.lease_lost:
            return
        run.deadline = max(run.deadline, _monotonic_deadline(lease_expires_at))
        self._arm((job_id, attempt), run)

    def _arm(self, key: tuple[str, int], run: _Run) -> None:
        """(Re)schedule the stop of an unrenewed command. A timer, not a check in the heartbeat:
        a renewal that hangs on an unreachable database must not delay the stop."""
        if run.timer is not None:
            run.timer.cancel()
            run.timer = None
        if run.deadline == float("inf"):
            return  # claimed without a lease: nothing to watch
        delay = max(0.0, run.deadline - self.lease_margin - time.monotonic())
        run.timer = asyncio.get_running_loop().call_later(delay, self._lease_ran_out, key)

    def _lease_ran_out(self, key: tuple[str, int]) -> None:
        run = self._runs.get(key)
        if run is None or run.ended or run.lease_lost:
            return
        if time.monotonic() < run.deadline - self.lease_margin:  # renewed meanwhile
            self._arm(key, run)
            return
        run.lease_lost = True
        log.warning("job %s attempt %s: lease not renewed in time; stopping its command", key[0], key[1])
        run.command.stop(ExecutionStatus.LOST, LEASE_LOST_REASON)

    async def _run(self, key: tuple[str, int], run: _Run) -> None:
        job = run.job
        try:
            try:
                outcome = await run.command.run()
            except Exception as exc:  # the attempt must be reported whatever went wrong
                log.exception("job %s attempt %s crashed in the runner", job.id, job.attempt)
                outcome = Outcome(ExecutionStatus.FAILED, error=f"Runner error: {type(exc).__name__}")
            run.ended = True
            outcome.interrupted = (
                self._stopping and not run.lease_lost and outcome.status is ExecutionStatus.LOST
            )
            await self._record(run, outcome)
        finally:
            if run.timer is not None:
                run.timer.cancel()
            self._runs.pop(key, None)
            if self.slot_freed is not None and not self._stopping:
                self.slot_freed()

    async def _record(self, run: _Run, outcome: Outcome) -> None:
        """Report the outcome; if the database is away, try again while the lease holds (past it
        the reconciler settles the job, and a late report is fenced off by the attempt number)."""
        job = run.job
        assert self._report is not None
        # the lease as the command ended: renewals go on while the report is retried, but a
        # report that keeps failing for another reason must not hold the job forever
        give_up_at = run.deadline
        delay = 0.2
        while True:
            try:
                await self._report(job, outcome)
                return
            except Exception as exc:
                if self._stopping or time.monotonic() + delay > give_up_at:
                    log.error(
                        "could not record the outcome of job %s attempt %s: %s: %s",
                        job.id,
                        job.attempt,
                        type(exc).__name__,
                        exc,
                    )
                    return
                await asyncio.sleep(delay)
                delay = min(delay * 2, REPORT_RETRY_MAX_SECONDS)

    def cancel(self, job_id: str, reason: str) -> bool:
        """Stop every attempt of the job running here (the job was cancelled)."""
        found = False
        for (running_id, attempt), _ in list(self._runs.items()):
            if running_id == job_id:
                found = self.cancel_attempt(job_id, attempt, reason) or found
        return found

    def cancel_attempt(self, job_id: str, attempt: int, reason: str) -> bool:
        """Stop this attempt only (its job was cancelled or reassigned): a newer attempt of the
        same job that runs here is not touched."""
        run = self._runs.get((job_id, attempt))
        if run is None:
            return False
        run.command.stop(ExecutionStatus.CANCELLED, reason)
        return True

    def describe(self) -> dict[str, Any]:
        info: dict[str, Any] = {"backend": self.name, "concurrency": self.settings.concurrency}
        if self.settings.queues is not None:
            info["queues"] = sorted(self.settings.queues)
        info["labels"] = "*" if self.settings.labels is None else dict(self.settings.labels)
        return info


def _monotonic_deadline(lease_expires_at: datetime | None) -> float:
    """When a lease written by this process's wall clock runs out, on the monotonic clock."""
    if lease_expires_at is None:
        return float("inf")
    return time.monotonic() + (lease_expires_at - utcnow()).total_seconds()
