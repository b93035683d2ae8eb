"""Reading an execution's full log over HTTP: byte ranges (RFC 9110 §14), offsets, and
validators that change as a running attempt's log grows."""

from __future__ import annotations

import hashlib
import re
from collections.abc import AsyncIterator

from starlette.responses import Response, StreamingResponse

from baton.backends.logs import LogStore
from baton.conditional import CACHE_CONTROL, matches_if_none_match
from baton.errors import BatonError, NotFound
from baton.lifecycle import JobService
from baton.models import Principal

__all__ = ["LogSlice", "RangeNotSatisfiable", "parse_range", "read_log"]

CHUNK = 1024 * 1024
_RANGE = re.compile(r"bytes=(\d*)-(\d*)")


class RangeNotSatisfiable(BatonError):
    status, code, title = 416, "RANGE_NOT_SATISFIABLE", "Range Not Satisfiable"


def parse_range(header: str, size: int) -> tuple[int, int] | None:
    """The [start, end) a `Range` header selects in `size` bytes, or None when it should be
    ignored (not one well-formed byte range, or a suffix of an empty log: RFC 9110 lets a server
    then send everything). Raises RangeNotSatisfiable when the range lies past the end."""
    match = _RANGE.fullmatch(header.strip())
    if match is None:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # a suffix: the last N bytes
        length = int(last)
        if length == 0:
            raise _unsatisfiable(size, "The range asks for the last 0 bytes")
        if size == 0:
            # RFC 9110 §14.1.2: satisfiable even on an empty log, but a 206 cannot describe zero
            # bytes; ignoring the Range sends the whole (empty) log
            return None
        return max(0, size - length), size
    start = int(first)
    end = size if not last else int(last) + 1
    if last and end <= start:
        return None  # last before first: invalid, so ignored
    if start >= size:
        raise _unsatisfiable(size, f"The log has {size} bytes; the range starts at {start}")
    return start, min(end, size)


def _unsatisfiable(size: int, detail: str) -> RangeNotSatisfiable:
    return RangeNotSatisfiable(detail, headers={"Content-Range": f"bytes */{size}"})


class LogSlice:
    """Which bytes of which log one request gets."""

    def __init__(self, job_id: str, attempt: int, stream: str, size: int, complete: bool) -> None:
        self.job_id, self.attempt, self.stream = job_id, attempt, stream
        self.size, self.complete = size, complete

    @property
    def etag(self) -> str:
        # a log only grows, and ends once: its size and completeness name its bytes
        key = f"{self.job_id}:{self.attempt}:{self.stream}:{self.size}:{self.complete}"
        return '"' + hashlib.blake2b(key.encode(), digest_size=16).hexdigest() + '"'

    def headers(self) -> dict[str, str]:
        return {
            "ETag": self.etag,
            "Cache-Control": CACHE_CONTROL,
            "Accept-Ranges": "bytes",
            "Baton-Log-Size": str(self.size),
            "Baton-Log-Complete": "true" if self.complete else "false",
        }


async def read_log(
    jobs: JobService,
    logs: LogStore,
    principal: Principal,
    job_id: str,
    attempt: int,
    *,
    stream: str,
    offset: int | None,
    limit: int | None,
    range_header: str | None,
    if_none_match: list[str],
) -> Response:
    job = await jobs.get(principal, job_id)  # 404 for a job the caller may not see
    found = await jobs.storage.list_executions(job.id, attempt - 1, 1)
    if not found or found[0].attempt != attempt:
        raise NotFound(f"Job {job.id} has no attempt {attempt}", code="EXECUTION_NOT_FOUND")
    # completeness first: a log read as complete must not have grown after its size was taken
    complete = found[0].finished_at is not None
    part = LogSlice(job.id, attempt, stream, await logs.size(job.id, attempt, stream), complete)
    headers = part.headers()
    if if_none_match and matches_if_none_match(if_none_match, part.etag):
        return Response(status_code=304, headers=headers)
    status, start, end = 200, min(offset or 0, part.size), part.size
    if limit is not None:
        end = min(end, start + limit)
    # offset/limit choose the bytes when given; a Range beside them is ignored (RFC 9110 lets a
    # server ignore Range), as a 400 would reject a request the schema allows
    if range_header is not None and offset is None and limit is None:
        selected = parse_range(range_header, part.size)
        if selected is not None:
            status, (start, end) = 206, selected
            headers["Content-Range"] = f"bytes {start}-{end - 1}/{part.size}"
    headers["Content-Length"] = str(end - start)
    return StreamingResponse(
        _chunks(logs, part, start, end),
        status_code=status,
        headers=headers,
        media_type="text/plain; charset=utf-8",
    )


async def _chunks(logs: LogStore, part: LogSlice, start: int, end: int) -> AsyncIterator[bytes]:
    position = start
    while position < end:
        data = await logs.read(part.job_id, part.attempt, part.stream, position, min(end, position + CHUNK))
        if not data:
            break  # cannot happen to an append-only log; never promise bytes that are not there
        position += len(data)
        yield data
