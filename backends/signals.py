"""Cross-process wake-ups for readers of the event log: "events up to id N have committed".

A signal carries no event, only the news that there is something to read: readers always read
the database (DESIGN.md §4), so a lost signal delays them until their next poll, never more.

- Redis pub/sub when BATON_REDIS_URL is set (every server and worker process shares it);
- else PostgreSQL LISTEN/NOTIFY when the database is PostgreSQL;
- else nothing: readers poll (`BATON_EVENT_POLL_SECONDS`).

Publishing is coalesced: a notification waits GATHER_SECONDS for the commits that follow, and
while one is on its way later commits only raise the id the next one will carry, so a burst of
commits costs a few messages, not one each (one per commit was ~4 % of a busy PostgreSQL
server's CPU: bench/events.py). A message names the process that sent it, which ignores its
own: it handed its events to its readers when it committed them (EventHub.committed)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from collections.abc import Callable
from typing import Any, Protocol

__all__ = ["CHANNEL", "PollSignal", "PostgresSignal", "RedisSignal", "Signal", "create_signal"]

log = logging.getLogger(__name__)

CHANNEL = "baton_events"
RETRY_SECONDS = 1.0
GATHER_SECONDS = 0.02  # well within the 1 s in which another process's readers must hear


class Signal(Protocol):
    name: str

    def committed(self, last_id: int) -> None:
        """Events up to `last_id` committed in this process: tell the others (soon, coalesced)."""

    async def listen(self, on_signal: Callable[[], None]) -> None:
        """Call `on_signal` whenever another process says it committed events (until stopped)."""

    async def stop(self) -> None: ...


class _Coalescing:
    """The publishing half: one message in flight at a time, carrying the newest id."""

    def __init__(self) -> None:
        self.origin = secrets.token_hex(8)  # this process, in the messages it sends
        self._pending = 0
        self._sent = 0
        self._task: asyncio.Task[None] | None = None
        self._listener: asyncio.Task[None] | None = None

    def committed(self, last_id: int) -> None:
        self._pending = max(self._pending, last_id)
        if self._task is None or self._task.done():
            try:
                self._task = asyncio.get_running_loop().create_task(self._flush())
            except RuntimeError:  # no loop (a synchronous caller): readers will poll
                pass

    async def _flush(self) -> None:
        while self._pending > self._sent:
            await asyncio.sleep(GATHER_SECONDS)  # at most one message per window
            target = self._pending
            try:
                await self._publish(f"{self.origin}:{target}")
            except Exception as exc:
                log.debug("event signal: %s: %s", type(exc).__name__, exc)
                return  # readers poll meanwhile
            self._sent = target

    async def _publish(self, message: str) -> None:
        raise NotImplementedError

    def _foreign(self, message: str | bytes | None) -> bool:
        """Whether a message came from another process (anything unexpected counts as one)."""
        if isinstance(message, bytes):
            message = message.decode("utf-8", "replace")
        return not (isinstance(message, str) and message.startswith(f"{self.origin}:"))

    async def listen(self, on_signal: Callable[[], None]) -> None:
        self._listener = asyncio.create_task(self._listen_forever(on_signal), name=f"{self.name}-listen")

    async def _listen_forever(self, on_signal: Callable[[], None]) -> None:
        while True:
            try:
                await self._listen(on_signal)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                task = asyncio.current_task()
                if task is not None and task.cancelling():
                    raise asyncio.CancelledError from exc  # a stop, surfacing as a driver error
                log.debug("event signal listener: %s: %s", type(exc).__name__, exc)
            await asyncio.sleep(RETRY_SECONDS)

    async def _listen(self, on_signal: Callable[[], None]) -> None:
        raise NotImplementedError

    async def stop(self) -> None:
        for task in (self._task, self._listener):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
        await self._close()

    async def _close(self) -> None:
        pass


class PollSignal:
    """No cross-process signal: readers in other processes find new events by polling."""

    name = "poll"

    def committed(self, last_id: int) -> None:
        pass

    async def listen(self, on_signal: Callable[[], None]) -> None:
        pass

    async def stop(self) -> None:
        pass


class RedisSignal(_Coalescing):
    name = "redis"

    def __init__(self, url: str, channel: str = CHANNEL) -> None:
        super().__init__()
        import redis.asyncio as redis

        self._redis = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=2)
        self.channel = channel

    async def _publish(self, message: str) -> None:
        await self._redis.publish(self.channel, message)

    async def _listen(self, on_signal: Callable[[], None]) -> None:
        pubsub = self._redis.pubsub()
        try:
            await pubsub.subscribe(self.channel)
            on_signal()  # (re)connected: something may have been missed meanwhile
            while True:
                message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=30.0)
                if message and message.get("type") == "message" and self._foreign(message.get("data")):
                    on_signal()
        finally:
            with contextlib.suppress(Exception):
                await pubsub.aclose()

    async def _close(self) -> None:
        with contextlib.suppress(Exception):
            await self._redis.aclose()


class PostgresSignal(_Coalescing):
    name = "postgresql"

    def __init__(self, engine: Any, channel: str = CHANNEL) -> None:
        super().__init__()
        self._engine = engine
        self.channel = channel
        self._raw: Any = None  # the listening connection, which sends too: one round trip a message
        self._raw_lock = asyncio.Lock()  # asyncpg runs one statement at a time per connection

    async def _publish(self, message: str) -> None:
        import sqlalchemy as sa

        raw = self._raw
        if raw is not None and not raw.is_closed():
            async with self._raw_lock:
                await raw.execute("SELECT pg_notify($1, $2)", self.channel, message)
            return
        async with self._engine.connect() as conn:
            notify = sa.text("SELECT pg_notify(:channel, :payload)")
            await conn.execute(notify, {"channel": self.channel, "payload": message})
            await conn.commit()

    async def _listen(self, on_signal: Callable[[], None]) -> None:
        # a connection of its own, held while listening (asyncpg delivers NOTIFY to a callback)
        async with self._engine.connect() as conn:
            raw = (await conn.get_raw_connection()).driver_connection
            lost = asyncio.Event()

            def notified(_connection: Any, _pid: int, _channel: str, payload: str) -> None:
                if self._foreign(payload):
                    on_signal()

            await raw.add_listener(self.channel, notified)
            raw.add_termination_listener(lambda *_: lost.set())
            self._raw = raw
            on_signal()
            try:
                while not lost.is_set():
                    with contextlib.suppress(TimeoutError):
                        async with asyncio.timeout(30):
                            await lost.wait()
                    if not lost.is_set():
                        async with self._raw_lock:
                            await raw.execute("SELECT 1")  # notices a dead connection
            finally:
                self._raw = None
                with contextlib.suppress(Exception):
                    await raw.remove_listener(self.channel, notified)


def create_signal(redis_url: str | None, dialect: str, engine: Any) -> Signal:
    if redis_url:
        return RedisSignal(redis_url)
    if dialect == "postgresql":
        return PostgresSignal(engine)
    return PollSignal()
