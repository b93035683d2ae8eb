"""The event log: a list with a long poll, a Server-Sent Events stream, and tickets for the
WebSocket (which is not an OpenAPI operation: see openapi/baton.asyncapi.yaml)."""

from __future__ import annotations

from typing import Any

from connexion.context import request
from starlette.responses import StreamingResponse

from baton.context import principal_of, services
from baton.errors import InvalidInput
from baton.events import EventFilters, event_view
from baton.streams import sse_body
from baton.timeutil import isoformat

__all__ = ["create_ws_ticket", "list_events", "stream_events"]


def _filters(
    type: list[str] | None, job_id: str | None, queue: str | None, worker_id: str | None
) -> EventFilters:
    return EventFilters(tuple(type or ()), job_id, queue, worker_id)


async def list_events(
    token_info: dict[str, Any],
    after: int | None = None,
    limit: int = 50,
    type: list[str] | None = None,
    job_id: str | None = None,
    queue: str | None = None,
    worker_id: str | None = None,
    wait_seconds: int = 0,
):
    events, last_id, has_more = await services().events.list(
        principal_of(token_info),
        _filters(type, job_id, queue, worker_id),
        after=after,
        limit=limit,
        wait_seconds=wait_seconds,
    )
    return {"data": [event_view(e) for e in events], "last_event_id": last_id, "has_more": has_more}


async def stream_events(
    token_info: dict[str, Any],
    after: int | None = None,
    type: list[str] | None = None,
    job_id: str | None = None,
    queue: str | None = None,
    worker_id: str | None = None,
    max_seconds: int | None = None,
):
    if after is None and (resume := request.headers.get("Last-Event-ID")):
        if not resume.isdigit() or len(resume) > 18:
            raise InvalidInput(
                "Last-Event-ID must be an event id",
                errors=[{"field": "header.Last-Event-ID", "message": "not an event id"}],
            )
        after = int(resume)
    svc = services()
    if after is not None:
        await svc.events.check_position(after)  # a 410 now, before the stream starts
    filters = _filters(type, job_id, queue, worker_id)
    body = sse_body(svc.events, principal_of(token_info), filters, after, svc.auth.revalidate, max_seconds)
    # no buffering by proxies; the stream is never cached
    headers = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
    return StreamingResponse(body, media_type="text/event-stream", headers=headers)


async def create_ws_ticket(token_info: dict[str, Any]):
    ticket, expires_at = await services().auth.issue_ws_ticket(principal_of(token_info))
    return {"ticket": ticket, "expires_at": isoformat(expires_at)}, 201
