"""The two live views of the event log: Server-Sent Events (`GET /api/v1/events/stream`) and the
WebSocket (`/api/v1/ws`, protocol in openapi/baton.asyncapi.yaml). Both follow the log through
EventService.stream(), send a heartbeat every HEARTBEAT_SECONDS, re-check the credential every
REVALIDATE_SECONDS, and end a reader that cannot keep up (bounded buffers: the reader resumes from
its last event id, losing nothing)."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import orjson

from baton.eventhub import Overflow
from baton.events import EventFilters, EventService, event_json
from baton.models import Event, Principal

__all__ = ["HEARTBEAT_SECONDS", "REVALIDATE_SECONDS", "Pump", "sse_body"]

HEARTBEAT_SECONDS = 15.0
REVALIDATE_SECONDS = 5.0
SLOW_CONSUMER = "SLOW_CONSUMER"


class Pump:
    """Moves a stream's batches of events into a one-slot queue a sender drains, so the sender
    can wait for "events, or a heartbeat is due" without cancelling the stream mid-read. When the
    sender is slow the stream's own buffer fills and it overflows: `next()` then answers
    SLOW_CONSUMER."""

    def __init__(self, batches: AsyncIterator[list[Event]]) -> None:
        self._queue: asyncio.Queue[list[Event] | str] = asyncio.Queue(1)
        self._task = asyncio.create_task(self._run(batches))

    async def _run(self, batches: AsyncIterator[list[Event]]) -> None:
        try:
            async for batch in batches:
                await self._queue.put(batch)
        except Overflow:
            await self._queue.put(SLOW_CONSUMER)

    async def next(self, seconds: float) -> list[Event] | str | None:
        """The next events, SLOW_CONSUMER, or None when `seconds` passed first."""
        try:
            async with asyncio.timeout(seconds):  # not wait_for, which can swallow a cancel (3.11)
                return await self._queue.get()
        except TimeoutError:
            if self._task.done() and self._task.exception() is not None:
                raise self._task.exception() from None
            return None

    async def close(self) -> None:
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await self._task


def _sse(events: list[Event]) -> bytes:
    return b"".join(
        b"id: %d\nevent: %s\ndata: %s\n\n" % (event.id, event.type.encode(), event_json(event))
        for event in events
    )


def _closing(code: str, detail: str) -> bytes:
    # no id: line, so the browser's Last-Event-ID stays that of the last real event
    return b"event: stream.closed\ndata: %s\n\n" % orjson.dumps({"code": code, "detail": detail})


async def sse_body(
    service: EventService,
    principal: Principal,
    filters: EventFilters,
    after: int | None,
    revalidate: Callable[[Principal], Awaitable[str | None]],
    max_seconds: int | None = None,
) -> AsyncIterator[bytes]:
    """The bytes of an SSE response: a retry hint, then events and keep-alive comments until the
    credential stops holding, the reader falls behind, or `max_seconds` passed."""
    yield b"retry: 1000\n\n"
    pump = Pump(service.stream(principal, filters, after))
    try:
        check_at = time.monotonic() + REVALIDATE_SECONDS
        beat_at = time.monotonic() + HEARTBEAT_SECONDS
        end_at = time.monotonic() + max_seconds if max_seconds else float("inf")
        while True:
            now = time.monotonic()
            if now >= end_at:
                yield _closing("MAX_SECONDS", f"The stream ends after {max_seconds} s, as asked")
                return
            item = await pump.next(max(0.0, min(check_at, beat_at, end_at) - now))
            if isinstance(item, list):
                yield _sse(item)
            elif item == SLOW_CONSUMER:
                yield _closing(SLOW_CONSUMER, "Too far behind; reconnect with Last-Event-ID to resume")
                return
            now = time.monotonic()
            if now >= beat_at:
                yield b": keep-alive\n\n"
                beat_at = now + HEARTBEAT_SECONDS
            if now >= check_at:
                reason = await revalidate(principal)
                if reason is not None:
                    yield _closing(reason, "The credentials of this stream no longer hold")
                    return
                check_at = now + REVALIDATE_SECONDS
    finally:
        await pump.close()


def dumps(message: dict[str, Any]) -> str:
    return orjson.dumps(message).decode()
