from __future__ import annotations

from typing import Any

from baton.conditional import created, representation
from baton.context import audit, services
from baton.queues import QueueService
from baton.views import page_view, queue_view

__all__ = [
    "create_queue",
    "delete_queue",
    "get_queue",
    "get_queue_stats",
    "list_queues",
    "pause_queue",
    "resume_queue",
    "update_queue",
]


def _queues() -> QueueService:
    return QueueService(services().storage)


async def list_queues(limit: int = 50, cursor: str | None = None):
    found, next_cursor = await _queues().list(limit=limit, cursor=cursor)
    return representation(page_view([queue_view(queue) for queue in found], limit, next_cursor))


async def create_queue(body: dict[str, Any]):
    queue = await _queues().create(body)
    return created(queue_view(queue), f"/api/v1/queues/{queue.name}")


async def get_queue(queue_name: str):
    return representation(queue_view(await _queues().get(queue_name)))


async def update_queue(queue_name: str, body: dict[str, Any]):
    return queue_view(await _queues().update(queue_name, body))


async def delete_queue(queue_name: str, token_info: dict[str, Any]):
    await _queues().delete(queue_name)
    await audit("queue.delete", token_info, ("queue", queue_name))
    return None, 204


async def pause_queue(queue_name: str):
    return queue_view(await _queues().set_paused(queue_name, True))


async def resume_queue(queue_name: str):
    queue = await _queues().set_paused(queue_name, False)
    services().dispatcher.wake()  # its pending jobs may start now
    return queue_view(queue)


async def get_queue_stats(queue_name: str):
    return await _queues().stats(queue_name)
