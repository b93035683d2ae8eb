from __future__ import annotations

from typing import Any

from connexion.context import request

from baton.context import principal_of, services
from baton.logs import read_log

__all__ = ["get_execution_log"]


async def get_execution_log(
    job_id: str,
    attempt: int,
    token_info: dict[str, Any],
    stream: str = "stdout",
    offset: int | None = None,
    limit: int | None = None,
):
    return await read_log(
        services().jobs,
        services().logs,
        principal_of(token_info),
        job_id,
        attempt,
        stream=stream,
        offset=offset,
        limit=limit,
        range_header=request.headers.get("Range"),
        if_none_match=request.headers.getlist("If-None-Match"),
    )
