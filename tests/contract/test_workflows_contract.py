"""Workflows on every database: a workflow and all its step jobs in one transaction, and the
advance of a workflow after a restart (an advancer that saw none of the events releases what the
finished steps allow), once across two processes."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from baton.backends.storage import EventQuery
from baton.backends.storage.sql import SQLStorage

from baton import states
from baton.eventhub import EventHub
from baton.models import JobStatus, Principal, Role, User
from baton.timeutil import utcnow
from baton.workflow_advancer import WorkflowAdvancer
from baton.workflows import WorkflowService
from tests.contract.ops import claim_pending, complete

STEPS = {
    "name": "chain",
    "steps": [
        {
            "name": "a",
            "job": {"command": ["true"], "queue": "default", "priority": 5, "retry_backoff_seconds": 1},
        },
        {
            "name": "b",
            "job": {"command": ["true"], "queue": "default", "priority": 5, "retry_backoff_seconds": 1},
            "depends_on": ["a"],
        },
        {
            "name": "c",
            "job": {"command": ["true"], "queue": "default", "priority": 5, "retry_backoff_seconds": 1},
            "depends_on": ["b"],
        },
    ],
}


def advancer(storage: SQLStorage) -> WorkflowAdvancer:
    # a hub that is never started: the advancer sees no event, only its rescan of running workflows
    return WorkflowAdvancer(storage, EventHub(storage, 60), released=lambda: None)


async def run_step(storage: SQLStorage, job_id: str) -> None:
    now = utcnow()
    claimed = await claim_pending(storage, 10, "w", now, now + timedelta(minutes=1))
    job = next(job for job in claimed if job.id == job_id)
    assert await complete(storage, job, utcnow()) is not None


async def test_a_restarted_advancer_releases_the_steps_it_missed_once(
    storage: SQLStorage, other_storage: SQLStorage, owner: User
) -> None:
    principal = Principal(owner.id, owner.username, Role.MEMBER, session_id=None)
    record, jobs = await WorkflowService(storage, wake=lambda: None).create(principal, STEPS)
    by_step = {job.step: job for job in jobs}
    assert [by_step[s].status for s in "abc"] == [JobStatus.PENDING, JobStatus.WAITING, JobStatus.WAITING]
    stored = {job.step: job for job in await storage.workflow_steps(record.id)}
    assert {s: stored[s].workflow_id for s in "abc"} == dict.fromkeys("abc", record.id)
    events, _ = await storage.list_events(EventQuery(after=0, limit=100))
    assert [e.type for e in events] == ["workflow.created", "job.created", "job.created", "job.created"]

    await run_step(storage, by_step["a"].id)
    # nothing advanced it: b still waits until an advancer (re)scans
    assert (await storage.get_job(by_step["b"].id)).status is JobStatus.WAITING
    released = await advancer(storage).advance_once()
    assert released == 1
    assert (await storage.get_job(by_step["b"].id)).status is JobStatus.PENDING
    assert (await storage.get_job(by_step["c"].id)).status is JobStatus.WAITING

    await run_step(storage, by_step["b"].id)
    # two processes rescan at once: c is released once, and later the workflow completes once
    results = await asyncio.gather(advancer(storage).advance_once(), advancer(other_storage).advance_once())
    assert sorted(results) == [0, 1]
    await run_step(storage, by_step["c"].id)
    await asyncio.gather(advancer(storage).advance_once(), advancer(other_storage).advance_once())
    assert (await storage.get_workflow(record.id)).status == "completed"
    events, _ = await storage.list_events(EventQuery(after=0, limit=100))
    assert [e.type for e in events].count("workflow.completed") == 1
    assert [e.type for e in events].count("job.pending") == 2  # b and c, each released once


async def test_a_failed_step_cancels_its_dependents_as_upstream_failed(
    storage: SQLStorage, owner: User
) -> None:
    principal = Principal(owner.id, owner.username, Role.MEMBER, session_id=None)
    record, jobs = await WorkflowService(storage, wake=lambda: None).create(principal, STEPS)
    a = jobs[0]
    await storage.transition([states.cancel(a, "Cancelled by someone", utcnow())], utcnow())
    await advancer(storage).advance_once()
    steps = {job.step: job for job in await storage.workflow_steps(record.id)}
    assert steps["b"].status is JobStatus.CANCELLED and steps["b"].error.startswith("Upstream failed")
    assert steps["c"].status is JobStatus.CANCELLED and steps["c"].error.startswith("Upstream failed")
    assert (await storage.get_workflow(record.id)).status == "cancelled"
    rows = await storage.step_results(record.id, ["a"])
    assert rows == [("a", "cancelled", "Cancelled by someone", "", False)]
