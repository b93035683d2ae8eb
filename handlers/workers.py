"""Pull workers: registration, heartbeats, drain, deregistration and the long-poll claim."""

from __future__ import annotations

from typing import Any

from baton.conditional import created, representation
from baton.context import audit, services
from baton.views import page_view
from baton.workers import WorkerService

__all__ = [
    "claim_jobs",
    "deregister_worker",
    "drain_worker",
    "get_worker",
    "list_workers",
    "record_worker_heartbeat",
    "register_worker",
]


def _workers() -> WorkerService:
    s = services()
    return WorkerService(s.storage, s.jobs, s.settings)


async def register_worker(body: dict[str, Any]):
    workers = _workers()
    worker = await workers.register(body)
    return created(workers.view(worker), f"/api/v1/workers/{worker.id}")


async def list_workers(
    limit: int = 50,
    cursor: str | None = None,
    status: list[str] | None = None,
    queue: str | None = None,
    label: list[str] | None = None,
):
    workers = _workers()
    found, next_cursor = await workers.list(
        limit=limit, cursor=cursor, statuses=status, queue=queue, labels=label
    )
    return representation(page_view([workers.view(worker) for worker in found], limit, next_cursor))


async def get_worker(worker_id: str):
    workers = _workers()
    return representation(workers.view(await workers.get(worker_id)))


async def deregister_worker(worker_id: str, token_info: dict[str, Any]):
    await _workers().deregister(worker_id)
    await audit("worker.delete", token_info, ("worker", worker_id.lower()))
    return None, 204


async def record_worker_heartbeat(worker_id: str, body: dict[str, Any]):
    workers = _workers()
    return workers.view(await workers.heartbeat(worker_id, body))


async def drain_worker(worker_id: str):
    workers = _workers()
    return workers.view(await workers.drain(worker_id))


async def claim_jobs(worker_id: str, body: dict[str, Any]):
    workers = _workers()
    return {"jobs": [workers.claimed_view(job) for job in await workers.claim(worker_id, body)]}
