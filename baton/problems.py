"""RFC 9457 problem+json for every error, with a stable `code` and the request id.

Domain errors (baton.errors), Connexion's own problems, Starlette's HTTP errors, database outages
and anything unexpected are all mapped here, once."""

from __future__ import annotations

import contextvars
import itertools
import logging
import re
import secrets
from collections.abc import Callable
from typing import Any

import orjson
from connexion.exceptions import (
    ExtraParameterProblem,
    OAuthScopeProblem,
    ProblemException,
    UnsupportedMediaTypeProblem,
)
from connexion.lifecycle import ConnexionRequest, ConnexionResponse
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from baton.errors import BatonError

__all__ = [
    "OUTER_HANDLERS",
    "RequestIdMiddleware",
    "StaticPathMethodMiddleware",
    "allowed_methods",
    "error_handlers",
    "problem_body",
    "problem_response",
    "request_id",
    "send_problem",
]

log = logging.getLogger("baton.errors")

_HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("baton_request_id", default="-")
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")

_TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    406: "Not Acceptable",
    409: "Conflict",
    410: "Gone",
    412: "Precondition Failed",
    413: "Content Too Large",
    415: "Unsupported Media Type",
    416: "Range Not Satisfiable",
    422: "Unprocessable Content",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}
_CODES = {
    400: "BAD_REQUEST",
    401: "UNAUTHORIZED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    406: "NOT_ACCEPTABLE",
    413: "BODY_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
    500: "INTERNAL_ERROR",
    503: "SERVICE_UNAVAILABLE",
}


def request_id() -> str:
    return _request_id.get()


def problem_body(
    status: int,
    code: str,
    detail: str | None,
    *,
    instance: str | None = None,
    errors: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": "urn:baton:problem:" + code.lower().replace("_", "-"),
        "title": _TITLES.get(status, "Error"),
        "status": status,
        "detail": detail or _TITLES.get(status, "Error"),
        "code": code,
        "request_id": request_id(),
    }
    if instance:
        body["instance"] = instance
    if errors:
        body["errors"] = errors
    return body


def problem_response(
    status: int,
    code: str,
    detail: str | None,
    *,
    instance: str | None = None,
    errors: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
) -> ConnexionResponse:
    headers = dict(headers or {})
    if status == 401:
        headers.setdefault("WWW-Authenticate", 'Bearer realm="baton"')
    return ConnexionResponse(
        status_code=status,
        mimetype="application/problem+json",
        content_type="application/problem+json",
        body=orjson.dumps(problem_body(status, code, detail, instance=instance, errors=errors)),
        headers=headers,
    )


def _on_baton_error(request: ConnexionRequest, exc: BatonError) -> ConnexionResponse:
    if exc.status >= 500:
        log.error("%s %s: %s", exc.code, request.url.path, exc.detail)
    return problem_response(
        exc.status, exc.code, exc.detail, instance=request.url.path, errors=exc.errors, headers=exc.headers
    )


def _on_connexion_problem(request: ConnexionRequest, exc: ProblemException) -> ConnexionResponse:
    status = exc.status
    code = _CODES.get(status, "ERROR")
    errors = None
    if isinstance(exc, ExtraParameterProblem):
        code = "VALIDATION_ERROR"
    elif isinstance(exc, OAuthScopeProblem):
        missing = sorted(set(exc.required_scopes) - set(exc.token_scopes or []))
        return problem_response(
            403,
            "FORBIDDEN",
            f"This operation needs the scope(s): {', '.join(missing)}",
            instance=request.url.path,
        )
    elif isinstance(exc, UnsupportedMediaTypeProblem):
        code = "UNSUPPORTED_MEDIA_TYPE"
    elif status == 400:
        code = "VALIDATION_ERROR"
    elif status >= 500:
        log.error("%s on %s: %s", code, request.url.path, exc.detail)
        return problem_response(status, code, None, instance=request.url.path)
    detail = exc.detail if isinstance(exc.detail, str) else None
    return problem_response(
        status, code, detail, instance=request.url.path, errors=errors, headers=exc.headers
    )


def _http_error(status: int, detail: str, path: str) -> tuple[int, str, str | None]:
    return status, _CODES.get(status, "ERROR"), (f"No resource at {path}" if status == 404 else detail)


def allowed_methods(spec: dict[str, Any]) -> Callable[[str], str | None]:
    """The Allow header for a path, from the spec: Connexion adds one route per method, so a
    405 from its router names only the first matching route's methods (RFC 9110 wants all)."""
    table = []
    for template, item in spec["paths"].items():
        methods = {m.upper() for m in item if m in _HTTP_METHODS}
        if "GET" in methods:
            methods.add("HEAD")  # Starlette answers HEAD wherever GET is routed
        pattern = re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template))
        table.append((re.compile(f"^{pattern}$"), ", ".join(sorted(methods))))

    def lookup(path: str) -> str | None:
        return next((allow for regex, allow in table if regex.match(path)), None)

    return lookup


def error_handlers(allow: Callable[[str], str | None]) -> list[tuple[type[Exception] | int, Any]]:
    """Connexion error handlers, in the order they are tried."""

    def on_http_exception(request: ConnexionRequest, exc: HTTPException) -> ConnexionResponse:
        headers = dict(exc.headers or {})
        if exc.status_code == 405 and (methods := allow(request.url.path)):
            headers["Allow"] = methods
        status, code, detail = _http_error(exc.status_code, exc.detail, request.url.path)
        return problem_response(status, code, detail, instance=request.url.path, headers=headers)

    return [
        (BatonError, _on_baton_error),
        (ProblemException, _on_connexion_problem),
        (HTTPException, on_http_exception),
        (UnicodeDecodeError, _on_unicode_error),
        (PoolTimeout, _on_database_busy),
        (DBAPIError, _on_database_down),
        (DisconnectionError, _on_database_down),
        (ConnectionError, _on_database_down),
        (Exception, _on_unexpected),
    ]


async def _outer_http_exception(request: Request, exc: HTTPException) -> Response:
    # requests that never reach Connexion (e.g. a newline in the path fails the mount's pattern)
    status, code, detail = _http_error(exc.status_code, exc.detail, request.url.path)
    body = problem_body(status, code, detail, instance=request.url.path)
    # the exception's headers go along (a 405's Allow)
    return Response(orjson.dumps(body), status, headers=exc.headers, media_type="application/problem+json")


async def _outer_unexpected(request: Request, exc: Exception) -> Response:
    log.error("unhandled error on %s [%s]", request.url.path, request_id(), exc_info=exc)
    body = problem_body(500, "INTERNAL_ERROR", "An unexpected error occurred", instance=request.url.path)
    return Response(orjson.dumps(body), 500, media_type="application/problem+json")


# for the outer Starlette app, around the Connexion mount
OUTER_HANDLERS: dict[Any, Any] = {HTTPException: _outer_http_exception, Exception: _outer_unexpected}


def _on_unicode_error(request: ConnexionRequest, exc: UnicodeDecodeError) -> ConnexionResponse:
    return problem_response(
        400, "INVALID_ENCODING", "The request is not valid UTF-8", instance=request.url.path
    )


def _on_database_down(request: ConnexionRequest, exc: Exception) -> ConnexionResponse:
    if isinstance(exc, DBAPIError) and not exc.connection_invalidated and not _looks_like_outage(exc):
        return _on_unexpected(request, exc)
    log.warning("database unavailable on %s: %s", request.url.path, type(exc).__name__)
    return problem_response(
        503,
        "DATABASE_UNAVAILABLE",
        "The database does not answer; try again shortly",
        instance=request.url.path,
        headers={"Retry-After": "5"},
    )


def _on_database_busy(request: ConnexionRequest, exc: Exception) -> ConnexionResponse:
    # every pooled connection stayed in use for pool_timeout: overload, not a bug
    log.warning("database pool exhausted on %s", request.url.path)
    return problem_response(
        503,
        "DATABASE_BUSY",
        "Every database connection is in use; try again shortly",
        instance=request.url.path,
        headers={"Retry-After": "1"},
    )


def _looks_like_outage(exc: DBAPIError) -> bool:
    from sqlalchemy.exc import InterfaceError, OperationalError

    return isinstance(exc, OperationalError | InterfaceError)


def _on_unexpected(request: ConnexionRequest, exc: Exception) -> ConnexionResponse:
    # the trace goes to the log with the request id, never to the client
    log.error("unhandled error on %s [%s]", request.url.path, request_id(), exc_info=exc)
    return problem_response(500, "INTERNAL_ERROR", "An unexpected error occurred", instance=request.url.path)


# A request id needs to be unique, not secret: a random prefix per process and a counter (a
# token from the OS's random source cost a syscall per request, ~16% of a GET under load)
_ID_PREFIX = secrets.token_hex(3)
_id_counter = itertools.count(secrets.randbelow(2**32))


def _new_request_id() -> str:
    return f"{_ID_PREFIX}{next(_id_counter) & 0xFFFFFFFFFF:010x}"


class RequestIdMiddleware:
    """Outermost: every response, error or not, carries X-Request-ID (the caller's, if sane)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in {"http", "websocket"}:
            await self.app(scope, receive, send)
            return
        incoming = next((v for k, v in scope.get("headers", []) if k == b"x-request-id"), b"")
        text = incoming.decode("latin-1")
        rid = text if _SAFE_REQUEST_ID.match(text) else _new_request_id()
        token = _request_id.set(rid)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"x-request-id"]
                headers.append((b"x-request-id", rid.encode()))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            _request_id.reset(token)


class StaticPathMethodMiddleware:
    """405 for a method a fixed path (`/api/v1/jobs/batch`) does not have. Without it, PATCH
    /api/v1/jobs/batch was routed to PATCH /api/v1/jobs/{job_id} and failed there as a bad job id
    (400), where RFC 9110 wants 405 and an Allow header."""

    def __init__(self, app: ASGIApp, spec: dict[str, Any]) -> None:
        self.app = app
        self.allow = allowed_methods(spec)
        self.static = {path for path in spec["paths"] if "{" not in path}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] in self.static:
            allow = self.allow(scope["path"]) or ""
            if scope["method"] not in allow.split(", ") and scope["method"] != "OPTIONS":
                detail = f"{scope['method']} is not allowed here; allowed: {allow}"
                await send_problem(
                    send, 405, "METHOD_NOT_ALLOWED", detail, instance=scope["path"], headers={"Allow": allow}
                )
                return
        await self.app(scope, receive, send)


async def send_problem(
    send: Send,
    status: int,
    code: str,
    detail: str,
    *,
    instance: str | None = None,
    headers: dict[str, str] | None = None,
) -> None:
    """Answer with problem+json straight from an ASGI middleware (outside Connexion's handlers)."""
    body = orjson.dumps(problem_body(status, code, detail, instance=instance))
    raw = [(b"content-type", b"application/problem+json"), (b"content-length", str(len(body)).encode())]
    raw += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})
