"""The storage contract: every StorageBackend method and every state transition, run against
SQLite, MariaDB and PostgreSQL (the `database_url` fixture is parametrized over all three)."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import pytest
from baton.backends.storage import JobQuery
from baton.backends.storage.sql import SQLStorage

from baton.models import Execution, ExecutionStatus, Job, JobStatus, Role, User
from baton.timeutil import new_id, utcnow

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
    assert await storage.update_job(job.id, statuses=[JobStatus.RUNNING], priority=1) is None
    assert await storage.update_job(job.id, statuses=[JobStatus.PENDING], attempt=3, priority=1) is None
    moved = await storage.update_job(job.id, statuses=[JobStatus.PENDING], attempt=0, priority=1)
    assert moved is not None and moved.priority == 1
    # writing the values a row already has still counts as a match (MySQL reports changed rows)
    assert await storage.update_job(job.id, statuses=[JobStatus.PENDING], priority=1) is not None


async def test_concurrent_compare_and_set_has_one_winner(
    storage: SQLStorage, other_storage: SQLStorage, owner: User
) -> None:
    for _ in range(5):
        job = make_job(owner)
        await storage.insert_job(job)
        results = await asyncio.gather(
            *[
                store.update_job(
                    job.id, statuses=[JobStatus.PENDING], status=JobStatus.CANCELLED, error=f"by {i}"
                )
                for i, store in enumerate([storage, other_storage, storage, other_storage])
            ]
        )
        winners = [r for r in results if r is not None]
        assert len(winners) == 1
        assert (await storage.get_job(job.id)).error == winners[0].error


async def test_promote_due(storage: SQLStorage, owner: User) -> None:
    due = make_job(owner, status=JobStatus.SCHEDULED, run_at=T0)
    later = make_job(owner, status=JobStatus.SCHEDULED, run_at=T0 + timedelta(hours=1))
    await storage.insert_job(due)
    await storage.insert_job(later)
    assert await storage.promote_due(T0 + timedelta(seconds=1)) == 1
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
    claimed = await storage.claim_pending(2, "w1", now, lease)
    assert [j.id for j in claimed] == [high_early.id, high_late.id]
    assert all(j.status is JobStatus.RUNNING and j.attempt == 1 and j.worker == "w1" for j in claimed)
    assert claimed[0].lease_expires_at == lease and claimed[0].started_at == now
    [execution] = await storage.list_executions(high_early.id, 0, 10)
    assert (execution.attempt, execution.status, execution.worker) == (1, ExecutionStatus.RUNNING, "w1")
    assert [j.id for j in await storage.claim_pending(5, "w1", now, lease)] == [low.id]
    assert await storage.claim_pending(5, "w1", now, lease) == []  # the future job is not due


async def test_concurrent_claimers_never_share_a_job(
    storage: SQLStorage, other_storage: SQLStorage, owner: User
) -> None:
    jobs = [make_job(owner, created_at=T0 + timedelta(microseconds=i)) for i in range(30)]
    for job in jobs:
        await storage.insert_job(job)
    now = T0 + timedelta(seconds=1)

    async def claim_all(store: SQLStorage, worker: str) -> list[str]:
        got: list[str] = []
        while batch := await store.claim_pending(4, worker, now, now + timedelta(seconds=30)):
            got += [j.id for j in batch]
        return got

    a, b, c = await asyncio.gather(
        claim_all(storage, "a"), claim_all(other_storage, "b"), claim_all(storage, "c")
    )
    assert sorted(a + b + c) == sorted(j.id for j in jobs)  # every job once, none twice
    for job in jobs:
        assert len(await storage.list_executions(job.id, 0, 10)) == 1


async def test_finish_attempt_is_fenced_by_attempt(storage: SQLStorage, owner: User) -> None:
    await storage.insert_job(make_job(owner))
    [job] = await storage.claim_pending(1, "w1", T0, T0 + timedelta(seconds=30))
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
    stale = await storage.finish_attempt(job.id, 2, {"status": JobStatus.COMPLETED}, outcome)
    assert stale is None and (await storage.get_job(job.id)).status is JobStatus.RUNNING
    moved = await storage.finish_attempt(job.id, 1, {"status": JobStatus.COMPLETED, "exit_code": 0}, outcome)
    assert moved is not None and moved.status is JobStatus.COMPLETED
    [execution] = await storage.list_executions(job.id, 0, 10)
    assert execution.stdout == big and execution.stdout_truncated is True
    assert execution.status is ExecutionStatus.COMPLETED and execution.finished_at == T0 + timedelta(
        seconds=1
    )


async def test_late_report_keeps_outputs_but_not_status(storage: SQLStorage, owner: User) -> None:
    await storage.insert_job(make_job(owner))
    [job] = await storage.claim_pending(1, "w1", T0, T0 + timedelta(seconds=30))
    await storage.update_job(job.id, statuses=[JobStatus.RUNNING], status=JobStatus.CANCELLED)
    await storage.mark_execution(
        job.id, 1, status=ExecutionStatus.CANCELLED, finished_at=T0, error="cancelled"
    )
    late = Execution(
        job.id, 1, ExecutionStatus.COMPLETED, "w1", T0, finished_at=T0, exit_code=0, stdout="out"
    )
    assert await storage.finish_attempt(job.id, 1, {"status": JobStatus.COMPLETED}, late) is None
    [execution] = await storage.list_executions(job.id, 0, 10)
    assert execution.status is ExecutionStatus.CANCELLED and execution.stdout == "out"


async def test_leases(storage: SQLStorage, owner: User) -> None:
    for _ in range(3):
        await storage.insert_job(make_job(owner))
    a, b, c = await storage.claim_pending(3, "w1", T0, T0 + timedelta(seconds=5))
    await storage.update_job(c.id, statuses=[JobStatus.RUNNING], worker="w2")
    alive = await storage.renew_leases({a.id: 1, b.id: 7, c.id: 1}, "w1", T0 + timedelta(seconds=60))
    assert alive == {a.id}  # b: another attempt; c: another worker
    expired = await storage.expired_leases(T0 + timedelta(seconds=10), 10)
    assert {j.id for j in expired} == {b.id, c.id}
    assert await storage.renew_leases({}, "w1", T0) == set()


async def test_delete_only_in_given_states_and_cascades(storage: SQLStorage, owner: User) -> None:
    await storage.insert_job(make_job(owner))
    [job] = await storage.claim_pending(1, "w1", T0, T0 + timedelta(seconds=30))
    assert await storage.delete_job(job.id, [JobStatus.COMPLETED]) is False
    await storage.update_job(job.id, statuses=[JobStatus.RUNNING], status=JobStatus.COMPLETED)
    assert await storage.delete_job(job.id, [JobStatus.COMPLETED]) is True
    assert await storage.get_job(job.id) is None
    assert await storage.list_executions(job.id, 0, 10) == []


async def test_executions_page_by_attempt(storage: SQLStorage, owner: User) -> None:
    await storage.insert_job(make_job(owner, max_retries=5))
    job_id = None
    for attempt in range(1, 4):
        [job] = await storage.claim_pending(1, "w1", T0, T0 + timedelta(seconds=30))
        job_id = job.id
        done = Execution(job.id, attempt, ExecutionStatus.FAILED, "w1", T0, finished_at=T0, exit_code=1)
        await storage.finish_attempt(job.id, attempt, {"status": JobStatus.PENDING}, done)
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
    await storage.update_job(a.id, statuses=[JobStatus.PENDING], labels={"env": "staging"})
    assert await ids(labels=(("env", "staging"),)) == {a.id}
    assert await ids(labels=(("team", "data"),)) == {c.id}
    await storage.update_job(c.id, statuses=[JobStatus.PENDING], status=JobStatus.CANCELLED)
    await storage.delete_job(c.id, [JobStatus.CANCELLED])
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
            store.update_job(
                job.id,
                statuses=[JobStatus.PENDING],
                updated_at_was=T0,
                updated_at=later,
                labels={"writer": str(i)},
            )
            for i, store in enumerate([storage, other_storage, storage, other_storage])
        ]
    )
    assert len([r for r in results if r is not None]) == 1  # the others saw a newer version
    stale = await storage.update_job(job.id, statuses=[JobStatus.PENDING], updated_at_was=T0, priority=1)
    assert stale is None
    await storage.update_job(job.id, statuses=[JobStatus.PENDING], status=JobStatus.CANCELLED)
    assert await storage.delete_job(job.id, [JobStatus.CANCELLED], updated_at_was=T0) is False
    assert await storage.delete_job(job.id, [JobStatus.CANCELLED], updated_at_was=later) is True


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


async def test_update_jobs_moves_only_those_that_still_match(storage: SQLStorage, owner: User) -> None:
    jobs = [make_job(owner) for _ in range(4)]
    await storage.insert_jobs(jobs)
    await storage.update_job(jobs[1].id, statuses=[JobStatus.PENDING], status=JobStatus.COMPLETED)
    expected = [(job.id, JobStatus.PENDING, 0) for job in jobs]
    expected[3] = (jobs[3].id, JobStatus.PENDING, 7)  # another attempt: no match
    moved = await storage.update_jobs(expected, status=JobStatus.CANCELLED, error="bulk")
    assert moved == [jobs[0].id, jobs[2].id]
    assert [(await storage.get_job(job.id)).status for job in jobs] == [
        JobStatus.CANCELLED,
        JobStatus.COMPLETED,
        JobStatus.CANCELLED,
        JobStatus.PENDING,
    ]


async def test_concurrent_update_jobs_split_the_jobs(
    storage: SQLStorage, other_storage: SQLStorage, owner: User
) -> None:
    jobs = [make_job(owner) for _ in range(20)]
    await storage.insert_jobs(jobs)
    expected = [(job.id, JobStatus.PENDING, 0) for job in jobs]
    results = await asyncio.gather(
        storage.update_jobs(expected, status=JobStatus.CANCELLED, error="a"),
        other_storage.update_jobs(list(reversed(expected)), status=JobStatus.CANCELLED, error="b"),
    )
    assert sorted(results[0] + results[1]) == sorted(job.id for job in jobs)  # each moved exactly once
    for job_id in results[0]:
        assert (await storage.get_job(job_id)).error == "a"
