"""Queue storage and the admission rule of every claim, on every database."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from baton.backends.storage.sql import SQLStorage

from baton.models import JobStatus, Queue, User
from baton.timeutil import utcnow
from tests.contract.ops import claim_job, claim_pending, complete
from tests.contract.test_storage_contract import make_job

LEASE = timedelta(seconds=60)


def make_queue(name: str, **fields: object) -> Queue:
    now = utcnow()
    values: dict = {
        "name": name,
        "description": "",
        "max_concurrency": None,
        "default_timeout_seconds": None,
        "default_max_retries": None,
        "paused": False,
        "created_at": now,
        "updated_at": now,
    }
    values.update(fields)
    return Queue(**values)


async def test_queue_round_trip(storage: SQLStorage) -> None:
    queue = make_queue("reports", description="nightly ünïcode 📊", max_concurrency=2)
    assert await storage.insert_queue(queue) is True
    assert await storage.insert_queue(queue) is False
    assert await storage.get_queue("reports") == queue
    changed = await storage.update_queue("reports", utcnow(), max_concurrency=None, paused=True)
    assert changed is not None and changed.max_concurrency is None and changed.paused is True
    # a change to the values it has is still a match (MySQL reports 0 changed rows)
    assert await storage.update_queue("reports", utcnow(), paused=True) is not None
    assert await storage.update_queue("nope", utcnow(), paused=True) is None
    assert [q.name for q in await storage.list_queues(10, None)] == ["reports"]
    assert await storage.list_queues(10, "reports") == []
    assert await storage.delete_queue("reports", utcnow()) is True
    assert await storage.delete_queue("reports", utcnow()) is False


async def test_claims_skip_paused_queues(storage: SQLStorage, owner: User) -> None:
    await storage.insert_queue(make_queue("held", paused=True))
    held, free = make_job(owner, queue="held"), make_job(owner, queue="free")
    await storage.insert_jobs([held, free])
    now = utcnow()
    claimed = await claim_pending(storage, 10, "w1", now, now + LEASE)
    assert [job.id for job in claimed] == [free.id]
    assert await claim_job(storage, held.id, 1, "w2", now, now + LEASE) is None
    assert [due.id for due in await storage.due_pending(now, 10)] == []
    await storage.update_queue("held", utcnow(), paused=False)
    assert (await claim_job(storage, held.id, 1, "w2", now, now + LEASE)).status is JobStatus.RUNNING


async def test_max_concurrency_holds_for_racing_claimers(
    storage: SQLStorage, other_storage: SQLStorage, owner: User
) -> None:
    await storage.insert_queue(make_queue("limited", max_concurrency=2))
    batch = [make_job(owner, queue="limited") for _ in range(12)] + [make_job(owner, queue="open")]
    await storage.insert_jobs(batch)
    now = utcnow()
    stores = [storage, other_storage] * 3
    results = await asyncio.gather(
        *[claim_pending(store, 3, f"w{i}", now, now + LEASE) for i, store in enumerate(stores)],
        *[
            claim_job(store, job.id, 1, f"j{i}", now, now + LEASE)
            for i, (store, job) in enumerate(zip(stores, batch, strict=False))
        ],
    )
    claimed = [job for result in results[: len(stores)] for job in result]
    claimed += [job for job in results[len(stores) :] if job is not None]
    limited = [job for job in claimed if job.queue == "limited"]
    assert len(limited) == 2 and len({job.id for job in limited}) == 2
    assert any(job.queue == "open" for job in claimed)  # the full queue hid nothing behind it
    # one finishes: exactly one more may start
    done = limited[0]
    await complete(storage, done)
    later = utcnow()
    more = await asyncio.gather(
        claim_pending(storage, 5, "w9", later, later + LEASE),
        claim_pending(other_storage, 5, "w10", later, later + LEASE),
    )
    assert len([job for result in more for job in result if job.queue == "limited"]) == 1


async def test_a_queue_at_its_limit_hides_nothing_behind_it(storage: SQLStorage, owner: User) -> None:
    """Its jobs come first in dispatch order, more of them than a claim looks at in one go: the
    claim looks past the queue that refused them."""
    await storage.insert_queue(make_queue("full", max_concurrency=1))
    now = utcnow()
    first = make_job(owner, queue="full", priority=9)
    await storage.insert_jobs([first])
    assert [job.id for job in await claim_pending(storage, 1, "w0", now, now + LEASE)] == [first.id]
    backlog = [make_job(owner, queue="full", priority=9) for _ in range(30)]
    behind = make_job(owner, queue="open", priority=1)
    await storage.insert_jobs([*backlog, behind])
    claimed = await claim_pending(storage, 3, "w1", now, now + LEASE)
    assert [job.id for job in claimed] == [behind.id]
