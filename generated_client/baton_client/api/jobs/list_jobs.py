from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.job_page import JobPage
from ...models.job_status import JobStatus
from ...models.list_jobs_sort_item import ListJobsSortItem
from ...models.problem import Problem
from ...types import UNSET, Unset
from typing import cast
import datetime



def _get_kwargs(
    *,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    status: list[JobStatus] | Unset = UNSET,
    queue: str | Unset = UNSET,
    label: list[str] | Unset = UNSET,
    created_after: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    name: str | Unset = UNSET,
    search: str | Unset = UNSET,
    owner: str | Unset = UNSET,
    worker: str | Unset = UNSET,
    schedule_id: str | Unset = UNSET,
    workflow_id: str | Unset = UNSET,
    sort: list[ListJobsSortItem] | Unset = UNSET,
    count: bool | Unset = False,
    if_none_match: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_none_match, Unset):
        headers["If-None-Match"] = if_none_match



    

    params: dict[str, Any] = {}

    params["limit"] = limit

    params["cursor"] = cursor

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

    params["schedule_id"] = schedule_id

    params["workflow_id"] = workflow_id

    json_sort: list[str] | Unset = UNSET
    if not isinstance(sort, Unset):
        json_sort = []
        for sort_item_data in sort:
            sort_item = sort_item_data.value
            json_sort.append(sort_item)


    params["sort"] = json_sort

    params["count"] = count


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/jobs",
        "params": params,
    }


    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | JobPage | Problem | None:
    if response.status_code == 200:
        response_200 = JobPage.from_dict(response.json())



        return response_200

    if response.status_code == 304:
        response_304 = cast(Any, None)
        return response_304

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())



        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())



        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())



        return response_403

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())



        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any | JobPage | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    status: list[JobStatus] | Unset = UNSET,
    queue: str | Unset = UNSET,
    label: list[str] | Unset = UNSET,
    created_after: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    name: str | Unset = UNSET,
    search: str | Unset = UNSET,
    owner: str | Unset = UNSET,
    worker: str | Unset = UNSET,
    schedule_id: str | Unset = UNSET,
    workflow_id: str | Unset = UNSET,
    sort: list[ListJobsSortItem] | Unset = UNSET,
    count: bool | Unset = False,
    if_none_match: str | Unset = UNSET,

) -> Response[Any | JobPage | Problem]:
    """ List jobs

     Keyset-paginated; stable while jobs are added and deleted, in every sort order. Members see
    only their own jobs. Every filter given must hold. `count=true` adds `pagination.total`,
    the number of jobs every page of this list holds together (it costs a count query).

    Args:
        limit (int | Unset):  Default: 50.
        cursor (str | Unset):
        status (list[JobStatus] | Unset):
        queue (str | Unset):
        label (list[str] | Unset):
        created_after (datetime.datetime | Unset):
        created_before (datetime.datetime | Unset):
        name (str | Unset):
        search (str | Unset):
        owner (str | Unset):
        worker (str | Unset):
        schedule_id (str | Unset): A UUID in canonical form.
        workflow_id (str | Unset): A UUID in canonical form.
        sort (list[ListJobsSortItem] | Unset):
        count (bool | Unset):  Default: False.
        if_none_match (str | Unset): `*`, or a comma-separated list of entity tags (`"tag"` or
            `W/"tag"`, RFC 9110 §8.8.3).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | JobPage | Problem]
     """


    kwargs = _get_kwargs(
        limit=limit,
cursor=cursor,
status=status,
queue=queue,
label=label,
created_after=created_after,
created_before=created_before,
name=name,
search=search,
owner=owner,
worker=worker,
schedule_id=schedule_id,
workflow_id=workflow_id,
sort=sort,
count=count,
if_none_match=if_none_match,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    status: list[JobStatus] | Unset = UNSET,
    queue: str | Unset = UNSET,
    label: list[str] | Unset = UNSET,
    created_after: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    name: str | Unset = UNSET,
    search: str | Unset = UNSET,
    owner: str | Unset = UNSET,
    worker: str | Unset = UNSET,
    schedule_id: str | Unset = UNSET,
    workflow_id: str | Unset = UNSET,
    sort: list[ListJobsSortItem] | Unset = UNSET,
    count: bool | Unset = False,
    if_none_match: str | Unset = UNSET,

) -> Any | JobPage | Problem | None:
    """ List jobs

     Keyset-paginated; stable while jobs are added and deleted, in every sort order. Members see
    only their own jobs. Every filter given must hold. `count=true` adds `pagination.total`,
    the number of jobs every page of this list holds together (it costs a count query).

    Args:
        limit (int | Unset):  Default: 50.
        cursor (str | Unset):
        status (list[JobStatus] | Unset):
        queue (str | Unset):
        label (list[str] | Unset):
        created_after (datetime.datetime | Unset):
        created_before (datetime.datetime | Unset):
        name (str | Unset):
        search (str | Unset):
        owner (str | Unset):
        worker (str | Unset):
        schedule_id (str | Unset): A UUID in canonical form.
        workflow_id (str | Unset): A UUID in canonical form.
        sort (list[ListJobsSortItem] | Unset):
        count (bool | Unset):  Default: False.
        if_none_match (str | Unset): `*`, or a comma-separated list of entity tags (`"tag"` or
            `W/"tag"`, RFC 9110 §8.8.3).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | JobPage | Problem
     """


    return sync_detailed(
        client=client,
limit=limit,
cursor=cursor,
status=status,
queue=queue,
label=label,
created_after=created_after,
created_before=created_before,
name=name,
search=search,
owner=owner,
worker=worker,
schedule_id=schedule_id,
workflow_id=workflow_id,
sort=sort,
count=count,
if_none_match=if_none_match,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    status: list[JobStatus] | Unset = UNSET,
    queue: str | Unset = UNSET,
    label: list[str] | Unset = UNSET,
    created_after: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    name: str | Unset = UNSET,
    search: str | Unset = UNSET,
    owner: str | Unset = UNSET,
    worker: str | Unset = UNSET,
    schedule_id: str | Unset = UNSET,
    workflow_id: str | Unset = UNSET,
    sort: list[ListJobsSortItem] | Unset = UNSET,
    count: bool | Unset = False,
    if_none_match: str | Unset = UNSET,

) -> Response[Any | JobPage | Problem]:
    """ List jobs

     Keyset-paginated; stable while jobs are added and deleted, in every sort order. Members see
    only their own jobs. Every filter given must hold. `count=true` adds `pagination.total`,
    the number of jobs every page of this list holds together (it costs a count query).

    Args:
        limit (int | Unset):  Default: 50.
        cursor (str | Unset):
        status (list[JobStatus] | Unset):
        queue (str | Unset):
        label (list[str] | Unset):
        created_after (datetime.datetime | Unset):
        created_before (datetime.datetime | Unset):
        name (str | Unset):
        search (str | Unset):
        owner (str | Unset):
        worker (str | Unset):
        schedule_id (str | Unset): A UUID in canonical form.
        workflow_id (str | Unset): A UUID in canonical form.
        sort (list[ListJobsSortItem] | Unset):
        count (bool | Unset):  Default: False.
        if_none_match (str | Unset): `*`, or a comma-separated list of entity tags (`"tag"` or
            `W/"tag"`, RFC 9110 §8.8.3).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | JobPage | Problem]
     """


    kwargs = _get_kwargs(
        limit=limit,
cursor=cursor,
status=status,
queue=queue,
label=label,
created_after=created_after,
created_before=created_before,
name=name,
search=search,
owner=owner,
worker=worker,
schedule_id=schedule_id,
workflow_id=workflow_id,
sort=sort,
count=count,
if_none_match=if_none_match,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    status: list[JobStatus] | Unset = UNSET,
    queue: str | Unset = UNSET,
    label: list[str] | Unset = UNSET,
    created_after: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    name: str | Unset = UNSET,
    search: str | Unset = UNSET,
    owner: str | Unset = UNSET,
    worker: str | Unset = UNSET,
    schedule_id: str | Unset = UNSET,
    workflow_id: str | Unset = UNSET,
    sort: list[ListJobsSortItem] | Unset = UNSET,
    count: bool | Unset = False,
    if_none_match: str | Unset = UNSET,

) -> Any | JobPage | Problem | None:
    """ List jobs

     Keyset-paginated; stable while jobs are added and deleted, in every sort order. Members see
    only their own jobs. Every filter given must hold. `count=true` adds `pagination.total`,
    the number of jobs every page of this list holds together (it costs a count query).

    Args:
        limit (int | Unset):  Default: 50.
        cursor (str | Unset):
        status (list[JobStatus] | Unset):
        queue (str | Unset):
        label (list[str] | Unset):
        created_after (datetime.datetime | Unset):
        created_before (datetime.datetime | Unset):
        name (str | Unset):
        search (str | Unset):
        owner (str | Unset):
        worker (str | Unset):
        schedule_id (str | Unset): A UUID in canonical form.
        workflow_id (str | Unset): A UUID in canonical form.
        sort (list[ListJobsSortItem] | Unset):
        count (bool | Unset):  Default: False.
        if_none_match (str | Unset): `*`, or a comma-separated list of entity tags (`"tag"` or
            `W/"tag"`, RFC 9110 §8.8.3).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | JobPage | Problem
     """


    return (await asyncio_detailed(
        client=client,
limit=limit,
cursor=cursor,
status=status,
queue=queue,
label=label,
created_after=created_after,
created_before=created_before,
name=name,
search=search,
owner=owner,
worker=worker,
schedule_id=schedule_id,
workflow_id=workflow_id,
sort=sort,
count=count,
if_none_match=if_none_match,

    )).parsed
