"""Storage of workflows: the workflow row with all of its step jobs (and their events) in one
transaction, reads and lists, and the advance of a workflow: its steps' moves (through
`_apply`, the one compare-and-set primitive of transitions.py) together with a compare-and-set of
the workflow's derived status and its event.

A mixin of SQLStorage (it uses its `_transaction()`/`_read()` runner, `_apply()` and
`_append_events()`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

import sqlalchemy as sa
from baton.backends.storage import WorkflowQuery
from baton.backends.storage.rows import row_to_job, select_jobs
from baton.backends.storage.tables import executions, jobs, users, workflow_labels, workflows

from baton.models import Event, Job, WorkflowRecord
from baton.states import Transition

if TYPE_CHECKING:
    from baton.backends.storage.sql import SQLStorage

__all__ = ["StepResult", "StepState", "WorkflowsMixin"]

_RUNNING = "running"


def _select_workflows(definition: bool = True) -> sa.Select:
    owner = sa.select(users.c.username).where(users.c.id == workflows.c.owner_id).scalar_subquery()
    # without the definition (up to ~200 KB of JSON): lists, and advances that parsed it before
    columns = [c for c in workflows.c if definition or c.name != "definition"]
    return sa.select(*columns, owner.label("owner")).select_from(workflows)


def _row_to_workflow(row: Any) -> WorkflowRecord:
    m = row._mapping
    return WorkflowRecord(
        id=m["id"],
        name=m["name"],
        owner_id=m["owner_id"],
        owner=m["owner"],
        status=m["status"],
        definition=dict(m["definition"]) if "definition" in m else {},
        labels=dict(m["labels"]),
        created_at=m["created_at"],
        updated_at=m["updated_at"],
        finished_at=m["finished_at"],
    )


class StepState(NamedTuple):
    step: str
    job_id: str
    status: str
    attempt: int
    error: str | None


# step, status, error, stdout of its last attempt, whether it has an attempt at all
# (step, status, error, result: a task's JSON result or a command's stdout, whether it ran)
StepResult = tuple[str, str, str | None, Any, bool]


class WorkflowsMixin:
    async def insert_workflow(
        self: SQLStorage, workflow: WorkflowRecord, steps: Sequence[Job], event: Event
    ) -> None:
        """The workflow, every step's job and their `job.created` events, then `event`
        (`workflow.created`): all or none."""

        def run(conn: sa.Connection) -> None:
            conn.execute(
                workflows.insert().values(
                    id=workflow.id,
                    name=workflow.name,
                    owner_id=workflow.owner_id,
                    status=workflow.status,
                    definition=workflow.definition,
                    labels=workflow.labels,
                    created_at=workflow.created_at,
                    updated_at=workflow.updated_at,
                    finished_at=None,
                )
            )
            if workflow.labels:
                conn.execute(
                    workflow_labels.insert(),
                    [{"workflow_id": workflow.id, "key": k, "value": v} for k, v in workflow.labels.items()],
                )
            self._append_events(conn, [event])
            self._insert_job_rows(conn, steps)  # with their job.created events

        await self._transaction(run, point=len(steps) <= 20)

    async def get_workflow(
        self: SQLStorage, workflow_id: str, *, definition: bool = True
    ) -> WorkflowRecord | None:
        """The workflow; without its definition (empty) unless `definition`."""

        def run(conn: sa.Connection) -> Any:
            stmt = _select_workflows(definition).where(workflows.c.id == workflow_id)
            row = conn.execute(stmt).first()
            return _row_to_workflow(row) if row else None

        return await self._read(run, point=True)

    async def workflow_steps(self: SQLStorage, workflow_id: str) -> list[Job]:
        """The jobs of the workflow's steps (a deleted one is missing)."""

        def run(conn: sa.Connection) -> Any:
            stmt = select_jobs().where(jobs.c.workflow_id == workflow_id)
            return [row_to_job(row) for row in conn.execute(stmt)]

        return await self._read(run)

    async def list_workflows(self: SQLStorage, query: WorkflowQuery) -> list[WorkflowRecord]:
        """Newest first, keyset-paged on (created_at, id)."""

        def run(conn: sa.Connection) -> Any:
            stmt = _select_workflows(definition=False)
            if query.owner_id is not None:
                stmt = stmt.where(workflows.c.owner_id == query.owner_id)
            if query.statuses:
                stmt = stmt.where(workflows.c.status.in_(sorted(query.statuses)))
            for key, value in query.labels:
                tagged = sa.select(workflow_labels.c.workflow_id).where(
                    workflow_labels.c.key == key, workflow_labels.c.value == value
                )
                stmt = stmt.where(workflows.c.id.in_(tagged))
            if query.created_after is not None:
                stmt = stmt.where(workflows.c.created_at > query.created_after)
            if query.created_before is not None:
                stmt = stmt.where(workflows.c.created_at < query.created_before)
            if query.after is not None:
                at, last_id = query.after
                stmt = stmt.where(
                    sa.or_(
                        workflows.c.created_at < at,
                        sa.and_(workflows.c.created_at == at, workflows.c.id < last_id),
                    )
                )
            stmt = stmt.order_by(workflows.c.created_at.desc(), workflows.c.id.desc()).limit(query.limit)
            return [_row_to_workflow(row) for row in conn.execute(stmt)]

        return await self._read(run)

    async def workflow_step_states(self: SQLStorage, workflow_id: str) -> list[StepState]:
        """What advancing a workflow needs of its steps, without the rest of their rows."""

        def run(conn: sa.Connection) -> Any:
            stmt = sa.select(jobs.c.step, jobs.c.id, jobs.c.status, jobs.c.attempt, jobs.c.error).where(
                jobs.c.workflow_id == workflow_id
            )
            return [StepState(*row) for row in conn.execute(stmt)]

        return await self._read(run)

    async def running_workflows(self: SQLStorage, limit: int = 1000) -> list[str]:
        """Ids of workflows still running, oldest first: what an advancer rescans after a restart."""

        def run(conn: sa.Connection) -> Any:
            stmt = (
                sa.select(workflows.c.id)
                .where(workflows.c.status == _RUNNING)
                .order_by(workflows.c.created_at)
                .limit(limit)
            )
            return list(conn.execute(stmt).scalars())

        return await self._read(run)

    async def advance_workflow(
        self: SQLStorage,
        workflow_id: str,
        moves: Sequence[Transition],
        status: tuple[str, str] | None,
        events: Sequence[Event],
        at: datetime,
    ) -> tuple[list[Job], bool]:
        """Apply the steps' `moves` that still hold and, when `status` is (was, now), move the
        workflow's status from was to now (compare-and-set) with `events`; in one transaction.
        Returns the jobs that moved and whether the status moved."""

        def run(conn: sa.Connection) -> tuple[list[Job], bool]:
            moved, appended = self._apply(conn, moves, at)
            changed = False
            if status is not None:
                was, now = status
                result = conn.execute(
                    workflows.update()
                    .where(workflows.c.id == workflow_id, workflows.c.status == was)
                    .values(
                        status=now,
                        updated_at=at,
                        finished_at=None if now == _RUNNING else at,
                    )
                )
                changed = result.rowcount == 1
            self._append_events(conn, [*appended, *(events if changed else ())])
            return moved, changed

        return await self._transaction(run, point=len(moves) <= 20)

    async def step_results(self: SQLStorage, workflow_id: str, steps: Sequence[str]) -> list[StepResult]:
        """Each named step's status, error and the result of its last attempt (what a downstream
        step reads of it): a task's JSON result, a command's stdout."""
        if not steps:
            return []

        def run(conn: sa.Connection) -> Any:
            last = sa.and_(executions.c.job_id == jobs.c.id, executions.c.attempt == jobs.c.attempt)
            stmt = (
                sa.select(
                    jobs.c.step,
                    jobs.c.status,
                    jobs.c.error,
                    jobs.c.task,
                    executions.c.stdout,
                    executions.c.result,
                    executions.c.attempt,
                )
                .select_from(jobs.outerjoin(executions, last))
                .where(jobs.c.workflow_id == workflow_id, jobs.c.step.in_(sorted(steps)))
            )
            return [
                (step, status, error, result if task is not None else stdout or "", attempt is not None)
                for step, status, error, task, stdout, result, attempt in conn.execute(stmt)
            ]

        return await self._read(run)
