"""Queues as this process last read them, for what a submitted job takes from its queue (its
default timeout and retries): a submit then costs no queue read.

Every change of a queue writes a `queue.*` event in its transaction; this process's commits and
its event hub (other processes' commits, within the hub's lag) hand them to `on_event`, which
drops the queue named. An absent queue is remembered too (as None) until `queue.created` for it.
Entries also expire after `ttl` seconds (BATON_QUEUE_CACHE_SECONDS) whatever happens, so a missed
event is bounded; 0 turns the cache off. The queue API itself always reads the database."""

from __future__ import annotations

from baton.authcache import Expiring
from baton.backends.storage import StorageBackend
from baton.models import Event, Queue

__all__ = ["QueueCache"]

_ABSENT = object()


class QueueCache:
    def __init__(self, storage: StorageBackend, ttl: float, size: int = 1000) -> None:
        self.storage = storage
        self.ttl = ttl
        self._queues: Expiring[str, Queue | object] = Expiring(ttl, size)
        # bumped by every drop: a read that began before one must not store what it read
        self._generation = 0

    async def get(self, name: str) -> Queue | None:
        found = self._queues.get(name) if self.ttl > 0 else None
        if found is not None:
            return None if found is _ABSENT else found  # type: ignore[return-value]
        generation = self._generation
        queue = await self.storage.get_queue(name)
        if self.ttl > 0 and generation == self._generation:
            self._queues.put(name, _ABSENT if queue is None else queue)
        return queue

    def on_event(self, event: Event) -> bool:
        """An EventHub subscriber: drop the queue an event changed; queues nothing."""
        if event.subject_type == "queue" and event.type != "queue.depth_changed":
            self._generation += 1
            self._queues.drop(event.subject_id)
        return False
