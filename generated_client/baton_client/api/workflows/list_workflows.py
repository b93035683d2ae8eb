from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.workflow_page import WorkflowPage
from ...models.workflow_status import WorkflowStatus
from ...types import UNSET, Unset
from typing import cast
import datetime



def _get_kwargs(
    *,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    status: list[WorkflowStatus] | Unset = UNSET,
    label: list[str] | Unset = UNSET,
    created_after: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
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


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/workflows",
        "params": params,
    }


    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | Problem | WorkflowPage | None:
    if response.status_code == 200:
        response_200 = WorkflowPage.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any | Problem | WorkflowPage]:
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
    status: list[WorkflowStatus] | Unset = UNSET,
    label: list[str] | Unset = UNSET,
    created_after: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    if_none_match: str | Unset = UNSET,

) -> Response[Any | Problem | WorkflowPage]:
    """ List workflows

     Newest first (keyset-paginated). Members see only their own workflows.

    Args:
        limit (int | Unset):  Default: 50.
        cursor (str | Unset):
        status (list[WorkflowStatus] | Unset):
        label (list[str] | Unset):
        created_after (datetime.datetime | Unset):
        created_before (datetime.datetime | Unset):
        if_none_match (str | Unset): `*`, or a comma-separated list of entity tags (`"tag"` or
            `W/"tag"`, RFC 9110 §8.8.3).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem | WorkflowPage]
     """


    kwargs = _get_kwargs(
        limit=limit,
cursor=cursor,
status=status,
label=label,
created_after=created_after,
created_before=created_before,
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
    status: list[WorkflowStatus] | Unset = UNSET,
    label: list[str] | Unset = UNSET,
    created_after: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    if_none_match: str | Unset = UNSET,

) -> Any | Problem | WorkflowPage | None:
    """ List workflows

     Newest first (keyset-paginated). Members see only their own workflows.

    Args:
        limit (int | Unset):  Default: 50.
        cursor (str | Unset):
        status (list[WorkflowStatus] | Unset):
        label (list[str] | Unset):
        created_after (datetime.datetime | Unset):
        created_before (datetime.datetime | Unset):
        if_none_match (str | Unset): `*`, or a comma-separated list of entity tags (`"tag"` or
            `W/"tag"`, RFC 9110 §8.8.3).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem | WorkflowPage
     """


    return sync_detailed(
        client=client,
limit=limit,
cursor=cursor,
status=status,
label=label,
created_after=created_after,
created_before=created_before,
if_none_match=if_none_match,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    status: list[WorkflowStatus] | Unset = UNSET,
    label: list[str] | Unset = UNSET,
    created_after: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    if_none_match: str | Unset = UNSET,

) -> Response[Any | Problem | WorkflowPage]:
    """ List workflows

     Newest first (keyset-paginated). Members see only their own workflows.

    Args:
        limit (int | Unset):  Default: 50.
        cursor (str | Unset):
        status (list[WorkflowStatus] | Unset):
        label (list[str] | Unset):
        created_after (datetime.datetime | Unset):
        created_before (datetime.datetime | Unset):
        if_none_match (str | Unset): `*`, or a comma-separated list of entity tags (`"tag"` or
            `W/"tag"`, RFC 9110 §8.8.3).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem | WorkflowPage]
     """


    kwargs = _get_kwargs(
        limit=limit,
cursor=cursor,
status=status,
label=label,
created_after=created_after,
created_before=created_before,
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
    status: list[WorkflowStatus] | Unset = UNSET,
    label: list[str] | Unset = UNSET,
    created_after: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    if_none_match: str | Unset = UNSET,

) -> Any | Problem | WorkflowPage | None:
    """ List workflows

     Newest first (keyset-paginated). Members see only their own workflows.

    Args:
        limit (int | Unset):  Default: 50.
        cursor (str | Unset):
        status (list[WorkflowStatus] | Unset):
        label (list[str] | Unset):
        created_after (datetime.datetime | Unset):
        created_before (datetime.datetime | Unset):
        if_none_match (str | Unset): `*`, or a comma-separated list of entity tags (`"tag"` or
            `W/"tag"`, RFC 9110 §8.8.3).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem | WorkflowPage
     """


    return (await asyncio_detailed(
        client=client,
limit=limit,
cursor=cursor,
status=status,
label=label,
created_after=created_after,
created_before=created_before,
if_none_match=if_none_match,

    )).parsed
