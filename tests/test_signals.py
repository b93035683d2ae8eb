"""Cross-process signals (backends/signals.py) on a real PostgreSQL and a private redis-server: a
process hears the others' commits, not its own (its hub had them when it committed), and a
burst of commits is carried by a few messages."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Iterator

import pytest
from baton.backends.signals import GATHER_SECONDS, PostgresSignal, RedisSignal, Signal
from sqlalchemy.ext.asyncio import create_async_engine

from tests.databases import SERVERS, require
from tests.faults.harness import RedisProcess


@pytest.fixture(scope="module")
def redis_proc(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisProcess]:
    proc = RedisProcess(tmp_path_factory.mktemp("redis")).start()
    yield proc
    proc.stop()


async def hears_others_not_itself(make: type[Signal] | object, publish_count: int = 50) -> None:
    channel = f"baton_test_{secrets.token_hex(4)}"
    a, b = make(channel), make(channel)  # type: ignore[operator]
    heard = {"a": 0, "b": 0}

    def count(name: str) -> object:
        return lambda: heard.__setitem__(name, heard[name] + 1)

    await a.listen(count("a"))
    await b.listen(count("b"))
    try:
        await asyncio.sleep(0.5)  # both listening (each counts once for its (re)connection)
        before = dict(heard)
        for last_id in range(1, publish_count + 1):  # a burst of commits in process a
            a.committed(last_id)
            await asyncio.sleep(0.001)
        await asyncio.sleep(GATHER_SECONDS + 0.5)
        assert heard["a"] == before["a"]  # its own: not a wake-up
        assert 1 <= heard["b"] - before["b"] <= publish_count // 5  # coalesced
    finally:
        await a.stop()
        await b.stop()


def test_postgresql_signal_reaches_other_processes_only() -> None:
    require("postgresql")  # runs a loop of its own: not inside the test's

    async def run() -> None:
        engine = create_async_engine(f"{SERVERS['postgresql']}/postgres")
        try:
            await hears_others_not_itself(lambda channel: PostgresSignal(engine, channel))
        finally:
            await engine.dispose()

    asyncio.run(run())


async def test_redis_signal_reaches_other_processes_only(redis_proc: RedisProcess) -> None:
    await hears_others_not_itself(lambda channel: RedisSignal(redis_proc.url, channel))
