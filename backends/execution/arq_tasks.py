"""Which registered Python tasks the `baton worker` processes of an arq executor can run, kept in
Redis: one sorted set `"{prefix}::tasks"` of task names, each scored with the time (epoch seconds)
its latest announcement runs out. Workers announce at start and at every heartbeat; the server
reads the names not yet run out when a job names a task. A worker that stops announcing (it
died, or stopped) drops out after TASKS_TTL_SECONDS; nothing else depends on what Redis keeps."""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

__all__ = ["TASKS_TTL_SECONDS", "announce_tasks", "announced_tasks", "tasks_key"]

# long enough for a few missed heartbeats (BATON_HEARTBEAT_SECONDS, at most half a lease)
TASKS_TTL_SECONDS = 60.0


def tasks_key(prefix: str) -> str:
    # "::": no queue name starts with ":", so this is never the arq queue "{prefix}:{queue}"
    return f"{prefix}::tasks"


async def announce_tasks(
    redis: Any, prefix: str, names: Iterable[str], ttl: float = TASKS_TTL_SECONDS
) -> None:
    """This worker can run `names` for the next `ttl` seconds; names run out meanwhile are dropped."""
    now = time.time()
    key = tasks_key(prefix)
    async with redis.pipeline(transaction=True) as pipe:
        mapping = {name: now + ttl for name in names}
        if mapping:
            # workers on other machines may announce the same name: each announcement only pushes
            # its expiry further (GT), never back
            pipe.zadd(key, mapping, gt=True)
        pipe.zremrangebyscore(key, "-inf", now)
        await pipe.execute()


async def announced_tasks(redis: Any, prefix: str) -> set[str]:
    members = await redis.zrangebyscore(tasks_key(prefix), time.time(), "+inf")
    return {member.decode() if isinstance(member, bytes) else member for member in members}
