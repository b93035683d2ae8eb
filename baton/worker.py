"""`baton worker`: runs jobs the server hands out through Redis (the arq executor).

Any number of workers, on any machine that reaches Redis and the database. For each hand-out
`(job id, attempt)` a worker takes from its arq queue it claims the job in the database (one
compare-and-set, a `claim` of that one job); a hand-out that no longer holds (cancelled, claimed elsewhere,
re-queued since) is dropped. While a command runs, the worker renews the job's lease every
heartbeat; a renewal that finds the job no longer its own (cancelled, or taken over after a lost
lease) kills the command, and so does losing the database for nearly a lease (the job will be
taken over: its command must not run on). Outcomes go through JobService.record_outcome, so
retries and backoff are exactly those of the local executor, and a stale attempt's report is
fenced off by its attempt number.

SIGTERM / SIGINT: take no more jobs, stop running commands as interrupted (they are re-queued
without using a retry), record that, exit. A SIGKILLed worker's commands die with it
(PR_SET_PDEATHSIG); its jobs are recovered by the server once their leases run out.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import shutil
import signal
import socket
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from arq.worker import func
from redis.exceptions import RedisError

from baton import states
from baton.backends import BackendError
from baton.backends.execution.arq import (
    FUNCTION,
    WORKER_JOB_TIMEOUT_SECONDS,
    ArqSettings,
    deserialize,
    serialize,
)
from baton.backends.execution.arq_poller import REDIS_RETRY_SECONDS, ArqPoller
from baton.backends.execution.arq_tasks import announce_tasks
from baton.backends.execution.local import split_queue_names
from baton.backends.logs import create_log_store
from baton.backends.signals import create_signal
from baton.backends.storage import ClaimRequest, create_storage
from baton.lifecycle import JobService
from baton.models import ExecutionStatus, Job, Outcome
from baton.runner import CommandRun, make_workroot
from baton.settings import Settings
from baton.tasks import TaskRun, load_tasks
from baton.timeutil import utcnow

__all__ = ["BatonWorker", "parse_queues"]

log = logging.getLogger("baton.worker")

KEEP_RESULT_SECONDS = 3600  # arq refuses to take a hand-out id again while it keeps its result
SHUTDOWN_REASON = "Interrupted: the worker shut down"
STOP_GRACE_SECONDS = 30.0  # after SIGTERM, how long running attempts get to be stopped and recorded
CLOSE_STEP_SECONDS = 3.0  # then each step of closing (tasks, Redis, signals, database) at most


def parse_queues(values: Sequence[str] | None) -> list[str]:
    """Queue names from repeated and/or comma-separated --queue values (default: default)."""
    try:
        names = split_queue_names(values or ["default"])
    except ValueError as exc:
        raise BackendError(f"--queue {exc}") from None
    if not names:
        raise BackendError("--queue: name at least one queue")
    return names


@dataclass
class _Run:
    attempt: int
    deadline: float  # monotonic time the lease runs out unless renewed
    command: CommandRun | TaskRun | None = None  # a registered task runs in this process
    shutdown: bool = False  # stopped because this worker is stopping


class BatonWorker:
    def __init__(self, settings: Settings, queues: Sequence[str], concurrency: int) -> None:
        if not settings.executor_url.startswith("arq://"):
            raise BackendError(
                f"baton worker runs jobs handed out through Redis: BATON_EXECUTOR_URL must be "
                f"arq://host:port/db, not {settings.executor_url.partition('://')[0]}://…"
            )
        if not 1 <= concurrency <= 1024:
            raise BackendError("--concurrency must be from 1 to 1024")
        self.settings = settings
        self.arq = ArqSettings.from_url(settings.executor_url)
        self.queues = list(queues)
        self.concurrency = concurrency
        self.identity = f"arq:{socket.gethostname()}:{os.getpid()}"
        self.name = "arq-worker"
        # the tasks this worker runs: a module that does not import stops it now, not each job later
        self.tasks = frozenset(load_tasks(settings.tasks))
        self.storage = create_storage(settings.database_url)
        self.logs = create_log_store(settings.log_url, max_bytes=settings.log_max_bytes)
        self.jobs = JobService(self.storage, self, wake=lambda: None, logs=self.logs)
        self._runs: dict[str, _Run] = {}
        self._stopping = False
        self._stop = asyncio.Event()
        self._workroot: str | None = None
        self._arq_workers: list[ArqPoller] = []
        self._background: set[asyncio.Task[Any]] = set()
        self._redis: Any = None

    # JobService's executor: a worker never cancels through it (cancels reach it via its lease)
    def cancel(self, job_id: str, reason: str) -> bool:
        entry = self._runs.get(job_id)
        if entry is None or entry.command is None:
            return False
        entry.command.stop(ExecutionStatus.CANCELLED, reason)
        return True

    def running(self) -> dict[str, int]:
        return {job_id: entry.attempt for job_id, entry in self._runs.items()}

    # -- main ----------------------------------------------------------------------------------

    async def run(self) -> int:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, self.request_stop, sig)
        await self.storage.connect()
        # the events this worker commits wake the servers' readers at once
        events_signal = create_signal(
            self.settings.redis_url or self.arq.redis_url, self.storage.dialect, self.storage.engine
        )
        self.storage.events_committed = lambda events: events_signal.committed(events[-1].id)
        redis = self.arq.connect()
        self._redis = redis
        self._workroot = make_workroot()
        with contextlib.suppress(RedisError, OSError):  # Redis may be down: the heartbeat retries
            await announce_tasks(redis, self.arq.prefix, self.tasks)
        tasks: list[asyncio.Task[Any]] = []
        try:
            for queue in self.queues:
                worker = ArqPoller(
                    functions=[func(self._run_job, name=FUNCTION)],
                    queue_name=self.arq.queue_name(queue),
                    redis_pool=redis,
                    handle_signals=False,
                    max_jobs=self.concurrency,
                    poll_delay=self.settings.worker_poll_seconds,
                    job_timeout=WORKER_JOB_TIMEOUT_SECONDS,  # each job has its own timeout
                    keep_result=KEEP_RESULT_SECONDS,
                    max_tries=1000,  # only the database's attempts count
                    retry_jobs=False,
                    job_serializer=serialize,
                    job_deserializer=deserialize,
                    health_check_interval=60,
                    log_results=False,
                )
                self._arq_workers.append(worker)
                tasks.append(asyncio.create_task(self._keep_polling(worker), name=f"arq-{queue}"))
            tasks.append(asyncio.create_task(self._heartbeat(), name="heartbeat"))
            tasks.append(asyncio.create_task(self._listen(redis), name="cancels and hand-outs"))
            log.info(
                "baton worker %s: queues %s, concurrency %d each, redis %s, database %s",
                self.identity,
                ", ".join(self.queues),
                self.concurrency,
                self.arq.describe()["redis"],
                self.storage.dialect,
            )
            await self._stop.wait()
            await self._drain()
        finally:
            # each step of the way out is bounded: a task that swallows its cancel, or a
            # connection that hangs, must not keep a stopping worker alive (its leases run out)
            for task in tasks:
                task.cancel()
            if tasks:
                _, stuck = await asyncio.wait(tasks, timeout=CLOSE_STEP_SECONDS)
                if stuck:
                    names = ", ".join(sorted(task.get_name() for task in stuck))
                    log.warning("baton worker %s: %s did not stop; leaving them", self.identity, names)
            for step in (redis.aclose, events_signal.stop, self.storage.close):
                try:
                    async with asyncio.timeout(CLOSE_STEP_SECONDS):
                        await step()
                except Exception as exc:
                    log.warning("baton worker %s: closing: %s: %s", self.identity, type(exc).__name__, exc)
            if self._workroot:
                shutil.rmtree(self._workroot, ignore_errors=True)
        log.info("baton worker %s stopped", self.identity)
        return 0

    def request_stop(self, sig: signal.Signals | None = None) -> None:
        if self._stopping:
            return
        log.info("baton worker %s: %s, stopping", self.identity, sig.name if sig else "stop requested")
        self._stopping = True
        for worker in self._arq_workers:
            worker.allow_pick_jobs = False
        for entry in self._runs.values():
            entry.shutdown = True
            if entry.command is not None:
                entry.command.stop(ExecutionStatus.LOST, SHUTDOWN_REASON)
        self._stop.set()

    async def _drain(self) -> None:
        """Wait for the attempts being stopped to be recorded (and arq to finish their hand-outs)."""
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        while time.monotonic() < deadline:
            if not any(not t.done() for w in self._arq_workers for t in w.tasks.values()):
                return
            await asyncio.sleep(0.05)
        log.warning(
            "baton worker %s: attempts still running at exit; their leases will run out", self.identity
        )

    async def _keep_polling(self, worker: ArqPoller) -> None:
        while not worker.closed:
            try:
                await worker.main()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # e.g. Redis down when the worker starts
                log.warning("queue %s: %s: %s; retrying", worker.queue_name, type(exc).__name__, exc)
                await asyncio.sleep(REDIS_RETRY_SECONDS)

    # -- one hand-out ----------------------------------------------------------------------------

    async def _run_job(self, ctx: dict[str, Any], job_id: str, attempt: int) -> None:
        """The arq function: claim the job for this attempt, run it, record the outcome."""
        if self._stopping:
            return  # not claimed: the job stays pending; the server hands it out again
        now = utcnow()
        lease = timedelta(seconds=self.settings.lease_seconds)
        deadline = time.monotonic() + self.settings.lease_seconds
        # a task this worker has not registered is left to one that has (the hand-out is dropped
        # here; the server hands the job out again)
        request = ClaimRequest(limit=1, now=now, job=(job_id, attempt - 1), tasks=self.tasks)
        claimed = await self.storage.claim(
            request, lambda job_id, attempts: states.claim(job_id, attempts, self.identity, now, now + lease)
        )
        if not claimed:
            log.debug("hand-out %s:%s no longer holds", job_id, attempt)
            return
        job = claimed[0]
        entry = _Run(job.attempt, deadline)
        self._runs[job.id] = entry
        try:
            if self._stopping:
                outcome = Outcome(ExecutionStatus.LOST, error=SHUTDOWN_REASON, interrupted=True)
            else:
                entry.command = self._command(job)
                try:
                    outcome = await entry.command.run()
                except Exception as exc:  # the attempt must be reported whatever went wrong
                    log.exception("job %s attempt %s crashed in the runner", job.id, job.attempt)
                    outcome = Outcome(ExecutionStatus.FAILED, error=f"Runner error: {type(exc).__name__}")
                outcome.interrupted = entry.shutdown and outcome.status is ExecutionStatus.LOST
            await self._record(job, outcome, entry)
        finally:
            self._runs.pop(job.id, None)

    def _command(self, job: Job) -> CommandRun | TaskRun:
        """How an attempt runs here: the one place a CommandRun or TaskRun is made."""
        if job.task is not None:
            return TaskRun(job.task, job.payload, timeout=job.timeout_seconds)
        return CommandRun(
            job.command,
            timeout=job.timeout_seconds,
            output_limit=self.settings.output_limit_bytes,
            workroot=self._workroot,
            env={"BATON_JOB_ID": job.id, "BATON_JOB_ATTEMPT": str(job.attempt)},
            log=self.logs.writer(job.id, job.attempt),
        )

    async def _record(self, job: Job, outcome: Outcome, entry: _Run) -> None:
        delay = 0.2
        while True:
            try:
                await self.jobs.record_outcome(job, outcome)
                return
            except Exception as exc:
                # the database may be back soon; past the lease the server settles the job
                if time.monotonic() + delay > entry.deadline:
                    log.error(
                        "could not record the outcome of job %s attempt %s: %s: %s",
                        job.id,
                        job.attempt,
                        type(exc).__name__,
                        exc,
                    )
                    return
                await asyncio.sleep(delay)
                delay = min(delay * 2, 2.0)

    # -- leases and cancels ------------------------------------------------------------------------

    async def _heartbeat(self) -> None:
        while True:
            await asyncio.sleep(self.settings.heartbeat_seconds)
            with contextlib.suppress(Exception):
                await self.check_leases(self.running())
            if self._redis is not None:
                with contextlib.suppress(Exception):
                    await announce_tasks(self._redis, self.arq.prefix, self.tasks)

    async def check_leases(self, attempts: dict[str, int]) -> None:
        """Renew the leases of these attempts; stop those that are no longer this worker's."""
        if not attempts:
            return
        started = time.monotonic()
        lease = utcnow() + timedelta(seconds=self.settings.lease_seconds)
        try:
            alive = await self.storage.renew_leases(attempts, self.identity, lease)
        except Exception as exc:
            log.warning("cannot renew leases: %s: %s", type(exc).__name__, exc)
            # past its lease the job is taken over; its command must be gone by then
            margin = self.settings.heartbeat_seconds
            for job_id in attempts:
                entry = self._runs.get(job_id)
                if entry and entry.command and time.monotonic() > entry.deadline - margin:
                    entry.command.stop(
                        ExecutionStatus.LOST, "The worker lost the database; its lease ran out"
                    )
            return
        for job_id, attempt in attempts.items():
            entry = self._runs.get(job_id)
            if entry is None or entry.attempt != attempt:
                continue
            if job_id in alive:
                entry.deadline = max(entry.deadline, started + self.settings.lease_seconds)
            elif entry.command is not None:
                # cancelled, or taken over after a lost lease
                entry.command.stop(ExecutionStatus.CANCELLED, "The job was cancelled or reassigned")

    async def _listen(self, redis: Any) -> None:
        """A cancel message makes the lease check of that job happen now, not at the next beat; a
        hand-out message makes the workers of that queue poll now, not at their next poll."""
        by_queue = {worker.queue_name: worker for worker in self._arq_workers}
        while True:
            pubsub = redis.pubsub()
            try:
                await pubsub.subscribe(self.arq.cancel_channel, self.arq.handout_channel)
                for worker in self._arq_workers:  # (re)subscribed: a message may have been missed
                    worker.nudge()
                while True:
                    message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=1.0)
                    if not message or message.get("type") != "message":
                        continue
                    if message["channel"] == self.arq.handout_channel.encode():
                        worker = by_queue.get(message["data"].decode(errors="replace"))
                        if worker is not None:
                            worker.nudge()
                        continue
                    job_id = message["data"].decode(errors="replace")
                    entry = self._runs.get(job_id)
                    if entry is not None:
                        task = asyncio.create_task(self.check_leases({job_id: entry.attempt}))
                        self._background.add(task)
                        task.add_done_callback(self._background.discard)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.debug("cancel channel: %s: %s", type(exc).__name__, exc)
                await asyncio.sleep(REDIS_RETRY_SECONDS)
            finally:
                with contextlib.suppress(Exception):
                    await pubsub.aclose()


def run_worker(settings: Settings, queues: Sequence[str], concurrency: int) -> int:
    logging.basicConfig(
        level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    if settings.log_level != "debug":
        # arq logs every job at info, with a "delay" computed from scores set in the past on purpose
        logging.getLogger("arq").setLevel(logging.WARNING)
    worker = BatonWorker(settings, queues, concurrency)
    return asyncio.run(worker.run())
