"""Webhook storage on SQLite, MariaDB and PostgreSQL: racing fan-outs queue each event once, racing
claimers never take one delivery twice, an ordered endpoint hands out only its oldest undelivered
message, an expired lease makes a delivery claimable again (the same attempt), and a process that
lost its lease records nothing."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from baton.backends.storage.sql import SQLStorage

from baton.eventtypes import job_event, webhook_event
from baton.models import User, Webhook, WebhookAttempt
from baton.timeutil import new_id
from baton.webhook_fanout import message_row
from tests.contract.test_storage_contract import T0, make_job

NOW = T0 + timedelta(seconds=10)


def make_webhook(owner: User, *, parallel: bool = False) -> Webhook:
    return Webhook(
        id=new_id(), owner_id=owner.id, owner=owner.username, name="w", description="",
        url="https://hooks.example.com/x", event_types=["job."], filters={}, enabled=True,
        parallel=parallel, secret="whsec_x", created_at=T0, updated_at=T0,
    )  # fmt: skip


async def hook_with_messages(storage: SQLStorage, owner: User, count: int, **options: bool) -> Webhook:
    hook = make_webhook(owner, **options)
    await storage.insert_webhook(hook, webhook_event(hook, "webhook.created", T0))
    jobs = [make_job(owner) for _ in range(count)]
    await storage.insert_jobs(jobs)
    events = [job_event(job, "job.created", None, T0) for job in jobs]
    head = await storage.last_event_id()
    for offset, event in enumerate(events):
        event.id = head - count + 1 + offset
    moved = await storage.queue_deliveries(
        [(hook.id, hook.cursor, [message_row(hook.id, e, T0) for e in events])], head
    )
    assert moved == {hook.id}
    return hook


async def test_racing_fanouts_queue_each_event_once(
    storage: SQLStorage, other_storage: SQLStorage, owner: User
) -> None:
    hook = make_webhook(owner)
    await storage.insert_webhook(hook, webhook_event(hook, "webhook.created", T0))
    job = make_job(owner)
    await storage.insert_job(job)
    event = job_event(job, "job.created", None, T0)
    event.id = head = await storage.last_event_id()
    rows = lambda: [(hook.id, hook.cursor, [message_row(hook.id, event, T0)])]  # noqa: E731
    results = await asyncio.gather(
        storage.queue_deliveries(rows(), head), other_storage.queue_deliveries(rows(), head)
    )
    assert sorted(len(r) for r in results) == [0, 1]  # one moved the cursor, the other did nothing
    assert (await storage.get_webhook(hook.id)).cursor == head
    behind = await storage.webhooks_behind(head + 1)
    assert [w.id for w, _ in behind] == [hook.id]


async def test_racing_claimers_never_take_one_delivery_twice(
    storage: SQLStorage, other_storage: SQLStorage, owner: User
) -> None:
    await hook_with_messages(storage, owner, 30, parallel=True)
    lease = NOW + timedelta(seconds=30)
    taken: list[str] = []
    for _ in range(30):  # rounds of 8 racing claimers (on InnoDB a scan locks more than it takes)
        claims = await asyncio.gather(
            *[
                store.claim_deliveries(NOW, 5, f"claimer-{i}", lease, lambda _w, _p: True)
                for i, store in enumerate([storage, other_storage] * 4)
            ]
        )
        taken += [d.id for claim in claims for d, _ in claim]
        assert all(d.attempts == 1 and d.status == "delivering" for claim in claims for d, _ in claim)
        if len(taken) >= 30:
            break
    assert len(taken) == len(set(taken)) == 30


async def test_an_ordered_webhook_hands_out_its_oldest_message_only(storage: SQLStorage, owner: User) -> None:
    hook = await hook_with_messages(storage, owner, 3)
    lease = NOW + timedelta(seconds=30)
    [(first, _)] = await storage.claim_deliveries(NOW, 10, "a", lease, lambda _w, _p: True)
    assert await storage.claim_deliveries(NOW, 10, "b", lease, lambda _w, _p: True) == []  # in flight
    attempt = WebhookAttempt(first.id, 1, NOW, 503, None, 0.1, "busy", NOW + timedelta(seconds=5))
    changes = {"status": "pending", "next_attempt_at": NOW + timedelta(seconds=5)}
    assert await storage.finish_delivery(first.id, "a", attempt, changes, lambda w: ({}, []))
    assert await storage.claim_deliveries(NOW, 10, "b", lease, lambda _w, _p: True) == []  # waits its retry
    later = NOW + timedelta(seconds=6)
    [(again, _)] = await storage.claim_deliveries(
        later, 10, "b", later + timedelta(seconds=30), lambda _w, _p: True
    )
    assert again.id == first.id and again.attempts == 2
    done = {"status": "delivered", "next_attempt_at": None}
    attempt2 = WebhookAttempt(first.id, 2, later, 200, None, 0.1, "ok", None)
    assert await storage.finish_delivery(again.id, "b", attempt2, done, lambda w: ({}, []))
    [(second, _)] = await storage.claim_deliveries(
        later, 10, "c", later + timedelta(seconds=30), lambda _w, _p: True
    )
    assert second.event_id > first.event_id
    assert [a.attempt for a in await storage.list_attempts(first.id, 10)] == [1, 2]
    assert hook.id == second.webhook_id


async def test_an_expired_lease_is_claimed_again_and_the_old_holder_records_nothing(
    storage: SQLStorage, other_storage: SQLStorage, owner: User
) -> None:
    await hook_with_messages(storage, owner, 1)
    [(delivery, _)] = await storage.claim_deliveries(
        NOW, 1, "killed", NOW + timedelta(seconds=4), lambda _w, _p: True
    )
    assert (
        await other_storage.claim_deliveries(NOW + timedelta(seconds=3), 1, "x", NOW, lambda _w, _p: True)
        == []
    )
    after = NOW + timedelta(seconds=5)
    [(redo, _)] = await other_storage.claim_deliveries(
        after, 1, "survivor", after + timedelta(seconds=4), lambda _w, _p: True
    )
    assert redo.id == delivery.id and redo.attempts == delivery.attempts == 1  # the same attempt, made again
    attempt = WebhookAttempt(delivery.id, 1, NOW, 200, None, 0.1, None, None)
    done = {"status": "delivered", "next_attempt_at": None}
    assert await storage.finish_delivery(delivery.id, "killed", attempt, done, lambda w: ({}, [])) is False
    assert await other_storage.finish_delivery(delivery.id, "survivor", attempt, done, lambda w: ({}, []))
    assert (await storage.get_delivery(delivery.webhook_id, delivery.id)).status == "delivered"


async def test_a_disabled_webhook_hands_out_nothing_and_deleting_it_removes_its_log(
    storage: SQLStorage, owner: User
) -> None:
    hook = await hook_with_messages(storage, owner, 2, parallel=True)
    assert await storage.update_webhook(hook.id, {"enabled": False, "updated_at": NOW})
    assert await storage.claim_deliveries(NOW, 10, "a", NOW, lambda _w, _p: True) == []
    assert await storage.delete_webhook(hook.id, webhook_event(hook, "webhook.deleted", NOW))
    assert await storage.get_webhook(hook.id) is None
