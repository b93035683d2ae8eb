"""Events nobody's request makes: a queue's depth changed, a worker went stale or offline.

Every server process runs an Announcer; each announcement is a compare-and-set in storage, so
one process wins it and the event is written once. Queue depth is announced at most once a second
per queue, for the queues whose jobs moved since the last look (the hub tells which)."""

from __future__ import annotations

from datetime import timedelta

from baton.backends.storage import StorageBackend
from baton.eventhub import EventHub
from baton.eventtypes import depth_event, worker_event
from baton.models import Event
from baton.timeutil import utcnow
from baton.workers import OFFLINE_AFTER_INTERVALS, ONLINE_WITHIN_INTERVALS, worker_status

__all__ = ["DEPTH_INTERVAL_SECONDS", "Announcer"]

DEPTH_INTERVAL_SECONDS = 1.0
_TOUCHED_LIMIT = 10_000  # queues remembered between looks (more: look at them all next time)


class Announcer:
    def __init__(self, storage: StorageBackend, hub: EventHub, heartbeat_interval: float) -> None:
        self.storage = storage
        self.heartbeat_interval = heartbeat_interval
        self._touched: set[str] = set()
        # only job events change depths; the subscription never overflows (it only records names)
        self._subscription = hub.subscribe(self._note, buffer=1)

    def _note(self, event: Event) -> bool:
        if event.subject_type == "job" and event.queue is not None and len(self._touched) < _TOUCHED_LIMIT:
            self._touched.add(event.queue)
        return False  # nothing is queued: the names are all it needs

    def close(self) -> None:
        self._subscription.close()

    async def announce_once(self) -> int:
        """Announce what changed; returns how many events this process wrote."""
        return await self.announce_depths() + await self.announce_worker_statuses()

    async def announce_depths(self) -> int:
        if not self._touched:
            return 0
        queues, self._touched = sorted(self._touched), set()
        now = utcnow()
        not_before = now - timedelta(seconds=DEPTH_INTERVAL_SECONDS)
        written = 0
        for queue, (pending, running) in (await self.storage.queue_depths(queues)).items():
            event = depth_event(queue, pending, running, now)
            result = await self.storage.announce_depth(queue, pending, running, now, not_before, event)
            if result == "announced":
                written += 1
            elif result == "later":  # announced less than a second ago: look again next time
                self._touched.add(queue)
        return written

    async def announce_worker_statuses(self) -> int:
        now = utcnow()
        interval = self.heartbeat_interval
        online_after = now - timedelta(seconds=ONLINE_WITHIN_INTERVALS * interval)
        offline_before = now - timedelta(seconds=OFFLINE_AFTER_INTERVALS * interval)
        written = 0
        for worker, reported in await self.storage.workers_to_announce(online_after, offline_before):
            status = worker_status(worker.last_heartbeat_at, now, interval)
            event = worker_event(worker, f"worker.{status}", now, status=status)
            if await self.storage.announce_worker_status(worker.id, reported, status, event):
                written += 1
        return written
