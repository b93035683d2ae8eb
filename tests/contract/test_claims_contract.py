"""Storage contract of the queue-style executor (arq): a claim of one handed-out job,
`due_pending`, `job_states`, on SQLite, MariaDB and PostgreSQL like the rest of the contract suite."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from baton.backends.storage.sql import SQLStorage

from baton.models import Execution, ExecutionStatus, JobStatus, User
from baton.timeutil import new_id
from tests.contract.ops import claim_job, finish, requeue_lost
from tests.contract.test_storage_contract import T0, make_job

NOW = T0 + timedelta(seconds=10)
LEASE = NOW + timedelta(seconds=30)


async def test_claim_job_moves_one_due_pending_job(storage: SQLStorage, owner: User) -> None:
    job = make_job(owner)
    await storage.insert_job(job)
    claimed = await claim_job(storage, job.id, 1, "arq:host:1", NOW, LEASE)
    assert claimed is not None and claimed.id == job.id
    assert (claimed.status, claimed.attempt, claimed.worker) == (JobStatus.RUNNING, 1, "arq:host:1")
    assert claimed.started_at == NOW and claimed.lease_expires_at == LEASE
    assert claimed.command == job.command and claimed.owner == owner.username
    [execution] = await storage.list_executions(job.id, 0, 10)
    assert (execution.attempt, execution.status) == (1, ExecutionStatus.RUNNING)
    assert execution.worker == "arq:host:1"
    # the same hand-out again, or one for an attempt already taken: no
    assert await claim_job(storage, job.id, 1, "arq:host:2", NOW, LEASE) is None
    assert await claim_job(storage, job.id, 2, "arq:host:2", NOW, LEASE) is None
    assert (await storage.get_job(job.id)).worker == "arq:host:1"


async def test_claim_job_refuses_what_changed(storage: SQLStorage, owner: User) -> None:
    stale = make_job(owner, attempt=2)  # re-queued since the hand-out of attempt 2 was made
    future = make_job(owner, run_at=NOW + timedelta(seconds=1))
    cancelled = make_job(owner, status=JobStatus.CANCELLED)
    scheduled = make_job(owner, status=JobStatus.SCHEDULED)
    for job in (stale, future, cancelled, scheduled):
        await storage.insert_job(job)
    assert await claim_job(storage, stale.id, 2, "w", NOW, LEASE) is None
    assert await claim_job(storage, future.id, 1, "w", NOW, LEASE) is None
    assert await claim_job(storage, cancelled.id, 1, "w", NOW, LEASE) is None
    assert await claim_job(storage, scheduled.id, 1, "w", NOW, LEASE) is None
    assert await claim_job(storage, new_id(), 1, "w", NOW, LEASE) is None
    assert (await claim_job(storage, stale.id, 3, "w", NOW, LEASE)).attempt == 3
    for job in (future, cancelled, scheduled):
        assert await storage.list_executions(job.id, 0, 10) == []
        assert (await storage.get_job(job.id)).status is job.status


async def test_claimed_attempt_is_fenced_and_renewed_like_any_other(
    storage: SQLStorage,
    owner: User,
) -> None:
    job = make_job(owner)
    await storage.insert_job(job)
    await claim_job(storage, job.id, 1, "w1", NOW, LEASE)
    assert await storage.renew_leases({job.id: 1}, "w1", LEASE + timedelta(seconds=5)) == {job.id}
    assert await storage.renew_leases({job.id: 1}, "w2", LEASE) == set()
    # lost and re-queued: attempt 1's late report must not move the job
    moved = await requeue_lost(storage, await storage.get_job(job.id), NOW)
    assert moved is not None and moved.status is JobStatus.PENDING
    late = Execution(job.id, 1, ExecutionStatus.COMPLETED, "w1", NOW, NOW, exit_code=0)
    assert await storage.finish_attempt(finish(job.id, 1, late), late, NOW) is None
    assert (await claim_job(storage, job.id, 2, "w2", NOW, LEASE)).attempt == 2


async def test_concurrent_claimers_of_one_job_have_one_winner(
    storage: SQLStorage,
    other_storage: SQLStorage,
    owner: User,
) -> None:
    jobs = [make_job(owner) for _ in range(10)]
    for job in jobs:
        await storage.insert_job(job)
    for job in jobs:
        # the same hand-out run by three workers at once (two processes, as the database sees it)
        results = await asyncio.gather(
            claim_job(storage, job.id, 1, "a", NOW, LEASE),
            claim_job(other_storage, job.id, 1, "b", NOW, LEASE),
            claim_job(other_storage, job.id, 1, "c", NOW, LEASE),
        )
        winners = [r for r in results if r is not None]
        assert len(winners) == 1, results
        [execution] = await storage.list_executions(job.id, 0, 10)
        assert execution.worker == winners[0].worker == (await storage.get_job(job.id)).worker


async def test_due_pending_in_dispatch_order(storage: SQLStorage, owner: User) -> None:
    low = make_job(owner, priority=1, run_at=T0)
    high_late = make_job(owner, priority=9, run_at=T0 + timedelta(seconds=2))
    high_early = make_job(owner, priority=9, run_at=T0 + timedelta(seconds=1))
    high_early_too = make_job(owner, priority=9, run_at=T0 + timedelta(seconds=1))  # later id
    future = make_job(owner, priority=9, run_at=NOW + timedelta(hours=1))
    running = make_job(owner, priority=9, status=JobStatus.RUNNING, attempt=1)
    for job in (low, high_late, high_early, high_early_too, future, running):
        await storage.insert_job(job)
    due = await storage.due_pending(NOW, 10)
    assert [d.id for d in due] == [high_early.id, high_early_too.id, high_late.id, low.id]
    assert due[0] == (high_early.id, "default", 0, 9, high_early.run_at)
    first = await storage.due_pending(NOW, 2)
    assert [d.id for d in first] == [high_early.id, high_early_too.id]
    # keyset pages: what follows a page, across priorities too
    assert [d.id for d in await storage.due_pending(NOW, 10, after=first[-1])] == [high_late.id, low.id]
    assert [d.id for d in await storage.due_pending(NOW, 10, after=due[2])] == [low.id]
    assert await storage.due_pending(NOW, 10, after=due[-1]) == []


async def test_job_states(storage: SQLStorage, owner: User) -> None:
    a = make_job(owner)
    b = make_job(owner, status=JobStatus.COMPLETED, attempt=3)
    for job in (a, b):
        await storage.insert_job(job)
    missing = new_id()
    assert await storage.job_states([a.id, b.id, missing, a.id]) == {
        a.id: (JobStatus.PENDING, 0),
        b.id: (JobStatus.COMPLETED, 3),
    }
    assert await storage.job_states([]) == {}
