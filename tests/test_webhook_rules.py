"""The rules of webhooks as pure functions: which events a webhook gets (types, filters, its owner's
visibility), the message id, when an endpoint is disabled, merge patches, and the spec's list of
event types a webhook can subscribe to."""

from __future__ import annotations

from datetime import datetime, timedelta

import yaml

from baton.eventtypes import EVENT_TYPES
from baton.models import Event, Role, Webhook
from baton.settings import Settings
from baton.webhook_fanout import message_id, message_row, webhook_matcher
from baton.webhook_retry import Outcome
from baton.webhook_worker import settle
from baton.webhooks import merge_patch
from tests.conftest import REPO

NOW = datetime(2026, 11, 29, 12, 0, 0)
OWNER = "0190a8a4-0000-7000-8000-000000000001"
OTHER = "0190a8a4-0000-7000-8000-000000000002"


def webhook(**fields: object) -> Webhook:
    values: dict = {
        "id": "0190a8a4-4a5e-7b51-9a4c-3f0f7d1e2a11", "owner_id": OWNER, "owner": "alice", "name": "w",
        "description": "", "url": "https://hooks.example.com/x", "event_types": ["job."], "filters": {},
        "enabled": True, "parallel": False, "secret": "whsec_x", "created_at": NOW, "updated_at": NOW,
    }  # fmt: skip
    values.update(fields)
    return Webhook(**values)


def job_event(owner_id: str = OWNER, owner: str = "alice", **data: object) -> Event:
    return Event(
        "job.created", "job", "j1", NOW, {"owner": owner, "labels": {}, **data}, queue="q", owner_id=owner_id
    )


def test_a_members_webhook_reads_as_the_member() -> None:
    matches = webhook_matcher(webhook(event_types=["job.", "worker.", "webhook."]), Role.MEMBER)
    assert matches(job_event())
    assert not matches(job_event(owner_id=OTHER, owner="bob"))  # another member's job
    assert not matches(Event("worker.online", "worker", "w1", NOW, {}))  # no workers:read
    assert matches(Event("webhook.created", "webhook", "h", NOW, {}, owner_id=OWNER))
    assert not matches(Event("webhook.created", "webhook", "h", NOW, {}, owner_id=OTHER))
    assert not matches(Event("webhook.test", "webhook", "h", NOW, {}, owner_id=OWNER))  # only its own
    manager = webhook_matcher(webhook(event_types=["job.", "webhook."]), Role.MANAGER)
    assert manager(job_event(owner_id=OTHER))  # a manager reads every job
    assert not manager(Event("webhook.created", "webhook", "h", NOW, {}, owner_id=OTHER))  # not webhooks
    assert not webhook_matcher(webhook(), None)(job_event())  # a disabled owner reads nothing


def test_types_and_filters() -> None:
    exact = webhook_matcher(webhook(event_types=["job.failed"]), Role.ADMIN)
    assert not exact(job_event()) and exact(Event("job.failed", "job", "j", NOW, {}, owner_id=OWNER))
    queue = webhook_matcher(webhook(filters={"queue": "q"}), Role.ADMIN)
    assert queue(job_event()) and not queue(Event("job.created", "job", "j", NOW, {}, queue="r"))
    labels = webhook_matcher(webhook(filters={"labels": {"team": "data"}}), Role.ADMIN)
    assert labels(job_event(labels={"team": "data", "x": "y"})) and not labels(
        job_event(labels={"team": "ops"})
    )
    owner = webhook_matcher(webhook(event_types=["job.", "queue."], filters={"owner": "bob"}), Role.ADMIN)
    assert owner(job_event(owner_id=OTHER, owner="bob")) and not owner(job_event())
    assert not owner(Event("queue.created", "queue", "q", NOW, {}, queue="q"))  # only job events


def test_the_message_id_is_stable_and_the_body_is_the_event() -> None:
    event = job_event()
    event.id = 42
    assert message_id("0190a8a4-4a5e-7b51-9a4c-3f0f7d1e2a11", 42) == "msg_42_0190a8a44a5e7b519a4c3f0f7d1e2a11"
    row = message_row("0190a8a4-4a5e-7b51-9a4c-3f0f7d1e2a11", event, NOW)
    assert row["message_id"] == message_id(row["webhook_id"], 42) and row["status"] == "pending"
    assert '"id":42' in row["body"] and '"type":"job.created"' in row["body"]
    huge = job_event(error="x" * 70_000)
    huge.id = 43
    assert message_row("w", huge, NOW)["status"] == "failed"  # over the payload cap: never sent


def test_an_endpoint_is_disabled_after_failing_messages_for_long_enough() -> None:
    settings = Settings.from_env({"BATON_WEBHOOK_DISABLE_AFTER_FAILURES": "3"})
    hook = webhook()
    changes, events = settle(hook, Outcome.RETRY, NOW, settings)
    assert changes == {"failing_since": NOW} and events == []
    failing = webhook(consecutive_failures=2, failing_since=NOW - timedelta(hours=2))
    changes, events = settle(failing, Outcome.FAILED, NOW, settings)
    assert changes == {"failing_since": failing.failing_since, "consecutive_failures": 3} and events == []
    day_long = webhook(consecutive_failures=2, failing_since=NOW - timedelta(days=1))
    changes, [event] = settle(day_long, Outcome.FAILED, NOW, settings)
    assert changes["enabled"] is False and changes["disabled_reason"].startswith("The last 3 messages failed")
    assert event.type == "webhook.disabled" and event.data["disabled_reason"] == changes["disabled_reason"]
    changes, [event] = settle(hook, Outcome.DISABLE, NOW, settings)
    assert "410 Gone" in changes["disabled_reason"]
    assert settle(day_long, Outcome.DELIVERED, NOW, settings) == (
        {"consecutive_failures": 0, "failing_since": None},
        [],
    )
    never = Settings.from_env({"BATON_WEBHOOK_DISABLE_AFTER_FAILURES": "0"})
    assert "enabled" not in settle(day_long, Outcome.FAILED, NOW, never)[0]


def test_merge_patch() -> None:
    target = {"queue": "q", "labels": {"a": "1", "b": "2"}}
    assert merge_patch(target, {"queue": None, "labels": {"a": None, "c": "3"}}) == {
        "labels": {"b": "2", "c": "3"}
    }
    assert merge_patch(target, {"labels": None}) == {"queue": "q"}


def test_the_spec_lists_every_type_a_webhook_can_subscribe_to() -> None:
    spec = yaml.safe_load((REPO / "openapi" / "baton.yaml").read_text())
    listed = set(spec["components"]["schemas"]["WebhookEventType"]["enum"])
    subscribable = EVENT_TYPES - {"webhook.test"}
    assert listed == subscribable | {t.split(".")[0] + "." for t in subscribable}
