"""The hub's fan-out, in process: subscribers with the same key share one match, a full buffer
cuts a subscriber off, and a crowded hub gathers the events of a short window into one read."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import datetime

import pytest
from baton.backends.storage import EventQuery

from baton.eventhub import CROWD, CROWD_WINDOW_SECONDS, EventHub, Overflow
from baton.models import Event


class LogOnly:
    """The two storage calls the hub makes, over a list."""

    def __init__(self) -> None:
        self.events: list[Event] = []
        self.reads = 0

    def append(self, count: int) -> None:
        for _ in range(count):
            self.events.append(
                Event("job.created", "job", "j", datetime(2026, 1, 1), {}, id=len(self.events) + 1)
            )

    async def last_event_id(self) -> int:
        return len(self.events)

    async def list_events(self, query: EventQuery) -> tuple[list[Event], int]:
        self.reads += 1
        page = [e for e in self.events if e.id > query.after][: query.limit]
        return page, page[-1].id if page else query.after


async def test_same_key_shares_one_match_and_every_subscriber_gets_every_event() -> None:
    log = LogOnly()
    hub = EventHub(log, poll_seconds=60)  # type: ignore[arg-type]
    await hub.start()
    calls = []

    def matches(event: Event) -> bool:
        calls.append(event.id)
        return True

    subs = [hub.subscribe(matches, key="same") for _ in range(5)]
    try:
        log.append(3)
        hub.wake()
        batches = [await asyncio.wait_for(s.get_batch(10), 5) for s in subs]
        assert all([e.id for e in b] == [1, 2, 3] for b in batches)
        assert calls == [1, 2, 3]  # matched once for all five
    finally:
        await hub.stop()


async def test_a_full_buffer_overflows() -> None:
    log = LogOnly()
    hub = EventHub(log, poll_seconds=60)  # type: ignore[arg-type]
    await hub.start()
    sub = hub.subscribe(lambda e: True, buffer=2)
    try:
        log.append(3)
        hub.wake()
        with pytest.raises(Overflow):
            await asyncio.wait_for(sub.get_batch(10), 5)
    finally:
        await hub.stop()


async def test_a_crowded_hub_reads_at_once_then_once_per_window() -> None:
    log = LogOnly()
    hub = EventHub(log, poll_seconds=60)  # type: ignore[arg-type]
    await hub.start()
    subs = [hub.subscribe(lambda e: True, key="k") for _ in range(CROWD + 1)]
    try:
        log.append(1)
        hub.wake()
        first = await asyncio.wait_for(subs[0].get_batch(10), 5)
        assert [e.id for e in first] == [1]  # the first event of a quiet spell: at once
        reads = log.reads
        for _ in range(5):  # five commits within the window, each waking the hub
            log.append(1)
            hub.wake()
            await asyncio.sleep(CROWD_WINDOW_SECONDS / 20)
        await asyncio.sleep(CROWD_WINDOW_SECONDS * 2)
        assert [e.id for e in await asyncio.wait_for(subs[0].get_batch(10), 5)] == [2, 3, 4, 5, 6]
        assert log.reads - reads <= 2  # not one read per commit
        assert all(len(s.pending) == 0 or [e.id for e in s.pending] == [1, 2, 3, 4, 5, 6] for s in subs[1:])
    finally:
        await hub.stop()


async def test_events_committed_here_go_out_without_a_read_as_the_log_would_give_them() -> None:
    log = LogOnly()
    hub = EventHub(log, poll_seconds=60)  # type: ignore[arg-type]
    await hub.start()
    sub = hub.subscribe(lambda e: True)
    try:
        await asyncio.sleep(0.01)  # the hub's first read, at start
        reads = log.reads
        log.append(2)
        committed = [dataclasses.replace(e, data={"pair": (1, 2), 3: "x"}) for e in log.events]
        hub.committed(committed)
        batch = await asyncio.wait_for(sub.get_batch(10), 5)
        assert [e.id for e in batch] == [1, 2]
        assert log.reads == reads  # from memory
        assert batch[0].data == {"pair": [1, 2], "3": "x"}  # what JSON storage gives back
        assert batch[0] is not committed[0] and committed[0].data == {"pair": (1, 2), 3: "x"}
        await asyncio.wait_for(hub.wait_past(1, 5), 5)
        assert hub.position == 2
    finally:
        await hub.stop()


async def test_a_gap_before_events_committed_here_is_read_from_the_log_with_no_duplicate() -> None:
    log = LogOnly()
    hub = EventHub(log, poll_seconds=60)  # type: ignore[arg-type]
    await hub.start()
    sub = hub.subscribe(lambda e: True)
    try:
        await asyncio.sleep(0.01)
        log.append(3)  # 1 by another process; 2 and 3 here, whose callbacks come in reverse order
        reads = log.reads
        hub.committed([log.events[2]])
        assert [e.id for e in await asyncio.wait_for(sub.get_batch(10), 5)] == [1, 2, 3]
        assert log.reads > reads  # the gap was read from the log
        hub.committed([log.events[1]])  # late: already read
        log.append(1)
        hub.committed([log.events[3]])  # follows on: from memory
        assert [e.id for e in await asyncio.wait_for(sub.get_batch(10), 5)] == [4]
    finally:
        await hub.stop()
