"""Pull workers (robots, agents) and the fleet: registration, heartbeats and derived status, the
long-poll claim with label affinity, leases, fenced outcome reports, deregistration, and the
figures of one dashboard call.

A pull worker's job is an ordinary running job whose `worker` is the worker's id: the lifecycle
service records its outcome (retry policy, backoff) and the lease reconciler (`recover_lost`)
re-queues it if the worker stops extending its lease, exactly as for the other executors."""

from __future__ import annotations

import asyncio
import time
from datetime import datetime, timedelta
from typing import Any

from baton import states
from baton.backends.storage import ClaimRequest, StorageBackend
from baton.errors import Conflict, NotFound, Unprocessable
from baton.lifecycle import JobService, check_label_keys
from baton.models import Execution, ExecutionStatus, Job, JobStatus, Outcome, Worker, WorkerState
from baton.pagination import decode_cursor, encode_cursor, invalid_cursor
from baton.settings import Settings
from baton.tasks import result_outcome
from baton.timeutil import isoformat, new_id, utcnow

__all__ = [
    "CLAIM_POLL_SECONDS",
    "OFFLINE_AFTER_INTERVALS",
    "ONLINE_WITHIN_INTERVALS",
    "WorkerService",
    "worker_status",
]

# a worker is `online` when its last heartbeat (or claim) is younger than this many heartbeat
# intervals (BATON_WORKER_HEARTBEAT_SECONDS), `stale` below OFFLINE_AFTER_INTERVALS, else `offline`
ONLINE_WITHIN_INTERVALS = 2
OFFLINE_AFTER_INTERVALS = 5
# a waiting claim looks for a claimable job this often (a cheap read; the claim itself is a write)
CLAIM_POLL_SECONDS = 0.25
_STATUSES = ("online", "stale", "offline")


def worker_status(last_heartbeat_at: datetime, now: datetime, interval: float) -> str:
    age = (now - last_heartbeat_at).total_seconds()
    if age < ONLINE_WITHIN_INTERVALS * interval:
        return "online"
    if age < OFFLINE_AFTER_INTERVALS * interval:
        return "stale"
    return "offline"


def _tail(text: str, limit: int) -> tuple[str, bool]:
    """The last `limit` bytes of an output (UTF-8, cut on a character boundary), as the local
    runner keeps them; NUL shown as the replacement character (not every database stores it)."""
    text = text.replace("\x00", "\ufffd")
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text, False
    return data[-limit:].decode("utf-8", errors="ignore"), True


def lease_lost(detail: str) -> Conflict:
    return Conflict(detail, code="LEASE_LOST")


class WorkerService:
    def __init__(self, storage: StorageBackend, jobs: JobService, settings: Settings) -> None:
        self.storage = storage
        self.jobs = jobs
        self.settings = settings
        self.interval = settings.worker_heartbeat_seconds

    # -- views ---------------------------------------------------------------------------------

    def view(self, worker: Worker, now: datetime | None = None) -> dict[str, Any]:
        return {
            "id": worker.id,
            "name": worker.name,
            "hostname": worker.hostname,
            "queues": worker.queues,
            "labels": worker.labels,
            "capacity": worker.capacity,
            "load": worker.load,
            "running_jobs": worker.running_jobs,
            "state": worker.state.value,
            "status": worker_status(worker.last_heartbeat_at, now or utcnow(), self.interval),
            "registered_at": isoformat(worker.registered_at),
            "last_heartbeat_at": isoformat(worker.last_heartbeat_at),
            "heartbeat_interval_seconds": self.interval,
            "tasks": worker.tasks,
        }

    @staticmethod
    def claimed_view(job: Job) -> dict[str, Any]:
        return {
            "id": job.id,
            "name": job.name,
            "queue": job.queue,
            "command": job.command,
            "task": job.task,
            "payload": job.payload,
            "priority": job.priority,
            "labels": job.labels,
            "timeout_seconds": job.timeout_seconds,
            "attempt": job.attempt,
            "lease_expires_at": isoformat(job.lease_expires_at),
        }

    # -- workers -------------------------------------------------------------------------------

    async def register(self, body: dict[str, Any]) -> Worker:
        labels = body.get("labels") or {}
        check_label_keys(labels)  # the key rule the spec cannot state
        now = utcnow()
        worker = Worker(
            id=new_id(),
            name=body["name"],
            hostname=body.get("hostname", ""),
            queues=list(body["queues"]),
            labels=labels,
            capacity=body.get("capacity", 1),
            load=0,
            state=WorkerState.ACTIVE,
            registered_at=now,
            last_heartbeat_at=now,
            tasks=sorted(set(body.get("tasks") or [])),
        )
        await self.storage.insert_worker(worker)
        return worker

    async def get(self, worker_id: str) -> Worker:
        worker = await self.storage.get_worker(worker_id.lower())
        if worker is None:
            raise NotFound(f"No worker {worker_id}", code="WORKER_NOT_FOUND")
        return worker

    async def list(
        self,
        *,
        limit: int,
        cursor: str | None,
        statuses: list[str] | None,
        queue: str | None,
        labels: list[str] | None,
    ) -> tuple[list[Worker], str | None]:
        after = None
        if cursor:
            position = decode_cursor(cursor, "id")
            if len(position) != 1 or not isinstance(position[0], str) or len(position[0]) > 64:
                raise invalid_cursor()
            after = position[0]
        now = utcnow()
        online_after = now - timedelta(seconds=ONLINE_WITHIN_INTERVALS * self.interval)
        offline_before = now - timedelta(seconds=OFFLINE_AFTER_INTERVALS * self.interval)
        ranges = {
            "online": (online_after, None),
            "stale": (offline_before, online_after),
            "offline": (None, offline_before),
        }
        wanted = sorted(set(statuses or []))
        found = await self.storage.list_workers(
            limit + 1,
            after,
            queue=queue,
            labels=tuple(tuple(pair.split("=", 1)) for pair in labels or []),
            heartbeat_ranges=[ranges[status] for status in wanted] if wanted else (),
        )
        if len(found) <= limit:
            return found, None
        found = found[:limit]
        return found, encode_cursor("id", [found[-1].id])

    async def heartbeat(self, worker_id: str, body: dict[str, Any]) -> Worker:
        changes: dict[str, Any] = {"last_heartbeat_at": utcnow()}
        for name in ("load", "capacity"):
            if name in body:
                changes[name] = body[name]
        if body.get("state") == WorkerState.DRAINING.value:
            changes["state"] = WorkerState.DRAINING
        worker = await self.storage.update_worker(worker_id.lower(), changes["last_heartbeat_at"], **changes)
        if worker is None:
            raise NotFound(f"No worker {worker_id}", code="WORKER_NOT_FOUND")
        return worker

    async def drain(self, worker_id: str) -> Worker:
        worker = await self.storage.update_worker(worker_id.lower(), utcnow(), state=WorkerState.DRAINING)
        if worker is None:
            raise NotFound(f"No worker {worker_id}", code="WORKER_NOT_FOUND")
        return worker

    async def deregister(self, worker_id: str) -> list[str]:
        """Forget the worker; its running jobs go back to pending at once. Returns their ids."""
        worker = await self.get(worker_id)
        reason = f"Interrupted: worker {worker.name} ({worker.id}) was deregistered"
        now = utcnow()
        requeued = await self.storage.delete_worker(
            worker.id, now, lambda job_id, attempt: states.requeue(job_id, attempt, worker.id, reason, now)
        )
        if requeued is None:
            raise NotFound(f"No worker {worker_id}", code="WORKER_NOT_FOUND")
        if requeued:
            self.jobs.wake()
        return requeued

    # -- the pull protocol ---------------------------------------------------------------------

    async def claim(self, worker_id: str, body: dict[str, Any]) -> list[Job]:
        worker = await self.get(worker_id)
        self._must_be_active(worker)
        queues = body.get("queues") or worker.queues
        not_served = sorted(set(queues) - set(worker.queues))
        if not_served:
            raise Unprocessable(
                f"The worker does not serve queue(s) {', '.join(not_served)}; register it with them",
                code="QUEUE_NOT_SERVED",
                errors=[
                    {"field": "queues", "message": f"Not a queue of the worker: {q}"} for q in not_served
                ],
            )
        lease = timedelta(seconds=body.get("lease_seconds", 60))
        max_jobs = body.get("max_jobs", 1)
        deadline = time.monotonic() + body.get("wait_seconds", 0)
        while True:
            now = utcnow()
            request = ClaimRequest(limit=max_jobs, now=now, queues=frozenset(queues), pull_worker=worker.id)
            claimed = await self.storage.claim(
                request,
                lambda job_id, attempts, now=now: states.claim(job_id, attempts, worker.id, now, now + lease),
            )
            if claimed is None:  # deregistered or drained meanwhile
                self._must_be_active(await self.get(worker.id))
                raise Conflict("The worker is draining and gets no new jobs", code="WORKER_DRAINING")
            if claimed or time.monotonic() >= deadline:
                return claimed
            # wait without holding a connection: a cheap read now and then, the claim when it says so
            while (remaining := deadline - time.monotonic()) > 0:
                await asyncio.sleep(min(CLAIM_POLL_SECONDS, remaining))
                if await self.storage.claimable_exists(queues, worker.labels, utcnow(), worker.tasks):
                    break

    @staticmethod
    def _must_be_active(worker: Worker) -> None:
        if worker.state is not WorkerState.ACTIVE:
            raise Conflict(
                f"Worker {worker.id} is draining and gets no new jobs; register it again to take more",
                code="WORKER_DRAINING",
            )

    async def extend_lease(self, job_id: str, body: dict[str, Any]) -> dict[str, Any]:
        job = await self._job(job_id)
        worker_id, attempt = body["worker_id"].lower(), body["attempt"]
        expires = utcnow() + timedelta(seconds=body.get("lease_seconds", 60))
        if not await self.storage.extend_lease(job.id, worker_id, attempt, expires):
            raise await self._lost(await self._job(job.id), worker_id, attempt)
        return {
            "job_id": job.id,
            "worker_id": worker_id,
            "attempt": attempt,
            "lease_expires_at": isoformat(expires),
        }

    async def report(self, job_id: str, body: dict[str, Any], *, completed: bool) -> Job:
        """`complete` / `fail`: recorded like any attempt's outcome (retry policy, backoff), only
        if the job still runs this attempt on this worker."""
        job = await self._job(job_id)
        worker_id, attempt = body["worker_id"].lower(), body["attempt"]
        limit = self.settings.output_limit_bytes
        stdout, stdout_truncated = _tail(body.get("stdout", ""), limit)
        stderr, stderr_truncated = _tail(body.get("stderr", ""), limit)
        exit_code = body.get("exit_code")
        error = body.get("error")
        result = None
        if completed:
            status = ExecutionStatus.COMPLETED
            if job.task is None:
                exit_code = 0 if exit_code is None else exit_code
            # a task's result is kept under the same rule as where tasks run in-process: one too
            # large for the cap fails the attempt (baton.tasks.result_outcome)
            kept = result_outcome(body.get("result"))
            status, result = kept.status, kept.result
            error = kept.error if kept.error is not None else error
        else:
            status = ExecutionStatus.TIMED_OUT if body.get("timed_out") else ExecutionStatus.FAILED
            if error is None:
                error = "Timed out" if body.get("timed_out") else f"Exited with status {exit_code}"
        outputs = {
            "stdout": stdout,
            "stderr": stderr,
            "stdout_truncated": stdout_truncated,
            "stderr_truncated": stderr_truncated,
        }
        if not (job.status is JobStatus.RUNNING and job.attempt == attempt and job.worker == worker_id):
            raise await self._lost(job, worker_id, attempt, outputs=outputs, exit_code=exit_code)
        outcome = Outcome(status, exit_code=exit_code, error=error, result=result, **outputs)
        moved = await self.jobs.record_outcome(job, outcome)
        if moved is None:  # cancelled or taken over between the check and the write
            raise await self._lost(await self._job(job.id), worker_id, attempt)
        return moved

    async def _lost(
        self,
        job: Job,
        worker_id: str,
        attempt: int,
        *,
        outputs: dict[str, Any] | None = None,
        exit_code: int | None = None,
    ) -> Conflict:
        """The 409 for an attempt that no longer runs on this worker. If it was cancelled while
        running there, its execution is settled now (the worker's report, or its failed lease
        extension, is the last word from it)."""
        if job.status is JobStatus.CANCELLED and job.attempt == attempt and job.worker == worker_id:
            # its execution ended with the cancel; keep what the worker says it printed
            if outputs is not None:
                now = utcnow()
                ended = Execution(
                    job.id, attempt, ExecutionStatus.CANCELLED, worker_id, job.started_at or now,
                    finished_at=job.finished_at or now, exit_code=exit_code, error=job.error, **outputs,
                )  # fmt: skip
                await self.storage.finish_attempt(None, ended, now)
            return lease_lost(f"Job {job.id} was cancelled; stop it")
        if job.attempt != attempt or job.worker != worker_id:
            return lease_lost(
                f"Attempt {attempt} of job {job.id} is not this worker's any more (the job is "
                f"{job.status}, attempt {job.attempt}); stop it and do not report it"
            )
        return lease_lost(f"Job {job.id} is {job.status}: attempt {attempt} no longer runs; stop it")

    async def _job(self, job_id: str) -> Job:
        job = await self.storage.get_job(job_id.lower())
        if job is None:
            raise NotFound(f"No job {job_id}", code="JOB_NOT_FOUND")
        return job

    # -- the fleet -----------------------------------------------------------------------------

    async def fleet(self) -> dict[str, Any]:
        now = utcnow()
        figures = await self.storage.fleet_figures(
            now - timedelta(seconds=ONLINE_WITHIN_INTERVALS * self.interval),
            now - timedelta(seconds=OFFLINE_AFTER_INTERVALS * self.interval),
        )
        by_status = figures["by_worker_status"]
        counts = {status: by_status.get(status, (0, 0, 0))[0] for status in _STATUSES}
        alive = [by_status.get(status, (0, 0, 0)) for status in ("online", "stale")]
        depths: dict[str, dict[str, Any]] = {}
        for queue, status, count in figures["depths"]:
            entry = depths.setdefault(queue, {"queue": queue, "pending": 0, "running": 0})
            entry[status.value] = count
        return {
            "workers": {**counts, "total": sum(counts.values())},
            "capacity": sum(capacity for _, capacity, _ in alive),
            "load": sum(load for _, _, load in alive),
            "running_on_workers": figures["running_on_workers"],
            "jobs_by_status": figures["jobs_by_status"],
            "queues": [depths[name] for name in sorted(depths)],
            "heartbeat_interval_seconds": self.interval,
        }
