"""Workflows (`/api/v1/workflows`): create one with all of its step jobs at once, read and list
them, cancel and retry them, and advance them as their steps finish.

A workflow's steps are jobs carrying its id and their step name. Roots start pending (or
scheduled, for a `run_at` in the future), the others `waiting`. What happens next is decided by
the pure rules of baton/workflow_state.py, applied by `advance()` through storage's one
compare-and-set primitive: a waiting step is released (pending) or cancelled as upstream-failed.
Storage keeps an upstream-failed step `cancelled`; its error says so (UPSTREAM_FAILED), which is
how it is told apart from a user's cancel (users' cancels say "Cancelled by …").

`advance()` is idempotent and safe to run from several processes at once (every move is a
compare-and-set, the status change too); baton/workflow_advancer.py runs it when a step's job
ends, and for every running workflow when a server starts."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from baton import states
from baton.backends.storage import StorageBackend, WorkflowQuery
from baton.dag import StepAction, StepStatus, Workflow, parse_workflow
from baton.errors import BatonError, Conflict, NotFound
from baton.eventtypes import workflow_event
from baton.lifecycle import JobService, build_job, check_label_keys
from baton.models import LIVE_STATES, Job, JobStatus, Principal, WorkflowRecord
from baton.pagination import decode_cursor, encode_cursor, invalid_cursor
from baton.timeutil import isoformat, new_id, parse_input_timestamp, parse_timestamp, utcnow
from baton.upstream import (
    UPSTREAM_RESULTS_ENV,
    UPSTREAM_RESULTS_FIELD,
    encode_upstream_results,
    upstream_results,
)
from baton.workflow_state import WorkflowStatus, advance, retry_plan, workflow_status

__all__ = [
    "UPSTREAM_FAILED",
    "WorkflowService",
    "advance_workflow",
    "step_statuses",
    "upstream_environment",
]

UPSTREAM_FAILED = "Upstream failed"  # the error of a step cancelled because a dependency failed
_PARSED_CACHE = 256  # parsed definitions kept per process (a 1,000-step one parses in ~10 ms)
_ADVANCE_PASSES = 5


def step_statuses(workflow: Workflow, steps: Mapping[str, Any]) -> dict[str, str]:
    """Each step's status for the rules: the job's, or upstream_failed; a step whose job was
    deleted counts as cancelled (it will not succeed). `steps`: jobs (or anything with their
    status and error) by step name."""
    statuses: dict[str, str] = {}
    for name in workflow.steps:
        job = steps.get(name)
        if job is None:
            statuses[name] = StepStatus.CANCELLED
        elif job.status == JobStatus.CANCELLED and (job.error or "").startswith(UPSTREAM_FAILED):
            statuses[name] = StepStatus.UPSTREAM_FAILED
        else:
            statuses[name] = str(job.status)
    return statuses


class _Definitions:
    """Parsed definitions by workflow id: they never change once stored."""

    def __init__(self) -> None:
        self._parsed: dict[str, Workflow] = {}

    def __contains__(self, workflow_id: str) -> bool:
        return workflow_id in self._parsed

    async def load(self, storage: StorageBackend, record: WorkflowRecord) -> Workflow:
        """The parsed definition; read again if `record` came without it and the cache lost it
        meanwhile."""
        if record.id not in self._parsed and not record.definition:
            full = await storage.get_workflow(record.id)
            if full is not None:
                record = full
        return self.of(record)

    def of(self, record: WorkflowRecord) -> Workflow:
        found = self._parsed.get(record.id)
        if found is None:
            if len(self._parsed) >= _PARSED_CACHE:
                self._parsed.pop(next(iter(self._parsed)))
            found = self._parsed[record.id] = parse_workflow(record.definition)
        return found


DEFINITIONS = _Definitions()


async def advance_workflow(storage: StorageBackend, workflow_id: str) -> tuple[list[Job], bool]:
    """Release or cancel the waiting steps whose dependencies finished and bring the workflow's
    status up to date (with its event). Returns the jobs released and whether it finished now."""
    released: list[Job] = []
    finished = False
    for _ in range(_ADVANCE_PASSES):  # another pass only when a move lost a race
        # the definition never changes: read (and parse) it once per process
        record = await storage.get_workflow(workflow_id, definition=workflow_id not in DEFINITIONS)
        if record is None:
            return released, finished
        workflow = await DEFINITIONS.load(storage, record)
        steps = {state.step: state for state in await storage.workflow_step_states(workflow_id)}
        statuses = step_statuses(workflow, steps)
        actions = advance(workflow, statuses)
        now = utcnow()
        moves = []
        for name, action in actions.items():
            state = steps[name]
            if action is StepAction.RELEASE:
                moves.append(states.release(state.job_id, now))
                statuses[name] = StepStatus.PENDING
            else:
                reason = f"{UPSTREAM_FAILED}: a step it depends on did not succeed"
                moves.append(states.cancel_waiting(state.job_id, state.attempt, reason, now))
                statuses[name] = StepStatus.UPSTREAM_FAILED
        status = workflow_status(statuses).value
        change = (record.status, status) if status != record.status else None
        # running again after it finished: one of its steps' jobs was retried by hand
        kind = "workflow.retried" if status == WorkflowStatus.RUNNING else f"workflow.{status}"
        events = [_event(record, status, kind, now)] if change else []
        if not moves and change is None:
            return released, finished
        moved, changed = await storage.advance_workflow(workflow_id, moves, change, events, now)
        released += [job for job in moved if job.status is JobStatus.PENDING]
        finished = finished or (changed and status != WorkflowStatus.RUNNING)
        if len(moved) == len(moves) and (change is None or changed):
            return released, finished
    return released, finished


async def upstream_environment(storage: StorageBackend, job: Job) -> dict[str, Any]:
    """What a step reads of its direct dependencies (a task's JSON result, a command's stdout
    tail; null for one that never ran), bounded by baton/upstream.py (16 KiB in all): for a
    command the environment variable BATON_UPSTREAM_RESULTS, for a task the payload field
    `upstream_results`."""
    if job.workflow_id is None or job.step is None:
        return {}
    record = await storage.get_workflow(job.workflow_id, definition=job.workflow_id not in DEFINITIONS)
    if record is None:
        return {}
    workflow = await DEFINITIONS.load(storage, record)
    step = workflow.steps.get(job.step)
    if step is None or not step.depends_on:
        return {}
    rows = await storage.step_results(record.id, step.depends_on)
    # a dependency that ran has an execution: its result or stdout, even empty; one that never ran: null
    ran = {name: value if ran else None for name, _, _, value, ran in rows}
    results = upstream_results(workflow, job.step, ran)
    if job.task is not None:
        return {UPSTREAM_RESULTS_FIELD: results}
    return {UPSTREAM_RESULTS_ENV: encode_upstream_results(results)}


def _event(record: WorkflowRecord, status: str, event_type: str, at: datetime):
    return workflow_event(record.id, record.name, record.owner_id, record.owner, status, event_type, at)


class WorkflowService:
    def __init__(self, storage: StorageBackend, wake: Any, jobs: JobService | None = None) -> None:
        self.storage = storage
        self.wake = wake  # nudges the dispatcher when steps become pending
        self.jobs = jobs  # what a step's job takes that a submit takes: queue defaults, known tasks

    async def create(self, principal: Principal, body: dict[str, Any]) -> tuple[WorkflowRecord, list[Job]]:
        workflow = parse_workflow(body)
        labels = body.get("labels") or {}
        check_label_keys(labels)
        now = utcnow()
        record = WorkflowRecord(
            id=new_id(),
            name=workflow.name,
            owner_id=principal.user_id,
            owner=principal.username,
            status=WorkflowStatus.RUNNING.value,
            definition=copy.deepcopy(body),
            labels=labels,
            created_at=now,
            updated_at=now,
        )
        for index, raw in enumerate(body["steps"]):
            # named by the step's position: build_job below would name only `labels.KEY`
            check_label_keys(raw["job"].get("labels") or {}, f"steps.{index}.job.labels")
        jobs: list[Job] = []
        queues: dict[str, Any] = {}  # each queue's defaults read once, not once a step
        tasks = any(workflow.steps[name].job.get("task") is not None for name in workflow.order)
        known = await self.jobs.known_tasks() if tasks and self.jobs is not None else frozenset()
        position = {raw["name"]: index for index, raw in enumerate(body["steps"])}
        for name in workflow.order:
            step = workflow.steps[name]
            job_body = dict(step.job)
            job_body.setdefault("name", f"{workflow.name}: {name}"[:200])
            if job_body["queue"] not in queues:
                get_queue = self.jobs.queues.get if self.jobs is not None else self.storage.get_queue
                queues[job_body["queue"]] = await get_queue(job_body["queue"])
            queue = queues[job_body["queue"]]
            try:
                job = build_job(principal, job_body, now, queue, known)
            except BatonError as exc:  # named by the step's position, as the schema names its errors
                prefix = f"steps.{position[name]}.job."
                exc.errors = [{**error, "field": prefix + error["field"]} for error in exc.errors or []]
                raise
            job.workflow_id, job.step = record.id, name
            if step.depends_on:
                job.status = JobStatus.WAITING
            jobs.append(job)
        await self.storage.insert_workflow(
            record, jobs, _event(record, record.status, "workflow.created", now)
        )
        self.wake()
        return record, jobs

    async def get(self, principal: Principal, workflow_id: str) -> WorkflowRecord:
        workflow_id = workflow_id.lower()
        record = await self.storage.get_workflow(workflow_id, definition=workflow_id not in DEFINITIONS)
        if record is None or not (principal.sees_all_jobs or record.owner_id == principal.user_id):
            raise NotFound(f"No workflow {workflow_id}", code="WORKFLOW_NOT_FOUND")
        return record

    async def show(
        self, principal: Principal, workflow_id: str
    ) -> tuple[WorkflowRecord, Workflow, list[Job]]:
        record = await self.get(principal, workflow_id)
        return (
            record,
            await DEFINITIONS.load(self.storage, record),
            await self.storage.workflow_steps(record.id),
        )

    async def list(
        self,
        principal: Principal,
        *,
        limit: int,
        cursor: str | None = None,
        status: list[str] | None = None,
        label: list[str] | None = None,
        created_after: str | None = None,
        created_before: str | None = None,
    ) -> tuple[list[WorkflowRecord], str | None]:
        query = WorkflowQuery(
            limit=limit + 1,
            owner_id=None if principal.sees_all_jobs else principal.user_id,
            statuses=frozenset(status or ()),
            labels=tuple(tuple(pair.split("=", 1)) for pair in label or []),  # type: ignore[misc]
            created_after=_time("created_after", created_after),
            created_before=_time("created_before", created_before),
            after=_position(cursor) if cursor else None,
        )
        found = await self.storage.list_workflows(query)
        next_cursor = None
        if len(found) > limit:
            found = found[:limit]
            next_cursor = encode_cursor("workflows", [isoformat(found[-1].created_at), found[-1].id])
        return found, next_cursor

    async def cancel(self, principal: Principal, workflow_id: str) -> WorkflowRecord:
        """Cancel every live step (waiting ones too: an `always` step does not run after a cancel)."""
        record = await self.get(principal, workflow_id)
        if record.status != WorkflowStatus.RUNNING:
            raise Conflict(
                f"Workflow is {record.status}; only a running workflow can be cancelled",
                code="INVALID_WORKFLOW_STATE",
            )
        now = utcnow()
        live = [job for job in await self.storage.workflow_steps(record.id) if job.status in LIVE_STATES]
        reason = f"Cancelled with workflow by {principal.username}"
        await self.storage.transition([states.cancel(job, reason, now) for job in live], now)
        await advance_workflow(self.storage, record.id)
        return await self.get(principal, record.id)

    async def retry(self, principal: Principal, workflow_id: str) -> WorkflowRecord:
        """Re-run the failed, timed-out and upstream-failed steps and what depends on them."""
        record = await self.get(principal, workflow_id)
        workflow = await DEFINITIONS.load(self.storage, record)
        steps = {job.step: job for job in await self.storage.workflow_steps(record.id) if job.step}
        statuses = step_statuses(workflow, steps)
        plan = retry_plan(workflow, statuses)
        again = [name for name in plan.steps if name in steps]
        if not again:
            raise Conflict(
                f"Workflow is {record.status}; only a finished workflow with failed steps can be retried",
                code="INVALID_WORKFLOW_STATE",
            )
        now = utcnow()
        moves = [
            states.retry(
                steps[name],
                now,
                JobStatus.PENDING if plan.actions.get(name) is StepAction.RELEASE else JobStatus.WAITING,
            )
            for name in again
        ]
        change = (record.status, WorkflowStatus.RUNNING.value)
        event = _event(record, WorkflowStatus.RUNNING.value, "workflow.retried", now)
        _, changed = await self.storage.advance_workflow(record.id, moves, change, [event], now)
        if not changed:
            raise Conflict("The workflow changed meanwhile; try again", code="CONCURRENT_UPDATE")
        self.wake()
        # steps whose dependencies are all done already, and cancels that cascade
        released, _ = await advance_workflow(self.storage, record.id)
        if released:
            self.wake()
        return await self.get(principal, record.id)


def _time(field: str, value: str | None) -> datetime | None:
    return parse_input_timestamp(value, f"query.{field}") if value is not None else None


def _position(cursor: str) -> tuple[datetime, str]:
    position = decode_cursor(cursor, "workflows")
    if not isinstance(position, list) or len(position) != 2:
        raise invalid_cursor()
    at, last_id = position
    if not isinstance(at, str) or not isinstance(last_id, str) or len(last_id) > 64:
        raise invalid_cursor()
    try:
        return parse_timestamp(at), last_id
    except (ValueError, TypeError):
        raise invalid_cursor() from None
