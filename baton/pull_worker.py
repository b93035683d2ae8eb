"""`baton worker --server URL`: a pull worker that needs nothing but the HTTP API (issue 4).

No Redis, no database: it registers (`POST /api/v1/workers`), sends a heartbeat as often as the
server recommends, long-polls for as many jobs as it has free slots, runs each claimed command
with the local executor's runner (baton/runner.py: own process group, timeout, output tails,
killed with the worker), extends each job's lease every third of it, and reports `complete` or
`fail` with the attempt number (docs/workers.md).

The rules it keeps:
- A lease extension answered 409 LEASE_LOST (cancelled, re-queued, worker deregistered): the
  command is killed at once and not reported.
- A lease it could not extend (server unreachable): the command is killed a quarter of the lease
  before the lease runs out, because the server hands the job to someone else then.
- Network errors, 5xx and 429 are retried with backoff (Retry-After honoured), never fatal. A
  report is retried while the lease holds; a retry of a report that did reach the server gets
  409 and stops there, so no attempt is ever recorded twice (the server fences by attempt).
- SIGTERM / SIGINT: drain (no more claims), stop the running commands, report those that had
  finished, deregister (the server re-queues the stopped jobs at once, without using a retry),
  exit 0. After an operator's drain, running jobs finish first; then it deregisters and exits 0.
- Credentials: an API key (`X-API-Key`), a bearer token, or a username and password (login;
  refresh before the access token expires; log in again when the refresh is refused). Refused
  credentials end the worker with status 2.

The HTTP side (credentials, retries, the typed calls) is baton/pull_client.py; this module is the
worker loop around it: options, slots, commands, lease timers, drain and shutdown.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import os
import re
import shutil
import signal
import socket
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

from baton.backends import BackendError
from baton.backends.execution.local import split_queue_names
from baton.models import ExecutionStatus, Outcome
from baton.pull_client import (
    BACKOFF_FIRST_SECONDS,
    BACKOFF_MAX_SECONDS,
    AuthRefused,
    Credentials,
    PullClient,
    Unreachable,
    detail,
    error_code,
)
from baton.runner import CommandRun, make_workroot
from baton.settings import Settings
from baton.tasks import TaskRun, load_tasks

# AuthRefused, Credentials and Unreachable live in baton/pull_client.py since the split; they stay
# importable from here, where callers (baton/cli.py, the tests) have always found them.
__all__ = [
    "AuthRefused",
    "Credentials",
    "PullOptions",
    "PullWorker",
    "Unreachable",
    "parse_labels",
    "pull_options",
    "run_pull_worker",
]

log = logging.getLogger("baton.pull_worker")

REPORT_GIVE_UP_SECONDS = 300.0  # a report refused this long (lease still held) is left to the server
STOP_GRACE_SECONDS = 30.0  # after SIGTERM: to stop commands, report the finished ones, deregister
ERROR_LIMIT = 2000  # AttemptReport.error's maxLength
SHRUNK_OUTPUT_CHARS = 4096  # outputs resent this short when the server refused the report's size
MAX_LABELS = 32
SHUTDOWN_REASON = "Interrupted: the worker shut down"
_LABEL_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9_./-]{0,62}")  # as the spec's Labels
_NOT_REPORTED = {ExecutionStatus.LOST, ExecutionStatus.CANCELLED}  # outcomes of our own stops


@dataclass(frozen=True)
class PullOptions:
    server: str  # http(s)://host[:port][/prefix], without the trailing /api/v1
    queues: list[str]
    labels: dict[str, str]
    concurrency: int
    name: str
    credentials: Credentials
    lease_seconds: int = 30
    output_limit: int = 65536
    heartbeat_seconds: float = 10.0  # until the server recommends its own interval
    tasks: tuple[str, ...] = ()  # the registered Python tasks it runs (BATON_TASKS, entry points)


# -- options from the command line ------------------------------------------------------------------


def parse_labels(values: Sequence[str] | None) -> dict[str, str]:
    """`key=value` pairs from repeated and/or comma-separated --label values."""
    labels: dict[str, str] = {}
    for value in values or []:
        for pair in filter(None, (part.strip() for part in value.split(","))):
            key, sep, text = pair.partition("=")
            if not sep or not _LABEL_KEY.fullmatch(key):
                raise BackendError(
                    f"--label {pair!r}: expected KEY=VALUE, the key 1-63 of A-Z a-z 0-9 _ . / - "
                    "(a letter or digit first)"
                )
            labels[key] = text
    if len(labels) > MAX_LABELS:
        raise BackendError(f"--label: at most {MAX_LABELS} labels")
    return labels


def pull_options(
    settings: Settings,
    *,
    server: str,
    queues: Sequence[str] | None,
    labels: Sequence[str] | None,
    concurrency: int,
    name: str | None,
    api_key: str | None,
    token: str | None,
    username: str | None,
    password_env: str,
    environ: Mapping[str, str] | None = None,
) -> PullOptions:
    """Check `baton worker --server` options; BackendError says what is wrong in one line."""
    environ = os.environ if environ is None else environ
    parts = urlsplit(server.strip())
    if parts.scheme not in {"http", "https"} or not parts.netloc or parts.query or parts.fragment:
        raise BackendError(f"--server {server!r}: expected http(s)://HOST[:PORT], the server's base URL")
    base = f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"
    try:
        queue_names = split_queue_names(queues or ["default"])
    except ValueError as exc:
        raise BackendError(f"--queue {exc}") from None
    if not queue_names:
        raise BackendError("--queue: name at least one queue")
    if len(queue_names) > 32:
        raise BackendError("--queue: a worker serves at most 32 queues")
    if not 1 <= concurrency <= 1024:
        raise BackendError("--concurrency must be from 1 to 1024")
    api_key = api_key or environ.get("BATON_API_KEY") or None
    token = token or environ.get("BATON_TOKEN") or None
    password = environ.get(password_env) if username else None
    given = [
        kind
        for kind, value in (("an API key", api_key), ("a token", token), ("a username", username))
        if value
    ]
    if len(given) != 1:
        found = f"; got {' and '.join(given)}" if given else ""
        raise BackendError(
            "baton worker --server needs one kind of credentials: --api-key (or BATON_API_KEY), --token "
            f"(or BATON_TOKEN), or --username with the password in ${password_env}{found}"
        )
    if username and not password:
        raise BackendError(
            f"--username {username}: put the password in the environment variable {password_env}"
        )
    hostname = socket.gethostname()
    return PullOptions(
        server=base,
        queues=queue_names,
        labels=parse_labels(labels),
        concurrency=concurrency,
        name=(name or f"{hostname}-{os.getpid()}")[:150],
        credentials=Credentials(api_key=api_key, token=token, username=username, password=password),
        lease_seconds=settings.lease_seconds,
        output_limit=settings.output_limit_bytes,
        heartbeat_seconds=settings.worker_heartbeat_seconds,
    )


# -- the worker -----------------------------------------------------------------------------------------


@dataclass
class _Job:
    id: str
    attempt: int
    command: CommandRun | TaskRun  # a registered task runs in this process
    deadline: float  # monotonic time its lease runs out, as far as this worker knows
    task: asyncio.Task[None] | None = None
    timer: asyncio.TimerHandle | None = None
    ended: bool = False  # the command is over; its report may still be on its way
    lost: str | None = None  # why the job is no longer this worker's (never reported then)


class PullWorker:
    def __init__(self, options: PullOptions, *, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.options = options
        self.api = PullClient(options.server, options.credentials, transport)
        self.lease = options.lease_seconds
        self.heartbeat_seconds = options.heartbeat_seconds
        self.worker_id: str | None = None
        self.exit_code = 0
        self._jobs: dict[tuple[str, int], _Job] = {}
        self._slot_freed = asyncio.Event()
        self._stop = asyncio.Event()  # set when the worker should wind down now
        self._stopping = False  # SIGTERM/SIGINT, deregistered or refused: commands are stopped
        self._draining = False  # no more claims
        self._forgotten = False  # the server no longer knows this worker: nothing to deregister
        self._workroot: str | None = None

    @property
    def margin(self) -> float:
        """How long before its lease runs out a command whose lease was not extended is killed."""
        return self.lease / 4

    # -- main --------------------------------------------------------------------------------------

    async def run(self) -> int:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, self.request_stop, sig)
        self._workroot = make_workroot()
        tasks: list[asyncio.Task[None]] = []
        try:
            if await self._register():
                tasks = [
                    asyncio.create_task(self._claims(), name="claims"),
                    asyncio.create_task(self._heartbeats(), name="heartbeats"),
                ]
                for task in tasks:
                    task.add_done_callback(self._loop_ended)
                await self._stop.wait()
                await self._shut_down(tasks[0])
        finally:
            for task in tasks:
                task.cancel()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
            await self.api.close()
            if self._workroot:
                shutil.rmtree(self._workroot, ignore_errors=True)
            for sig in (signal.SIGTERM, signal.SIGINT):
                loop.remove_signal_handler(sig)
        log.info("baton pull worker %s stopped", self.worker_id or self.options.name)
        return self.exit_code

    def _loop_ended(self, task: asyncio.Task[None]) -> None:
        """A loop that fails (a bug: network trouble never ends one) must not leave a worker that
        looks alive but takes no jobs: stop, loudly, so a supervisor restarts it."""
        if not task.cancelled() and task.exception() is not None:
            log.error("the %s loop failed", task.get_name(), exc_info=task.exception())
            self._fatal(f"internal error in the {task.get_name()} loop")

    def request_stop(self, sig: signal.Signals | None = None) -> None:
        """SIGTERM / SIGINT: no more jobs; running commands stop and go back to the server."""
        if self._stopping:
            return
        log.info("%s: stopping", sig.name if sig else "stop requested")
        self._halt(SHUTDOWN_REASON)

    def _halt(self, reason: str) -> None:
        self._stopping = self._draining = True
        for job in self._jobs.values():
            if not job.ended:
                job.command.stop(ExecutionStatus.LOST, reason)
        self._slot_freed.set()
        self._stop.set()

    def _fatal(self, message: str) -> None:
        if not self._stopping:
            log.error("%s; stopping", message)
            self.exit_code = 2
            self._halt(message)

    def _lost_worker(self, response: httpx.Response) -> None:
        """The server answers 404 for this worker: an operator deregistered it (its jobs went
        back to pending already). Stop everything and leave; there is nothing to deregister."""
        if not self._stopping:
            log.warning(
                "the server no longer knows worker %s (%s); stopping", self.worker_id, detail(response)
            )
            self._forgotten = True
            self._halt("The worker was deregistered")

    def _drained(self) -> None:
        """An operator drained this worker: running jobs finish, then it deregisters and exits."""
        if not self._draining:
            log.info("drained by the server: finishing %d running job(s), then leaving", len(self._jobs))
            self._draining = True
            self._slot_freed.set()
            if not self._jobs:
                self._stop.set()

    async def _register(self) -> bool:
        options = self.options
        delay = BACKOFF_FIRST_SECONDS
        while not self._stopping:
            try:
                response = await self.api.register(
                    name=options.name,
                    hostname=socket.gethostname()[:255],
                    queues=options.queues,
                    labels=options.labels,
                    capacity=options.concurrency,
                    tasks=list(options.tasks),
                )
            except Unreachable as exc:
                log.warning("cannot register at %s: %s; trying again in %.1fs", options.server, exc, delay)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stop.wait(), delay)
                delay = min(delay * 2, BACKOFF_MAX_SECONDS)
                continue
            except AuthRefused as exc:
                log.error("cannot register at %s: %s", options.server, exc)
                self.exit_code = 2
                return False
            if response.status_code != 201:
                log.error("registration refused: %s %s", response.status_code, detail(response))
                self.exit_code = 2
                return False
            worker = response.json()
            if not isinstance(worker.get("id"), str):
                log.error("registration answer without a worker id: %s", response.text[:200])
                self.exit_code = 2
                return False
            self.worker_id = worker["id"]
            self._take_interval(worker)
            log.info(
                "registered as worker %s (%s) at %s: queues %s, labels %s, capacity %d, lease %ds",
                self.worker_id,
                options.name,
                options.server,
                ",".join(options.queues),
                ",".join(f"{k}={v}" for k, v in options.labels.items()) or "-",
                options.concurrency,
                self.lease,
            )
            return True
        return False

    def _take_interval(self, worker: dict[str, Any]) -> None:
        interval = worker.get("heartbeat_interval_seconds")
        if isinstance(interval, int | float) and 0 < interval <= 3600:
            self.heartbeat_seconds = float(interval)

    async def _shut_down(self, claims: asyncio.Task[None]) -> None:
        """Tell the server (drain, so a claim in flight brings nothing more), let the jobs end
        (stopped ones are not reported, finished ones are), then deregister."""
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        self._draining = True
        self._slot_freed.set()
        if not self._forgotten and self.exit_code == 0:
            with contextlib.suppress(Unreachable, AuthRefused):
                await self.api.drain(self.worker_id, until=time.monotonic() + 5)
        # the long poll in flight is dropped: once drained the server leases this worker nothing
        # more, and what a claim took just before (its answer unread) is re-queued when the
        # worker deregisters below
        claims.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await claims
        tasks = [job.task for job in self._jobs.values() if job.task is not None]
        if tasks:
            _, pending = await asyncio.wait(tasks, timeout=max(1.0, deadline - time.monotonic()))
            if pending:
                log.warning("%d job(s) still running at exit; their leases will run out", len(pending))
        if self._forgotten or self.exit_code != 0:
            return
        try:
            response = await self.api.deregister(self.worker_id, until=max(deadline, time.monotonic() + 5))
        except (Unreachable, AuthRefused) as exc:
            log.error("could not deregister (%s); the server re-runs its jobs once their leases run out", exc)
            return
        if response.status_code in (204, 404):
            log.info("deregistered worker %s", self.worker_id)
        else:
            log.error("deregistration refused: %s %s", response.status_code, detail(response))

    # -- claims and heartbeats --------------------------------------------------------------------

    async def _claims(self) -> None:
        while not self._draining:
            free = self.options.concurrency - len(self._jobs)
            if free <= 0:
                self._slot_freed.clear()
                await self._slot_freed.wait()
                continue
            try:
                response = await self.api.claim(
                    self.worker_id, max_jobs=min(free, 100), lease_seconds=self.lease
                )
            except AuthRefused as exc:
                self._fatal(str(exc))
                return
            # A long poll: the server leased the jobs just before answering, not when the request
            # was sent (up to pull_client.CLAIM_WAIT_SECONDS earlier). The answer's latency is far
            # below the quarter of the lease the kill of an unextended command leaves.
            received = time.monotonic()
            if response.status_code == 200:
                for claimed in response.json().get("jobs") or []:
                    if self._draining:
                        # leased to this worker but never started: deregistering re-queues it
                        log.info("job %s claimed while stopping: left to the server", claimed.get("id"))
                        continue
                    self._start(claimed, received)
            elif response.status_code == 409 and error_code(response) == "WORKER_DRAINING":
                self._drained()
            elif response.status_code == 404:
                self._lost_worker(response)
            else:
                log.error("claim refused: %s %s", response.status_code, detail(response))
                await asyncio.sleep(BACKOFF_MAX_SECONDS)

    async def _heartbeats(self) -> None:
        while not self._stopping:
            await asyncio.sleep(self.heartbeat_seconds)
            try:
                response = await self.api.heartbeat(self.worker_id, len(self._jobs))
            except Unreachable as exc:
                log.warning("heartbeat: %s", exc)
                continue
            except AuthRefused as exc:
                self._fatal(str(exc))
                return
            if response.status_code == 200:
                worker = response.json()
                self._take_interval(worker)
                if worker.get("state") == "draining":
                    self._drained()
            elif response.status_code == 404:
                self._lost_worker(response)
            else:
                log.warning("heartbeat refused: %s %s", response.status_code, detail(response))

    # -- one job ----------------------------------------------------------------------------------

    def _start(self, claimed: dict[str, Any], received: float) -> None:
        try:
            job = self._job(claimed, received)
        except (KeyError, TypeError, ValueError) as exc:
            # cannot happen with a Baton server; the job's lease runs out and it runs elsewhere
            log.error("claimed job not understood (%s: %s): %r", type(exc).__name__, exc, claimed)
            return
        self._jobs[(job.id, job.attempt)] = job
        self._arm(job)
        job.task = asyncio.create_task(self._run(job), name=f"job-{job.id}-{job.attempt}")
        log.info("job %s attempt %d (%s): started", job.id, job.attempt, claimed.get("name", ""))

    def _job(self, claimed: dict[str, Any], received: float) -> _Job:
        run: CommandRun | TaskRun
        if claimed.get("task") is not None:
            # the server hands this worker only tasks it registered with
            run = TaskRun(
                str(claimed["task"]), claimed.get("payload"), timeout=float(claimed["timeout_seconds"])
            )
        else:
            run = CommandRun(
                [str(arg) for arg in claimed["command"]],
                timeout=float(claimed["timeout_seconds"]),
                output_limit=self.options.output_limit,
                workroot=self._workroot,
                env={"BATON_JOB_ID": claimed["id"], "BATON_JOB_ATTEMPT": str(claimed["attempt"])},
            )
        return _Job(str(claimed["id"]), int(claimed["attempt"]), run, deadline=received + self.lease)

    async def _run(self, job: _Job) -> None:
        keeper = asyncio.create_task(self._keep_lease(job))
        try:
            try:
                outcome = await job.command.run()
            except Exception as exc:  # the attempt must be reported whatever went wrong
                log.exception("job %s attempt %d crashed in the runner", job.id, job.attempt)
                outcome = Outcome(ExecutionStatus.FAILED, error=f"Runner error: {type(exc).__name__}")
            job.ended = True
            if outcome.status in _NOT_REPORTED or job.lost:
                # stopped here: it is the server's again (re-queued, cancelled, or it will be
                # once the lease runs out or the worker is deregistered)
                log.info("job %s attempt %d: stopped (%s)", job.id, job.attempt, job.lost or outcome.error)
            else:
                await self._report(job, outcome)
        finally:
            keeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                try:
                    await keeper
                except Exception:
                    log.exception("job %s: lease keeper failed", job.id)
            if job.timer is not None:
                job.timer.cancel()
            self._jobs.pop((job.id, job.attempt), None)
            self._slot_freed.set()
            if self._draining and not self._jobs:
                self._stop.set()

    def _arm(self, job: _Job) -> None:
        """(Re)schedule the kill of a command whose lease is not extended in time. A timer, not
        a check after each extension: an extension that hangs must not delay the kill."""
        if job.timer is not None:
            job.timer.cancel()
        delay = max(0.0, job.deadline - self.margin - time.monotonic())
        job.timer = asyncio.get_running_loop().call_later(delay, self._lease_ran_out, job)

    def _lease_ran_out(self, job: _Job) -> None:
        if job.ended or job.lost:
            return
        if time.monotonic() < job.deadline - self.margin:  # extended meanwhile
            self._arm(job)
            return
        job.lost = "its lease could not be extended in time"
        log.warning("job %s attempt %d: %s; killing it", job.id, job.attempt, job.lost)
        job.command.stop(ExecutionStatus.LOST, "The worker could not extend the lease (server unreachable)")

    async def _keep_lease(self, job: _Job) -> None:
        every = self.lease / 3
        wait = every
        while not job.lost:
            await asyncio.sleep(wait)
            sent = time.monotonic()
            try:
                response = await self.api.extend_lease(
                    job.id,
                    worker_id=self.worker_id,
                    attempt=job.attempt,
                    lease_seconds=self.lease,
                    answer_within=max(1.0, every),
                )
            except Unreachable as exc:
                log.warning("job %s: cannot extend its lease: %s", job.id, exc)
                wait = min(every, 1.0)  # sooner than usual: the lease is running out
                continue
            except AuthRefused as exc:
                self._fatal(str(exc))
                return
            if response.status_code == 200:
                job.deadline = max(job.deadline, sent + self.lease)
                self._arm(job)
                wait = every
            elif response.status_code in (404, 409):
                # cancelled, re-queued, or the worker deregistered: stop it, never report it
                job.lost = detail(response)
                log.info(
                    "job %s attempt %d: no longer this worker's (%s); killing it",
                    job.id,
                    job.attempt,
                    job.lost,
                )
                job.command.stop(ExecutionStatus.CANCELLED, job.lost)
                return
            else:
                log.warning(
                    "job %s: lease extension refused: %s %s", job.id, response.status_code, detail(response)
                )
                wait = min(every, 1.0)

    async def _report(self, job: _Job, outcome: Outcome) -> None:
        completed = outcome.status is ExecutionStatus.COMPLETED
        send = self.api.complete if completed else self.api.fail
        body: dict[str, Any] = {
            "worker_id": self.worker_id,
            "attempt": job.attempt,
            "exit_code": outcome.exit_code,
            "stdout": outcome.stdout,
            "stderr": outcome.stderr,
        }
        if outcome.error:
            body["error"] = (
                outcome.error if len(outcome.error) <= ERROR_LIMIT else outcome.error[: ERROR_LIMIT - 1] + "…"
            )
        if outcome.status is ExecutionStatus.TIMED_OUT:
            body["timed_out"] = True
        if completed and isinstance(job.command, TaskRun):
            body["result"] = outcome.result  # within the cap: TaskRun checked it
        give_up = time.monotonic() + (STOP_GRACE_SECONDS if self._stopping else REPORT_GIVE_UP_SECONDS)
        delay = BACKOFF_FIRST_SECONDS
        shrunk = False
        while not job.lost:
            try:
                response = await send(job.id, body)
            except Unreachable as exc:
                wait = exc.retry_after if exc.retry_after is not None else delay
                if time.monotonic() + wait > min(job.deadline, give_up):
                    log.error(
                        "job %s attempt %d: could not report it (%s); the server settles it when its lease "
                        "runs out",
                        job.id,
                        job.attempt,
                        exc,
                    )
                    return
                log.warning("job %s: report: %s; trying again in %.1fs", job.id, exc, wait)
                await asyncio.sleep(wait)
                delay = min(delay * 2, BACKOFF_MAX_SECONDS)
                continue
            except AuthRefused as exc:
                self._fatal(str(exc))
                return
            if response.status_code == 200:
                log.info(
                    "job %s attempt %d: %s (exit %s); the job is %s",
                    job.id,
                    job.attempt,
                    outcome.status.value,
                    outcome.exit_code,
                    response.json().get("status"),
                )
                return
            if response.status_code in (404, 409):
                # cancelled or re-queued meanwhile, or an earlier try of this very report got
                # through before its answer was lost: either way nothing is left to record
                log.info("job %s attempt %d: not recorded: %s", job.id, job.attempt, detail(response))
                return
            if response.status_code in (400, 413, 422) and not shrunk:
                # outputs too large for the server's body limit: keep their ends only
                body["stdout"] = body["stdout"][-SHRUNK_OUTPUT_CHARS:]
                body["stderr"] = body["stderr"][-SHRUNK_OUTPUT_CHARS:]
                shrunk = True
                continue
            log.error(
                "job %s attempt %d: report refused: %s %s",
                job.id,
                job.attempt,
                response.status_code,
                detail(response),
            )
            return


def run_pull_worker(settings: Settings, options: PullOptions) -> int:
    logging.basicConfig(
        level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    if settings.log_level != "debug":
        logging.getLogger("httpx").setLevel(logging.WARNING)  # it logs every request at info
    # imported here, not with the options: a module's import may be slow or have side effects
    options = dataclasses.replace(options, tasks=tuple(load_tasks(settings.tasks)))
    return asyncio.run(PullWorker(options).run())
