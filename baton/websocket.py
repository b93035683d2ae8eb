"""The WebSocket at `/api/v1/ws` (protocol: openapi/baton.asyncapi.yaml).

Authentication, since browsers cannot send headers with a WebSocket and a token in a URL ends up
in proxies' logs: either a single-use ticket from `POST /api/v1/ws-tickets` in the query
(`?ticket=`), or a first message `{"type": "auth", "token": …}` / `{"type": "auth", "api_key": …}`
within AUTH_SECONDS. A browser's `Origin` must be the server's own or one of BATON_CORS_ORIGINS.

Then the client subscribes (filters as the event list's, and an optional resume id) and the server
pushes events, a ping every HEARTBEAT_SECONDS, and closes with a documented code when the
credential ends (4002), the client is too slow (4008: resume from your last id), or the
message is not understood too often (4000)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit

import orjson
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from baton.context import services_from_scope
from baton.errors import BatonError, Unauthorized
from baton.eventhub import PAGE, Overflow
from baton.events import EventFilters, event_json
from baton.models import Event, Principal
from baton.streams import HEARTBEAT_SECONDS, REVALIDATE_SECONDS, SLOW_CONSUMER

__all__ = ["CLOSE_CODES", "websocket_endpoint"]

log = logging.getLogger(__name__)

AUTH_SECONDS = 10.0
MAX_MESSAGE_BYTES = 64 * 1024
MAX_SUBSCRIPTIONS = 20
MAX_BAD_MESSAGES = 10
MAX_BATCH = 200  # events per `events` message of a subscription with "batch": true
CLOSE_CODES = {
    "PROTOCOL_ERROR": 4000,  # too many messages the server could not understand
    "UNAUTHORIZED": 4001,  # no (valid) credentials in time
    "CREDENTIALS_ENDED": 4002,  # the token expired, its session or the API key was revoked
    "FORBIDDEN_ORIGIN": 4003,  # a browser page of a foreign origin (refused before the handshake)
    SLOW_CONSUMER: 4008,  # the client read too slowly: reconnect and resume from its last ids
}


def origin_allowed(websocket: WebSocket, allowed: str) -> bool:
    """No Origin (not a browser), the server's own origin, or one allowed for CORS."""
    origin = websocket.headers.get("origin")
    if origin is None:
        return True
    origins = {o for o in allowed.split(",") if o}
    if "*" in origins or origin.rstrip("/") in origins:
        return True
    host = websocket.headers.get("host", "")
    return urlsplit(origin).netloc.lower() == host.lower()


class Session:
    """One authenticated socket: its subscriptions, and one lock so messages never interleave."""

    def __init__(self, websocket: WebSocket, principal: Principal) -> None:
        self.websocket = websocket
        self.principal = principal
        self.services = services_from_scope(websocket.scope)
        self.subscriptions: dict[str, asyncio.Task[None]] = {}
        self.send_lock = asyncio.Lock()
        self.closing: tuple[int, str] | None = None
        self.closed = asyncio.Event()  # set with `closing`: wakes the watcher at once
        self.bad_messages = 0

    async def send(self, message: dict[str, Any]) -> None:
        async with self.send_lock:
            await self.websocket.send_text(orjson.dumps(message).decode())

    def close_with(self, code: int, reason: str) -> None:
        if self.closing is None:
            self.closing = (code, reason[:120])
            self.closed.set()

    async def subscribe(self, message: dict[str, Any]) -> None:
        sub_id = message.get("id")
        if not isinstance(sub_id, str) or not 0 < len(sub_id) <= 64:
            await self.error("BAD_MESSAGE", "subscribe needs an id (a string of 1-64 characters)")
            return
        if sub_id in self.subscriptions:
            await self.error("BAD_MESSAGE", f"subscription {sub_id!r} exists; unsubscribe first", sub_id)
            return
        if len(self.subscriptions) >= MAX_SUBSCRIPTIONS:
            await self.error("TOO_MANY_SUBSCRIPTIONS", f"at most {MAX_SUBSCRIPTIONS} per socket", sub_id)
            return
        try:
            filters, after, batched = _parse_subscription(message)
        except ValueError as exc:
            await self.error("BAD_MESSAGE", str(exc), sub_id)
            return
        service = self.services.events
        try:
            if after is not None:
                await service.check_position(after)
        except BatonError as exc:
            await self.error(exc.code, exc.detail, sub_id)
            return
        start = after if after is not None else service.hub.position
        batches = service.stream(self.principal, filters, start, MAX_BATCH if batched else PAGE)
        self.subscriptions[sub_id] = asyncio.create_task(self._forward(sub_id, batches, batched))
        await self.send({"type": "subscribed", "id": sub_id, "after": start})

    async def _forward(self, sub_id: str, batches: AsyncIterator[list[Event]], batched: bool) -> None:
        # the subscription id and the events are encoded once: the same event goes to every
        # socket of the process, and at hundreds of sockets encoding is what the CPU would do
        head = b'{"type":"event","subscription":%s,"event":' % orjson.dumps(sub_id)
        batch_head = b'{"type":"events","subscription":%s,"events":[' % orjson.dumps(sub_id)
        try:
            async for events in batches:
                if self.closing is not None:
                    return
                if batched:
                    texts = [(batch_head + b",".join(map(event_json, events)) + b"]}").decode()]
                else:
                    texts = [(head + event_json(event) + b"}").decode() for event in events]
                async with self.send_lock:
                    for text in texts:
                        await self.websocket.send_text(text)
        except Overflow:
            self.close_with(CLOSE_CODES[SLOW_CONSUMER], "SLOW_CONSUMER: resume from your last event id")

    async def unsubscribe(self, message: dict[str, Any]) -> None:
        sub_id = message.get("id")
        task = self.subscriptions.pop(sub_id, None) if isinstance(sub_id, str) else None
        if task is None:
            await self.error("UNKNOWN_SUBSCRIPTION", f"no subscription {sub_id!r}", sub_id)
            return
        task.cancel()
        await self.send({"type": "unsubscribed", "id": sub_id})

    async def error(self, code: str, detail: str, sub_id: Any = None) -> None:
        message = {"type": "error", "code": code, "detail": detail}
        if isinstance(sub_id, str):
            message["subscription"] = sub_id
        await self.send(message)

    async def stop(self) -> None:
        for task in self.subscriptions.values():
            task.cancel()
        for task in self.subscriptions.values():
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task


def _parse_subscription(message: dict[str, Any]) -> tuple[EventFilters, int | None, bool]:
    raw = message.get("filters") or {}
    if not isinstance(raw, dict) or set(raw) - {"type", "job_id", "queue", "worker_id"}:
        raise ValueError("filters may hold type, job_id, queue and worker_id")
    types = raw.get("type") or []
    if isinstance(types, str):
        types = [t for t in types.split(",") if t]
    if (
        not isinstance(types, list)
        or len(types) > 50
        or not all(isinstance(t, str) and 0 < len(t) <= 64 for t in types)
    ):
        raise ValueError("filters.type: a list of at most 50 event types or prefixes")
    for name in ("job_id", "queue", "worker_id"):
        value = raw.get(name)
        if value is not None and not (isinstance(value, str) and 0 < len(value) <= 255):
            raise ValueError(f"filters.{name}: a string")
    after = message.get("after")
    if after is not None and not (
        isinstance(after, int) and not isinstance(after, bool) and 0 <= after < 10**18
    ):
        raise ValueError("after: an event id (a non-negative integer)")
    batched = message.get("batch", False)
    if not isinstance(batched, bool):
        raise ValueError("batch: true (events in lists) or false (one message per event)")
    filters = EventFilters(tuple(types), raw.get("job_id"), raw.get("queue"), raw.get("worker_id"))
    return filters, after, batched


async def _authenticate(websocket: WebSocket) -> Principal:
    """From the ticket in the query, or the first message; raises BatonError (401) otherwise."""
    auth = services_from_scope(websocket.scope).auth
    ticket = websocket.query_params.get("ticket")
    if ticket is not None:
        return await auth.redeem_ws_ticket(ticket)
    try:
        raw = await asyncio.wait_for(_receive_text(websocket), AUTH_SECONDS)
        message = orjson.loads(raw) if len(raw) <= MAX_MESSAGE_BYTES else None
    except (TimeoutError, orjson.JSONDecodeError):
        message = None
    if not isinstance(message, dict) or message.get("type") != "auth":
        raise Unauthorized('Send {"type": "auth", "token": …} first, or connect with ?ticket=')
    if isinstance(message.get("token"), str):
        return await auth.authenticate(message["token"])
    if isinstance(message.get("api_key"), str):
        return await auth.authenticate_api_key(message["api_key"])
    raise Unauthorized("The auth message needs a token or an api_key")


async def websocket_endpoint(websocket: WebSocket) -> None:
    services = services_from_scope(websocket.scope)
    if not origin_allowed(websocket, services.settings.cors_origins):
        await websocket.close(code=CLOSE_CODES["FORBIDDEN_ORIGIN"])  # before accept: a 403
        return
    await websocket.accept()
    try:
        principal = await _authenticate(websocket)
    except BatonError as exc:
        await websocket.close(code=CLOSE_CODES["UNAUTHORIZED"], reason=f"{exc.code}: {exc.detail}"[:120])
        return
    except WebSocketDisconnect:
        return
    session = Session(websocket, principal)
    receiver = asyncio.create_task(_receive(session))
    try:
        await session.send(
            {
                "type": "welcome",
                "user": principal.username,
                "scopes": sorted(principal.scopes),
                "last_event_id": services.events.hub.position,
                "heartbeat_seconds": HEARTBEAT_SECONDS,
            }
        )
        await _watch(session, receiver)
    except (WebSocketDisconnect, RuntimeError):
        pass  # the client went away
    finally:
        receiver.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await receiver
        await session.stop()
        if session.closing is not None and websocket.client_state is WebSocketState.CONNECTED:
            code, reason = session.closing
            with contextlib.suppress(Exception):
                await websocket.close(code=code, reason=reason)


async def _watch(session: Session, receiver: asyncio.Task[None]) -> None:
    """Heartbeats and credential checks until the socket ends or must be closed."""
    loop = asyncio.get_running_loop()
    beat_at = loop.time() + HEARTBEAT_SECONDS
    check_at = loop.time() + REVALIDATE_SECONDS
    closing = asyncio.create_task(session.closed.wait())
    try:
        while session.closing is None and not receiver.done():
            # asleep until something is due: a wake-up per socket every half second was 1.5% of
            # a server's CPU at 500 sockets
            await asyncio.wait({receiver, closing}, timeout=max(0.0, min(beat_at, check_at) - loop.time()))
            now = loop.time()
            if now >= beat_at and session.closing is None:
                await session.send({"type": "ping", "last_event_id": session.services.events.hub.position})
                beat_at = now + HEARTBEAT_SECONDS
            if now >= check_at and session.closing is None:
                reason = await session.services.auth.revalidate(session.principal)
                if reason is not None:
                    session.close_with(CLOSE_CODES["CREDENTIALS_ENDED"], f"{reason}: the credentials ended")
                check_at = now + REVALIDATE_SECONDS
    finally:
        closing.cancel()
    if receiver.done() and receiver.exception() is not None:
        raise receiver.exception()


async def _receive_text(websocket: WebSocket) -> str:
    """The next message as text (a binary one decoded as UTF-8, or "" if it is not)."""
    message = await websocket.receive()
    if message["type"] == "websocket.disconnect":
        raise WebSocketDisconnect(message.get("code", 1000))
    if message.get("text") is not None:
        return message["text"]
    try:
        return (message.get("bytes") or b"").decode()
    except UnicodeDecodeError:
        return ""


async def _receive(session: Session) -> None:
    while True:
        raw = await _receive_text(session.websocket)
        try:
            message = orjson.loads(raw) if len(raw) <= MAX_MESSAGE_BYTES else None
        except orjson.JSONDecodeError:
            message = None
        kind = message.get("type") if isinstance(message, dict) else None
        if kind == "subscribe":
            await session.subscribe(message)
        elif kind == "unsubscribe":
            await session.unsubscribe(message)
        elif kind == "ping":
            await session.send({"type": "pong"})
        else:
            session.bad_messages += 1
            if session.bad_messages > MAX_BAD_MESSAGES:
                session.close_with(CLOSE_CODES["PROTOCOL_ERROR"], "PROTOCOL_ERROR: too many bad messages")
                return
            await session.error(
                "BAD_MESSAGE", "Expected a JSON object of type subscribe, unsubscribe or ping"
            )
