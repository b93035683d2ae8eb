"""The one way a job's status changes in storage: a batch of compare-and-set transitions (built by
baton/states.py) applied in one transaction together with the event of each move that committed.

Claims are transitions too: `claim()` selects and locks the due jobs a claimer may take (queue
admission, label affinity, a pull worker's capacity) and applies the claim transition the caller
builds for each. The dispatcher's promotion of due scheduled jobs, the end of an attempt and the
re-queue of a deregistered worker's jobs all end in `_apply()`.

A mixin of SQLStorage (it uses its `_write()` helper, connections and `_append_events()`)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

import sqlalchemy as sa
from baton.backends.storage import ClaimRequest
from baton.backends.storage.queues import admit, paused_queues
from baton.backends.storage.rows import OWNER_NAME, row_to_job, running_execution, select_jobs
from baton.backends.storage.tables import executions, job_labels, jobs, worker_labels, workers

from baton.eventtypes import job_event
from baton.models import Event, Execution, ExecutionStatus, Job, JobStatus, WorkerState
from baton.states import Transition

if TYPE_CHECKING:
    from baton.backends.storage.sql import SQLStorage

__all__ = ["DueJob", "TransitionsMixin", "claimable", "running_on"]

# SQLite accepts at most 999 bound parameters per statement in older builds
_IN_CHUNK = 500
_PROMOTE_BATCH = 500
_POINT_ROWS = 20  # a transaction of up to this many jobs may run on the event loop (runner.py)
# how many times a claim looks past queues that refused its candidates (paused, at their limit)
_CLAIM_PASSES = 3


class DueJob(NamedTuple):
    """A pending job whose run_at has come, as much of it as a queue needs to hand it out."""

    id: str
    queue: str
    attempt: int  # attempts so far: the next one is attempt + 1
    priority: int
    run_at: datetime


def running_on(worker_id: Any) -> sa.ScalarSelect:
    return (
        sa.select(sa.func.count())
        .select_from(jobs)
        .where(jobs.c.worker == worker_id, jobs.c.status == JobStatus.RUNNING.value)
        .scalar_subquery()
    )


def claimable(
    now: datetime,
    queues: Sequence[str] | None,
    labels: dict[str, str] | None,
    tasks: Collection[str] | None = None,
) -> list[Any]:
    """Conditions of a job a claimer may take now: pending, due, of a queue that is not paused (and
    one of `queues`, when given), (when `labels` is given) every label of the job present
    among `labels` with the same value, and (when `tasks` is given) a command or one of `tasks`."""
    conditions = [
        jobs.c.status == JobStatus.PENDING.value,
        jobs.c.run_at <= now,
        jobs.c.queue.not_in(paused_queues()),
    ]
    if queues is not None:
        conditions.append(jobs.c.queue.in_(sorted(queues)))
    if labels is not None:
        foreign = sa.select(job_labels.c.job_id).where(job_labels.c.job_id == jobs.c.id)
        if labels:
            matching = (
                sa.and_(job_labels.c.key == key, job_labels.c.value == value)
                for key, value in sorted(labels.items())
            )
            foreign = foreign.where(sa.not_(sa.or_(*matching)))
        conditions.append(~sa.exists(foreign))
    if tasks is not None:
        # a worker must not take a task it cannot run (it would only fail the attempt)
        runnable = jobs.c.task.is_(None)
        if tasks:
            runnable = sa.or_(runnable, jobs.c.task.in_(sorted(tasks)))
        conditions.append(runnable)
    return conditions


def _dispatch_order() -> tuple[Any, ...]:
    return (jobs.c.priority.desc(), jobs.c.run_at, jobs.c.id)


@functools.lru_cache(maxsize=256)
def _compare_and_set(changed: tuple[str, ...], fenced: tuple[str, ...], returning: bool) -> sa.Update:
    """The UPDATE of one move, built once per shape (the columns it sets, the ones it is fenced
    on) with its values as parameters: building and caching a statement per move cost more than
    running it on SQLite (py-spy of a server running trivial jobs)."""
    where = [jobs.c.id == sa.bindparam("was_id"), jobs.c.status == sa.bindparam("was_status")]
    where += [jobs.c[name] == sa.bindparam(f"was_{name}") for name in fenced]
    values = {name: sa.bindparam(f"set_{name}", type_=jobs.c[name].type) for name in (*changed, "status")}
    stmt = jobs.update().where(*where).values(values)
    # the moved row, as select_jobs() reads it, from the compare-and-set itself
    return stmt.returning(*jobs.c, OWNER_NAME) if returning else stmt


def _execution_update(*names: str, running_only: bool = False) -> sa.Update:
    this = [
        executions.c.job_id == sa.bindparam("this_job"),
        executions.c.attempt == sa.bindparam("this_attempt"),
    ]
    if running_only:
        this.append(executions.c.status == ExecutionStatus.RUNNING.value)
    values = {name: sa.bindparam(f"set_{name}", type_=executions.c[name].type) for name in names}
    return executions.update().where(*this).values(values)


# an attempt's outcome (finish_attempt): the outputs always, the final status only over `running`
_KEEP_OUTPUTS = _execution_update(
    "exit_code", "stdout", "stderr", "stdout_truncated", "stderr_truncated", "result"
)
_SETTLE_EXECUTION = _execution_update("status", "finished_at", "error", running_only=True)


class TransitionsMixin:
    async def transition(self: SQLStorage, moves: Sequence[Transition], at: datetime) -> list[Job]:
        """Apply the moves that still hold, with their events, in one transaction; the jobs that
        moved, as they are now, in the order of `moves`."""

        if not moves:
            return []

        def run(conn: sa.Connection) -> list[Job]:
            moved, events = self._apply(conn, moves, at)
            self._append_events(conn, events)
            return moved

        return await self._transaction(run, point=len(moves) <= _POINT_ROWS)

    def _apply(
        self: SQLStorage, conn: sa.Connection, moves: Sequence[Transition], at: datetime
    ) -> tuple[list[Job], list[Event]]:
        """The compare-and-sets of `moves`, rows changed in job-id order (two batches in opposite
        orders deadlocked on MariaDB), and the events of those that held; the caller appends the
        events last in its transaction."""
        held: set[str] = set()
        # SQLite and PostgreSQL return the moved row from the UPDATE; MariaDB has no UPDATE …
        # RETURNING, and reads the moved jobs back
        returning = self.dialect != "mysql"
        found: dict[str, Job] = {}
        for move in sorted(moves, key=lambda m: m.job_id):
            fenced = {
                name: value
                for name, value in (
                    ("attempt", move.attempt),
                    ("worker", move.worker),
                    ("updated_at", move.updated_at_was),
                )
                if value is not None
            }
            stmt = _compare_and_set(tuple(move.changes), tuple(fenced), returning)
            params = {f"set_{name}": value for name, value in move.changes.items()}
            params.update({f"was_{name}": value for name, value in fenced.items()})
            params.update(was_id=move.job_id, was_status=move.source.value, set_status=move.target.value)
            result = conn.execute(stmt, params)
            if returning:
                row = result.first()
                if row is None:
                    continue
                found[move.job_id] = row_to_job(row)
            elif result.rowcount != 1:
                continue
            held.add(move.job_id)
            if "labels" in move.changes:
                self._write_labels(conn, move.job_id, move.changes["labels"])
        if not held:
            return [], []
        started = [
            running_execution(m.job_id, m.changes["attempt"], m.changes["worker"], m.changes["started_at"])
            for m in moves
            if m.start_execution and m.job_id in held
        ]
        if started:
            conn.execute(executions.insert(), started)
        for move in moves:
            if move.end_execution is not None and move.job_id in held:
                conn.execute(
                    executions.update()
                    .where(
                        executions.c.job_id == move.job_id,
                        executions.c.attempt == move.attempt,
                        executions.c.status == ExecutionStatus.RUNNING.value,
                    )
                    .values(
                        status=move.end_execution.value,
                        finished_at=move.changes["finished_at"],
                        error=move.changes.get("error"),
                    )
                )
        if not returning:
            found = {job.id: job for job in self._jobs_by_id(conn, held)}
        applied = [(move, found[move.job_id]) for move in moves if move.job_id in held]
        events = [job_event(job, move.event_type, move.source, at) for move, job in applied]
        return [job for _, job in applied], events

    @staticmethod
    def _jobs_by_id(conn: sa.Connection, ids: set[str]) -> list[Job]:
        ordered = sorted(ids)
        found: list[Job] = []
        for start in range(0, len(ordered), _IN_CHUNK):
            chunk = ordered[start : start + _IN_CHUNK]
            found += [row_to_job(row) for row in conn.execute(select_jobs().where(jobs.c.id.in_(chunk)))]
        return found

    async def finish_attempt(
        self: SQLStorage, move: Transition | None, outcome: Execution, at: datetime
    ) -> Job | None:
        """Record an attempt's outcome: the job moves only if `move` still holds (it still runs that
        attempt: fencing); the execution row always keeps the outputs, and takes the final status
        unless something settled it before. Returns the job if it moved."""

        params = {
            "this_job": outcome.job_id,
            "this_attempt": outcome.attempt,
            "set_exit_code": outcome.exit_code,
            "set_stdout": outcome.stdout,
            "set_stderr": outcome.stderr,
            "set_stdout_truncated": outcome.stdout_truncated,
            "set_stderr_truncated": outcome.stderr_truncated,
            "set_result": outcome.result,
            "set_status": outcome.status.value,
            "set_finished_at": outcome.finished_at,
            "set_error": outcome.error,
        }

        def run(conn: sa.Connection) -> Any:
            moved, events = self._apply(conn, [move], at) if move is not None else ([], [])
            conn.execute(_KEEP_OUTPUTS, params)
            conn.execute(_SETTLE_EXECUTION, params)
            self._append_events(conn, events)
            return moved[0] if moved else None

        return await self._transaction(run)

    async def promote_due(self: SQLStorage, now: datetime, promote: Callable[[str], Transition]) -> int:
        """Apply `promote(job id)` to scheduled jobs whose run_at has come; returns how many moved.
        A transaction per batch: the event sequence is locked last in each, never across batches."""

        def batch(conn: sa.Connection) -> tuple[int, bool]:
            due = (
                sa.select(jobs.c.id)
                .where(jobs.c.status == JobStatus.SCHEDULED.value, jobs.c.run_at <= now)
                .order_by(jobs.c.run_at, jobs.c.id)
                .limit(_PROMOTE_BATCH)
            )
            if self.dialect != "sqlite":
                due = due.with_for_update(skip_locked=True)
            ids = list(conn.execute(due).scalars())
            moved, events = self._apply(conn, [promote(job_id) for job_id in ids], now)
            self._append_events(conn, events)
            return len(moved), len(ids) == _PROMOTE_BATCH

        def any_due(conn: sa.Connection) -> bool:
            stmt = sa.select(jobs.c.id).where(jobs.c.status == JobStatus.SCHEDULED.value)
            return conn.execute(stmt.where(jobs.c.run_at <= now).limit(1)).first() is not None

        # the dispatcher asks at every wake-up, and mostly nothing is due: a read says so without
        # taking the write lock (SQLite's is one for every process of the fleet)
        if not await self._read(any_due, point=True):
            return 0
        total, more = 0, True
        while more:
            moved, more = await self._transaction(batch, point=False)
            total += moved
        return total

    async def claim(
        self: SQLStorage, request: ClaimRequest, start: Callable[[str, int], Transition]
    ) -> list[Job] | None:
        """Claim up to `request.limit` due jobs in dispatch order with `start(job id, attempts so
        far)` (each job by at most one claimer); see ClaimRequest for who may take what. None when
        the request names a pull worker that is unknown or draining (nothing changes then)."""

        def run(conn: sa.Connection) -> list[Job] | None:
            room = request.limit
            labels = None if request.labels is None else dict(request.labels)
            tasks = request.tasks
            if request.pull_worker is not None:
                worker = self._lock_worker(conn, request.pull_worker)
                if worker is None or worker.state != WorkerState.ACTIVE.value:
                    return None
                conn.execute(
                    workers.update()
                    .where(workers.c.id == request.pull_worker)
                    .values(last_heartbeat_at=request.now)
                )
                rows = conn.execute(
                    sa.select(worker_labels.c.key, worker_labels.c.value).where(
                        worker_labels.c.worker_id == request.pull_worker
                    )
                )
                labels = dict(rows.all())
                tasks = frozenset(worker.tasks or ())
            if request.pull_worker is not None:
                busy = conn.execute(sa.select(running_on(request.pull_worker))).scalar_one()
                room = min(room, worker.capacity - busy)
            claimed: list[Job] = []
            events: list[Event] = []
            skipped_queues: set[str] = set()
            for _ in range(_CLAIM_PASSES):
                if room <= 0:
                    break
                found = conn.execute(self._candidates(request, labels, tasks, room, skipped_queues)).all()
                # admission locks the queues' rows, then counts what runs in them (the jobs this
                # claim moved in an earlier pass included)
                admitted = admit(conn, self.dialect, [(job_id, queue) for job_id, _, queue in found])
                chosen = [(job_id, attempt) for job_id, attempt, _ in found if job_id in admitted][:room]
                moved, moved_events = self._apply(
                    conn, [start(job_id, attempt) for job_id, attempt in chosen], request.now
                )
                claimed += moved
                events += moved_events
                room -= len(moved)
                # a queue that refused some (paused, at its limit) must not hide what follows it
                refused = {queue for job_id, _, queue in found if job_id not in admitted}
                if not refused or request.job is not None:
                    break
                skipped_queues |= refused
            self._append_events(conn, events)
            return claimed

        return await self._transaction(run)

    def _candidates(
        self: SQLStorage,
        request: ClaimRequest,
        labels: dict[str, str] | None,
        tasks: frozenset[str] | None,
        room: int,
        skipped_queues: set[str],
    ) -> sa.Select:
        candidates = sa.select(jobs.c.id, jobs.c.attempt, jobs.c.queue).where(
            *claimable(request.now, request.queues, labels, tasks)
        )
        if skipped_queues:
            candidates = candidates.where(jobs.c.queue.not_in(sorted(skipped_queues)))
        if request.job is not None:
            job_id, attempts = request.job
            candidates = candidates.where(jobs.c.id == job_id, jobs.c.attempt == attempts)
        else:
            # more than asked: some may be refused by their queue's admission
            candidates = candidates.order_by(*_dispatch_order()).limit(min(room * 4, room + 400))
        if self.dialect != "sqlite":
            # concurrent claimers skip each other's rows instead of queueing behind them
            candidates = candidates.with_for_update(skip_locked=True)
        return candidates

    async def claimable_exists(
        self: SQLStorage,
        queues: Sequence[str],
        labels: dict[str, str],
        now: datetime,
        tasks: Collection[str] = (),
    ) -> bool:
        """Whether a job a pull worker with these queues and labels could take is due (a cheap read
        for the long poll: it says when a claim is worth its write transaction)."""

        def run(conn: sa.Connection) -> Any:
            stmt = sa.select(jobs.c.id).where(*claimable(now, queues, labels, tasks)).limit(1)
            return (conn.execute(stmt)).first() is not None

        return await self._read(run)

    async def due_pending(
        self: SQLStorage, now: datetime, limit: int, after: Sequence | None = None
    ) -> list[DueJob]:
        """Up to `limit` pending jobs due by `now`, in dispatch order (priority, run_at, creation);
        with `after` (a DueJob of the previous page), the ones that follow it."""

        def run(conn: sa.Connection) -> Any:
            stmt = (
                sa.select(jobs.c.id, jobs.c.queue, jobs.c.attempt, jobs.c.priority, jobs.c.run_at)
                .where(*claimable(now, None, None))
                .order_by(*_dispatch_order())
                .limit(limit)
            )
            if after is not None:
                last = DueJob(*after)
                stmt = stmt.where(
                    sa.or_(
                        jobs.c.priority < last.priority,
                        sa.and_(
                            jobs.c.priority == last.priority,
                            sa.or_(
                                jobs.c.run_at > last.run_at,
                                sa.and_(jobs.c.run_at == last.run_at, jobs.c.id > last.id),
                            ),
                        ),
                    )
                )
            return [DueJob(*row) for row in conn.execute(stmt)]

        return await self._read(run)

    async def job_states(self: SQLStorage, job_ids: Sequence[str]) -> dict[str, tuple[JobStatus, int]]:
        """Status and attempt of each of the given jobs that exists."""

        def run(conn: sa.Connection) -> Any:
            states: dict[str, tuple[JobStatus, int]] = {}
            ids = sorted(set(job_ids))
            for start in range(0, len(ids), _IN_CHUNK):
                chunk = ids[start : start + _IN_CHUNK]
                rows = conn.execute(
                    sa.select(jobs.c.id, jobs.c.status, jobs.c.attempt).where(jobs.c.id.in_(chunk))
                )
                states.update({job_id: (JobStatus(status), attempt) for job_id, status, attempt in rows})
            return states

        return await self._read(run)
