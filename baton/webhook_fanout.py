"""Fan-out from the event log to webhooks: which events each webhook gets, the message each becomes,
and the loop that queues them.

Every server process runs a Fanout. It reads the log after the cursor of each enabled webhook and
queues one delivery per matching (webhook, event), moving the webhook's cursor in the same
transaction by compare-and-set: whichever process gets there first queues the events, once. One
transaction per page of the log covers every webhook.

A webhook reads as its owner, with the owner's role as it is now: a member's webhook only ever
gets the events the member could read through the API (their own jobs', their own webhooks'),
a disabled owner's gets nothing. `webhook.test` goes only to the webhook it tests (its own request
queues it)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from datetime import datetime
from typing import Any

import orjson

from baton.backends.storage import EventQuery, StorageBackend
from baton.eventhub import EventHub, event_matcher
from baton.events import EventFilters, event_view, reader_query
from baton.models import Event, Principal, Role, Webhook
from baton.timeutil import new_id, utcnow
from baton.webhook_signing import MAX_PAYLOAD_BYTES

__all__ = ["Fanout", "message_id", "message_row", "webhook_matcher"]

PAGE = 500
GATHER_SECONDS = 0.05  # a pass waits this long after the first event that woke it


def message_id(webhook_id: str, event_id: int) -> str:
    """`webhook-id`: stable per (webhook, event), so every attempt and replay carries the same."""
    return f"msg_{event_id}_{webhook_id.replace('-', '')}"


def message_row(webhook_id: str, event: Event, now: datetime, **overrides: Any) -> dict[str, Any]:
    """A delivery row for the event: its body is the event as the log's API shows it."""
    body = orjson.dumps(event_view(event)).decode()
    row: dict[str, Any] = {
        "id": new_id(),
        "webhook_id": webhook_id,
        "event_id": event.id,
        "event_type": event.type,
        "message_id": message_id(webhook_id, event.id),
        "body": body,
        "status": "pending",
        "attempts": 0,
        "retry_base": 0,
        "next_attempt_at": now,
        "created_at": now,
    }
    if len(body.encode()) > MAX_PAYLOAD_BYTES:  # events are small; this one cannot go out
        row.update(status="failed", next_attempt_at=None, last_error="the event is over the payload cap")
    row.update(overrides)
    return row


def webhook_matcher(webhook: Webhook, owner_role: Role | None) -> Callable[[Event], bool]:
    """Whether an event goes to the webhook: its types and filters, read as its owner."""
    if owner_role is None:
        return lambda event: False
    owner = Principal(webhook.owner_id, webhook.owner, owner_role, session_id=None)
    filters = webhook.filters
    visible = event_matcher(
        reader_query(owner, EventFilters(types=tuple(webhook.event_types), queue=filters.get("queue")))
    )
    labels = filters.get("labels") or {}
    job_owner = filters.get("owner")

    def matches(event: Event) -> bool:
        if event.type == "webhook.test" or not visible(event):
            return False
        if labels or job_owner:
            if event.subject_type != "job":
                return False
            if job_owner is not None and event.data.get("owner") != job_owner:
                return False
            have = event.data.get("labels") or {}
            return all(have.get(key) == value for key, value in labels.items())
        return True

    return matches


class Fanout:
    def __init__(self, storage: StorageBackend, hub: EventHub, queued: Callable[[], None]) -> None:
        self.storage = storage
        self.hub = hub
        self.queued = queued  # tells the delivery loop there is something to send
        self._wake = asyncio.Event()
        # only a wake-up: the events are read from the database, in order, by the cursors
        self._subscription = hub.subscribe(self._note, buffer=1)

    def _note(self, event: Event) -> bool:
        self._wake.set()
        return False

    def close(self) -> None:
        self._subscription.close()

    async def wait(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):  # not wait_for: see EventHub.wait_past
                await self._wake.wait()
                # let the events of a busy moment gather: a pass costs a read even with no
                # webhook at all, and the hub woke it for every commit (~3 % of a server's CPU
                # running trivial jobs, py-spy)
                await asyncio.sleep(GATHER_SECONDS)
        self._wake.clear()

    async def fanout_once(self) -> int:
        """Queue what every enabled webhook is behind on; returns how many deliveries were queued."""
        # as far as this process's hub has read: all committed; a later event wakes the next pass
        head = self.hub.position
        behind = await self.storage.webhooks_behind(head)
        if not behind:
            return 0
        cursors = {webhook.id: webhook.cursor for webhook, _ in behind}
        matchers = {webhook.id: webhook_matcher(webhook, role) for webhook, role in behind}
        position = min(cursors.values())
        queued = 0
        while position < head and cursors:
            page, scanned = await self.storage.list_events(EventQuery(after=position, limit=PAGE, up_to=head))
            now = utcnow()
            moves = []
            for webhook_id, cursor in cursors.items():
                if cursor < scanned:
                    matching = [e for e in page if e.id > cursor and matchers[webhook_id](e)]
                    moves.append((webhook_id, cursor, [message_row(webhook_id, e, now) for e in matching]))
            moved = await self.storage.queue_deliveries(moves, scanned)
            for webhook_id, _, rows in moves:
                if webhook_id in moved:
                    cursors[webhook_id] = scanned
                    queued += len(rows)
                else:
                    del cursors[webhook_id]  # another process is on it
            position = scanned
        if queued:
            self.queued()
        return queued
