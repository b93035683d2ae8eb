"""The event log's storage contract on SQLite, MariaDB and PostgreSQL: ids gap-free and in commit
order under racing writers, filters and visibility, retention, the once-only announcements of
derived events, and single-use WebSocket tickets."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from baton.backends.storage import EventQuery
from baton.backends.storage.sql import SQLStorage

from baton import states
from baton.eventtypes import depth_event, worker_event
from baton.models import Event, User, WsTicket
from baton.timeutil import new_id
from tests.contract.ops import claim_pending
from tests.contract.test_storage_contract import T0, make_job, make_user
from tests.contract.test_workers_contract import make_worker

NOW = T0 + timedelta(seconds=10)


async def all_events(storage: SQLStorage, **query: object) -> list[Event]:
    found: list[Event] = []
    after = 0
    while True:
        page, after = await storage.list_events(EventQuery(after=after, limit=100, **query))
        found += page
        if not page:
            return found


async def test_racing_writers_get_gap_free_ids_in_commit_order(
    storage: SQLStorage, other_storage: SQLStorage, owner: User
) -> None:
    jobs = [make_job(owner) for _ in range(40)]
    await asyncio.gather(
        *[(storage if i % 2 else other_storage).insert_job(job) for i, job in enumerate(jobs)]
    )

    async def claim_all(store: SQLStorage, worker: str) -> None:
        while await claim_pending(store, 3, worker, NOW, NOW + timedelta(seconds=30)):
            pass

    await asyncio.gather(claim_all(storage, "a"), claim_all(other_storage, "b"), claim_all(storage, "c"))
    events = await all_events(storage)
    assert [e.id for e in events] == list(range(1, 81))  # gap-free: 40 created + 40 claimed
    assert await storage.last_event_id() == 80
    assert sorted(e.subject_id for e in events if e.type == "job.running") == sorted(j.id for j in jobs)
    # within one job, its events are in the order its changes committed
    for job in jobs:
        assert [e.type for e in events if e.subject_id == job.id] == ["job.created", "job.running"]


async def test_filters_visibility_and_positions(storage: SQLStorage, owner: User) -> None:
    other = make_user("bob")
    await storage.insert_user(other)
    mine, theirs = make_job(owner, queue="q1"), make_job(other, queue="q2")
    await storage.insert_jobs([mine, theirs])
    worker = make_worker()
    await storage.insert_worker(worker)

    async def types(**query: object) -> list[str]:
        return [e.type for e in await all_events(storage, **query)]

    assert await types() == ["job.created", "job.created", "worker.registered"]
    assert await types(owner_id=owner.id) == ["job.created", "worker.registered"]  # others' jobs hidden
    assert await types(subject_types=frozenset({"job"})) == ["job.created", "job.created"]
    assert await types(prefixes=frozenset({"worker."})) == ["worker.registered"]
    assert await types(types=frozenset({"job.created"}), queue="q2") == ["job.created"]
    assert await types(job_id=theirs.id) == ["job.created"]
    assert await types(worker_id=worker.id) == ["worker.registered"]
    assert await types(prefixes=frozenset({"job_"})) == []  # _ is literal, not a wildcard
    # a filtered read reports how far it read, past what it skipped
    page, scanned = await storage.list_events(EventQuery(types=frozenset({"job.created"}), limit=1))
    assert len(page) == 1 and scanned == page[0].id
    page, scanned = await storage.list_events(EventQuery(types=frozenset({"nothing"})))
    assert page == [] and scanned == 3
    page, scanned = await storage.list_events(EventQuery(up_to=2))
    assert [e.id for e in page] == [1, 2] and scanned == 2
    assert (await all_events(storage))[0].data["owner"] == owner.username


async def test_retention_and_bounds(storage: SQLStorage, owner: User) -> None:
    assert await storage.event_bounds() == (None, 0)
    old = make_job(owner, created_at=T0)
    new = make_job(owner, created_at=T0 + timedelta(hours=100))
    await storage.insert_jobs([old])
    await storage.insert_jobs([new])
    assert await storage.purge_events(T0 + timedelta(hours=1)) == 1
    assert await storage.event_bounds() == (2, 2)
    assert [e.subject_id for e in await all_events(storage)] == [new.id]
    await storage.append_events([])  # nothing: no id used
    assert await storage.last_event_id() == 2


async def test_depth_is_announced_once_a_second_by_one_process(
    storage: SQLStorage, other_storage: SQLStorage
) -> None:
    later = NOW - timedelta(seconds=1)

    async def announce(store: SQLStorage, pending: int, at=NOW) -> str:
        event = depth_event("q", pending, 0, at)
        return await store.announce_depth("q", pending, 0, at, at - timedelta(seconds=1), event)

    results = await asyncio.gather(*[announce(s, 3) for s in (storage, other_storage) * 3])
    assert results.count("announced") == 1 and set(results) <= {"announced", "same", "later"}
    assert await announce(storage, 3, NOW + timedelta(seconds=5)) == "same"
    assert await announce(storage, 4, NOW + timedelta(milliseconds=500)) == "later"
    assert await announce(storage, 4, NOW + timedelta(seconds=2)) == "announced"
    assert await storage.announce_depth("empty", 0, 0, NOW, later, depth_event("empty", 0, 0, NOW)) == "same"
    events = await all_events(storage, types=frozenset({"queue.depth_changed"}))
    assert [e.data for e in events] == [
        {"queue": "q", "pending": 3, "running": 0},
        {"queue": "q", "pending": 4, "running": 0},
    ]


async def test_worker_status_is_announced_once(storage: SQLStorage, other_storage: SQLStorage) -> None:
    worker = make_worker(last_heartbeat_at=T0)
    await storage.insert_worker(worker)
    [(found, reported)] = await storage.workers_to_announce(
        NOW - timedelta(seconds=2), NOW - timedelta(seconds=5)
    )
    assert found.id == worker.id and reported == "online"  # registered as online, now long silent
    event = worker_event(worker, "worker.offline", NOW, status="offline")
    results = await asyncio.gather(
        storage.announce_worker_status(worker.id, "online", "offline", event),
        other_storage.announce_worker_status(worker.id, "online", "offline", event),
    )
    assert sorted(results) == [False, True]
    assert await storage.workers_to_announce(NOW - timedelta(seconds=2), NOW - timedelta(seconds=5)) == []
    types = [e.type for e in await all_events(storage, worker_id=worker.id)]
    assert types == ["worker.registered", "worker.offline"]


async def test_ws_tickets_are_single_use(storage: SQLStorage, other_storage: SQLStorage, owner: User) -> None:
    ticket = WsTicket("h" * 64, owner.id, "session", None, None, NOW + timedelta(seconds=30))
    await storage.insert_ws_ticket(ticket)
    used = await asyncio.gather(
        storage.use_ws_ticket("h" * 64, NOW), other_storage.use_ws_ticket("h" * 64, NOW)
    )
    assert sorted(u is not None for u in used) == [False, True]
    assert next(u for u in used if u) == ticket
    expired = WsTicket("e" * 64, owner.id, None, new_id(), None, NOW)
    await storage.insert_ws_ticket(expired)
    assert await storage.use_ws_ticket("e" * 64, NOW) is None
    assert await storage.purge_ws_tickets(NOW + timedelta(seconds=31)) == 2


async def test_a_move_that_did_not_hold_writes_no_event(storage: SQLStorage, owner: User) -> None:
    job = make_job(owner)
    await storage.insert_job(job)
    assert await storage.transition([states.promote(job.id, NOW)], NOW) == []  # it is not scheduled
    assert [e.type for e in await all_events(storage)] == ["job.created"]
