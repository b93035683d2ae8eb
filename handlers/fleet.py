"""The fleet at a glance: one call for a dashboard."""

from __future__ import annotations

from baton.conditional import representation
from baton.context import services
from baton.workers import WorkerService

__all__ = ["get_fleet"]


async def get_fleet():
    s = services()
    return representation(await WorkerService(s.storage, s.jobs, s.settings).fleet())
