"""One reader of the event log per process, fanning new events out to its subscribers (streams,
the WebSocket, the depth announcer, webhooks), and `follow()`: a subscriber's view of the log
from any position, with no gap and no duplicate between its past (read from the database) and
its live part (from the hub).

The database is the truth. The hub reads events in id order from the position it has reached; it
is woken when this process commits events, when another process signals (PostgreSQL NOTIFY,
Redis pub/sub: backends/signals.py) and, whatever else happens, by a short poll. Ids are
gap-free and commit in order (backends/storage/events.py), so reading on from a position misses
nothing.

Each subscriber has a bounded queue: one that cannot keep up is cut off (`Overflow`) instead of
growing the server's memory; it resumes from its last event id, reading the database."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
from collections.abc import AsyncIterator, Callable

from baton.backends.storage import EventQuery, StorageBackend
from baton.eventtypes import OWNED_SUBJECTS
from baton.models import Event

__all__ = ["EventHub", "Overflow", "Subscription", "being_cancelled", "event_matcher", "follow"]

log = logging.getLogger(__name__)

PAGE = 500
DEFAULT_BUFFER = 1000  # events queued per subscriber before it is cut off


def being_cancelled() -> bool:
    """Whether the running task was asked to stop: a loop that retries on errors must not retry
    then (a cancel arriving mid-statement can surface as the driver's error)."""
    task = asyncio.current_task()
    return task is not None and task.cancelling() > 0


class Overflow(Exception):
    """The subscriber fell more than its buffer behind; it must resume from its last event id."""


class Subscription:
    def __init__(self, hub: EventHub, matches: Callable[[Event], bool], buffer: int) -> None:
        self.hub = hub
        self.matches = matches
        self.start = hub.position  # every event after this reaches the queue (or overflows it)
        self.queue: asyncio.Queue[Event] = asyncio.Queue(buffer)
        self.overflowed = False

    def offer(self, event: Event) -> None:
        if self.overflowed or not self.matches(event):
            return
        try:
            self.queue.put_nowait(event)
        except asyncio.QueueFull:
            self.overflowed = True
            # drop what is queued: the subscriber resumes from the database anyway
            while not self.queue.empty():
                self.queue.get_nowait()
            self.queue.put_nowait(None)  # type: ignore[arg-type]  # wakes a waiting get()

    async def get(self) -> Event:
        event = await self.queue.get()
        if self.overflowed:
            raise Overflow
        return event

    def close(self) -> None:
        self.hub.unsubscribe(self)

    def __enter__(self) -> Subscription:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class EventHub:
    def __init__(self, storage: StorageBackend, poll_seconds: float) -> None:
        self.storage = storage
        self.poll_seconds = poll_seconds
        self.position = 0  # the last event id read from the log
        self._subscribers: set[Subscription] = set()
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._advanced = asyncio.Condition()

    async def start(self) -> None:
        self.position = await self.storage.last_event_id()
        self._task = asyncio.create_task(self._run(), name="baton-event-hub")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def wake(self, _last_id: int | None = None) -> None:
        """Something was committed (here, or in another process): read the log now."""
        self._wake.set()

    def subscribe(self, matches: Callable[[Event], bool], buffer: int = DEFAULT_BUFFER) -> Subscription:
        subscription = Subscription(self, matches, buffer)
        self._subscribers.add(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        self._subscribers.discard(subscription)

    @property
    def subscribers(self) -> int:
        return len(self._subscribers)

    async def wait_past(self, position: int, seconds: float) -> None:
        """Return when the hub has read past `position`, or after `seconds`."""
        # asyncio.timeout, not wait_for: on 3.11 wait_for can swallow a cancel that arrives as
        # the awaited thing completes, and a stop would then wait forever
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds), self._advanced:
                await self._advanced.wait_for(lambda: self.position > position)

    async def _run(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.poll_seconds):  # not wait_for: see wait_past()
                    await self._wake.wait()
            self._wake.clear()
            try:
                await self._read()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the database may be away for a while: try again later
                if being_cancelled():
                    raise asyncio.CancelledError from exc  # a stop, surfacing as a driver error
                log.warning("event hub: %s: %s", type(exc).__name__, exc)
                await asyncio.sleep(min(1.0, self.poll_seconds * 4))

    async def _read(self) -> None:
        while True:
            page, scanned = await self.storage.list_events(EventQuery(after=self.position, limit=PAGE))
            for event in page:
                for subscription in list(self._subscribers):
                    subscription.offer(event)
            if scanned > self.position:
                self.position = scanned
                async with self._advanced:
                    self._advanced.notify_all()
            if len(page) < PAGE:
                return


async def follow(
    hub: EventHub,
    query: EventQuery,
    matches: Callable[[Event], bool],
    after: int | None,
    buffer: int = DEFAULT_BUFFER,
) -> AsyncIterator[Event]:
    """The events `query` selects after `after` (None: from now on), forever: first those already
    in the log (read from the database), then live ones from the hub; raises Overflow when the
    reader falls more than `buffer` events behind. `matches` must select what `query` does."""
    with hub.subscribe(matches, buffer) as subscription:
        cursor = subscription.start if after is None else after
        while cursor < subscription.start:
            page_query = dataclasses.replace(query, after=cursor, up_to=subscription.start, limit=PAGE)
            page, scanned = await hub.storage.list_events(page_query)
            for event in page:
                yield event
            cursor = scanned
        while True:
            event = await subscription.get()
            if event.id > cursor:
                cursor = event.id
                yield event


def event_matcher(query: EventQuery) -> Callable[[Event], bool]:
    """The in-memory twin of EventQuery's filters (backends/storage/events.py `_filters`)."""

    def matches(event: Event) -> bool:
        if query.types or query.prefixes:
            if event.type not in query.types and not any(event.type.startswith(p) for p in query.prefixes):
                return False
        if query.job_id is not None and (event.subject_type != "job" or event.subject_id != query.job_id):
            return False
        if query.queue is not None and event.queue != query.queue:
            return False
        if query.worker_id is not None and event.worker_id != query.worker_id:
            return False
        if query.subject_types is not None and event.subject_type not in query.subject_types:
            return False
        if (
            query.owner_id is not None
            and event.subject_type in OWNED_SUBJECTS
            and event.owner_id != query.owner_id
        ):
            return False
        return not (
            query.webhook_owner_id is not None
            and event.subject_type == "webhook"
            and event.owner_id != query.webhook_owner_id
        )

    return matches
