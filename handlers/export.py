"""Exports: every job, or every execution of the jobs, a list filter matches, streamed."""

from __future__ import annotations

from typing import Any

from connexion.context import request

from baton import export
from baton.context import principal_of, services

__all__ = ["export_executions", "export_jobs"]


async def export_jobs(token_info: dict[str, Any], user: str, **filters: Any):
    # filters by their query names, as GET /api/v1/jobs takes them (baton.joblist.list_jobs)
    accept = request.headers.get("accept")
    return await export.jobs(services().storage, principal_of(token_info), accept, filters)


async def export_executions(token_info: dict[str, Any], user: str, **filters: Any):
    accept = request.headers.get("accept")
    return await export.executions(services().storage, principal_of(token_info), accept, filters)
