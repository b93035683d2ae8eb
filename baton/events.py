"""Reading the event log: the list with its long poll, the streams (SSE and the WebSocket), and
who may see what. Every reader sees exactly what it may read through the REST API: job events
with `jobs:read` (a member: their own jobs'), queue events with `jobs:read`, worker events with
`workers:read`."""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import orjson

from baton.backends.storage import EventQuery, StorageBackend
from baton.errors import BatonError
from baton.eventhub import DEFAULT_BUFFER, PAGE, EventHub, event_matcher, follow_batches
from baton.eventtypes import visible_subjects
from baton.models import Event, Principal
from baton.timeutil import isoformat, utcnow

__all__ = [
    "EventFilters",
    "EventService",
    "Gone",
    "event_json",
    "event_view",
    "reader_query",
    "until_revoked",
]


class Gone(BatonError):
    status, code, title = 410, "EVENT_CURSOR_EXPIRED", "Gone"


@dataclass(frozen=True)
class EventFilters:
    types: Sequence[str] = ()  # exact types, or prefixes ending in "."
    job_id: str | None = None
    queue: str | None = None
    worker_id: str | None = None


def event_view(event: Event) -> dict[str, Any]:
    return {
        "id": event.id,
        "type": event.type,
        "at": isoformat(event.at),
        "subject_type": event.subject_type,
        "subject_id": event.subject_id,
        "queue": event.queue,
        "worker_id": event.worker_id,
        "data": event.data,
    }


def event_json(event: Event) -> bytes:
    """event_view() as JSON, encoded once per event and process: a live event goes to every
    stream of the process, and encoding it for each would cost more than sending it."""
    if event.encoded is None:
        event.encoded = orjson.dumps(event_view(event))
    return event.encoded


def reader_query(
    principal: Principal, filters: EventFilters, *, after: int = 0, limit: int = 100
) -> EventQuery:
    """A reader's filters and visibility as one query (readers of the API, and webhooks, which
    read as their owner)."""
    types = {t for t in filters.types if not t.endswith(".")}
    prefixes = {t for t in filters.types if t.endswith(".")}
    return EventQuery(
        after=after,
        limit=limit,
        types=frozenset(types),
        prefixes=frozenset(prefixes),
        job_id=filters.job_id.lower() if filters.job_id else None,
        queue=filters.queue,
        worker_id=filters.worker_id.lower() if filters.worker_id else None,
        subject_types=visible_subjects(principal.scopes),
        owner_id=None if principal.sees_all_jobs else principal.user_id,
        webhook_owner_id=None if principal.sees_all_webhooks else principal.user_id,
    )


class EventService:
    def __init__(
        self, storage: StorageBackend, hub: EventHub, retention_hours: int, buffer: int = DEFAULT_BUFFER
    ) -> None:
        self.storage = storage
        self.hub = hub
        self.retention_hours = retention_hours
        self.buffer = buffer  # events queued per stream before a slow reader is cut off

    def query(
        self, principal: Principal, filters: EventFilters, *, after: int = 0, limit: int = 100
    ) -> EventQuery:
        return reader_query(principal, filters, after=after, limit=limit)

    async def check_position(self, after: int) -> None:
        """410 when events after `after` were purged already (ids are gap-free: the oldest kept
        one must be at most after + 1)."""
        oldest, last = await self.storage.event_bounds()
        if after >= last:
            return
        if oldest is None or oldest > after + 1:
            kept = f"the oldest kept is {oldest}" if oldest is not None else "none is kept"
            raise Gone(
                f"Events after {after} are no longer kept ({kept}); list the resources again and "
                "follow from the newest event"
            )

    async def list(
        self,
        principal: Principal,
        filters: EventFilters,
        *,
        after: int | None,
        limit: int,
        wait_seconds: int = 0,
    ) -> tuple[list[Event], int, bool]:
        """(events, the id to read on from, whether more may follow at once)."""
        if after is None:
            oldest, _ = await self.storage.event_bounds()
            after = max(0, (oldest or 1) - 1)
        else:
            await self.check_position(after)
        query = self.query(principal, filters, after=after, limit=limit)
        deadline = time.monotonic() + wait_seconds
        while True:
            events, scanned = await self.storage.list_events(query)
            remaining = deadline - time.monotonic()
            if events or remaining <= 0:
                return events, scanned, len(events) >= limit
            # nothing yet: wait for the hub to read past what was scanned, then look again
            query = dataclasses.replace(query, after=scanned)
            await self.hub.wait_past(scanned, remaining)

    async def stream(
        self, principal: Principal, filters: EventFilters, after: int | None, batch: int = PAGE
    ) -> AsyncIterator[list[Event]]:
        """Matching events after `after` (None: from now on), forever, in id order and in lists
        of at most `batch` (as many as are waiting); raises Overflow when the reader falls
        behind, Gone when `after` was purged."""
        if after is not None:
            await self.check_position(after)
        query = self.query(principal, filters)
        matches = event_matcher(query)
        async for events in follow_batches(self.hub, query, matches, after, self.buffer, batch):
            yield events

    async def purge(self) -> int:
        return await self.storage.purge_events(utcnow() - timedelta(hours=self.retention_hours))


async def until_revoked(check: Any, principal: Principal, every: float) -> str:
    """Wait until the credential stops holding; return why (a problem code)."""
    while True:
        await asyncio.sleep(every)
        reason = await check(principal)
        if reason is not None:
            return reason
