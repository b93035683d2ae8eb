"""In-process executor: a bounded pool of asyncio tasks in the server, each running one command."""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import socket
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

from baton.backends import BackendError
from baton.backends.execution import ReportOutcome
from baton.backends.logs import LogStore

from baton.models import ExecutionStatus, Job, Outcome
from baton.runner import CommandRun, make_workroot

__all__ = ["LocalExecutor", "LocalSettings"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LocalSettings:
    concurrency: int = 4

    @classmethod
    def from_url(cls, url: str) -> LocalSettings:
        parts = urlsplit(url)
        if parts.netloc or parts.path not in {"", "/"}:
            raise BackendError(f"executor URL {url!r}: local:// takes no host or path, only ?concurrency=N")
        query = parse_qs(parts.query, keep_blank_values=True)
        unknown = set(query) - {"concurrency"}
        if unknown:
            raise BackendError(f"executor URL {url!r}: unknown option(s) {', '.join(sorted(unknown))}")
        raw = query.get("concurrency", ["4"])[-1]
        if not raw.isdigit() or not 1 <= int(raw) <= 1024:
            raise BackendError(f"executor URL {url!r}: concurrency must be an integer from 1 to 1024")
        return cls(concurrency=int(raw))


class LocalExecutor:
    name = "local"

    def __init__(self, settings: LocalSettings, *, output_limit: int) -> None:
        self.settings = settings
        self.output_limit = output_limit
        self.worker = f"local:{socket.gethostname()}:{os.getpid()}"
        self._runs: dict[str, tuple[int, CommandRun, asyncio.Task[None]]] = {}
        self._report: ReportOutcome | None = None
        self._stopping = False
        self._workroot: str | None = None
        self.logs: LogStore | None = None  # set by the app: where full outputs go

    @classmethod
    def from_url(cls, url: str, *, output_limit: int) -> LocalExecutor:
        return cls(LocalSettings.from_url(url), output_limit=output_limit)

    async def start(self, report: ReportOutcome) -> None:
        self._report = report
        self._workroot = make_workroot()

    async def stop(self) -> None:
        self._stopping = True
        for _, run, _ in list(self._runs.values()):
            run.stop(ExecutionStatus.LOST, "Interrupted: the server shut down")
        tasks = [task for _, _, task in self._runs.values()]
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
        if self._workroot:
            shutil.rmtree(self._workroot, ignore_errors=True)

    def free_slots(self) -> int:
        return max(0, self.settings.concurrency - len(self._runs))

    def running(self) -> dict[str, int]:
        return {job_id: attempt for job_id, (attempt, _, _) in self._runs.items()}

    async def submit(self, job: Job) -> None:
        run = CommandRun(
            job.command,
            timeout=job.timeout_seconds,
            output_limit=self.output_limit,
            workroot=self._workroot,
            env={"BATON_JOB_ID": job.id, "BATON_JOB_ATTEMPT": str(job.attempt)},
            log=self.logs.writer(job.id, job.attempt) if self.logs is not None else None,
        )
        task = asyncio.create_task(self._run(job, run), name=f"baton-job-{job.id}")
        self._runs[job.id] = (job.attempt, run, task)

    async def _run(self, job: Job, run: CommandRun) -> None:
        try:
            try:
                outcome = await run.run()
            except Exception as exc:  # the attempt must be reported whatever went wrong
                log.exception("job %s attempt %s crashed in the runner", job.id, job.attempt)
                outcome = Outcome(ExecutionStatus.FAILED, error=f"Runner error: {type(exc).__name__}")
            outcome.interrupted = self._stopping and outcome.status is ExecutionStatus.LOST
            assert self._report is not None
            await self._report(job, outcome)
        except Exception:
            # the reconciler will find the job by its expired lease
            log.exception("could not record the outcome of job %s attempt %s", job.id, job.attempt)
        finally:
            self._runs.pop(job.id, None)

    def cancel(self, job_id: str, reason: str) -> bool:
        entry = self._runs.get(job_id)
        if entry is None:
            return False
        entry[1].stop(ExecutionStatus.CANCELLED, reason)
        return True

    def describe(self) -> dict[str, Any]:
        return {"backend": self.name, "concurrency": self.settings.concurrency}
