from __future__ import annotations

from typing import Any

from baton.bulk import cancel_matching, create_batch
from baton.conditional import created, if_match, representation, with_etag
from baton.context import audit, principal_of, services
from baton.joblist import list_jobs as find_jobs
from baton.views import batch_view, execution_view, job_view, page_view

__all__ = [
    "cancel_job",
    "cancel_jobs",
    "create_job",
    "create_jobs",
    "delete_job",
    "get_job",
    "list_job_executions",
    "list_jobs",
    "retry_job",
    "update_job",
]


async def create_job(body: dict[str, Any], token_info: dict[str, Any]):
    job = await services().jobs.create(principal_of(token_info), body)
    return created(job_view(job), f"/api/v1/jobs/{job.id}")


async def create_jobs(body: dict[str, Any], token_info: dict[str, Any]):
    results = await create_batch(
        services().jobs, principal_of(token_info), body["jobs"], atomic=body["atomic"]
    )
    view = batch_view([(index, job and job_view(job), problem) for index, job, problem in results])
    return view, 207 if view["rejected"] else 201


async def cancel_jobs(body: dict[str, Any], token_info: dict[str, Any]):
    criteria, limit = body["filter"], body["limit"]
    return await cancel_matching(services().jobs, principal_of(token_info), criteria, limit=limit)


async def list_jobs(token_info: dict[str, Any], user: str, limit: int = 50, **filters: Any):
    # filters, sort, cursor and count by their query names (see baton.joblist.list_jobs); with
    # **filters Connexion also passes `user` (token_info's sub), which the principal already has
    found = await find_jobs(services().storage, principal_of(token_info), limit=limit, **filters)
    page = page_view([job_view(job) for job in found.jobs], limit, found.next_cursor, total=found.total)
    return representation(page)


async def get_job(job_id: str, token_info: dict[str, Any]):
    return representation(job_view(await services().jobs.get(principal_of(token_info), job_id)))


async def update_job(job_id: str, body: dict[str, Any], token_info: dict[str, Any]):
    job = await services().jobs.update(
        principal_of(token_info), job_id, body, precondition=if_match(job_view)
    )
    return with_etag(job_view(job))


async def delete_job(job_id: str, token_info: dict[str, Any]):
    await services().jobs.delete(principal_of(token_info), job_id, precondition=if_match(job_view))
    await audit("job.delete", token_info, ("job", job_id.lower()))
    return None, 204


async def cancel_job(job_id: str, token_info: dict[str, Any]):
    return job_view(await services().jobs.cancel(principal_of(token_info), job_id))


async def retry_job(job_id: str, token_info: dict[str, Any]):
    return job_view(await services().jobs.retry(principal_of(token_info), job_id))


async def list_job_executions(
    job_id: str, token_info: dict[str, Any], limit: int = 50, cursor: str | None = None
):
    items, next_cursor = await services().jobs.executions(
        principal_of(token_info), job_id, limit=limit, cursor=cursor
    )
    return representation(page_view([execution_view(item) for item in items], limit, next_cursor))
