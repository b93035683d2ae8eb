"""The loop that moves workflows on: when a step's job ends, its waiting dependents are released
or cancelled (baton/workflows.py `advance_workflow`).

Driven by the event log: every server process reads it (through the EventHub, which sees the
commits of every process) and notes the workflows whose steps' jobs reached a final status. The
log is also what makes it crash-safe: a process that starts (or that missed events, its hub's
buffer overflowing) rescans every running workflow, and does so every RESCAN_SECONDS anyway. Two
processes advancing one workflow at once is harmless: each move is a compare-and-set."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable

from baton.backends.storage import StorageBackend
from baton.eventhub import EventHub
from baton.models import TERMINAL_STATES, Event
from baton.workflows import advance_workflow

__all__ = ["RESCAN_SECONDS", "WorkflowAdvancer"]

RESCAN_SECONDS = 30.0
_FINAL = frozenset(f"job.{status.value}" for status in TERMINAL_STATES)


class WorkflowAdvancer:
    def __init__(self, storage: StorageBackend, hub: EventHub, released: Callable[[], None]) -> None:
        self.storage = storage
        self.released = released  # wakes the dispatcher: steps became pending
        self._dirty: set[str] = set()
        self._wake = asyncio.Event()
        self._rescan_at = 0.0  # at start: every running workflow
        self._subscription = hub.subscribe(self._note, buffer=1)

    def _note(self, event: Event) -> bool:
        workflow_id = event.data.get("workflow_id") if event.subject_type == "job" else None
        if workflow_id and event.type in _FINAL:
            self._dirty.add(workflow_id)
            self._wake.set()
        return False  # only a wake-up: nothing is queued on the subscription

    def close(self) -> None:
        self._subscription.close()

    async def wait(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):  # not wait_for: see EventHub.wait_past
                await self._wake.wait()
        self._wake.clear()

    async def advance_once(self) -> int:
        """Advance the workflows noted since the last call (every running one when a rescan is
        due); returns how many steps were released."""
        if time.monotonic() >= self._rescan_at:
            self._rescan_at = time.monotonic() + RESCAN_SECONDS
            self._dirty.update(await self.storage.running_workflows())
        released = 0
        while self._dirty:
            workflow_id = self._dirty.pop()
            try:
                moved, _ = await advance_workflow(self.storage, workflow_id)
            except BaseException:
                self._dirty.add(workflow_id)  # not lost: the next round tries again
                raise
            if moved:
                released += len(moved)
                self.released()
        return released
