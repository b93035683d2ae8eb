"""One reader of the event log per process, fanning new events out to its subscribers (streams,
the WebSocket, the depth announcer, webhooks), and `follow_batches()`: a subscriber's view of
the log from any position, with no gap and no duplicate between its past (read from the database) and
its live part (from the hub).

The database is the truth. The hub reads events in id order from the position it has reached; it
is woken when another process signals (PostgreSQL NOTIFY, Redis pub/sub: backends/signals.py)
and, whatever else happens, by a short poll. Ids are gap-free and commit in order
(backends/storage/events.py), so reading on from a position misses nothing. Events this process
committed are handed to the hub (`committed()`) and go out without a read when they follow on
from its position; a gap (another process's events in between) makes it read the log instead.

Each subscriber has a bounded queue: one that cannot keep up is cut off (`Overflow`) instead of
growing the server's memory; it resumes from its last event id, reading the database."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import logging
from collections import deque
from collections.abc import AsyncIterator, Callable, Hashable
from datetime import UTC

from baton.backends.storage import EventQuery, StorageBackend
from baton.eventtypes import OWNED_SUBJECTS
from baton.models import Event

__all__ = [
    "EventHub",
    "Overflow",
    "Subscription",
    "being_cancelled",
    "event_matcher",
    "follow_batches",
]

log = logging.getLogger(__name__)

PAGE = 500
DEFAULT_BUFFER = 1000  # events queued per subscriber before it is cut off
# past this many subscribers, the hub reads the log at most once per window: the first event
# after a quiet spell goes out at once, those that follow within the window together
# (bench/events.py, 500 sockets, 25 jobs/s: p50 150 -> 80 ms, p99 376 -> 181 ms, half the frames)
CROWD, CROWD_WINDOW_SECONDS = 64, 0.05


def being_cancelled() -> bool:
    """Whether the running task was asked to stop: a loop that retries on errors must not retry
    then (a cancel arriving mid-statement can surface as the driver's error)."""
    task = asyncio.current_task()
    return task is not None and task.cancelling() > 0


class Overflow(Exception):
    """The subscriber fell more than its buffer behind; it must resume from its last event id."""


class Subscription:
    """A subscriber's place in the hub: the events that matched and wait to be read (at most
    `buffer`; past it the subscriber is cut off). Subscriptions with the same `key` (the same
    filters and visibility) share one evaluation of `matches` per event: at hundreds of streams
    following the same events, matching each event for each one was most of the hub's work."""

    def __init__(
        self, hub: EventHub, matches: Callable[[Event], bool], buffer: int, key: Hashable | None
    ) -> None:
        self.hub = hub
        self.matches = matches
        self.key = key
        self.buffer = buffer
        self.start = hub.position  # every event after this is offered (or overflows the buffer)
        self.pending: deque[Event] = deque()
        self.overflowed = False
        self._waiter: asyncio.Future[None] | None = None

    def offer(self, events: list[Event]) -> None:
        """Queue events that matched (in id order)."""
        if self.overflowed or not events:
            return
        if len(self.pending) + len(events) > self.buffer:
            self.overflowed = True
            self.pending.clear()  # the subscriber resumes from the database anyway
        else:
            self.pending.extend(events)
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    async def get_batch(self, limit: int) -> list[Event]:
        """The next event and up to `limit` - 1 more already waiting: a sender that was busy
        catches up in one message instead of one per event. Raises Overflow when cut off."""
        while not self.pending and not self.overflowed:
            self._waiter = asyncio.get_running_loop().create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None
        if self.overflowed:
            raise Overflow
        count = min(limit, len(self.pending))
        return [self.pending.popleft() for _ in range(count)]

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
        self._local: deque[Event] = deque()  # committed here, not yet offered: ids follow on
        self._must_read = False

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
        """Something was committed (in another process, or unknown): read the log now."""
        self._must_read = True
        self._wake.set()

    def committed(self, events: list[Event]) -> None:
        """This process committed `events` (in id order): offer them without reading the log
        when they follow on from what the hub has (else read it: others committed in between).
        Each is offered as the log would return it, so a stream's resume sends the same bytes."""
        if not events:
            return
        tail = self._local[-1].id if self._local else self.position
        if events[0].id == tail + 1:
            self._local.extend(_as_stored(event) for event in events)
        elif events[-1].id > tail:
            self._must_read = True
        self._wake.set()

    def subscribe(
        self,
        matches: Callable[[Event], bool],
        buffer: int = DEFAULT_BUFFER,
        key: Hashable | None = None,
    ) -> Subscription:
        """`matches` selects the events offered (it may also just watch them); subscriptions with
        an equal `key` must select the same events: they share its answer."""
        subscription = Subscription(self, matches, buffer, key)
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
            polled = False
            try:
                async with asyncio.timeout(self.poll_seconds):  # not wait_for: see wait_past()
                    await self._wake.wait()
            except TimeoutError:
                polled = True
            self._wake.clear()
            must_read, self._must_read = self._must_read or polled, False
            try:
                before = self.position
                if not self._offer_local():
                    must_read = True
                if self.position > before:
                    await self._advance()
                if must_read:
                    await self._read()
                if len(self._subscribers) > CROWD:
                    # many streams: let events gather a moment, so each socket gets one frame for
                    # several of them instead of one per commit (a frame costs ~70 us of CPU)
                    await asyncio.sleep(CROWD_WINDOW_SECONDS)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the database may be away for a while: try again later
                if being_cancelled():
                    raise asyncio.CancelledError from exc  # a stop, surfacing as a driver error
                log.warning("event hub: %s: %s", type(exc).__name__, exc)
                self._must_read = True
                await asyncio.sleep(min(1.0, self.poll_seconds * 4))

    def _offer_local(self) -> bool:
        """Offer the events committed here that follow on from the position; False when some
        wait behind a gap (only the log has what is missing)."""
        local = self._local
        while local and local[0].id <= self.position:  # the log had them already
            local.popleft()
        if not local:
            return True
        if local[0].id != self.position + 1:
            return False
        page = list(local)
        local.clear()
        self._offer(page)
        self.position = page[-1].id
        return True

    async def _read(self) -> None:
        while True:
            page, scanned = await self.storage.list_events(EventQuery(after=self.position, limit=PAGE))
            self._offer(page)
            if scanned > self.position:
                self.position = scanned
                await self._advance()
            if len(page) < PAGE:
                return

    def _offer(self, page: list[Event]) -> None:
        if not page:
            return
        shared: dict[Hashable, list[Event]] = {}
        for subscription in list(self._subscribers):
            key = subscription.key
            if key is None:
                subscription.offer([e for e in page if subscription.matches(e)])
                continue
            matched = shared.get(key)
            if matched is None:
                matched = shared[key] = [e for e in page if subscription.matches(e)]
            subscription.offer(matched)

    async def _advance(self) -> None:
        async with self._advanced:
            self._advanced.notify_all()


def _as_stored(event: Event) -> Event:
    """A committed event as reading it back would give it: its own copy, its data through JSON
    (tuples become lists, keys strings), its time naive UTC."""
    at = event.at if event.at.tzinfo is None else event.at.astimezone(UTC).replace(tzinfo=None)
    return dataclasses.replace(event, at=at, data=json.loads(json.dumps(event.data)), encoded=None)


async def follow_batches(
    hub: EventHub,
    query: EventQuery,
    matches: Callable[[Event], bool],
    after: int | None,
    buffer: int = DEFAULT_BUFFER,
    batch: int = PAGE,
) -> AsyncIterator[list[Event]]:
    """The events `query` selects after `after` (None: from now on), forever, in id order and in
    non-empty lists of at most `batch`: first those already in the log (read from the database),
    then live ones from the hub, as many as are waiting; raises Overflow when the reader falls
    more than `buffer` events behind. `matches` must select what `query` does."""
    # the query with no position is the key: streams with the same filters share the matching
    key = dataclasses.replace(query, after=0, limit=0, up_to=None)
    with hub.subscribe(matches, buffer, key) as subscription:
        cursor = subscription.start if after is None else after
        while cursor < subscription.start:
            page_query = dataclasses.replace(query, after=cursor, up_to=subscription.start, limit=batch)
            page, scanned = await hub.storage.list_events(page_query)
            if page:
                yield page
            cursor = scanned
        while True:
            fresh = [e for e in await subscription.get_batch(batch) if e.id > cursor]
            if fresh:
                cursor = fresh[-1].id
                yield fresh


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
