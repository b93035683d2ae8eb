"""Analytics over a window of jobs (created in [start, end)): counts by status, histograms of the
run times of their executions and of how long they waited to start, by queue and name or by
time bucket (rollups.py holds the histograms and says how percentiles are read from them).

A window is answered from three sources, added up:
- daily rollup rows for whole UTC days without a dirty hour (summaries, daily trends);
- hourly rollup rows for the other whole clean hours;
- the raw rows (jobs and executions) for the partial hours at the window's edges and for dirty
  hours (changed since they were rolled), so the answer is exact to the microsecond.
Dirty hours that closed more than an hour ago are rolled first (at most ROLL_BUDGET per query);
the current hour, where jobs still move, is read raw. A `label=` filter (rollups have no
labels) and minute trends read raw rows only, from the covering index ix_jobs_analytics.

A mixin of SQLStorage (it uses `_read`, `_transaction`, `dialect` and `_filter_jobs`)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from baton.backends.storage import JobQuery
from baton.backends.storage.listing import escape_like
from baton.backends.storage.rollups import (
    EPOCH,
    ROLL_BATCH,
    Tally,
    day_mark,
    dirty_hours,
    hour_runs,
    raw_tallies,
    roll,
    rollup_rows,
    seconds_between,
)
from baton.backends.storage.tables import analytics_dirty, analytics_rollups, job_labels, jobs

from baton.timeutil import utcnow

if TYPE_CHECKING:
    from baton.backends.storage.sql import SQLStorage

__all__ = ["AnalyticsMixin", "AnalyticsQuery", "Tally", "seconds_between"]

log = logging.getLogger(__name__)

ROLL_BUDGET = 7 * 24  # dirty hours a query rolls at most; the others it reads raw
_LIKE_ESCAPE = "!"


@dataclass(frozen=True)
class AnalyticsQuery:
    """Jobs created in [start, end) matching `filters` (queue, labels, name prefix, owner),
    tallied by queue, by name or by bucket index from `start` (group)."""

    start: datetime
    end: datetime
    filters: JobQuery
    group: str = "queue"  # queue | name | bucket
    bucket_seconds: int = 3600
    only: tuple[str, ...] | None = None  # with group "name": only these names
    counts_only: bool = False  # group "name": each name's number of jobs only (Tally.jobs)
    rollups: bool = True  # False: raw rows only (the bench compares both)


def _hour(moment: datetime, up: bool = False) -> int:
    seconds = (moment - EPOCH).total_seconds()
    hour = int(seconds // 3600)
    return hour + 1 if up and hour * 3600 < seconds else hour


def _at(hour: int) -> datetime:
    return EPOCH + timedelta(hours=hour)


class AnalyticsMixin:
    async def job_tallies(self: SQLStorage, query: AnalyticsQuery) -> dict[Any, Tally]:
        first, end = _hour(query.start, up=True), _hour(query.end)
        usable = (
            query.rollups
            and not query.filters.labels
            and (query.group != "bucket" or query.bucket_seconds % 3600 == 0)
            and first < end
        )
        if not usable:
            return await self._read(
                lambda conn: self._raw(conn, query, [(query.start, query.end)], {}), long=True
            )
        dirty = await self._read(lambda conn: _marks(conn, first, end))
        closed = sorted(h for h in dirty if 0 <= h < _hour(utcnow()) - 1)[:ROLL_BUDGET]
        if closed or any(h < 0 for h in dirty):  # (a day's mark: its daily rows to rebuild)
            await self.roll_analytics(closed)
            dirty = await self._read(lambda conn: _marks(conn, first, end))
        return await self._read(lambda conn: self._combined(conn, query, first, end, dirty), long=True)

    async def roll_analytics(self: SQLStorage, hours: list[int] | None = None) -> int:
        """Roll these dirty hours (None: every dirty hour) into rollups; how many. A roll that
        fails (a lock timeout, a deadlock victim) leaves its hours dirty: read raw, rolled later."""
        if hours is None:
            hours = sorted(h for h in await self._read(dirty_hours) if h >= 0)
        rolled = 0
        for batch in hour_runs(hours, ROLL_BATCH) or [(-1, 0)]:  # no hours: the days' marks only
            chunk = list(range(*batch))
            try:
                rolled += await self._roll(chunk)
            except sa.exc.DBAPIError as exc:
                log.warning("analytics: rolling hours %s..%s failed: %s", batch[0], batch[1], exc)
        return rolled

    async def roll_closed_analytics(self: SQLStorage, now: datetime) -> int:
        """Housekeeping: roll every dirty hour that closed over an hour ago, as a query would, so
        marks do not pile up where no one asks for analytics (MariaDB appends one per row)."""
        current = _hour(now)
        hours = sorted(h for h in await self._read(dirty_hours) if 0 <= h < current - 1)
        return await self.roll_analytics(hours)

    async def _roll(self: SQLStorage, hours: list[int]) -> int:
        if self.dialect not in ("mysql", "mariadb"):
            return await self._transaction(lambda conn: roll(conn, self.dialect, hours), point=False)
        # READ COMMITTED: no gap locks, so a roll never makes a writer wait (rollups.py)
        async with self._engine.connect() as conn:
            conn = await conn.execution_options(isolation_level="READ COMMITTED")
            async with conn.begin():
                return await conn.run_sync(lambda sync: roll(sync, self.dialect, hours))

    # -- reading -------------------------------------------------------------------------------

    def _combined(
        self: SQLStorage, conn: sa.Connection, query: AnalyticsQuery, first: int, end: int, marks: set[int]
    ) -> dict[Any, Tally]:
        dirty = {h for h in marks if h >= 0}
        found: dict[Any, Tally] = {}
        edges = [(query.start, _at(first)), (_at(end), query.end)]
        edges += [(_at(a), _at(b)) for a, b in hour_runs(dirty)]
        self._raw(conn, query, [(a, b) for a, b in edges if a < b], found)
        days: list[tuple[int, int]] = []
        if query.group != "bucket" or query.bucket_seconds % 86400 == 0:
            for day in range(-(-first // 24), end // 24):
                hours = range(day * 24, day * 24 + 24)
                if day_mark(day) not in marks and not any(h in dirty for h in hours):
                    days.append((hours.start, hours.stop))
        by_day = {hour for a, b in days for hour in range(a, b)}
        clean = [h for h in range(first, end) if h not in dirty and h not in by_day]
        where, key = self._rollup_filters(query), self._rollup_key(query)
        merged: list[tuple[int, int]] = []
        for a, b in days:  # one range of consecutive days: each row's `hour` is its day's first
            merged[-1:] = [(merged[-1][0], b)] if merged and merged[-1][1] == a else [*merged[-1:], (a, b)]
        if query.counts_only:  # a name's total only (summary ranks names by it): added up in SQL
            r = analytics_rollups.c
            for span, runs in ((24, merged), (1, hour_runs(clean))):
                if runs:
                    within = sa.or_(*(sa.and_(r.hour >= a, r.hour < b) for a, b in runs))
                    stmt = sa.select(r.name, sa.func.sum(r.jobs)).where(r.span == span, within, *where)
                    for name, jobs_ in conn.execute(stmt.group_by(r.name)):
                        found.setdefault(name, Tally()).count("jobs", int(jobs_))
            return found
        rollup_rows(conn, 24, merged, where, key, found)
        rollup_rows(conn, 1, hour_runs(clean), where, key, found)
        return found

    def _rollup_filters(self: SQLStorage, query: AnalyticsQuery) -> list[Any]:
        """Which rows: per name (name != ''), per queue (name ''), or all together (queue and
        name ''), the coarsest that answers the group and filters (rollups.roll)."""
        r, filters = analytics_rollups.c, query.filters
        where = []
        if filters.owner_id is not None:
            where.append(r.owner_id == filters.owner_id)
        if filters.queue is not None:
            where.append(r.queue == filters.queue)
        if filters.name_prefix:
            where.append(r.name.like(f"{escape_like(filters.name_prefix)}%", escape=_LIKE_ESCAPE))
        if query.group == "name":
            where.append(r.name != "")
        elif not filters.name_prefix:
            where.append(r.name == "")
            if filters.queue is None:
                where.append(r.queue != "" if query.group == "queue" else r.queue == "")
        if query.only is not None:
            where.append(r.name.in_(sorted(query.only)))
        return where

    def _rollup_key(self: SQLStorage, query: AnalyticsQuery) -> Callable[[Any], Any]:
        if query.group in ("queue", "name"):
            column = query.group
            return lambda row: getattr(row, column)
        origin, width = int((query.start - EPOCH).total_seconds()), query.bucket_seconds
        return lambda row: (row.hour * 3600 - origin) // width

    def _raw(
        self: SQLStorage,
        conn: sa.Connection,
        query: AnalyticsQuery,
        ranges: list[tuple[datetime, datetime]],
        found: dict[Any, Tally],
    ) -> dict[Any, Tally]:
        if query.group in ("queue", "name"):
            keys: tuple[Any, ...] = (jobs.c[query.group],)
        else:
            origin = sa.bindparam("origin", query.start, type_=jobs.c.created_at.type)
            offset = _whole_seconds_between(self.dialect, origin, jobs.c.created_at)
            keys = (sa.cast(sa.func.floor(offset / query.bucket_seconds), sa.Integer),)
        for start, end in ranges:

            def restrict(stmt: sa.Select, start: datetime = start, end: datetime = end) -> Any:
                stmt = stmt.where(jobs.c.created_at >= start, jobs.c.created_at < end)
                return stmt.where(*self._raw_filters(query))

            raw_tallies(conn, self.dialect, keys, restrict, found, counts_only=query.counts_only)
        return found

    def _raw_filters(self: SQLStorage, query: AnalyticsQuery) -> list[Any]:
        """The filters as WHERE terms. `queue` and `name` are compared as `column || ''`, an
        expression no index holds, so the planner keeps to the `created_at` window: given `queue=`
        or a few names, SQLite and PostgreSQL read every job of the queue or names (a million
        rows) for a window of an hour (SQLAlchemy renders no INDEXED BY hint for SQLite)."""
        filters = query.filters

        def column(name: str) -> Any:
            return jobs.c[name] + ""

        where = []
        if filters.queue is not None:
            where.append(column("queue") == filters.queue)
        if filters.owner_id is not None:
            where.append(jobs.c.owner_id == filters.owner_id)
        if filters.name_prefix:
            where.append(column("name").like(f"{escape_like(filters.name_prefix)}%", escape=_LIKE_ESCAPE))
        if query.only is not None:
            where.append(column("name").in_(sorted(query.only)))
        for key, value in filters.labels:
            label = job_labels.c
            where.append(jobs.c.id.in_(sa.select(label.job_id).where(label.key == key, label.value == value)))
        return where


def _marks(conn: sa.Connection, first: int, end: int) -> set[int]:
    """The window's dirty hours and the marks of its days (rollups.day_mark)."""
    hour = analytics_dirty.c.hour
    days = (hour <= day_mark(first // 24)) & (hour >= day_mark(end // 24))
    stmt = sa.select(hour).distinct().where(((hour >= first) & (hour < end)) | days)
    return set(conn.scalars(stmt))


def _whole_seconds_between(dialect: str, start: Any, end: Any) -> Any:
    """Whole seconds from `start` to `end` (later): bucket edges are whole seconds, and counting
    in days, as julianday() does, puts a row on an edge into the bucket before it."""
    if dialect == "sqlite":
        # whole seconds first: SQLite's date functions round to the millisecond (59.9999 s is 60)
        epoch = sa.func.strftime("%s", sa.func.substr(end, 1, 19)) - sa.func.strftime("%s", start)
        return sa.cast(epoch, sa.Integer)
    if dialect == "postgresql":
        return sa.func.floor(sa.func.extract("epoch", end - start))
    return sa.func.timestampdiff(sa.literal_column("SECOND"), start, end)
