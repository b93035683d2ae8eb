"""Registered tasks for tests/test_tasks.py (BATON_TASKS=tests.sample_tasks). The server runs in
the test process, so tests can look at what these tasks saw."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

from baton.tasks import task

__all__ = ["CALLS", "CANCELLED"]

CALLS: dict[str, int] = {}  # payload["key"] -> how often tests.flaky ran
CANCELLED: set[str] = set()  # payload["key"] of tests.sleep runs that were cancelled
_lock = threading.Lock()


@task("tests.echo")
async def echo(payload: dict[str, Any]) -> dict[str, Any]:
    return {"got": payload, "kind": "async"}


@task("tests.add")
def add(payload: dict[str, Any]) -> int:
    return payload["a"] + payload["b"]


@task("tests.sleep")
async def sleep(payload: dict[str, Any]) -> str:
    try:
        await asyncio.sleep(payload["seconds"])
    except asyncio.CancelledError:
        CANCELLED.add(payload.get("key", ""))
        raise
    return "slept"


@task("tests.sync_sleep")
def sync_sleep(payload: dict[str, Any]) -> str:
    time.sleep(payload["seconds"])
    return "slept"


@task("tests.flaky")
async def flaky(payload: dict[str, Any]) -> str:
    with _lock:
        CALLS[payload["key"]] = CALLS.get(payload["key"], 0) + 1
        calls = CALLS[payload["key"]]
    if calls <= payload["failures"]:
        raise RuntimeError(f"flaky failure {calls}")
    return f"ok after {calls}"


@task("tests.boom")
def boom(payload: dict[str, Any]) -> None:
    raise ValueError(f"bad input {payload.get('n')}")


@task("tests.big")
async def big(payload: dict[str, Any]) -> str:
    return "x" * payload["size"]


@task("tests.not_json")
async def not_json(payload: dict[str, Any]) -> object:
    return object()


class _Callable:
    """A callable object whose __call__ is a coroutine function: awaited, not run in a thread."""

    async def __call__(self, payload: dict[str, Any]) -> str:
        await asyncio.sleep(0)
        return "called"


task("tests.callable")(_Callable())


@task("tests.stubborn")
async def stubborn(payload: dict[str, Any]) -> str:
    """Cleans up for a moment when cancelled: the attempt waits for that (a short grace)."""
    try:
        await asyncio.sleep(60)
    except asyncio.CancelledError:
        await asyncio.sleep(0.3)
        CANCELLED.add(payload["key"])
        raise
    return "slept"
