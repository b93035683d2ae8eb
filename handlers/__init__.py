"""HTTP handlers: one module per spec tag, one async function per operationId. Thin by rule:
unpack arguments, call one service, return the body (and status, headers)."""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from functools import cache
from typing import Any

from starlette.responses import Response

__all__ = ["MODULES", "handler_for"]

MODULES = (
    "analytics",
    "api_keys",
    "audit",
    "auth",
    "events",
    "export",
    "fleet",
    "jobs",
    "leases",
    "logs",
    "metrics",
    "queues",
    "schedules",
    "system",
    "templates",
    "users",
    "webhooks",
    "workflows",
    "workers",
)


@cache
def _handlers() -> dict[str, Callable[..., Any]]:
    found: dict[str, Callable[..., Any]] = {}
    for name in MODULES:
        module = importlib.import_module(f"{__name__}.{name}")
        for operation_id in module.__all__:
            if operation_id in found:
                raise RuntimeError(f"operationId {operation_id!r} is defined twice in baton.handlers")
            found[operation_id] = _json_by_default(getattr(module, operation_id))
    return found


def _json_by_default(handler: Callable[..., Any]) -> Callable[..., Any]:
    """Operations declare problem+json beside application/json, so Connexion cannot infer which
    one a handler's body is; a handler's own body is always application/json."""

    @functools.wraps(handler)  # Connexion follows __wrapped__ to read the arguments
    async def wrapper(*args: Any, **kwargs: Any) -> Any:
        result = await handler(*args, **kwargs)
        if isinstance(result, Response):  # a handler that builds its own answer (a log stream)
            return result
        parts = result if isinstance(result, tuple) else (result,)
        body = parts[0]
        status = parts[1] if len(parts) > 1 else 200
        headers = parts[2] if len(parts) > 2 else {}
        if body is not None and not any(k.lower() == "content-type" for k in headers):
            headers = {**headers, "Content-Type": "application/json"}
        return body, status, headers

    return wrapper


def handler_for(operation_id: str) -> Callable[..., Any]:
    """Connexion's function resolver: operationId `create_job` -> handlers/jobs.py:create_job."""
    try:
        return _handlers()[operation_id]
    except KeyError:
        raise RuntimeError(f"no handler for operationId {operation_id!r} in baton.handlers") from None
