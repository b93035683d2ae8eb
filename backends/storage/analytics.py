"""Analytics over a window of jobs: counts by status, run times of their executions and how long
they waited to start, in all or grouped by queue, job name or time bucket.

Each figure is one grouped query the database answers from an index on `created_at` (0009):
- PostgreSQL computes exact percentiles itself (`percentile_cont`);
- SQLite and MariaDB count values into a logarithmic histogram (2% wide bins) in SQL, and the
  percentiles are read from the bins here: within 1%, and a few hundred rows cross the wire
  however many jobs the window holds.

A mixin of SQLStorage (it uses `_read`, `dialect` and the job list's `_filter_jobs`)."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from baton.backends.storage import JobQuery
from baton.backends.storage.tables import executions, jobs

if TYPE_CHECKING:
    from baton.backends.storage.sql import SQLStorage

__all__ = ["AnalyticsMixin", "AnalyticsQuery", "GroupFigures", "seconds_between"]

# histogram bins: bin k holds values in [FLOOR * GROWTH**k, FLOOR * GROWTH**(k+1)); bin 0 also
# everything below FLOOR (a millisecond)
_FLOOR = 0.001
_GROWTH = 1.02


@dataclass(frozen=True)
class AnalyticsQuery:
    """Jobs created in [start, end) matching `filters` (queue, labels, name prefix, owner)."""

    start: datetime
    end: datetime
    filters: JobQuery
    group: str | None = None  # None | "queue" | "name" | "bucket"
    bucket_seconds: int = 3600  # width of a time bucket, from `start`
    only: tuple[str, ...] | None = None  # with group "name": only these names
    percentiles: tuple[float, ...] = (0.5, 0.95, 0.99)
    wait_percentiles: tuple[float, ...] = (0.5, 0.95)


@dataclass
class GroupFigures:
    by_status: dict[str, int] = field(default_factory=dict)
    durations: int = 0  # finished executions measured
    duration_percentiles: tuple[float | None, ...] = ()
    waits: int = 0  # started jobs measured
    wait_percentiles: tuple[float | None, ...] = ()


def seconds_between(dialect: str, start: Any, end: Any) -> Any:
    """`end - start` in seconds, as a SQL expression of the dialect."""
    if dialect == "sqlite":
        return (sa.func.julianday(end) - sa.func.julianday(start)) * 86400.0
    if dialect == "postgresql":
        return sa.func.extract("epoch", end - start)
    return sa.func.timestampdiff(sa.literal_column("MICROSECOND"), start, end) / 1000000.0


def _whole_seconds_between(dialect: str, start: Any, end: Any) -> Any:
    """Whole seconds from `start` to `end` (later): bucket edges are whole seconds, and counting
    in days, as julianday() does, puts a row on an edge into the bucket before it."""
    if dialect == "sqlite":
        epoch = sa.func.strftime("%s", end) - sa.func.strftime("%s", start)
        return sa.cast(epoch, sa.Integer)
    if dialect == "postgresql":
        return sa.func.floor(sa.func.extract("epoch", end - start))
    return sa.func.timestampdiff(sa.literal_column("SECOND"), start, end)


class AnalyticsMixin:
    async def job_analytics(self: SQLStorage, query: AnalyticsQuery) -> dict[Any, GroupFigures]:
        """Figures per group key (None when not grouped; an int bucket index from `start`)."""

        def run(conn: sa.Connection) -> dict[Any, GroupFigures]:
            found: dict[Any, GroupFigures] = defaultdict(GroupFigures)
            key = self._analytics_key(query)
            counts = self._analytics_jobs(sa.select(key, jobs.c.status, sa.func.count()), query)
            for group, status, count in conn.execute(counts.group_by(key, jobs.c.status)):
                found[group].by_status[status] = count
            if not query.percentiles and not query.wait_percentiles:
                return dict(found)
            duration = seconds_between(self.dialect, executions.c.started_at, executions.c.finished_at)
            ran = (
                self._analytics_jobs(sa.select(key), query, index="ix_jobs_created")
                .join(executions, executions.c.job_id == jobs.c.id)
                .where(executions.c.finished_at.is_not(None))
            )
            for group, count, values in self._percentiles(conn, ran, key, duration, query.percentiles):
                found[group].durations, found[group].duration_percentiles = count, values
            wait = seconds_between(self.dialect, jobs.c.run_at, jobs.c.started_at)
            started = self._analytics_jobs(sa.select(key), query).where(jobs.c.started_at.is_not(None))
            for group, count, values in self._percentiles(conn, started, key, wait, query.wait_percentiles):
                found[group].waits, found[group].wait_percentiles = count, values
            return dict(found)

        return await self._read(run)

    def _analytics_key(self: SQLStorage, query: AnalyticsQuery) -> Any:
        if query.group == "queue":
            return jobs.c.queue
        if query.group == "name":
            return jobs.c.name
        if query.group == "bucket":
            origin = sa.bindparam("origin", query.start, type_=jobs.c.created_at.type)
            offset = _whole_seconds_between(self.dialect, origin, jobs.c.created_at)
            return sa.cast(sa.func.floor(offset / query.bucket_seconds), sa.Integer)
        return sa.literal(None)

    def _analytics_jobs(
        self: SQLStorage, stmt: sa.Select, query: AnalyticsQuery, index: str = "ix_jobs_analytics"
    ) -> sa.Select:
        # SQLite picked the queue or name index for `queue=`/`name IN (…)` and read every job of
        # the queue or names, a million rows, for a day's window (6.5 s instead of 0.4 s)
        stmt = stmt.select_from(jobs).with_hint(jobs, f"INDEXED BY {index}", dialect_name="sqlite")
        stmt = self._filter_jobs(stmt, query.filters)
        stmt = stmt.where(jobs.c.created_at >= query.start, jobs.c.created_at < query.end)
        if query.only is not None:
            stmt = stmt.where(jobs.c.name.in_(sorted(query.only)))
        return stmt

    def _percentiles(
        self: SQLStorage,
        conn: sa.Connection,
        rows: sa.Select,
        key: Any,
        value: Any,
        percentiles: Sequence[float],
    ) -> list[tuple[Any, int, tuple[float | None, ...]]]:
        """(group, how many values, their percentiles) for each group of `rows`."""
        if self.dialect == "postgresql":
            exact = [sa.func.percentile_cont(p).within_group(value) for p in percentiles]
            stmt = rows.with_only_columns(key, sa.func.count(), *exact).group_by(key)
            return [(group, count, tuple(values)) for group, count, *values in conn.execute(stmt)]
        biggest = sa.func.max if self.dialect == "sqlite" else sa.func.greatest
        bin_ = sa.cast(
            sa.func.floor(sa.func.ln(biggest(value, _FLOOR) / _FLOOR) / math.log(_GROWTH)), sa.Integer
        )
        stmt = rows.with_only_columns(key, bin_.label("bin"), sa.func.count()).group_by(key, bin_)
        bins: dict[Any, list[tuple[int, int]]] = defaultdict(list)
        for group, index, count in conn.execute(stmt):
            bins[group].append((index, count))
        return [(group, *_from_bins(sorted(found), percentiles)) for group, found in bins.items()]


def _from_bins(bins: list[tuple[int, int]], percentiles: Sequence[float]) -> tuple[int, tuple[float, ...]]:
    """Percentiles from histogram bins (ascending), ranked as percentile_cont ranks them: between
    the values at ranks floor(p * (n - 1)) and the next, each the geometric middle of its bin."""
    total = sum(count for _, count in bins)

    def value_at(rank: int) -> float:
        seen = 0
        for index, count in bins:
            seen += count
            if seen > rank:
                return 0.0 if index <= 0 else _FLOOR * _GROWTH ** (index + 0.5)
        raise AssertionError("rank past the values")

    values = []
    for p in percentiles:
        rank = p * (total - 1)
        low = math.floor(rank)
        below, above = value_at(low), value_at(min(low + 1, total - 1))
        values.append(below + (above - below) * (rank - low))
    return total, tuple(values)
