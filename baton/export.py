"""GET /api/v1/jobs/export and /api/v1/executions/export: the job list's filters, sort and
visibility (baton/joblist.py), read a keyset page at a time and streamed as CSV or NDJSON, so
memory stays flat however many rows there are (bench/export.py measures it)."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator, Callable, Iterable
from typing import Any

import orjson
from starlette.responses import StreamingResponse

from baton.backends.storage import StorageBackend
from baton.errors import NotAcceptable
from baton.joblist import JobList, list_jobs
from baton.models import Execution, Job, Principal
from baton.timeutil import isoformat
from baton.views import job_view

__all__ = ["EXECUTION_COLUMNS", "JOB_COLUMNS", "PAGE", "choose_format", "executions", "jobs"]

PAGE = 500  # jobs read per query: few round trips, a small page in memory
CSV = "text/csv"
NDJSON = "application/x-ndjson"
JOB_COLUMNS = (
    "id", "name", "queue", "status", "priority", "attempt", "retries_used", "owner", "created_at",
    "run_at", "started_at", "finished_at", "exit_code", "timeout_seconds", "max_retries", "labels",
    "command", "error",
)  # fmt: skip
EXECUTION_COLUMNS = (
    "job_id", "job_name", "queue", "attempt", "status", "worker", "started_at", "finished_at",
    "duration_seconds", "exit_code", "error",
)  # fmt: skip


def choose_format(accept: str | None) -> str:
    """The media type to send for an `Accept` header: the first of ours it allows (q > 0), in the
    client's order of preference; NDJSON for no header or a wildcard."""
    if not accept:
        return NDJSON
    offered = []
    for position, part in enumerate(accept.split(",")):
        kind, *params = (piece.strip() for piece in part.split(";"))
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        offered.append((-quality, position, kind.lower()))
    for negative_quality, _, kind in sorted(offered):
        if negative_quality >= 0:
            break
        if kind in (CSV, NDJSON):
            return kind
        if kind in ("*/*", "text/*"):
            return CSV if kind == "text/*" else NDJSON
        if kind == "application/*":
            return NDJSON
    raise NotAcceptable(f"An export is {CSV} or {NDJSON}; Accept allows neither")


async def jobs(
    storage: StorageBackend, principal: Principal, accept: str | None, filters: dict[str, Any]
) -> StreamingResponse:
    media = choose_format(accept)
    pages = _job_pages(storage, principal, filters, await _first(storage, principal, filters))
    if media == CSV:
        body = _csv(JOB_COLUMNS, _rows(pages, lambda page: [_job_row(job) for job in page]))
    else:
        body = _ndjson(_rows(pages, lambda page: [job_view(job) for job in page]))
    return _response(body, media, "jobs")


async def executions(
    storage: StorageBackend, principal: Principal, accept: str | None, filters: dict[str, Any]
) -> StreamingResponse:
    media = choose_format(accept)
    pages = _job_pages(storage, principal, filters, await _first(storage, principal, filters))

    async def attempts() -> AsyncIterator[list[dict[str, Any]]]:
        async for page in pages:
            by_id = {job.id: job for job in page}
            position = {job.id: index for index, job in enumerate(page)}
            found = await storage.executions_of(list(by_id))
            found.sort(key=lambda item: (position[item.job_id], item.attempt))  # the jobs' order
            yield [_execution_row(by_id[item.job_id], item) for item in found]

    body = _csv(EXECUTION_COLUMNS, attempts()) if media == CSV else _ndjson(attempts())
    return _response(body, media, "executions")


async def _first(storage: StorageBackend, principal: Principal, filters: dict[str, Any]) -> JobList:
    # read before the answer starts: a bad filter is still a 400, not a broken stream
    return await list_jobs(storage, principal, limit=PAGE, **filters)


async def _job_pages(
    storage: StorageBackend, principal: Principal, filters: dict[str, Any], page: JobList
) -> AsyncIterator[list[Job]]:
    while True:
        yield page.jobs
        if page.next_cursor is None:
            return
        page = await list_jobs(storage, principal, limit=PAGE, cursor=page.next_cursor, **filters)


async def _rows(
    pages: AsyncIterator[list[Job]], convert: Callable[[list[Job]], list[Any]]
) -> AsyncIterator[list[Any]]:
    async for page in pages:
        yield convert(page)


async def _csv(columns: Iterable[str], pages: AsyncIterator[list[Any]]) -> AsyncIterator[bytes]:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns))
    writer.writeheader()
    yield buffer.getvalue().encode()
    async for rows in pages:
        buffer.seek(0)
        buffer.truncate()
        writer.writerows(rows)
        yield buffer.getvalue().encode()


async def _ndjson(pages: AsyncIterator[list[Any]]) -> AsyncIterator[bytes]:
    async for rows in pages:
        yield b"".join(orjson.dumps(row) + b"\n" for row in rows)


def _response(body: AsyncIterator[bytes], media: str, name: str) -> StreamingResponse:
    extension = "csv" if media == CSV else "ndjson"
    return StreamingResponse(
        body,
        media_type=f"{media}; charset=utf-8" if media == CSV else media,
        headers={"Content-Disposition": f'attachment; filename="{name}.{extension}"'},
    )


def _job_row(job: Job) -> dict[str, Any]:
    view = job_view(job)
    row = {column: view[column] for column in JOB_COLUMNS}
    # structured fields as JSON text, so a spreadsheet keeps them in one cell
    row["labels"] = orjson.dumps(view["labels"]).decode()
    row["command"] = orjson.dumps(view["command"]).decode()
    return row


def _execution_row(job: Job, execution: Execution) -> dict[str, Any]:
    duration = None
    if execution.finished_at is not None:
        duration = round((execution.finished_at - execution.started_at).total_seconds(), 6)
    return {
        "job_id": job.id,
        "job_name": job.name,
        "queue": job.queue,
        "attempt": execution.attempt,
        "status": execution.status.value,
        "worker": execution.worker,
        "started_at": isoformat(execution.started_at),
        "finished_at": isoformat(execution.finished_at),
        "duration_seconds": duration,
        "exit_code": execution.exit_code,
        "error": execution.error,
    }
