"""Prometheus metrics (baton/metrics.py)."""

from __future__ import annotations

from starlette.responses import Response

from baton.context import services
from baton.metrics import CONTENT_TYPE, render
from baton.workers import WorkerService

__all__ = ["get_metrics"]


async def get_metrics():
    s = services()
    fleet = await WorkerService(s.storage, s.jobs, s.settings).fleet()
    return Response(await render(s.storage, fleet, s.metrics), media_type=CONTENT_TYPE)
