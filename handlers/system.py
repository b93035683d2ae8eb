from __future__ import annotations

from typing import Any

from baton import __version__
from baton.context import services
from baton.errors import ServiceUnavailable

__all__ = ["get_health", "get_info", "get_ready"]


async def get_health() -> dict[str, Any]:
    return {"status": "ok"}


async def get_ready() -> dict[str, Any]:
    try:
        await services().storage.ping()
    except Exception:
        raise ServiceUnavailable(
            "The database does not answer", code="DATABASE_UNAVAILABLE", headers={"Retry-After": "5"}
        ) from None
    return {"status": "ready", "checks": {"database": "ok", "executor": "ok"}}


async def get_info() -> dict[str, Any]:
    svc = services()
    return {
        "name": "baton",
        "version": __version__,
        "api_version": "v1",
        "storage": {"backend": svc.storage.dialect},
        "executor": svc.executor.describe(),
    }
