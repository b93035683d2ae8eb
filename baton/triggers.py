"""When a schedule fires: a cron expression (baton/cron.py) or a fixed interval, within bounds.

* Cron schedules are evaluated in the schedule's IANA time zone with the DST rules of
  baton/cron.py (a skipped wall time fires once at the jump, a repeated one once, first time).
* Interval schedules are pure elapsed time, unaffected by DST: they fire at anchor, anchor + i,
  anchor + 2i, … where the anchor is `start_at`, or, without one, the creation time plus one
  interval (the first run comes one interval after creation, not at once).
* Bounds: a fire time t counts when start_at <= t <= end_at; after `max_runs` runs there is none.
* Jitter: a run starts up to `jitter_seconds` after its nominal fire time, by an offset every
  server process derives alike from (schedule id, nominal time); the nominal time stays the
  schedule's bookkeeping, the offset only delays the run.

Times in: aware, or naive UTC (as storage keeps them). Times out: aware UTC."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import islice
from typing import Any

from baton.cron import (
    INVALID_SCHEDULE_EXPRESSION,
    CronExpression,
    as_utc,
    invalid_schedule,
    parse_cron,
    parse_timezone,
)
from baton.errors import InvalidInput, Unprocessable
from baton.timeutil import parse_input_timestamp

__all__ = [
    "INVALID_SCHEDULE",
    "MAX_INTERVAL_SECONDS",
    "MAX_JITTER_SECONDS",
    "MAX_PREVIEW",
    "Trigger",
    "jitter_offset",
    "parse_trigger",
]

INVALID_SCHEDULE = "INVALID_SCHEDULE"  # bounds that contradict each other
MAX_INTERVAL_SECONDS = 10 * 366 * 86400
MAX_JITTER_SECONDS = 86400
MAX_PREVIEW = 1000


@dataclass(frozen=True)
class Trigger:
    """The timing part of a schedule: which nominal instants it fires at."""

    timezone: str
    cron: CronExpression | None = None
    interval: timedelta | None = None
    anchor: datetime | None = None  # interval schedules count from here (aware UTC)
    start_at: datetime | None = None  # aware UTC
    end_at: datetime | None = None
    max_runs: int | None = None
    jitter_seconds: int = 0

    def fires_after(self, after: datetime) -> Iterator[datetime]:
        """Nominal fire times strictly after `after`, ascending, within start_at/end_at."""
        after = as_utc(after)
        if self.start_at is not None and after < self.start_at:
            after = self.start_at - timedelta(microseconds=1)  # start_at itself may fire
        times = self._cron_after(after) if self.cron is not None else self._interval_after(after)
        for moment in times:
            if self.end_at is not None and moment > self.end_at:
                return
            yield moment

    def fires_at_or_before(self, at: datetime) -> Iterator[datetime]:
        """Nominal fire times at or before `at`, newest first, within start_at/end_at."""
        at = as_utc(at)
        if self.end_at is not None and at > self.end_at:
            at = self.end_at
        times = self._cron_at_or_before(at) if self.cron is not None else self._interval_at_or_before(at)
        for moment in times:
            if self.start_at is not None and moment < self.start_at:
                return
            yield moment

    def next_fire(self, after: datetime, *, runs_so_far: int = 0) -> datetime | None:
        """The first nominal fire time strictly after `after`; None when the schedule is over."""
        if self.max_runs is not None and runs_so_far >= self.max_runs:
            return None
        return next(self.fires_after(after), None)

    def preview(self, count: int, after: datetime, *, runs_so_far: int = 0) -> list[datetime]:
        """The next `count` nominal fire times after `after` (fewer when the schedule ends)."""
        if not 1 <= count <= MAX_PREVIEW:
            message = f"must lie in 1..{MAX_PREVIEW}"
            raise InvalidInput(f"count {message}", errors=[{"field": "count", "message": message}])
        if self.max_runs is not None:
            count = min(count, max(self.max_runs - runs_so_far, 0))
        return list(islice(self.fires_after(after), count))

    def run_at(self, schedule_id: str, nominal: datetime) -> datetime:
        """When the run for `nominal` starts: nominal plus the schedule's jitter."""
        offset = jitter_offset(schedule_id, nominal, self.jitter_seconds)
        return as_utc(nominal) + timedelta(seconds=offset)

    # -- the two kinds ----------------------------------------------------------------------

    def _cron_after(self, after: datetime) -> Iterator[datetime]:
        assert self.cron is not None
        return self.cron.iter_after(after)

    def _cron_at_or_before(self, at: datetime) -> Iterator[datetime]:
        assert self.cron is not None
        return self.cron.iter_at_or_before(at)

    def _interval_after(self, after: datetime) -> Iterator[datetime]:
        anchor, step = self._interval_parts()
        index = 0 if after < anchor else (after - anchor) // step + 1
        while True:
            try:
                yield anchor + index * step
            except OverflowError:
                return
            index += 1

    def _interval_at_or_before(self, at: datetime) -> Iterator[datetime]:
        anchor, step = self._interval_parts()
        if at < anchor:
            return
        index = (at - anchor) // step
        while index >= 0:
            yield anchor + index * step
            index -= 1

    def _interval_parts(self) -> tuple[datetime, timedelta]:
        assert self.anchor is not None and self.interval is not None
        return self.anchor, self.interval


def jitter_offset(schedule_id: str, nominal: datetime, jitter_seconds: int) -> int:
    """Whole seconds in [0, jitter_seconds], the same in every process for one schedule and fire
    time (a hash, not a random generator), and spread evenly across schedules."""
    if jitter_seconds <= 0:
        return 0
    key = f"{schedule_id}|{as_utc(nominal).isoformat()}".encode()
    digest = int.from_bytes(hashlib.sha256(key).digest()[:8], "big")
    return digest % (jitter_seconds + 1)


def parse_trigger(body: Mapping[str, Any], *, created_at: datetime) -> Trigger:
    """The trigger of a schedule body (`cron` or `interval_seconds`, `timezone`, `start_at`,
    `end_at`, `max_runs`, `jitter_seconds`); a 422 for what cannot fire as asked."""
    cron_text, interval_seconds = body.get("cron"), body.get("interval_seconds")
    if (cron_text is None) == (interval_seconds is None):
        raise invalid_schedule("cron", "give exactly one of cron and interval_seconds")
    timezone = body.get("timezone") or "UTC"
    zone = parse_timezone(timezone)
    start_at = _moment(body, "start_at")
    end_at = _moment(body, "end_at")
    if start_at is not None and end_at is not None and end_at <= start_at:
        raise Unprocessable(
            "end_at must lie after start_at",
            code=INVALID_SCHEDULE,
            errors=[{"field": "end_at", "message": "must lie after start_at"}],
        )
    max_runs = _whole(body, "max_runs", 1, 2**31 - 1)
    jitter = _whole(body, "jitter_seconds", 0, MAX_JITTER_SECONDS) or 0
    if cron_text is not None:
        return Trigger(
            timezone=timezone,
            cron=parse_cron(cron_text, zone),
            start_at=start_at,
            end_at=end_at,
            max_runs=max_runs,
            jitter_seconds=jitter,
        )
    seconds = _whole(body, "interval_seconds", 1, MAX_INTERVAL_SECONDS, code=INVALID_SCHEDULE_EXPRESSION)
    assert seconds is not None
    interval = timedelta(seconds=seconds)
    return Trigger(
        timezone=timezone,
        interval=interval,
        anchor=start_at if start_at is not None else as_utc(created_at) + interval,
        start_at=start_at,
        end_at=end_at,
        max_runs=max_runs,
        jitter_seconds=jitter,
    )


def _moment(body: Mapping[str, Any], field: str) -> datetime | None:
    value = body.get(field)
    if value is None:
        return None
    if isinstance(value, datetime):
        return as_utc(value)
    return as_utc(parse_input_timestamp(value, field))


def _whole(
    body: Mapping[str, Any], field: str, low: int, high: int, *, code: str = INVALID_SCHEDULE
) -> int | None:
    value = body.get(field)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise Unprocessable(
            f"{field} must be a whole number in {low}..{high}",
            code=code,
            errors=[{"field": field, "message": f"must be a whole number in {low}..{high}"}],
        )
    return value
