from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.workflow_detail import WorkflowDetail
from typing import cast



def _get_kwargs(
    workflow_id: str,

) -> dict[str, Any]:
    

    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/workflows/{workflow_id}/cancel".format(workflow_id=quote(str(workflow_id), safe=""),),
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | WorkflowDetail | None:
    if response.status_code == 200:
        response_200 = WorkflowDetail.from_dict(response.json())



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

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())



        return response_404

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())



        return response_409

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())



        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | WorkflowDetail]:
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

) -> Response[Problem | WorkflowDetail]:
    """ Cancel a workflow

     Cancels every live step (waiting ones included: an `always` step does not run after a
    cancel); running steps' processes are stopped. A finished workflow gives 409
    `INVALID_WORKFLOW_STATE`.

    Args:
        workflow_id (str): A UUID in canonical form.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WorkflowDetail]
     """


    kwargs = _get_kwargs(
        workflow_id=workflow_id,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    workflow_id: str,
    *,
    client: AuthenticatedClient,

) -> Problem | WorkflowDetail | None:
    """ Cancel a workflow

     Cancels every live step (waiting ones included: an `always` step does not run after a
    cancel); running steps' processes are stopped. A finished workflow gives 409
    `INVALID_WORKFLOW_STATE`.

    Args:
        workflow_id (str): A UUID in canonical form.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WorkflowDetail
     """


    return sync_detailed(
        workflow_id=workflow_id,
client=client,

    ).parsed

async def asyncio_detailed(
    workflow_id: str,
    *,
    client: AuthenticatedClient,

) -> Response[Problem | WorkflowDetail]:
    """ Cancel a workflow

     Cancels every live step (waiting ones included: an `always` step does not run after a
    cancel); running steps' processes are stopped. A finished workflow gives 409
    `INVALID_WORKFLOW_STATE`.

    Args:
        workflow_id (str): A UUID in canonical form.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WorkflowDetail]
     """


    kwargs = _get_kwargs(
        workflow_id=workflow_id,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    workflow_id: str,
    *,
    client: AuthenticatedClient,

) -> Problem | WorkflowDetail | None:
    """ Cancel a workflow

     Cancels every live step (waiting ones included: an `always` step does not run after a
    cancel); running steps' processes are stopped. A finished workflow gives 409
    `INVALID_WORKFLOW_STATE`.

    Args:
        workflow_id (str): A UUID in canonical form.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WorkflowDetail
     """


    return (await asyncio_detailed(
        workflow_id=workflow_id,
client=client,

    )).parsed
