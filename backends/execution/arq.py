"""arq executor: the server hands due pending jobs to `baton worker` processes through Redis.

The database stays the source of truth (DESIGN.md §3). The server never marks a job running: it
puts `(job id, attempt to run)` on an arq queue, and the worker that takes it claims the job with
one compare-and-set in the database (a `claim` of that job); a hand-out that no longer holds is dropped.
Redis can therefore lose everything (restart, FLUSHALL): the reconciler puts the due pending jobs
back, and nothing else depends on what Redis remembers.

    arq://[[user]:password@]host[:port][/db][?prefix=baton&batch=500&reconcile=10&ssl=false]

- arq job id `"{job id}:{attempt}"`: one hand-out per attempt (arq refuses an id it holds).
- queue `"{prefix}:{job queue}"`, a sorted set arq polls for scores <= now. The score is set in
  the past so that it encodes dispatch order: run_at (ms) - priority * 1e11 ms, so priority 9
  comes before 8, then the earlier run_at; equal scores go by member, i.e. by job id (UUIDv7,
  time-ordered: creation order).
- job data is JSON, not arq's default pickle: a worker never unpickles what is in Redis.
- cancel: the database decides; a message on `"{prefix}:cancel"` only makes the worker running
  the job check its lease at once instead of at its next heartbeat.
- wake-up: a hand-out also publishes the queue's arq name on `"{prefix}:handout"` (in the same
  pipeline, no extra round trip), so idle workers of that queue poll at once instead of at their
  next poll (BATON_WORKER_POLL_SECONDS); a lost message only delays the job to that poll.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import socket
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

from arq.connections import ArqRedis
from arq.constants import in_progress_key_prefix, job_key_prefix, result_key_prefix, retry_key_prefix
from arq.jobs import serialize_job
from baton.backends import BackendError
from baton.backends.execution import ReportOutcome
from baton.backends.execution.arq_tasks import announced_tasks

from baton.models import Job, JobStatus

__all__ = [
    "FUNCTION",
    "ArqExecutor",
    "ArqSettings",
    "arq_job_id",
    "deserialize",
    "parse_arq_job_id",
    "queue_score",
    "serialize",
]

log = logging.getLogger(__name__)

FUNCTION = "baton.run_job"  # the arq function name workers register
PRIORITY_STEP_MS = 10**11  # ~3.2 years of run_at per priority level
JOB_EXPIRES_MS = 7 * 86400 * 1000  # an unclaimed hand-out's data lives this long in Redis
SWEEP_WINDOW = 1000  # queue entries (lowest scores first) checked for stale hand-outs per reconcile
REDIS_TIMEOUT_SECONDS = 5.0
MAX_JOB_SECONDS = 604800  # the spec's largest timeout_seconds
# what workers give arq as job_timeout (each job has its own timeout); arq then keeps a taken
# hand-out marked in progress for job_timeout + 10 s
WORKER_JOB_TIMEOUT_SECONDS = MAX_JOB_SECONDS + 600
IN_PROGRESS_TTL_MS = (WORKER_JOB_TIMEOUT_SECONDS + 10) * 1000
RELEASE_UNCLAIMED_MS = 5000  # a hand-out taken this long ago but not claimed is released

# Enqueue one hand-out atomically, as arq's own enqueue_job does (refused while Redis holds the
# job or its result), but in one round trip for a whole pipelined batch. With ARGV[5] == "1"
# (reconcile, for jobs the database has pending and due):
# - a hand-out missing from its queue is put back even if an old result of it is kept (a worker
#   took it but could not claim it, e.g. the database was unreachable);
# - a queued hand-out a worker took (in progress) longer than ARGV[7] ms ago without claiming the
#   job is released for another worker: its worker died between taking and claiming, and arq
#   would keep it "in progress" for as long as a job may run. Should that worker still be alive
#   and claim after all, the claim is a compare-and-set: only one of them wins;
# - a queued hand-out gets its score corrected (the job's priority or run_at changed).
# KEYS: job, result, queue, in-progress, retry
# ARGV: data, expires ms, score, member, reconcile, in-progress TTL ms, release after ms
_ENQUEUE_LUA = """
local queued = redis.call('zscore', KEYS[3], ARGV[4])
if ARGV[5] == '1' then
  if queued then
    local ttl = redis.call('pttl', KEYS[4])
    if ttl > 0 and tonumber(ARGV[6]) - ttl > tonumber(ARGV[7]) then
      redis.call('del', KEYS[4])
      return 3
    end
    if tonumber(queued) ~= tonumber(ARGV[3]) then
      redis.call('zadd', KEYS[3], 'XX', ARGV[3], ARGV[4])
      return 2
    end
    return 0
  end
  redis.call('del', KEYS[1], KEYS[2], KEYS[4], KEYS[5])
elseif redis.call('exists', KEYS[1], KEYS[2]) > 0 then
  return 0
end
redis.call('psetex', KEYS[1], ARGV[2], ARGV[1])
redis.call('zadd', KEYS[3], ARGV[3], ARGV[4])
return 1
"""


def serialize(data: dict[str, Any]) -> bytes:
    # arq's failure results carry an exception object: keep its repr
    return json.dumps(data, default=repr).encode()


def deserialize(raw: bytes) -> Any:
    return json.loads(raw)


def arq_job_id(job_id: str, attempt: int) -> str:
    """The arq job id of the hand-out that runs attempt `attempt` of a job."""
    return f"{job_id}:{attempt}"


def parse_arq_job_id(member: str) -> tuple[str, int] | None:
    job_id, sep, attempt = member.rpartition(":")
    if not sep or not attempt.isdigit():
        return None
    return job_id, int(attempt)


def queue_score(priority: int, run_at: datetime) -> int:
    """Sorted-set score (ms since the epoch) that puts hand-outs in dispatch order, in the past."""
    moment = run_at if run_at.tzinfo else run_at.replace(tzinfo=UTC)
    score = int(moment.timestamp() * 1000) - priority * PRIORITY_STEP_MS
    # arq takes a score of 0 for "not queued" (`if not score`)
    return score or 1


_BOOLS = {"1": True, "true": True, "yes": True, "on": True}
_BOOLS |= {"0": False, "false": False, "no": False, "off": False}


@dataclass(frozen=True)
class ArqSettings:
    host: str = "localhost"
    port: int = 6379
    database: int = 0
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    ssl: bool = False
    prefix: str = "baton"  # arq queue of jobs in queue Q: "{prefix}:{Q}"
    batch: int = 500  # most due jobs looked at (and handed out) per dispatch tick
    reconcile_seconds: float = 10.0  # how often Redis is checked against the database

    @classmethod
    def from_url(cls, url: str) -> ArqSettings:
        def bad(message: str) -> BackendError:
            return BackendError(f"executor URL {_redact(url)!r}: {message}")

        parts = urlsplit(url)
        if parts.scheme != "arq":
            raise bad("expected arq://host:port/db")
        try:
            port = parts.port or 6379
        except ValueError:
            raise bad("the port must be an integer from 1 to 65535") from None
        path = parts.path.strip("/")
        if path and not path.isdigit():
            raise bad(f"the path must be a Redis database number, got {path!r}")
        database = int(path or 0)
        query = parse_qs(parts.query, keep_blank_values=True)
        unknown = set(query) - {"prefix", "batch", "reconcile", "ssl"}
        if unknown:
            names = ", ".join(sorted(unknown))
            raise bad(f"unknown option(s) {names} (known: batch, prefix, reconcile, ssl)")
        options = {name: values[-1] for name, values in query.items()}
        prefix = options.get("prefix", "baton")
        if not prefix or not all(c.isalnum() or c in "_-." for c in prefix) or len(prefix) > 64:
            raise bad("prefix must be 1-64 letters, digits, _ - or .")
        batch_raw = options.get("batch", "500")
        if not batch_raw.isdigit() or not 1 <= int(batch_raw) <= 10000:
            raise bad("batch must be an integer from 1 to 10000")
        try:
            reconcile = float(options.get("reconcile", "10"))
        except ValueError:
            reconcile = -1.0
        if not 0.1 <= reconcile <= 3600:
            raise bad("reconcile must be a number of seconds from 0.1 to 3600")
        ssl_raw = options.get("ssl", "false").lower()
        if ssl_raw not in _BOOLS:
            raise bad("ssl must be true or false")
        return cls(
            host=parts.hostname or "localhost",
            port=port,
            database=database,
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password is not None else None,
            ssl=_BOOLS[ssl_raw],
            prefix=prefix,
            batch=int(batch_raw),
            reconcile_seconds=reconcile,
        )

    def queue_name(self, queue: str) -> str:
        return f"{self.prefix}:{queue}"

    @property
    def cancel_channel(self) -> str:
        return f"{self.prefix}:cancel"

    @property
    def handout_channel(self) -> str:
        """Where the server says "queue Q has new hand-outs" (the data: Q's arq queue name)."""
        return f"{self.prefix}:handout"

    def connect(self, *, timeout: float = REDIS_TIMEOUT_SECONDS) -> ArqRedis:
        """A client for this Redis. It connects at its first command (no ping here), so a server
        starts, and keeps answering, while Redis is down."""
        return ArqRedis(
            host=self.host,
            port=self.port,
            db=self.database,
            username=self.username,
            password=self.password,
            ssl=self.ssl,
            socket_connect_timeout=timeout,
            socket_timeout=timeout,
            job_serializer=serialize,
            job_deserializer=deserialize,
            health_check_interval=30,
        )

    @property
    def redis_url(self) -> str:
        """The same Redis as a redis:// URL (event signals share it when BATON_REDIS_URL is unset)."""
        auth = ""
        if self.username or self.password:
            auth = f"{quote(self.username or '', safe='')}:{quote(self.password or '', safe='')}@"
        return f"{'rediss' if self.ssl else 'redis'}://{auth}{self.host}:{self.port}/{self.database}"

    def describe(self) -> dict[str, Any]:
        return {
            "backend": "arq",
            "redis": f"{self.host}:{self.port}/{self.database}",
            "prefix": self.prefix,
        }


def _redact(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rpartition("@")[2]
    user = parts.username or ""
    return parts._replace(netloc=f"{user}:***@{netloc}").geturl()


StatesLookup = Callable[[Sequence[str]], Awaitable[dict[str, tuple[JobStatus, int]]]]


@dataclass
class ReconcileReport:
    requeued: int = 0  # due pending jobs Redis had lost
    rescored: int = 0  # queued hand-outs whose priority or run_at changed
    released: int = 0  # hand-outs taken by a worker that died before claiming the job
    swept: int = 0  # hand-outs that can no longer be claimed, removed


class ArqExecutor:
    """Server side of the arq executor: hands jobs out, runs none itself (free_slots() is 0)."""

    name = "arq"
    queues = None  # the server claims nothing for it: its workers claim what they are handed
    labels = None

    def __init__(self, settings: ArqSettings, *, output_limit: int) -> None:
        self.settings = settings
        self.output_limit = output_limit  # applied by the workers, from their own settings
        self.worker = f"arq-server:{socket.gethostname()}:{os.getpid()}"
        self.batch = settings.batch
        self.reconcile_seconds = settings.reconcile_seconds
        self._redis: ArqRedis | None = None
        self._script: Any = None
        # hand-outs made recently, (job id, attempt): not sent to Redis again every tick
        self._recent: set[tuple[str, int]] = set()
        self._publishing: set[asyncio.Task[None]] = set()

    @classmethod
    def from_url(cls, url: str, *, output_limit: int) -> ArqExecutor:
        return cls(ArqSettings.from_url(url), output_limit=output_limit)

    # -- Executor protocol -----------------------------------------------------------------

    async def start(self, report: ReportOutcome) -> None:
        self._redis = self.settings.connect()
        self._script = self._redis.register_script(_ENQUEUE_LUA)

    async def stop(self) -> None:
        for task in list(self._publishing):
            task.cancel()
        if self._redis is not None:
            await self._redis.aclose()
            self._redis = None

    def free_slots(self) -> int:
        return 0

    def running(self) -> dict[str, int]:
        return {}

    async def submit(self, job: Job) -> None:
        raise RuntimeError("the arq executor runs no job in the server; baton worker processes do")

    def cancel(self, job_id: str, reason: str) -> bool:
        """The job runs on some worker, if anywhere: tell the workers to check at once. The
        cancel itself is already in the database, so a lost message only delays the kill to the
        worker's next heartbeat. Returns False: nothing was stopped here."""
        if self._redis is not None:
            task = asyncio.get_running_loop().create_task(self._publish_cancel(job_id))
            self._publishing.add(task)
            task.add_done_callback(self._publishing.discard)
        return False

    def describe(self) -> dict[str, Any]:
        return self.settings.describe()

    @property
    def redis_url(self) -> str:
        return self.settings.redis_url

    async def task_names(self) -> set[str]:
        """The registered Python tasks the `baton worker` processes announce in Redis."""
        return await announced_tasks(self._client(), self.settings.prefix)

    async def ping(self) -> None:
        """Raise if Redis, where jobs are handed out, does not answer (for /health/details)."""
        await self._client().ping()

    # -- queue-style executor ----------------------------------------------------------------

    async def enqueue(self, due: Sequence[tuple[str, str, int, int, datetime]]) -> int:
        """Hand out the due pending jobs (in dispatch order) not handed out recently; returns how
        many were new to Redis."""
        window = {(job_id, attempt + 1) for job_id, _, attempt, _, _ in due}
        self._recent &= window  # claimed or changed jobs leave the window: forget them
        fresh = [d for d in due if (d[0], d[2] + 1) not in self._recent]
        if not fresh:
            return 0
        results = await self._hand_out(fresh, reconcile=False)
        self._recent |= {(d[0], d[2] + 1) for d in fresh}
        return sum(1 for r in results if r == 1)

    def handed_out(self, due: Sequence[tuple[str, str, int, int, datetime]]) -> bool:
        """Whether every one of these due jobs was handed out recently."""
        return all((d[0], d[2] + 1) in self._recent for d in due)

    async def reconcile(
        self, due: Sequence[tuple[str, str, int, int, datetime]], states: StatesLookup
    ) -> ReconcileReport:
        """Check Redis against the database: put back due pending jobs Redis lost, correct the
        order of queued ones, and drop queued hand-outs that can no longer be claimed (their
        job moved on: a killed worker leaves its hand-out queued and marked in progress)."""
        report = ReconcileReport()
        if due:
            results = await self._hand_out(due, reconcile=True)
            report.requeued = sum(1 for r in results if r == 1)
            report.rescored = sum(1 for r in results if r == 2)
            report.released = sum(1 for r in results if r == 3)
            self._recent |= {(d[0], d[2] + 1) for d in due}
        report.swept = await self._sweep(states)
        return report

    async def _hand_out(self, due: Sequence[tuple[str, str, int, int, datetime]], *, reconcile: bool) -> list:
        redis = self._client()
        now_ms = int(time.time() * 1000)
        async with redis.pipeline(transaction=False) as pipe:
            queues = set()
            for job_id, queue, attempt, priority, run_at in due:
                queues.add(queue)
                member = arq_job_id(job_id, attempt + 1)
                data = serialize_job(FUNCTION, (job_id, attempt + 1), {}, None, now_ms, serializer=serialize)
                await self._script(
                    keys=[
                        job_key_prefix + member,
                        result_key_prefix + member,
                        self.settings.queue_name(queue),
                        in_progress_key_prefix + member,
                        retry_key_prefix + member,
                    ],
                    args=[
                        data,
                        JOB_EXPIRES_MS,
                        queue_score(priority, run_at),
                        member,
                        int(reconcile),
                        IN_PROGRESS_TTL_MS,
                        max(RELEASE_UNCLAIMED_MS, int(self.reconcile_seconds * 1000)),
                    ],
                    client=pipe,
                )
            for queue in sorted(queues):  # after the hand-outs: a woken worker finds them
                pipe.publish(self.settings.handout_channel, self.settings.queue_name(queue))
            return (await pipe.execute())[: len(due)]

    async def _sweep(self, states: StatesLookup) -> int:
        redis = self._client()
        swept = 0
        async for key in redis.scan_iter(match=f"{self.settings.prefix}:*", count=1000, _type="zset"):
            members = [m.decode() for m in await redis.zrange(key, 0, SWEEP_WINDOW - 1)]
            handouts = {m: parsed for m in members if (parsed := parse_arq_job_id(m))}
            if not handouts:
                continue
            known = await states([job_id for job_id, _ in handouts.values()])
            stale = [m for m, (job_id, a) in handouts.items() if not _claimable(known.get(job_id), a)]
            if stale:
                async with redis.pipeline(transaction=True) as pipe:
                    pipe.zrem(key, *stale)
                    for member in stale:
                        keys = (job_key_prefix, in_progress_key_prefix, retry_key_prefix)
                        pipe.delete(*(prefix + member for prefix in keys))
                    await pipe.execute()
                swept += len(stale)
        return swept

    async def _publish_cancel(self, job_id: str) -> None:
        try:
            await self._client().publish(self.settings.cancel_channel, job_id)
        except Exception as exc:  # the worker's heartbeat finds the cancel anyway
            log.warning("could not publish the cancel of job %s: %s: %s", job_id, type(exc).__name__, exc)

    def _client(self) -> ArqRedis:
        if self._redis is None:
            raise RuntimeError("the arq executor is not started")
        return self._redis


def _claimable(state: tuple[JobStatus, int] | None, attempt: int) -> bool:
    """Whether the hand-out of `attempt` may still be (or is being) claimed and run."""
    if state is None:
        return False
    status, attempts = state
    if status is JobStatus.RUNNING:
        return attempts == attempt  # it runs now; arq removes it when it ends
    return status in {JobStatus.PENDING, JobStatus.SCHEDULED} and attempts == attempt - 1
