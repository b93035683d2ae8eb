"""HTTP requests by operationId and status, with their latency, for GET /metrics.

Two middlewares: the outer one (Starlette) times every request and sees its status; the inner one
(Connexion, after routing) writes the operationId into a dict the outer one put in the ASGI
scope: Connexion routes on a copy of the scope, but a copy shares that dict."""

from __future__ import annotations

import time
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram

__all__ = ["HTTP_REGISTRY", "HttpMetricsMiddleware", "OperationLabelMiddleware"]

HTTP_REGISTRY = CollectorRegistry(auto_describe=False)
_KEY = "baton.http_metrics"
# a path no operation has (a 404, /docs, /redoc) is one label, not one per path a scanner tries
UNROUTED = "none"

REQUESTS = Counter(
    "baton_http_requests",
    "HTTP requests answered, by operationId, method and status.",
    ["operation", "method", "status"],
    registry=HTTP_REGISTRY,
)
LATENCY = Histogram(
    "baton_http_request_duration_seconds",
    "Time from a request's arrival to the end of its answer, by operationId.",
    ["operation"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
    registry=HTTP_REGISTRY,
)


class HttpMetricsMiddleware:
    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        seen: dict[str, Any] = {"status": 500}
        scope[_KEY] = seen
        started = time.perf_counter()

        async def sending(message: Any) -> None:
            if message["type"] == "http.response.start":
                seen["status"] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            operation = seen.get("operation", UNROUTED)
            REQUESTS.labels(operation, scope["method"], str(seen["status"])).inc()
            LATENCY.labels(operation).observe(time.perf_counter() - started)


class OperationLabelMiddleware:
    """Inside Connexion, after routing: name the operation for HttpMetricsMiddleware."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        seen = scope.get(_KEY)
        if seen is not None:
            routing = scope.get("extensions", {}).get("connexion_routing", {})
            if routing.get("operation_id"):
                seen["operation"] = routing["operation_id"]
        await self.app(scope, receive, send)
