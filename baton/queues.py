"""Queues: definitions (limit, pause, job defaults) and their live figures."""

from __future__ import annotations

from typing import Any

from baton.backends.storage import StorageBackend
from baton.errors import Conflict, NotFound
from baton.models import Queue
from baton.pagination import decode_cursor, encode_cursor, invalid_cursor
from baton.timeutil import utcnow

__all__ = ["DEFAULT_QUEUE", "QueueService"]

DEFAULT_QUEUE = "default"
PATCHABLE = ("description", "max_concurrency", "default_timeout_seconds", "default_max_retries")


class QueueService:
    def __init__(self, storage: StorageBackend) -> None:
        self.storage = storage

    async def list(self, *, limit: int, cursor: str | None) -> tuple[list[Queue], str | None]:
        after = None
        if cursor:
            position = decode_cursor(cursor, "name")
            if len(position) != 1 or not isinstance(position[0], str) or len(position[0]) > 64:
                raise invalid_cursor()
            after = position[0]
        found = await self.storage.list_queues(limit + 1, after)
        if len(found) <= limit:
            return found, None
        found = found[:limit]
        return found, encode_cursor("name", [found[-1].name])

    async def get(self, name: str) -> Queue:
        queue = await self.storage.get_queue(name)
        if queue is None:
            raise NotFound(f"No queue {name!r}", code="QUEUE_NOT_FOUND")
        return queue

    async def create(self, body: dict[str, Any]) -> Queue:
        now = utcnow()
        queue = Queue(
            name=body["name"],
            description=body["description"],
            max_concurrency=body.get("max_concurrency"),
            default_timeout_seconds=body.get("default_timeout_seconds"),
            default_max_retries=body.get("default_max_retries"),
            paused=body["paused"],
            created_at=now,
            updated_at=now,
        )
        if not await self.storage.insert_queue(queue):
            raise Conflict(f"Queue {queue.name!r} already exists", code="QUEUE_EXISTS")
        return queue

    async def update(self, name: str, patch: dict[str, Any]) -> Queue:
        changes = {key: patch[key] for key in PATCHABLE if key in patch}
        if not changes:
            return await self.get(name)
        return await self._change(name, **changes)

    async def set_paused(self, name: str, paused: bool) -> Queue:
        return await self._change(name, paused=paused)

    async def _change(self, name: str, **changes: Any) -> Queue:
        queue = await self.storage.update_queue(name, utcnow(), **changes)
        if queue is None:
            raise NotFound(f"No queue {name!r}", code="QUEUE_NOT_FOUND")
        return queue

    async def delete(self, name: str) -> None:
        if name == DEFAULT_QUEUE:
            raise Conflict("The queue 'default' cannot be deleted", code="QUEUE_PROTECTED")
        if not await self.storage.delete_queue(name, utcnow()):
            raise NotFound(f"No queue {name!r}", code="QUEUE_NOT_FOUND")

    async def stats(self, name: str) -> dict[str, Any]:
        queue = await self.get(name)
        now = utcnow()
        figures = await self.storage.queue_stats(name, now)
        oldest = figures["oldest_pending_run_at"]
        return {
            "queue": queue.name,
            "paused": queue.paused,
            "max_concurrency": queue.max_concurrency,
            "running": figures["by_status"]["running"],
            "by_status": figures["by_status"],
            "oldest_pending_age_seconds": max(0.0, (now - oldest).total_seconds()) if oldest else None,
            "finished_last_minute": figures["finished_last_minute"],
        }

    async def job_defaults(self, names: set[str]) -> dict[str, Queue]:
        """The defined queues among `names`, for the defaults of jobs submitted to them."""
        found = {}
        for name in names:
            queue = await self.storage.get_queue(name)
            if queue is not None:
                found[name] = queue
        return found
