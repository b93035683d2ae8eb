"""Operations on many jobs in one request: submit a batch, cancel everything a filter matches."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

from baton import states
from baton.backends.storage import JobQuery
from baton.errors import BatonError, InvalidInput
from baton.lifecycle import JobService, build_job
from baton.models import LIVE_STATES, Job, JobStatus, Principal
from baton.timeutil import parse_timestamp, utcnow

__all__ = ["BatchItem", "cancel_matching", "create_batch"]

CANCEL_PAGE = 200

# (index, created job, or the error that rejected it)
BatchItem = tuple[int, Job | None, BatonError | None]


async def create_batch(
    jobs: JobService, principal: Principal, bodies: list[dict[str, Any]], *, atomic: bool
) -> list[BatchItem]:
    """Check every job as a single create would, then insert the accepted ones in one
    transaction. With `atomic`, any rejection rejects the whole batch (InvalidInput)."""
    now = utcnow()
    accepted: list[Job] = []
    results: list[BatchItem] = []
    queues = {name: await jobs.queues.get(name) for name in sorted({body["queue"] for body in bodies})}
    # one look-up of the fleet's tasks for the whole batch, and none for a batch of commands
    known = await jobs.known_tasks() if any(body.get("task") is not None for body in bodies) else frozenset()
    for index, body in enumerate(bodies):
        try:
            job = build_job(principal, body, now, queues[body["queue"]], known)
        except BatonError as exc:
            results.append((index, None, exc))
            continue
        accepted.append(job)
        results.append((index, job, None))
    rejected = [(index, error) for index, job, error in results if error is not None]
    if atomic and rejected:
        errors = [
            {
                "field": f"jobs.{index}" + (f".{field['field']}" if field["field"] else ""),
                "message": field["message"],
            }
            for index, error in rejected
            for field in error.errors or [{"field": "", "message": error.detail}]
        ]
        raise InvalidInput(
            f"{len(rejected)} of {len(bodies)} jobs were rejected, so none was created (atomic batch)",
            errors=errors[:100],
        )
    await jobs.storage.insert_jobs(accepted)
    if any(job.status is JobStatus.PENDING for job in accepted):
        jobs.wake()
    return results


async def cancel_matching(
    jobs: JobService, principal: Principal, criteria: dict[str, Any], *, limit: int
) -> dict[str, Any]:
    """Cancel up to `limit` live jobs that match `criteria` (a JobFilter body), oldest first."""
    statuses = frozenset(JobStatus(s) for s in criteria.get("status") or []) or LIVE_STATES
    base = JobQuery(
        limit=CANCEL_PAGE,
        statuses=statuses,
        queue=criteria.get("queue"),
        owner_id=None if principal.sees_all_jobs else principal.user_id,
        labels=tuple(sorted((criteria.get("labels") or {}).items())),
        created_after=_time(criteria, "created_after"),
        created_before=_time(criteria, "created_before"),
        name_prefix=criteria.get("name_prefix"),
        ids=frozenset(job_id.lower() for job_id in criteria.get("ids") or []),
        sort_field="created_at",
        descending=False,
    )
    cancelled: list[str] = []
    skipped = 0
    after: tuple[Any, str] | None = None
    while len(cancelled) < limit:
        page = await jobs.storage.list_jobs(_page(base, after, min(CANCEL_PAGE, limit - len(cancelled))))
        if not page:
            break
        after = (page[-1].created_at, page[-1].id)
        moved, missed = await _cancel_page(jobs, principal, page)
        if missed:  # they changed between the read and the write: look once more
            again = await jobs.storage.list_jobs(
                JobQuery(limit=len(missed), statuses=statuses, ids=frozenset(job.id for job in missed))
            )
            moved_again, _ = await _cancel_page(jobs, principal, again)
            moved += moved_again
            skipped += len(missed) - len(moved_again)
        cancelled += moved
    has_more = after is not None and bool(await jobs.storage.list_jobs(_page(base, after, 1)))
    return {"cancelled": len(cancelled), "skipped": skipped, "has_more": has_more, "job_ids": cancelled}


async def _cancel_page(
    jobs: JobService, principal: Principal, page: list[Job]
) -> tuple[list[str], list[Job]]:
    now = utcnow()
    reason = f"Cancelled by {principal.username}"
    moved = {
        job.id for job in await jobs.storage.transition([states.cancel(j, reason, now) for j in page], now)
    }
    for job in page:
        if job.id in moved:
            jobs.stop_cancelled(job, reason)
    return [job.id for job in page if job.id in moved], [job for job in page if job.id not in moved]


def _page(base: JobQuery, after: tuple[Any, str] | None, limit: int) -> JobQuery:
    return dataclasses.replace(base, limit=limit, after=after)


def _time(criteria: dict[str, Any], name: str) -> datetime | None:
    value = criteria.get(name)
    if value is None:
        return None
    try:
        return parse_timestamp(value)
    except ValueError as exc:
        raise InvalidInput(str(exc), errors=[{"field": f"filter.{name}", "message": str(exc)}]) from None
