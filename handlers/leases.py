"""What a pull worker does with a job it claimed: extend its lease, report its outcome (fenced by
attempt and worker)."""

from __future__ import annotations

from typing import Any

from baton.context import services
from baton.views import job_view
from baton.workers import WorkerService

__all__ = ["complete_job", "extend_lease", "fail_job"]


def _workers() -> WorkerService:
    s = services()
    return WorkerService(s.storage, s.jobs, s.settings)


async def extend_lease(job_id: str, body: dict[str, Any]):
    return await _workers().extend_lease(job_id, body)


async def complete_job(job_id: str, body: dict[str, Any]):
    return job_view(await _workers().report(job_id, body, completed=True))


async def fail_job(job_id: str, body: dict[str, Any]):
    return job_view(await _workers().report(job_id, body, completed=False))
