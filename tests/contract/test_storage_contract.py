"""The storage contract: every StorageBackend method and every state transition, run against
SQLite, MariaDB and PostgreSQL (the `database_url` fixture is parametrized over all three)."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import datetime, timedelta

import pytest
from baton.backends.storage import EventQuery, JobQuery
from baton.backends.storage.sql import SQLStorage

from baton import states
from baton.models import Execution, ExecutionStatus, Job, JobStatus, Role, User
from baton.timeutil import new_id, utcnow
from tests.contract.ops import (
    cancel,
    claim_job,
    claim_pending,
    complete,
    finish,
    requeue_lost,
    reschedule,
)

T0 = datetime(2026, 5, 17, 8, 30, 15, 123456)  # microseconds must survive every dialect


def make_user(name: str = "alice", disabled: bool = False) -> User:
    return User(new_id(), name, "argon2-hash", Role.MEMBER, disabled, T0)


def make_job(owner: User, **fields: object) -> Job:
    values: dict = {
        "id": new_id(),
        "name": "job",
        "queue": "default",
        "command": ["echo", "hi"],
        "priority": 5,
        "timeout_seconds": 60,
        "max_retries": 0,
        "retry_backoff_seconds": 10,
        "labels": {},
        "status": JobStatus.PENDING,
        "attempt": 0,
        "retries_used": 0,
        "run_at": T0,
        "owner_id": owner.id,
        "owner": owner.username,
        "created_at": T0,
        "updated_at": T0,
    }
    values.update(fields)
    return Job(**values)


async def test_ping_and_migrate_twice(storage: SQLStorage) -> None:
    await storage.ping()
    await storage.migrate()  # already at head: nothing to do, no error


async def test_users_round_trip(storage: SQLStorage) -> None:
    assert await storage.count_users() == 0
    user = make_user("zoë 🚀")
    await storage.insert_user(user)
    assert await storage.count_users() == 1
    assert await storage.get_user(user.id) == user
    assert await storage.get_user_by_username("zoë 🚀") == user
    assert await storage.get_user_by_username("ZOË 🚀") is None  # names are case-sensitive
    assert await storage.get_user(new_id()) is None


async def test_sessions_and_refresh_tokens(storage: SQLStorage, owner: User) -> None:
    now = utcnow()
    await storage.insert_session("s1", owner.id, now, now + timedelta(hours=1))
    session = await storage.get_active_session("s1", now)
    assert session is not None and session.user == owner
    assert await storage.get_active_session("s1", now + timedelta(hours=2)) is None  # expired
    assert await storage.get_active_session("nope", now) is None

    await storage.insert_refresh_token("r1", "s1", now + timedelta(hours=1))
    assert await storage.use_refresh_token("r1", "other-session", now) is False
    assert await storage.use_refresh_token("r1", "s1", now) is True
    assert await storage.use_refresh_token("r1", "s1", now) is False  # once only

    await storage.revoke_session("s1", now)
    assert await storage.get_active_session("s1", now) is None


async def test_disabled_user_has_no_active_session(storage: SQLStorage) -> None:
    user = make_user("bob", disabled=True)
    await storage.insert_user(user)
    now = utcnow()
    await storage.insert_session("s2", user.id, now, now + timedelta(hours=1))
    assert await storage.get_active_session("s2", now) is None


async def test_secret_is_created_once_even_when_racing(
    storage: SQLStorage, other_storage: SQLStorage
) -> None:
    first, second = await asyncio.gather(
        storage.get_or_create_secret("key", "from-a", T0),
        other_storage.get_or_create_secret("key", "from-b", T0),
    )
    assert first == second and first in {"from-a", "from-b"}
    assert await storage.get_or_create_secret("key", "later", T0) == first


async def test_job_round_trip_keeps_unicode_and_microseconds(storage: SQLStorage, owner: User) -> None:
    job = make_job(
        owner,
        name="названиe 🚀 ✓",  # noqa: RUF001 - Cyrillic on purpose
        command=["echo", "😀", "a b"],
        labels={"tëam": "ïnfra 🛠"},
        run_at=T0 + timedelta(microseconds=1),
    )
    await storage.insert_job(job)
    assert await storage.get_job(job.id) == job
    assert await storage.get_job(new_id()) is None


async def test_list_orders_filters_and_pages(storage: SQLStorage, owner: User) -> None:
    other = make_user("carol")
    await storage.insert_user(other)
    made = []
    for i in range(6):
        job = make_job(
            owner if i % 2 else other,
            priority=i % 3,
            queue="q1" if i < 4 else "q2",
            status=JobStatus.PENDING if i < 3 else JobStatus.COMPLETED,
            created_at=T0 + timedelta(seconds=i),
        )
        await storage.insert_job(job)
        made.append(job)

    newest_first = await storage.list_jobs(JobQuery(limit=10))
    assert [j.id for j in newest_first] == [j.id for j in reversed(made)]
    page1 = await storage.list_jobs(JobQuery(limit=4))
    page2 = await storage.list_jobs(JobQuery(limit=4, after=(page1[-1].created_at, page1[-1].id)))
    assert [j.id for j in page1 + page2] == [j.id for j in reversed(made)]

    by_priority = await storage.list_jobs(JobQuery(limit=10, sort_field="priority", descending=False))
    assert [(j.priority, j.id) for j in by_priority] == sorted((j.priority, j.id) for j in made)
    last = by_priority[2]
    rest = await storage.list_jobs(
        JobQuery(limit=10, sort_field="priority", descending=False, after=(last.priority, last.id))
    )
    assert [j.id for j in rest] == [j.id for j in by_priority[3:]]

    pending = await storage.list_jobs(JobQuery(limit=10, statuses=frozenset({JobStatus.PENDING})))
    assert {j.id for j in pending} == {j.id for j in made[:3]}
    assert {j.id for j in await storage.list_jobs(JobQuery(limit=10, queue="q2"))} == {made[4].id, made[5].id}
    mine = await storage.list_jobs(JobQuery(limit=10, owner_id=owner.id))
    assert {j.id for j in mine} == {made[1].id, made[3].id, made[5].id}
    assert all(j.owner == "alice" for j in mine)


async def test_compare_and_set(storage: SQLStorage, owner: User) -> None:
    job = make_job(owner)
    await storage.insert_job(job)
    scheduled = dataclasses.replace(job, status=JobStatus.SCHEDULED)
    assert await reschedule(storage, scheduled, T0, priority=1) is None  # not its status
    assert await reschedule(storage, dataclasses.replace(job, attempt=3), T0, priority=1) is None
    moved = await reschedule(storage, job, T0, priority=1)
    assert moved is not None and moved.priority == 1
    # writing the values a row already has still counts as a match (MySQL reports changed rows)
    assert await reschedule(storage, job, T0, priority=1) is not None
    with pytest.raises(ValueError):  # a move the state machine does not have
        states.Transition(states.Move.CLAIM, job.id, JobStatus.RUNNING, JobStatus.COMPLETED)


async def test_concurrent_compare_and_set_has_one_winner(
    storage: SQLStorage, other_storage: SQLStorage, owner: User
) -> None:
    for _ in range(5):
        job = make_job(owner)
        await storage.insert_job(job)
        results = await asyncio.gather(
            *[
                store.transition([states.cancel(job, f"by {i}", T0)], T0)
                for i, store in enumerate([storage, other_storage, storage, other_storage])
            ]
        )
        winners = [moved[0] for moved in results if moved]
        assert len(winners) == 1
        assert (await storage.get_job(job.id)).error == winners[0].error
        # one event for the one move that held
        events, _ = await storage.list_events(EventQuery(job_id=job.id))
        assert [e.type for e in events] == ["job.created", "job.cancelled"]


async def test_promote_due(storage: SQLStorage, owner: User) -> None:
    due = make_job(owner, status=JobStatus.SCHEDULED, run_at=T0)
    later = make_job(owner, status=JobStatus.SCHEDULED, run_at=T0 + timedelta(hours=1))
    await storage.insert_job(due)
    await storage.insert_job(later)
    now = T0 + timedelta(seconds=1)
    assert await storage.promote_due(now, lambda job_id: states.promote(job_id, now)) == 1
    assert (await storage.get_job(due.id)).status is JobStatus.PENDING
    assert (await storage.get_job(later.id)).status is JobStatus.SCHEDULED


async def test_claim_order_attempts_and_executions(storage: SQLStorage, owner: User) -> None:
    low = make_job(owner, priority=1, run_at=T0)
    high_late = make_job(owner, priority=9, run_at=T0 + timedelta(seconds=2))
    high_early = make_job(owner, priority=9, run_at=T0 + timedelta(seconds=1))
    future = make_job(owner, priority=9, run_at=T0 + timedelta(hours=1))
    for job in (low, high_late, high_early, future):
        await storage.insert_job(job)
    now = T0 + timedelta(seconds=10)
    lease = now + timedelta(seconds=30)
    claimed = await claim_pending(storage, 2, "w1", now, lease)
    assert [j.id for j in claimed] == [high_early.id, high_late.id]
    assert all(j.status is JobStatus.RUNNING and j.attempt == 1 and j.worker == "w1" for j in claimed)
    assert claimed[0].lease_expires_at == lease and claimed[0].started_at == now
    [execution] = await storage.list_executions(high_early.id, 0, 10)
    assert (execution.attempt, execution.status, execution.worker) == (1, ExecutionStatus.RUNNING, "w1")
    assert [j.id for j in await claim_pending(storage, 5, "w1", now, lease)] == [low.id]
    assert await claim_pending(storage, 5, "w1", now, lease) == []  # the future job is not due


async def test_concurrent_claimers_never_share_a_job(
    storage: SQLStorage, other_storage: SQLStorage, owner: User
) -> None:
    jobs = [make_job(owner, created_at=T0 + timedelta(microseconds=i)) for i in range(30)]
    for job in jobs:
        await storage.insert_job(job)
    now = T0 + timedelta(seconds=1)

    async def claim_all(store: SQLStorage, worker: str) -> list[str]:
        got: list[str] = []
        while batch := await claim_pending(store, 4, worker, now, now + timedelta(seconds=30)):
            got += [j.id for j in batch]
        return got

    a, b, c = await asyncio.gather(
        claim_all(storage, "a"), claim_all(other_storage, "b"), claim_all(storage, "c")
    )
    assert sorted(a + b + c) == sorted(j.id for j in jobs)  # every job once, none twice
    for job in jobs:
        assert len(await storage.list_executions(job.id, 0, 10)) == 1
        # exactly one event per committed claim; none for the claims that lost
        events, _ = await storage.list_events(EventQuery(job_id=job.id, types=frozenset({"job.running"})))
        assert len(events) == 1


async def test_finish_attempt_is_fenced_by_attempt(storage: SQLStorage, owner: User) -> None:
    await storage.insert_job(make_job(owner))
    [job] = await claim_pending(storage, 1, "w1", T0, T0 + timedelta(seconds=30))
    big = "ü🚀" * 40000  # > 64 KiB of UTF-8 with 4-byte characters
    outcome = Execution(
        job.id,
        1,
        ExecutionStatus.COMPLETED,
        "w1",
        T0,
        finished_at=T0 + timedelta(seconds=1),
        exit_code=0,
        stdout=big,
        stderr="err",
        stdout_truncated=True,
    )
    stale = await storage.finish_attempt(finish(job.id, 2, outcome), outcome, T0)
    assert stale is None and (await storage.get_job(job.id)).status is JobStatus.RUNNING
    moved = await storage.finish_attempt(finish(job.id, 1, outcome), outcome, T0)
    assert moved is not None and moved.status is JobStatus.COMPLETED
    [execution] = await storage.list_executions(job.id, 0, 10)
    assert execution.stdout == big and execution.stdout_truncated is True
    assert execution.status is ExecutionStatus.COMPLETED and execution.finished_at == T0 + timedelta(
        seconds=1
    )


async def test_late_report_keeps_outputs_but_not_status(storage: SQLStorage, owner: User) -> None:
    await storage.insert_job(make_job(owner))
    [job] = await claim_pending(storage, 1, "w1", T0, T0 + timedelta(seconds=30))
    cancelled = await cancel(storage, job.id, at=T0 + timedelta(seconds=3))
    late = Execution(
        job.id, 1, ExecutionStatus.COMPLETED, "w1", T0, finished_at=T0 + timedelta(seconds=5), stdout="out"
    )
    assert await storage.finish_attempt(finish(job.id, 1, late), late, T0) is None
    [execution] = await storage.list_executions(job.id, 0, 10)
    assert execution.status is ExecutionStatus.CANCELLED and execution.stdout == "out"
    # the job and its attempt ended at one instant: the cancel
    assert execution.finished_at == cancelled.finished_at == T0 + timedelta(seconds=3)


async def test_leases(storage: SQLStorage, owner: User) -> None:
    for _ in range(3):
        await storage.insert_job(make_job(owner))
    a, b = await claim_pending(storage, 2, "w1", T0, T0 + timedelta(seconds=5))
    [c] = await claim_pending(storage, 1, "w2", T0, T0 + timedelta(seconds=5))
    alive = await storage.renew_leases({a.id: 1, b.id: 7, c.id: 1}, "w1", T0 + timedelta(seconds=60))
    assert alive == {a.id}  # b: another attempt; c: another worker
    expired = await storage.expired_leases(T0 + timedelta(seconds=10), 10)
    assert {j.id for j in expired} == {b.id, c.id}
    assert await storage.renew_leases({}, "w1", T0) == set()


async def test_delete_only_in_given_states_and_cascades(storage: SQLStorage, owner: User) -> None:
    await storage.insert_job(make_job(owner))
    [job] = await claim_pending(storage, 1, "w1", T0, T0 + timedelta(seconds=30))
    assert await storage.delete_job(job.id, [JobStatus.COMPLETED], T0) is False
    await complete(storage, job)
    assert await storage.delete_job(job.id, [JobStatus.COMPLETED], T0) is True
    assert await storage.get_job(job.id) is None
    assert await storage.list_executions(job.id, 0, 10) == []
    events, _ = await storage.list_events(EventQuery(job_id=job.id))
    assert [e.type for e in events] == ["job.created", "job.running", "job.completed", "job.deleted"]
    assert events[-1].data["status"] == "completed" and events[-1].owner_id == owner.id


async def test_executions_page_by_attempt(storage: SQLStorage, owner: User) -> None:
    await storage.insert_job(make_job(owner, max_retries=5))
    job_id = None
    for attempt in range(1, 4):
        [job] = await claim_pending(storage, 1, "w1", T0, T0 + timedelta(seconds=30))
        job_id = job.id
        done = Execution(job.id, attempt, ExecutionStatus.FAILED, "w1", T0, finished_at=T0, exit_code=1)
        await requeue_lost(storage, job, T0)
        await storage.finish_attempt(None, done, T0)  # a late report: its outputs only
    assert [e.attempt for e in await storage.list_executions(job_id, 0, 2)] == [1, 2]
    assert [e.attempt for e in await storage.list_executions(job_id, 2, 2)] == [3]


async def test_filters_by_labels_time_and_name_prefix(storage: SQLStorage, owner: User) -> None:
    a = make_job(owner, name="backup db_1", labels={"env": "prod", "team": "data"}, created_at=T0)
    b = make_job(owner, name="backup%files", labels={"env": "prod"}, created_at=T0 + timedelta(seconds=1))
    c = make_job(
        owner, name="Backup db", labels={"env": "dev", "team": "data"}, created_at=T0 + timedelta(seconds=2)
    )
    for job in (a, b, c):
        await storage.insert_job(job)

    async def ids(**query: object) -> set[str]:
        return {j.id for j in await storage.list_jobs(JobQuery(limit=10, **query))}

    assert await ids(labels=(("env", "prod"),)) == {a.id, b.id}
    assert await ids(labels=(("env", "prod"), ("team", "data"))) == {a.id}
    assert await ids(labels=(("team", "nobody"),)) == set()
    assert await ids(created_after=T0) == {b.id, c.id}
    assert await ids(created_before=T0 + timedelta(seconds=2)) == {a.id, b.id}
    assert await ids(name_prefix="backup") == {a.id, b.id}  # case-sensitive on every dialect
    assert await ids(name_prefix="backup db_") == {a.id}
    assert await ids(name_prefix="backup%") == {b.id}  # % and _ are literal, not wildcards
    assert await ids(name_prefix="backup_") == set()

    # labels changed through compare-and-set are searchable at once; a deleted job's are gone
    await reschedule(storage, a, T0, labels={"env": "staging"})
    assert await ids(labels=(("env", "staging"),)) == {a.id}
    assert await ids(labels=(("team", "data"),)) == {c.id}
    await cancel(storage, c.id)
    await storage.delete_job(c.id, [JobStatus.CANCELLED], T0)
    assert await ids(labels=(("team", "data"),)) == set()


async def test_idempotency_keys(storage: SQLStorage, other_storage: SQLStorage) -> None:
    later = T0 + timedelta(hours=24)
    assert await storage.claim_idempotency_key("p1", "k1", "fp", T0, later) is None
    racing = await other_storage.claim_idempotency_key("p1", "k1", "fp", T0, later)
    assert racing is not None and racing.state == "in_flight"
    assert await storage.claim_idempotency_key("p2", "k1", "fp", T0, later) is None  # scoped per principal

    await storage.complete_idempotency_key("p1", "k1", 201, {"Location": "/x"}, '{"id": "😀"}')
    done = await storage.claim_idempotency_key("p1", "k1", "other", T0, later)
    assert done is not None and (done.state, done.fingerprint, done.status_code) == ("done", "fp", 201)
    assert done.headers == {"Location": "/x"} and done.body == '{"id": "😀"}'

    await storage.release_idempotency_key("p1", "k1")  # only in-flight records are released
    assert (await storage.claim_idempotency_key("p1", "k1", "fp", T0, later)).state == "done"
    await storage.release_idempotency_key("p2", "k1")
    assert await storage.claim_idempotency_key("p2", "k1", "fp", T0, later) is None

    # an expired record is replaced by a new claim, and purged in bulk
    assert await storage.claim_idempotency_key("p1", "k1", "new", later, later + timedelta(hours=24)) is None
    assert await storage.purge_idempotency_keys(later + timedelta(hours=25)) == 2


async def test_racing_claims_of_one_idempotency_key(storage: SQLStorage, other_storage: SQLStorage) -> None:
    """Many requests with one new key at once (two processes' pools): exactly one claims it, the
    others see it in flight, and none fails (on MariaDB a delete-then-insert deadlocked here)."""
    later = T0 + timedelta(hours=24)
    for round_ in range(5):
        key = f"race-{round_}"
        claims = [
            (storage if i % 2 else other_storage).claim_idempotency_key("p", key, "fp", T0, later)
            for i in range(8)
        ]
        results = await asyncio.gather(*claims)
        assert sum(result is None for result in results) == 1, results
        assert all(result is None or result.state == "in_flight" for result in results)


async def test_compare_and_set_on_version(
    storage: SQLStorage, other_storage: SQLStorage, owner: User
) -> None:
    job = make_job(owner)
    await storage.insert_job(job)
    later = T0 + timedelta(seconds=1)
    results = await asyncio.gather(
        *[
            reschedule(store, job, later, check_version=True, labels={"writer": str(i)})
            for i, store in enumerate([storage, other_storage, storage, other_storage])
        ]
    )
    assert len([r for r in results if r is not None]) == 1  # the others saw a newer version
    assert await reschedule(storage, job, later, check_version=True, priority=1) is None
    cancelled = await cancel(storage, job.id, at=later + timedelta(seconds=1))
    assert await storage.delete_job(job.id, [JobStatus.CANCELLED], T0, updated_at_was=later) is False
    done = cancelled.updated_at
    assert await storage.delete_job(job.id, [JobStatus.CANCELLED], T0, updated_at_was=done) is True


async def test_insert_jobs_is_all_or_nothing(storage: SQLStorage, owner: User) -> None:
    batch = [make_job(owner, labels={"shard": str(i), "run": "n"}) for i in range(50)]
    await storage.insert_jobs(batch)
    stored = await storage.list_jobs(JobQuery(limit=100, labels=(("run", "n"),), descending=False))
    assert {job.id for job in stored} == {job.id for job in batch}
    assert {job.id: job.labels for job in stored} == {job.id: job.labels for job in batch}
    # one bad row (a duplicate id) and none of the batch is kept
    fresh = [make_job(owner, queue="atomic") for _ in range(3)]
    with pytest.raises(Exception):  # noqa: B017 - each driver raises its own IntegrityError
        await storage.insert_jobs([*fresh, batch[0]])
    assert await storage.list_jobs(JobQuery(limit=10, queue="atomic")) == []
    await storage.insert_jobs([])


async def test_list_by_ids(storage: SQLStorage, owner: User) -> None:
    jobs = [make_job(owner) for _ in range(4)]
    await storage.insert_jobs(jobs)
    wanted = frozenset({jobs[0].id, jobs[2].id, new_id()})
    found = await storage.list_jobs(JobQuery(limit=10, ids=wanted))
    assert {job.id for job in found} == {jobs[0].id, jobs[2].id}


async def test_a_batch_of_transitions_moves_only_those_that_still_hold(
    storage: SQLStorage, owner: User
) -> None:
    jobs = [make_job(owner) for _ in range(4)]
    await storage.insert_jobs(jobs)
    assert await claim_job(storage, jobs[1].id, 1, "w", T0, T0 + timedelta(seconds=30)) is not None
    moves = [states.cancel(job, "bulk", T0) for job in jobs]
    moves[3] = states.cancel(dataclasses.replace(jobs[3], attempt=7), "bulk", T0)  # another attempt
    moved = await storage.transition(moves, T0)
    assert [job.id for job in moved] == [jobs[0].id, jobs[2].id]
    assert all(job.status is JobStatus.CANCELLED and job.error == "bulk" for job in moved)
    assert [(await storage.get_job(job.id)).status for job in jobs] == [
        JobStatus.CANCELLED,
        JobStatus.RUNNING,
        JobStatus.CANCELLED,
        JobStatus.PENDING,
    ]
    assert await storage.transition([], T0) == []


async def test_concurrent_update_jobs_split_the_jobs(
    storage: SQLStorage, other_storage: SQLStorage, owner: User
) -> None:
    jobs = [make_job(owner) for _ in range(20)]
    await storage.insert_jobs(jobs)
    results = await asyncio.gather(
        storage.transition([states.cancel(job, "a", T0) for job in jobs], T0),
        other_storage.transition([states.cancel(job, "b", T0) for job in reversed(jobs)], T0),
    )
    ids = [[job.id for job in moved] for moved in results]
    assert sorted(ids[0] + ids[1]) == sorted(job.id for job in jobs)  # each moved exactly once
    for job_id in ids[0]:
        assert (await storage.get_job(job_id)).error == "a"
    events, _ = await storage.list_events(EventQuery(types=frozenset({"job.cancelled"}), limit=100))
    assert sorted(e.subject_id for e in events) == sorted(job.id for job in jobs)  # one each
