"""Storage contract of pull workers (backends/storage/workers.py) on SQLite, MariaDB and
PostgreSQL: registration and lists, label affinity and capacity in claims, queue admission,
concurrent claimers, lease extension, deregistration and the fleet's figures."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from baton.backends.storage import EventQuery
from baton.backends.storage.sql import SQLStorage

from baton import states
from baton.models import Execution, ExecutionStatus, JobStatus, User, Worker, WorkerState
from baton.timeutil import new_id
from tests.contract.ops import cancel, claim_for_worker, finish
from tests.contract.test_queues_contract import make_queue
from tests.contract.test_storage_contract import T0, make_job


def requeue(worker_id: str, reason: str):
    return lambda job_id, attempt: states.requeue(job_id, attempt, worker_id, reason, NOW)


NOW = T0 + timedelta(seconds=10)
LEASE = NOW + timedelta(seconds=60)


def make_worker(queues: list[str] | None = None, **fields: object) -> Worker:
    values: dict = {
        "id": new_id(),
        "name": "robot",
        "hostname": "lab",
        "queues": queues or ["robots"],
        "labels": {},
        "capacity": 10,
        "load": 0,
        "state": WorkerState.ACTIVE,
        "registered_at": T0,
        "last_heartbeat_at": T0,
    }
    values.update(fields)
    return Worker(**values)


async def test_register_get_list_and_filters(storage: SQLStorage) -> None:
    a = make_worker(["robots", "gpu"], labels={"os": "linux", "gpu": "true"}, last_heartbeat_at=NOW)
    b = make_worker(["robots"], labels={"os": "linux"}, last_heartbeat_at=T0)
    c = make_worker(["other"], last_heartbeat_at=T0 - timedelta(hours=1))
    for worker in (a, b, c):
        await storage.insert_worker(worker)
    got = await storage.get_worker(a.id)
    assert got == a  # every field, microseconds included
    assert await storage.get_worker(new_id()) is None

    async def ids(**query: object) -> list[str]:
        return [w.id for w in await storage.list_workers(10, **query)]

    assert await ids() == [a.id, b.id, c.id]
    assert [w.id for w in await storage.list_workers(10, a.id)] == [b.id, c.id]
    assert [w.id for w in await storage.list_workers(1)] == [a.id]
    assert await ids(queue="robots") == [a.id, b.id]
    assert await ids(queue="gpu") == [a.id]
    assert await ids(labels=[("os", "linux")]) == [a.id, b.id]
    assert await ids(labels=[("os", "linux"), ("gpu", "true")]) == [a.id]
    assert await ids(heartbeat_ranges=[(T0, None)]) == [a.id, b.id]
    assert await ids(heartbeat_ranges=[(T0, NOW)]) == [b.id]
    assert await ids(heartbeat_ranges=[(None, T0), (NOW, None)]) == [a.id, c.id]


async def test_update_worker_keeps_draining(storage: SQLStorage) -> None:
    worker = make_worker()
    await storage.insert_worker(worker)
    changed = await storage.update_worker(worker.id, NOW, load=3, capacity=4, last_heartbeat_at=NOW)
    assert (changed.load, changed.capacity, changed.last_heartbeat_at) == (3, 4, NOW)
    assert (
        await storage.update_worker(worker.id, NOW, state=WorkerState.DRAINING)
    ).state is WorkerState.DRAINING
    assert (
        await storage.update_worker(worker.id, NOW, state=WorkerState.ACTIVE)
    ).state is WorkerState.DRAINING
    assert await storage.update_worker(new_id(), NOW, load=1) is None
    events, _ = await storage.list_events(EventQuery(worker_id=worker.id))
    assert [e.type for e in events] == ["worker.registered", "worker.drained"]  # drained once


async def test_claim_applies_label_affinity_order_and_capacity(storage: SQLStorage, owner: User) -> None:
    linux = make_job(owner, queue="robots", labels={"os": "linux"}, priority=1)
    anywhere = make_job(owner, queue="robots", priority=9)
    gpu = make_job(owner, queue="robots", labels={"gpu": "true"})
    elsewhere = make_job(owner, queue="other")
    future = make_job(owner, queue="robots", run_at=NOW + timedelta(seconds=1))
    for job in (linux, anywhere, gpu, elsewhere, future):
        await storage.insert_job(job)
    worker = make_worker(["robots", "other"], labels={"os": "linux"}, capacity=2)
    await storage.insert_worker(worker)

    assert await storage.claimable_exists(["robots"], {"os": "linux"}, NOW)
    assert not await storage.claimable_exists(["nothing"], {}, NOW)
    claimed = await claim_for_worker(storage, worker.id, ["robots"], 10, NOW, LEASE)
    assert [job.id for job in claimed] == [anywhere.id, linux.id]  # priority 9 first; capacity 2
    for job in claimed:
        assert (job.status, job.attempt, job.worker, job.lease_expires_at) == (
            JobStatus.RUNNING,
            1,
            worker.id,
            LEASE,
        )
        [execution] = await storage.list_executions(job.id, 0, 10)
        assert (execution.status, execution.worker, execution.attempt) == (
            ExecutionStatus.RUNNING,
            worker.id,
            1,
        )
    assert (await storage.get_worker(worker.id)).running_jobs == 2
    assert (await storage.get_worker(worker.id)).last_heartbeat_at == NOW  # a claim is a sign of life
    assert await claim_for_worker(storage, worker.id, ["robots", "other"], 10, NOW, LEASE) == []  # full
    assert (await storage.get_job(gpu.id)).status is JobStatus.PENDING  # no gpu label on the worker
    assert not await storage.claimable_exists(["robots"], {"os": "linux"}, NOW)


async def test_claim_respects_queue_admission_and_worker_state(storage: SQLStorage, owner: User) -> None:
    await storage.insert_queue(make_queue("paused", paused=True))
    await storage.insert_queue(make_queue("limited", max_concurrency=1))
    for queue in ("paused", "limited", "limited"):
        await storage.insert_job(make_job(owner, queue=queue))
    worker = make_worker(["paused", "limited"])
    await storage.insert_worker(worker)
    claimed = await claim_for_worker(storage, worker.id, ["paused", "limited"], 10, NOW, LEASE)
    assert [job.queue for job in claimed] == ["limited"]
    assert await claim_for_worker(storage, worker.id, ["paused", "limited"], 10, NOW, LEASE) == []
    assert await claim_for_worker(storage, new_id(), ["limited"], 1, NOW, LEASE) is None
    await storage.update_worker(worker.id, NOW, state=WorkerState.DRAINING)
    await storage.update_queue("paused", NOW, paused=False)
    assert await claim_for_worker(storage, worker.id, ["paused"], 1, NOW, LEASE) is None


async def test_racing_workers_never_share_a_job(
    storage: SQLStorage,
    other_storage: SQLStorage,
    owner: User,
) -> None:
    jobs = [make_job(owner, queue="robots") for _ in range(20)]
    for job in jobs:
        await storage.insert_job(job)
    one, two = make_worker(capacity=100), make_worker(capacity=100)
    await storage.insert_worker(one)
    await storage.insert_worker(two)

    async def drain(store: SQLStorage, worker: Worker) -> list[str]:
        taken: list[str] = []
        while batch := await claim_for_worker(store, worker.id, ["robots"], 3, NOW, LEASE):
            taken += [job.id for job in batch]
        return taken

    first, second = await asyncio.gather(drain(storage, one), drain(other_storage, two))
    assert not set(first) & set(second)
    assert sorted(first + second) == sorted(job.id for job in jobs)


async def test_extend_lease_is_fenced(storage: SQLStorage, owner: User) -> None:
    job = make_job(owner, queue="robots")
    await storage.insert_job(job)
    worker = make_worker()
    await storage.insert_worker(worker)
    await claim_for_worker(storage, worker.id, ["robots"], 1, NOW, LEASE)
    later = LEASE + timedelta(seconds=30)
    assert await storage.extend_lease(job.id, worker.id, 1, later)
    assert (await storage.get_job(job.id)).lease_expires_at == later
    assert not await storage.extend_lease(job.id, "someone-else", 1, later)
    assert not await storage.extend_lease(job.id, worker.id, 2, later)
    await cancel(storage, job.id)
    assert not await storage.extend_lease(job.id, worker.id, 1, later)


async def test_delete_worker_requeues_its_running_jobs(storage: SQLStorage, owner: User) -> None:
    jobs = [make_job(owner, queue="robots", max_retries=0) for _ in range(2)]
    for job in jobs:
        await storage.insert_job(job)
    worker, bystander = make_worker(), make_worker()
    await storage.insert_worker(worker)
    await storage.insert_worker(bystander)
    await claim_for_worker(storage, worker.id, ["robots"], 2, NOW, LEASE)

    requeued = await storage.delete_worker(worker.id, NOW, requeue(worker.id, "deregistered"))
    assert sorted(requeued) == sorted(job.id for job in jobs)
    assert await storage.get_worker(worker.id) is None
    assert await storage.delete_worker(worker.id, NOW, requeue(worker.id, "again")) is None
    assert [w.id for w in await storage.list_workers(10, queue="robots")] == [bystander.id]
    events, _ = await storage.list_events(EventQuery(worker_id=worker.id, limit=20))
    assert [e.type for e in events][-3:] == ["job.pending", "job.pending", "worker.deregistered"]
    for job in jobs:
        now = await storage.get_job(job.id)
        assert (now.status, now.attempt, now.retries_used, now.run_at) == (JobStatus.PENDING, 1, 0, NOW)
        assert now.lease_expires_at is None
        [execution] = await storage.list_executions(job.id, 0, 10)
        assert (execution.status, execution.error) == (ExecutionStatus.LOST, "deregistered")
        # the old attempt's late report moves nothing
        late = Execution(job.id, 1, ExecutionStatus.COMPLETED, worker.id, NOW, NOW, exit_code=0)
        assert await storage.finish_attempt(finish(job.id, 1, late), late, NOW) is None
    again = await claim_for_worker(storage, bystander.id, ["robots"], 2, NOW, LEASE)
    assert sorted(job.attempt for job in again) == [2, 2]


async def test_fleet_figures(storage: SQLStorage, owner: User) -> None:
    online = make_worker(capacity=4, load=1, last_heartbeat_at=NOW)
    stale = make_worker(capacity=2, load=2, last_heartbeat_at=NOW - timedelta(seconds=30))
    offline = make_worker(capacity=8, load=8, last_heartbeat_at=T0 - timedelta(hours=1))
    for worker in (online, stale, offline):
        await storage.insert_worker(worker)
    for queue, status in (("robots", JobStatus.PENDING),) * 3 + (("other", JobStatus.COMPLETED),):
        await storage.insert_job(make_job(owner, queue=queue, status=status))
    await claim_for_worker(storage, online.id, ["robots"], 1, NOW, LEASE)

    figures = await storage.fleet_figures(NOW - timedelta(seconds=20), NOW - timedelta(seconds=50))
    assert figures["by_worker_status"] == {"online": (1, 4, 1), "stale": (1, 2, 2), "offline": (1, 8, 8)}
    assert figures["jobs_by_status"] == {
        "waiting": 0,
        "scheduled": 0,
        "pending": 2,
        "running": 1,
        "completed": 1,
        "failed": 0,
        "cancelled": 0,
        "timed_out": 0,
    }
    assert sorted(figures["depths"]) == [("robots", JobStatus.PENDING, 2), ("robots", JobStatus.RUNNING, 1)]
    assert figures["running_on_workers"] == 1
