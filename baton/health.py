"""Readiness and the detailed health report: each dependency checked at once, with how long its
check took. Only a dependency's kind and the class of its error are reported, never a URL."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

from baton.context import Services
from baton.errors import ServiceUnavailable

__all__ = ["CHECK_TIMEOUT_SECONDS", "health_details", "readiness"]

CHECK_TIMEOUT_SECONDS = 2.0


async def readiness(services: Services) -> dict[str, Any]:
    """/ready and /healthz: 200 while the database answers, else 503 problem+json."""
    try:
        await services.storage.ping()
    except Exception:
        raise ServiceUnavailable(
            "The database does not answer", code="DATABASE_UNAVAILABLE", headers={"Retry-After": "5"}
        ) from None
    return {"status": "ready", "checks": {"database": "ok", "executor": "ok"}}


async def health_details(services: Services) -> tuple[dict[str, Any], bool]:
    """(report, whether the server can serve). Only the database is required: when the
    executor's Redis fails, jobs wait in the database until it is back, and when shared rate
    limits fail each process limits on its own; either only degrades the server."""
    executor = services.executor
    checks: dict[str, tuple[str, Callable[[], Awaitable[Any]], bool]] = {
        "database": (services.storage.dialect, services.storage.ping, True),
        # an in-process executor has nothing remote to reach: its check is that it answers
        "executor": (executor.name, getattr(executor, "ping", None) or _answers(executor), False),
    }
    ping_limiter = getattr(services.limiter, "ping", None)
    if ping_limiter is not None:
        checks["rate_limits"] = ("redis", ping_limiter, False)
    names = list(checks)
    results = await asyncio.gather(*(_check(*checks[name][:2]) for name in names))
    report = dict(zip(names, results, strict=True))
    required_ok = all(report[name]["status"] == "ok" for name in names if checks[name][2])
    all_ok = all(result["status"] == "ok" for result in results)
    status = "ok" if all_ok else "degraded" if required_ok else "unavailable"
    return {"status": status, "checks": report}, required_ok


def _answers(executor: Any) -> Callable[[], Awaitable[None]]:
    async def check() -> None:
        executor.free_slots()

    return check


async def _check(backend: str, probe: Callable[[], Awaitable[Any]]) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        await asyncio.wait_for(probe(), CHECK_TIMEOUT_SECONDS)
    except Exception as exc:
        result = {"status": "error", "error": type(exc).__name__}
    else:
        result = {"status": "ok"}
    latency = round((time.perf_counter() - started) * 1000, 3)
    return {**result, "backend": backend, "latency_ms": latency}
