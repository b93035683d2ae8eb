"""GET /api/v1/analytics/summary and /trends: the window, the filters and the visibility of the
caller, turned into storage queries (backends/storage/analytics.py) and the spec's bodies."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from baton.backends.storage import JobQuery, StorageBackend
from baton.backends.storage.analytics import AnalyticsQuery, Tally
from baton.errors import InvalidInput
from baton.models import JobStatus, Principal
from baton.timeutil import isoformat, parse_input_timestamp, utcnow

__all__ = ["BUCKETS", "MAX_BUCKETS", "TOP_NAMES", "summary", "trends"]

BUCKETS = {"minute": 60, "hour": 3600, "day": 86400}
# the default window of a trend: an hour of minutes, a day of hours, a month of days
DEFAULT_POINTS = {"minute": 60, "hour": 24, "day": 30}
MAX_BUCKETS = 1500
TOP_NAMES = 50
SUMMARY_SPAN = timedelta(days=1)
PERCENTILES = (0.5, 0.95, 0.99)
WAIT_PERCENTILES = (0.5, 0.95)


async def summary(
    storage: StorageBackend, principal: Principal, *, rollups: bool = True, **params: Any
) -> dict[str, Any]:
    """`params`: the operation's query parameters by name (from, to, queue, name, label);
    `rollups=False` reads raw rows only (bench/analytics.py compares both)."""
    end = _time(params, "to") or utcnow()
    start = _time(params, "from") or end - SUMMARY_SPAN
    base = replace(_query(principal, start, end, params), rollups=rollups)
    queues = await storage.job_tallies(base)
    totals = Tally()
    for tally in queues.values():
        totals.merge(tally)
    # names can be many: their counts first, then the figures of the busiest only
    counts = await storage.job_tallies(replace(base, group="name", counts_only=True))
    busiest = sorted(counts, key=lambda name: (-counts[name].jobs, name))[:TOP_NAMES]
    names = await storage.job_tallies(replace(base, group="name", only=tuple(busiest))) if busiest else {}
    return {
        "from": isoformat(start),
        "to": isoformat(end),
        "totals": _figures(totals),
        "by_queue": [
            {"queue": queue, **_figures(queues[queue])}
            for queue in sorted(queues, key=lambda q: (-queues[q].jobs, q))
        ],
        "by_name": [{"name": name, **_figures(names[name])} for name in busiest],
    }


async def trends(
    storage: StorageBackend,
    principal: Principal,
    bucket: str = "hour",
    *,
    rollups: bool = True,
    **params: Any,
) -> dict[str, Any]:
    width = BUCKETS[bucket]
    end = _time(params, "to") or utcnow()
    start = _time(params, "from") or end - timedelta(seconds=width * DEFAULT_POINTS[bucket])
    start = _floor(start, width)
    if start >= end:  # checked again after the rounding, which can only widen the window
        raise _bad_range()
    points = -(-int((end - start).total_seconds()) // width) or 1
    if points > MAX_BUCKETS:
        raise InvalidInput(
            f"The window holds {points} {bucket}s; a trend has at most {MAX_BUCKETS} points: "
            "use a wider bucket or a shorter window",
            code="TOO_MANY_BUCKETS",
            errors=[{"field": "query.bucket", "message": f"{points} buckets, at most {MAX_BUCKETS}"}],
        )
    query = replace(
        _query(principal, start, end, params), group="bucket", bucket_seconds=width, rollups=rollups
    )
    found = await storage.job_tallies(query)
    return {
        "from": isoformat(start),
        "to": isoformat(end),
        "bucket": bucket,
        "points": [
            {"start": isoformat(start + timedelta(seconds=width * index)), **_figures(found.get(index))}
            for index in range(points)
        ],
    }


def _query(principal: Principal, start: datetime, end: datetime, params: dict[str, Any]) -> AnalyticsQuery:
    if start >= end:
        raise _bad_range()
    filters = JobQuery(
        limit=0,
        queue=params.get("queue"),
        name_prefix=params.get("name"),
        labels=tuple(tuple(pair.split("=", 1)) for pair in params.get("label") or []),
        # a member's figures are of their own jobs, as their job list is
        owner_id=None if principal.sees_all_jobs else principal.user_id,
    )
    return AnalyticsQuery(start=start, end=end, filters=filters)


def _figures(found: Tally | None) -> dict[str, Any]:
    found = found or Tally()
    by_status = {status.value: found.statuses.get(status.value, 0) for status in JobStatus}
    ended = by_status["completed"] + by_status["failed"] + by_status["timed_out"]
    p = _padded(found.percentiles("runs", PERCENTILES), 3)
    w = _padded(found.percentiles("waits", WAIT_PERCENTILES), 2)
    return {
        "jobs": sum(by_status.values()),
        "by_status": by_status,
        "success_rate": round(by_status["completed"] / ended, 4) if ended else None,
        "duration_seconds": {"count": found.measured("runs"), "p50": p[0], "p95": p[1], "p99": p[2]},
        "queue_wait_seconds": {"count": found.measured("waits"), "p50": w[0], "p95": w[1]},
    }


def _padded(values: tuple[float | None, ...], size: int) -> list[float | None]:
    # rounded to the microsecond the timestamps have; a clock step back can make one negative
    rounded = [None if v is None else max(0.0, round(float(v), 6)) for v in values]
    return (rounded + [None] * size)[:size]


def _time(params: dict[str, Any], name: str) -> datetime | None:
    value = params.get(name)
    return None if value is None else parse_input_timestamp(value, f"query.{name}")


def _floor(moment: datetime, width: int) -> datetime:
    epoch = datetime(1970, 1, 1)
    return epoch + timedelta(seconds=int((moment - epoch).total_seconds()) // width * width)


def _bad_range() -> InvalidInput:
    return InvalidInput(
        "`from` must be before `to`",
        code="INVALID_TIME_RANGE",
        errors=[{"field": "query.from", "message": "not before `to`"}],
    )
