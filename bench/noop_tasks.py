"""The task `bench/arq_throughput.py --task` runs: a no-op coroutine, like raw arq's job there.
Imported by the bench's server and workers as BATON_TASKS=noop_tasks (bench/ on PYTHONPATH)."""

from __future__ import annotations

from typing import Any

from baton.tasks import task

__all__ = ["noop"]


@task("bench.noop")
async def noop(payload: dict[str, Any]) -> None:
    return None
