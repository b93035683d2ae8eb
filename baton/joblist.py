"""The job list (GET /api/v1/jobs): filters, keyset pages in one or more sort orders, and the
optional count, within what the caller may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from baton.backends.storage import JobQuery, StorageBackend
from baton.models import Job, JobStatus, Principal
from baton.pagination import decode_cursor, encode_cursor, invalid_cursor
from baton.timeutil import isoformat, parse_input_timestamp, parse_timestamp

__all__ = ["DEFAULT_SORT", "JobList", "list_jobs"]

DEFAULT_SORT = ("-created_at",)
_TIMESTAMPS = frozenset({"created_at", "updated_at", "run_at"})


@dataclass
class JobList:
    jobs: list[Job]
    next_cursor: str | None
    total: int | None  # when asked for


async def list_jobs(
    storage: StorageBackend,
    principal: Principal,
    *,
    limit: int,
    cursor: str | None = None,
    sort: list[str] | None = None,
    count: bool = False,
    status: list[str] | None = None,
    queue: str | None = None,
    label: list[str] | None = None,
    created_after: str | None = None,
    created_before: str | None = None,
    name: str | None = None,
    search: str | None = None,
    owner: str | None = None,
    worker: str | None = None,
    schedule_id: str | None = None,
    workflow_id: str | None = None,
) -> JobList:
    """The parameters are GET /api/v1/jobs's query parameters, by name."""
    order = _order(sort or list(DEFAULT_SORT))
    # the cursor is bound to the sort, written the one canonical way
    sort_key = ",".join(("-" if desc else "") + field for field, desc in order)
    query = JobQuery(
        limit=limit + 1,
        statuses=frozenset(JobStatus(s) for s in status or []),
        queue=queue,
        # a member sees only their own jobs: an `owner` filter for anyone else finds nothing
        owner_id=None if principal.sees_all_jobs else principal.user_id,
        owner_name=owner,
        worker=worker,
        schedule_id=schedule_id.lower() if schedule_id else None,
        workflow_id=workflow_id.lower() if workflow_id is not None else None,
        labels=tuple(tuple(pair.split("=", 1)) for pair in label or []),
        created_after=_query_time("created_after", created_after),
        created_before=_query_time("created_before", created_before),
        name_prefix=name,
        name_contains=search,
        sort_field=order[0][0],
        descending=order[0][1],
        then_by=tuple(order[1:]),
        after=_position(decode_cursor(cursor, sort_key), order) if cursor else None,
    )
    jobs = await storage.list_jobs(query)
    next_cursor = None
    if len(jobs) > limit:
        jobs = jobs[:limit]
        last = jobs[-1]
        next_cursor = encode_cursor(sort_key, [*(_key(last, field) for field, _ in order), last.id])
    total = await storage.count_jobs(query) if count else None
    return JobList(jobs, next_cursor, total)


def _order(sort: list[str]) -> list[tuple[str, bool]]:
    """`["-priority", "name"]` -> [("priority", True), ("name", False)]. A field named again
    (`priority,-priority`) is dropped: the first mention leaves it no ties to order."""
    order: dict[str, bool] = {}
    for item in sort:
        order.setdefault(item.lstrip("-"), item.startswith("-"))
    return list(order.items())


def _key(job: Job, field: str) -> Any:
    value = getattr(job, field)
    return isoformat(value) if field in _TIMESTAMPS else value


def _position(position: list[Any], order: list[tuple[str, bool]]) -> tuple[Any, ...]:
    """A cursor's keyset position, each value checked: a cursor is client input, and a value the
    database cannot compare must be a 400, not a 500."""
    if len(position) != len(order) + 1:
        raise invalid_cursor()
    *values, last_id = position
    if not isinstance(last_id, str) or len(last_id) > 64:
        raise invalid_cursor()
    checked: list[Any] = []
    for (field, _), value in zip(order, values, strict=True):
        try:
            if field in _TIMESTAMPS:
                checked.append(parse_timestamp(value))
            elif field == "priority" and _int_between(value, 0, 9):
                checked.append(value)
            elif field == "name" and isinstance(value, str) and len(value) <= 200:
                checked.append(value)
            else:
                raise ValueError
        except (ValueError, TypeError):
            raise invalid_cursor() from None
    return (*checked, last_id)


def _query_time(field: str, value: str | None) -> datetime | None:
    if value is None:
        return None
    return parse_input_timestamp(value, f"query.{field}")


def _int_between(value: Any, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high
