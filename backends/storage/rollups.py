"""Analytics rollups: the figures of the jobs created in each hour (and each UTC day), per queue,
name and owner, so a month of a million jobs is a few thousand rows to add up, not a million.

What a rollup row holds: how many jobs by status, and two log-histograms (2% wide bins, the
same bins the raw path counts into, so both paths give the same percentiles): run times of
their finished executions, and waits from `run_at` to `started_at`.

How they stay exact (migration 0015): triggers on `jobs` and `executions` append the hour of any
job whose analytics columns changed to `analytics_dirty`. `roll()` recomputes dirty hours from
the raw rows and drops their marks in the same transaction; a query (analytics.py) reads
rollups only for clean hours and counts the rest (the partial hours at the window's edges and
dirty hours) from raw rows. So the answer is the raw computation's whatever wrote the rows: the
API, a retry, a delete, a bulk import or a hand-made DELETE. Why the marks cannot be lost:
- SQLite: one writer at a time; a roll runs in a write transaction, after or before any change.
- PostgreSQL: a change inserts its mark only if the hour has none (one INSERT per statement, a
  statement-level trigger); a roll first takes `LOCK TABLE analytics_dirty IN EXCLUSIVE MODE`,
  which waits for every open transaction that ran such an INSERT (even one that inserted
  nothing, relying on an existing mark), so each change is either committed (and counted by the
  recomputation) or still to commit (and then its hour is marked again, or its mark survives).
  Writers never wait for each other on marks; they wait for a roll only while it runs (one
  batch of hours, short; `lock_timeout` makes a roll give up rather than queue behind a long
  transaction).
- MariaDB: every change appends a mark (no check: InnoDB's shared locks on a checked row let
  two writers deadlock); the roll's DELETE of an hour's marks waits for uncommitted ones, and
  its recomputation reads after that. Rolls are serialized by GET_LOCK.
Daily rows are rebuilt from the 24 hourly rows when the last dirty hour of a day is rolled, and
used only for days without dirty hours."""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from itertools import accumulate, islice
from operator import add
from typing import Any

import orjson
import sqlalchemy as sa
from baton.backends.storage.tables import analytics_dirty, analytics_rollups, executions, jobs

__all__ = [
    "BINS",
    "EPOCH",
    "Tally",
    "bin_of",
    "day_mark",
    "dirty_hours",
    "hour_of",
    "hour_runs",
    "raw_tallies",
    "roll",
    "rollup_rows",
    "seconds_between",
]

EPOCH = datetime(1970, 1, 1)
# bin k holds values in [FLOOR * GROWTH**k, FLOOR * GROWTH**(k+1)); bin 0 also everything below
# FLOOR (a millisecond); the last bin everything from about 4.7 years on
FLOOR = 0.001
GROWTH = 1.02
BINS = 1300
ROLL_BATCH = 6  # hours per roll transaction: writers of jobs wait for one on PostgreSQL


class Tally:
    """Jobs by status, and dense histograms of run times and waits (counts by bin), with the
    span of bins that hold any (a minute's tally holds a few of 1,300)."""

    __slots__ = ("runs", "spans", "statuses", "waits")

    def __init__(self) -> None:
        self.statuses: dict[str, int] = {}
        self.runs: list[int] | None = None
        self.waits: list[int] | None = None
        self.spans: dict[str, tuple[int, int]] = {}  # kind: [first, end) of the bins in use

    @property
    def jobs(self) -> int:
        return sum(self.statuses.values())

    def count(self, status: str, n: int) -> None:
        self.statuses[status] = self.statuses.get(status, 0) + n

    def add_bin(self, kind: str, index: int, n: int) -> None:
        index = min(max(index, 0), BINS - 1)
        self._bins(kind, index, index + 1)[index] += n

    def add_encoded(self, kind: str, encoded: Sequence[int]) -> None:
        """Add a histogram stored as [first bin, its count, the next bin's count, ...]."""
        if len(encoded) < 2:
            return
        low = encoded[0]
        high = low + len(encoded) - 1
        bins = self._bins(kind, low, high)
        bins[low:high] = map(add, bins[low:high], islice(encoded, 1, None))

    def merge(self, other: Tally) -> None:
        for status, n in other.statuses.items():
            self.count(status, n)
        for kind, (low, high) in other.spans.items():
            theirs, mine = getattr(other, kind), self._bins(kind, low, high)
            mine[low:high] = map(add, mine[low:high], theirs[low:high])

    def encoded(self, kind: str) -> list[int]:
        if kind not in self.spans:
            return []
        low, high = self.spans[kind]
        return [low, *getattr(self, kind)[low:high]]

    def measured(self, kind: str) -> int:
        if kind not in self.spans:
            return 0
        low, high = self.spans[kind]
        return sum(getattr(self, kind)[low:high])

    def percentiles(self, kind: str, wanted: Sequence[float]) -> tuple[float | None, ...]:
        """As percentile_cont ranks them: between the values at ranks floor(p * (n - 1)) and the
        next, each the geometric middle of its bin (so within 1% of the exact value)."""
        if kind not in self.spans:
            return tuple(None for _ in wanted)
        low, high = self.spans[kind]
        cumulative = list(accumulate(getattr(self, kind)[low:high]))
        total = cumulative[-1]

        def value_at(rank: int) -> float:
            index = low + bisect_right(cumulative, rank)  # the first bin with more values than `rank`
            return 0.0 if index <= 0 else FLOOR * GROWTH ** (index + 0.5)

        found = []
        for p in wanted:
            first, second = _ranks(p, total)
            below, above = value_at(first), value_at(second)
            found.append(below + (above - below) * (p * (total - 1) - first))
        return tuple(found)

    def _bins(self, kind: str, low: int, high: int) -> list[int]:
        bins = getattr(self, kind)
        if bins is None:
            bins = [0] * BINS
            setattr(self, kind, bins)
            self.spans[kind] = (low, high)
        else:
            was = self.spans[kind]
            if low < was[0] or high > was[1]:
                self.spans[kind] = (min(low, was[0]), max(high, was[1]))
        return bins


def _ranks(p: float, total: int) -> tuple[int, int]:
    low = math.floor(p * (total - 1))
    return low, min(low + 1, total - 1)


# -- SQL expressions, per dialect --------------------------------------------------------------


def seconds_between(dialect: str, start: Any, end: Any) -> Any:
    """`end - start` in seconds, as a SQL expression of the dialect."""
    if dialect == "sqlite":
        return (sa.func.julianday(end) - sa.func.julianday(start)) * 86400.0
    if dialect == "postgresql":
        return sa.func.extract("epoch", end - start)
    return sa.func.timestampdiff(sa.literal_column("MICROSECOND"), start, end) / 1000000.0


def hour_of(dialect: str, moment: Any) -> Any:
    """Whole hours from 1970 to `moment`, as the triggers of migration 0015 count them."""
    if dialect == "sqlite":
        return sa.cast(sa.func.strftime("%s", sa.func.substr(moment, 1, 19)), sa.Integer).op("/")(3600)
    if dialect == "postgresql":
        return sa.cast(sa.func.floor(sa.func.extract("epoch", moment).op("/")(3600)), sa.Integer)
    return sa.func.timestampdiff(sa.literal_column("HOUR"), sa.literal("1970-01-01 00:00:00"), moment)


def bin_of(dialect: str, seconds: Any) -> Any:
    biggest = sa.func.max if dialect == "sqlite" else sa.func.greatest
    return sa.cast(sa.func.floor(sa.func.ln(biggest(seconds, FLOOR) / FLOOR) / math.log(GROWTH)), sa.Integer)


# -- raw rows ----------------------------------------------------------------------------------


def raw_tallies(
    conn: sa.Connection,
    dialect: str,
    keys: Sequence[Any],
    restrict: Callable[[sa.Select], sa.Select],
    found: dict[Any, Tally] | None = None,
    *,
    counts_only: bool = False,
) -> dict[Any, Tally]:
    """Tallies of the jobs `restrict(select)` keeps, by `keys` (SQL expressions; the key
    is the tuple of their values, or the value itself for one key)."""
    found = {} if found is None else found

    def key_of(row: Sequence[Any]) -> Any:
        return row[0] if len(keys) == 1 else tuple(row[: len(keys)])

    def tally(row: Sequence[Any]) -> Tally:
        key = key_of(row)
        if key not in found:
            found[key] = Tally()
        return found[key]

    width = len(keys)
    counts = restrict(sa.select(*keys, jobs.c.status, sa.func.count()).select_from(jobs))
    for row in conn.execute(counts.group_by(*keys, jobs.c.status)):
        tally(row).count(row[width], row[width + 1])
    if counts_only:
        return found
    duration = bin_of(dialect, seconds_between(dialect, executions.c.started_at, executions.c.finished_at))
    ran = restrict(sa.select(*keys, duration, sa.func.count()).select_from(jobs))
    ran = ran.join(executions, executions.c.job_id == jobs.c.id).where(executions.c.finished_at.is_not(None))
    for row in conn.execute(ran.group_by(*keys, duration)):
        tally(row).add_bin("runs", row[width], row[width + 1])
    wait = bin_of(dialect, seconds_between(dialect, jobs.c.run_at, jobs.c.started_at))
    started = restrict(sa.select(*keys, wait, sa.func.count()).select_from(jobs))
    for row in conn.execute(started.where(jobs.c.started_at.is_not(None)).group_by(*keys, wait)):
        tally(row).add_bin("waits", row[width], row[width + 1])
    return found


def _created_between(start: datetime, end: datetime) -> Callable[[sa.Select], sa.Select]:
    def restrict(stmt: sa.Select) -> sa.Select:
        return stmt.where(jobs.c.created_at >= start, jobs.c.created_at < end)

    return restrict


# -- rollup rows -------------------------------------------------------------------------------


def dirty_hours(conn: sa.Connection, first: int | None = None, end: int | None = None) -> set[int]:
    stmt = sa.select(analytics_dirty.c.hour).distinct()
    if first is not None:
        stmt = stmt.where(analytics_dirty.c.hour >= first)
    if end is not None:
        stmt = stmt.where(analytics_dirty.c.hour < end)
    return set(conn.scalars(stmt))


def hour_runs(hours: Iterable[int], longest: int | None = None) -> list[tuple[int, int]]:
    """Sorted hours as [first, end) runs of consecutive hours (of at most `longest`)."""
    runs: list[tuple[int, int]] = []
    for hour in sorted(hours):
        if runs and runs[-1][1] == hour and (longest is None or hour - runs[-1][0] < longest):
            runs[-1] = (runs[-1][0], hour + 1)
        else:
            runs.append((hour, hour + 1))
    return runs


def rollup_rows(
    conn: sa.Connection,
    span: int,
    ranges: Sequence[tuple[int, int]],
    where: Sequence[Any],
    key: Callable[[Any], Any],
    found: dict[Any, Tally],
    *,
    counts_only: bool = False,
) -> None:
    """Add the rollup rows of `span` starting in the hour ranges to found[key(row)]."""
    if not ranges:
        return
    r = analytics_rollups.c
    within = sa.or_(*(sa.and_(r.hour >= first, r.hour < end) for first, end in ranges))
    columns = (r.hour, r.queue, r.name, r.statuses) + (() if counts_only else (r.run_bins, r.wait_bins))
    stmt = sa.select(*columns).where(r.span == span, within, *where)
    loads = orjson.loads
    for row in conn.execute(stmt):
        group = key(row)
        tally = found.get(group)
        if tally is None:
            tally = found[group] = Tally()
        for status, n in loads(row.statuses).items():
            tally.statuses[status] = tally.statuses.get(status, 0) + n
        if not counts_only:
            tally.add_encoded("runs", loads(row.run_bins))
            tally.add_encoded("waits", loads(row.wait_bins))


def _write_rows(conn: sa.Connection, span: int, tallies: dict[Any, Tally]) -> None:
    rows = [
        dict(
            span=span,
            hour=hour,
            queue=queue,
            name=name,
            owner_id=owner,
            jobs=tally.jobs,
            statuses=orjson.dumps(tally.statuses).decode(),
            runs=tally.measured("runs"),
            run_bins=orjson.dumps(tally.encoded("runs")).decode(),
            waits=tally.measured("waits"),
            wait_bins=orjson.dumps(tally.encoded("waits")).decode(),
        )
        for (hour, queue, name, owner), tally in tallies.items()
    ]
    for first in range(0, len(rows), 2000):
        conn.execute(analytics_rollups.insert(), rows[first : first + 2000])


def day_mark(day: int) -> int:
    """A day's mark in analytics_dirty (below every hour): its daily rows are to be rebuilt."""
    return -1 - day


def roll(conn: sa.Connection, dialect: str, hours: Iterable[int] | None, *, lock: bool = True) -> int:
    """Recompute these dirty hours (None: all) from raw rows, then the daily rows of the days
    left without dirty hours, in this transaction; how many hours."""
    if lock and dialect == "postgresql":
        conn.execute(sa.text("SET LOCAL lock_timeout = '500ms'"))
        conn.execute(sa.text("LOCK TABLE analytics_dirty IN EXCLUSIVE MODE"))
    marks = dirty_hours(conn)
    dirty = {hour for hour in marks if hour >= 0}
    todo = dirty if hours is None else dirty & set(hours)
    days = {-1 - mark for mark in marks if mark < 0} | {hour // 24 for hour in todo}
    r, d = analytics_rollups.c, analytics_dirty.c
    keys = (hour_of(dialect, jobs.c.created_at), jobs.c.queue, jobs.c.name, jobs.c.owner_id)
    for first, end in hour_runs(todo):
        # the marks first: on MariaDB this waits for writers still to commit a change of these hours
        conn.execute(analytics_dirty.delete().where(d.hour >= first, d.hour < end))
        start, stop = EPOCH + timedelta(hours=first), EPOCH + timedelta(hours=end)
        tallies = raw_tallies(conn, dialect, keys, _created_between(start, stop))
        # and per queue, all names together (name ''), and all queues and names together (queue
        # and name ''; neither is ever empty): what a summary's totals and queues and a trend
        # read, 8 rows and 1 an hour, not 200
        for (hour, queue, _, owner), tally in list(tallies.items()):
            tallies.setdefault((hour, queue, "", owner), Tally()).merge(tally)
            tallies.setdefault((hour, "", "", owner), Tally()).merge(tally)
        conn.execute(analytics_rollups.delete().where(r.span == 1, r.hour >= first, r.hour < end))
        _write_rows(conn, 1, tallies)
    for day in sorted(days):
        first = day * 24
        # a day's rows are stale from now until rebuilt: its mark says so (a concurrent roll
        # of another of its hours, not yet committed, may leave the rebuild to a later roll)
        conn.execute(analytics_dirty.delete().where(d.hour == day_mark(day)))
        conn.execute(analytics_rollups.delete().where(r.span == 24, r.hour == first))
        if dirty_hours(conn, first, first + 24):
            conn.execute(analytics_dirty.insert().values(hour=day_mark(day)))
            continue
        daily: dict[Any, Tally] = {}
        stmt = sa.select(r.queue, r.name, r.owner_id, r.statuses, r.run_bins, r.wait_bins).where(
            r.span == 1, r.hour >= first, r.hour < first + 24
        )
        for row in conn.execute(stmt):
            tally = daily.setdefault((first, row.queue, row.name, row.owner_id), Tally())
            for status, n in orjson.loads(row.statuses).items():
                tally.count(status, n)
            tally.add_encoded("runs", orjson.loads(row.run_bins))
            tally.add_encoded("waits", orjson.loads(row.wait_bins))
        _write_rows(conn, 24, daily)
    return len(todo)
