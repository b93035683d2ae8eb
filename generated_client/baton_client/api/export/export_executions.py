from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.export_executions_sort_item import ExportExecutionsSortItem
from ...models.job_status import JobStatus
from ...models.problem import Problem
from ...types import UNSET, Unset
from typing import cast
import datetime



def _get_kwargs(
    *,
    status: list[JobStatus] | Unset = UNSET,
    queue: str | Unset = UNSET,
    label: list[str] | Unset = UNSET,
    created_after: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    name: str | Unset = UNSET,
    search: str | Unset = UNSET,
    owner: str | Unset = UNSET,
    worker: str | Unset = UNSET,
    sort: list[ExportExecutionsSortItem] | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_status: list[str] | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = []
        for status_item_data in status:
            status_item = status_item_data.value
            json_status.append(status_item)


    params["status"] = json_status

    params["queue"] = queue

    json_label: list[str] | Unset = UNSET
    if not isinstance(label, Unset):
        json_label = label


    params["label"] = json_label

    json_created_after: str | Unset = UNSET
    if not isinstance(created_after, Unset):
        json_created_after = created_after.isoformat()
    params["created_after"] = json_created_after

    json_created_before: str | Unset = UNSET
    if not isinstance(created_before, Unset):
        json_created_before = created_before.isoformat()
    params["created_before"] = json_created_before

    params["name"] = name

    params["search"] = search

    params["owner"] = owner

    params["worker"] = worker

    json_sort: list[str] | Unset = UNSET
    if not isinstance(sort, Unset):
        json_sort = []
        for sort_item_data in sort:
            sort_item = sort_item_data.value
            json_sort.append(sort_item)


    params["sort"] = json_sort


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/executions/export",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | str | None:
    if response.status_code == 200:
        response_200 = response.text
        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())



        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())



        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())



        return response_403

    if response.status_code == 406:
        response_406 = Problem.from_dict(response.json())



        return response_406

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())



        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | str]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    status: list[JobStatus] | Unset = UNSET,
    queue: str | Unset = UNSET,
    label: list[str] | Unset = UNSET,
    created_after: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    name: str | Unset = UNSET,
    search: str | Unset = UNSET,
    owner: str | Unset = UNSET,
    worker: str | Unset = UNSET,
    sort: list[ExportExecutionsSortItem] | Unset = UNSET,

) -> Response[Problem | str]:
    """ Every execution of the jobs a filter matches, as CSV or NDJSON

     Each attempt of the jobs `GET /api/v1/jobs/export` would export (same filters, same
    `sort`, same visibility), in that order of jobs and by attempt within a job, streamed.
    The rows carry the job's id, name and queue and the attempt's outcome, without its
    output (read that at `/api/v1/jobs/{job_id}/executions/{attempt}/log`). `Accept` chooses
    `text/csv` or `application/x-ndjson` (the default).

    Args:
        status (list[JobStatus] | Unset):
        queue (str | Unset):
        label (list[str] | Unset):
        created_after (datetime.datetime | Unset):
        created_before (datetime.datetime | Unset):
        name (str | Unset):
        search (str | Unset):
        owner (str | Unset):
        worker (str | Unset):
        sort (list[ExportExecutionsSortItem] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | str]
     """


    kwargs = _get_kwargs(
        status=status,
queue=queue,
label=label,
created_after=created_after,
created_before=created_before,
name=name,
search=search,
owner=owner,
worker=worker,
sort=sort,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    status: list[JobStatus] | Unset = UNSET,
    queue: str | Unset = UNSET,
    label: list[str] | Unset = UNSET,
    created_after: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    name: str | Unset = UNSET,
    search: str | Unset = UNSET,
    owner: str | Unset = UNSET,
    worker: str | Unset = UNSET,
    sort: list[ExportExecutionsSortItem] | Unset = UNSET,

) -> Problem | str | None:
    """ Every execution of the jobs a filter matches, as CSV or NDJSON

     Each attempt of the jobs `GET /api/v1/jobs/export` would export (same filters, same
    `sort`, same visibility), in that order of jobs and by attempt within a job, streamed.
    The rows carry the job's id, name and queue and the attempt's outcome, without its
    output (read that at `/api/v1/jobs/{job_id}/executions/{attempt}/log`). `Accept` chooses
    `text/csv` or `application/x-ndjson` (the default).

    Args:
        status (list[JobStatus] | Unset):
        queue (str | Unset):
        label (list[str] | Unset):
        created_after (datetime.datetime | Unset):
        created_before (datetime.datetime | Unset):
        name (str | Unset):
        search (str | Unset):
        owner (str | Unset):
        worker (str | Unset):
        sort (list[ExportExecutionsSortItem] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | str
     """


    return sync_detailed(
        client=client,
status=status,
queue=queue,
label=label,
created_after=created_after,
created_before=created_before,
name=name,
search=search,
owner=owner,
worker=worker,
sort=sort,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    status: list[JobStatus] | Unset = UNSET,
    queue: str | Unset = UNSET,
    label: list[str] | Unset = UNSET,
    created_after: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    name: str | Unset = UNSET,
    search: str | Unset = UNSET,
    owner: str | Unset = UNSET,
    worker: str | Unset = UNSET,
    sort: list[ExportExecutionsSortItem] | Unset = UNSET,

) -> Response[Problem | str]:
    """ Every execution of the jobs a filter matches, as CSV or NDJSON

     Each attempt of the jobs `GET /api/v1/jobs/export` would export (same filters, same
    `sort`, same visibility), in that order of jobs and by attempt within a job, streamed.
    The rows carry the job's id, name and queue and the attempt's outcome, without its
    output (read that at `/api/v1/jobs/{job_id}/executions/{attempt}/log`). `Accept` chooses
    `text/csv` or `application/x-ndjson` (the default).

    Args:
        status (list[JobStatus] | Unset):
        queue (str | Unset):
        label (list[str] | Unset):
        created_after (datetime.datetime | Unset):
        created_before (datetime.datetime | Unset):
        name (str | Unset):
        search (str | Unset):
        owner (str | Unset):
        worker (str | Unset):
        sort (list[ExportExecutionsSortItem] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | str]
     """


    kwargs = _get_kwargs(
        status=status,
queue=queue,
label=label,
created_after=created_after,
created_before=created_before,
name=name,
search=search,
owner=owner,
worker=worker,
sort=sort,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    status: list[JobStatus] | Unset = UNSET,
    queue: str | Unset = UNSET,
    label: list[str] | Unset = UNSET,
    created_after: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    name: str | Unset = UNSET,
    search: str | Unset = UNSET,
    owner: str | Unset = UNSET,
    worker: str | Unset = UNSET,
    sort: list[ExportExecutionsSortItem] | Unset = UNSET,

) -> Problem | str | None:
    """ Every execution of the jobs a filter matches, as CSV or NDJSON

     Each attempt of the jobs `GET /api/v1/jobs/export` would export (same filters, same
    `sort`, same visibility), in that order of jobs and by attempt within a job, streamed.
    The rows carry the job's id, name and queue and the attempt's outcome, without its
    output (read that at `/api/v1/jobs/{job_id}/executions/{attempt}/log`). `Accept` chooses
    `text/csv` or `application/x-ndjson` (the default).

    Args:
        status (list[JobStatus] | Unset):
        queue (str | Unset):
        label (list[str] | Unset):
        created_after (datetime.datetime | Unset):
        created_before (datetime.datetime | Unset):
        name (str | Unset):
        search (str | Unset):
        owner (str | Unset):
        worker (str | Unset):
        sort (list[ExportExecutionsSortItem] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | str
     """


    return (await asyncio_detailed(
        client=client,
status=status,
queue=queue,
label=label,
created_after=created_after,
created_before=created_before,
name=name,
search=search,
owner=owner,
worker=worker,
sort=sort,

    )).parsed
