"""The arq Worker a `baton worker` runs for each of its queues, made to suit it: kept alive through
Redis outages, and woken at once when the server hands a job out to its queue."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from arq.worker import Worker
from redis.exceptions import RedisError

__all__ = ["REDIS_RETRY_SECONDS", "ArqPoller"]

log = logging.getLogger("baton.worker")

REDIS_RETRY_SECONDS = 1.0


class ArqPoller(Worker):
    """arq's Worker, kept alive through Redis outages: a failed poll is logged and retried
    instead of ending the worker, and a job slot taken by a poll that failed half-way is freed.
    It polls every poll_delay, or at once when nudged (the server handed a job out to its queue)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._nudged = asyncio.Event()

    def nudge(self) -> None:
        self._nudged.set()

    @property
    def closed(self) -> bool:
        """Told to take no more jobs, and those it took are over: nothing left to poll for."""
        return not self.allow_pick_jobs and all(task.done() for task in self.tasks.values())

    async def main(self) -> None:
        # arq's main() without its fixed-step poll(): the same iterations, but a nudge ends the
        # wait; it returns once closed, so a stop does not depend on cancelling it
        self.ctx["redis"] = self.pool
        while not self.closed:
            self._nudged.clear()
            await self._poll_iteration()
            with contextlib.suppress(TimeoutError):
                # not wait_for: on 3.11 it can swallow a cancel arriving with a wake-up
                async with asyncio.timeout(self.poll_delay_s):
                    await self._nudged.wait()

    async def _poll_iteration(self) -> None:
        try:
            await super()._poll_iteration()
        except (RedisError, OSError) as exc:
            task = asyncio.current_task()
            if task is not None and task.cancelling():
                # a stop, surfacing as a Redis error (a cancel raced a read's timeout): retrying
                # here swallowed it, and a stopping worker kept polling forever
                raise asyncio.CancelledError from exc
            log.warning("queue %s: Redis: %s: %s; retrying", self.queue_name, type(exc).__name__, exc)
            await asyncio.sleep(0)  # let finished jobs' done-callbacks release their slots
            live = sum(1 for task in self.tasks.values() if not task.done())
            while self.job_counter > live:
                self.job_counter -= 1
                self.sem.release()
            await asyncio.sleep(REDIS_RETRY_SECONDS)
