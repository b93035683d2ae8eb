from __future__ import annotations

from typing import Any

from baton import __version__
from baton.context import services
from baton.health import health_details, readiness

__all__ = ["get_health", "get_health_details", "get_healthz", "get_info", "get_ready"]


async def get_health() -> dict[str, Any]:
    return {"status": "ok"}


async def get_ready() -> dict[str, Any]:
    return await readiness(services())


async def get_healthz() -> dict[str, Any]:
    return await readiness(services())


async def get_health_details() -> tuple[dict[str, Any], int]:
    report, serving = await health_details(services())
    return report, 200 if serving else 503


async def get_info() -> dict[str, Any]:
    svc = services()
    return {
        "name": "baton",
        "version": __version__,
        "api_version": "v1",
        "storage": {"backend": svc.storage.dialect},
        "executor": svc.executor.describe(),
    }
