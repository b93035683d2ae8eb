from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.workflow_detail import WorkflowDetail
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    workflow_id: str,
    *,
    if_none_match: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_none_match, Unset):
        headers["If-None-Match"] = if_none_match



    

    

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/workflows/{workflow_id}".format(workflow_id=quote(str(workflow_id), safe=""),),
    }


    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | Problem | WorkflowDetail | None:
    if response.status_code == 200:
        response_200 = WorkflowDetail.from_dict(response.json())



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

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())



        return response_404

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())



        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any | Problem | WorkflowDetail]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    workflow_id: str,
    *,
    client: AuthenticatedClient,
    if_none_match: str | Unset = UNSET,

) -> Response[Any | Problem | WorkflowDetail]:
    """ Get a workflow, its steps as a graph and its progress

     The workflow's status and each step with its job's id and status (`upstream_failed` for a
    step cancelled because a dependency did not complete), its `depends_on` and `on_failure`:
    the nodes and edges of a graph a client can draw. Phases, when the workflow names them,
    carry their own status and the `total_phases`/`completed_phases` progress.

    Args:
        workflow_id (str): A UUID in canonical form.
        if_none_match (str | Unset): `*`, or a comma-separated list of entity tags (`"tag"` or
            `W/"tag"`, RFC 9110 §8.8.3).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem | WorkflowDetail]
     """


    kwargs = _get_kwargs(
        workflow_id=workflow_id,
if_none_match=if_none_match,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    workflow_id: str,
    *,
    client: AuthenticatedClient,
    if_none_match: str | Unset = UNSET,

) -> Any | Problem | WorkflowDetail | None:
    """ Get a workflow, its steps as a graph and its progress

     The workflow's status and each step with its job's id and status (`upstream_failed` for a
    step cancelled because a dependency did not complete), its `depends_on` and `on_failure`:
    the nodes and edges of a graph a client can draw. Phases, when the workflow names them,
    carry their own status and the `total_phases`/`completed_phases` progress.

    Args:
        workflow_id (str): A UUID in canonical form.
        if_none_match (str | Unset): `*`, or a comma-separated list of entity tags (`"tag"` or
            `W/"tag"`, RFC 9110 §8.8.3).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem | WorkflowDetail
     """


    return sync_detailed(
        workflow_id=workflow_id,
client=client,
if_none_match=if_none_match,

    ).parsed

async def asyncio_detailed(
    workflow_id: str,
    *,
    client: AuthenticatedClient,
    if_none_match: str | Unset = UNSET,

) -> Response[Any | Problem | WorkflowDetail]:
    """ Get a workflow, its steps as a graph and its progress

     The workflow's status and each step with its job's id and status (`upstream_failed` for a
    step cancelled because a dependency did not complete), its `depends_on` and `on_failure`:
    the nodes and edges of a graph a client can draw. Phases, when the workflow names them,
    carry their own status and the `total_phases`/`completed_phases` progress.

    Args:
        workflow_id (str): A UUID in canonical form.
        if_none_match (str | Unset): `*`, or a comma-separated list of entity tags (`"tag"` or
            `W/"tag"`, RFC 9110 §8.8.3).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem | WorkflowDetail]
     """


    kwargs = _get_kwargs(
        workflow_id=workflow_id,
if_none_match=if_none_match,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    workflow_id: str,
    *,
    client: AuthenticatedClient,
    if_none_match: str | Unset = UNSET,

) -> Any | Problem | WorkflowDetail | None:
    """ Get a workflow, its steps as a graph and its progress

     The workflow's status and each step with its job's id and status (`upstream_failed` for a
    step cancelled because a dependency did not complete), its `depends_on` and `on_failure`:
    the nodes and edges of a graph a client can draw. Phases, when the workflow names them,
    carry their own status and the `total_phases`/`completed_phases` progress.

    Args:
        workflow_id (str): A UUID in canonical form.
        if_none_match (str | Unset): `*`, or a comma-separated list of entity tags (`"tag"` or
            `W/"tag"`, RFC 9110 §8.8.3).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem | WorkflowDetail
     """


    return (await asyncio_detailed(
        workflow_id=workflow_id,
client=client,
if_none_match=if_none_match,

    )).parsed
