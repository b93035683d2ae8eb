from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.queue import Queue
from typing import cast



def _get_kwargs(
    queue_name: str,

) -> dict[str, Any]:
    

    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/queues/{queue_name}/resume".format(queue_name=quote(str(queue_name), safe=""),),
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | Queue | None:
    if response.status_code == 200:
        response_200 = Queue.from_dict(response.json())



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

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())



        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | Queue]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    queue_name: str,
    *,
    client: AuthenticatedClient,

) -> Response[Problem | Queue]:
    """ Start jobs of a paused queue again

     Pending jobs of the queue start again, within its `max_concurrency`. Resuming a running queue is
    fine.

    Args:
        queue_name (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Queue]
     """


    kwargs = _get_kwargs(
        queue_name=queue_name,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    queue_name: str,
    *,
    client: AuthenticatedClient,

) -> Problem | Queue | None:
    """ Start jobs of a paused queue again

     Pending jobs of the queue start again, within its `max_concurrency`. Resuming a running queue is
    fine.

    Args:
        queue_name (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Queue
     """


    return sync_detailed(
        queue_name=queue_name,
client=client,

    ).parsed

async def asyncio_detailed(
    queue_name: str,
    *,
    client: AuthenticatedClient,

) -> Response[Problem | Queue]:
    """ Start jobs of a paused queue again

     Pending jobs of the queue start again, within its `max_concurrency`. Resuming a running queue is
    fine.

    Args:
        queue_name (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Queue]
     """


    kwargs = _get_kwargs(
        queue_name=queue_name,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    queue_name: str,
    *,
    client: AuthenticatedClient,

) -> Problem | Queue | None:
    """ Start jobs of a paused queue again

     Pending jobs of the queue start again, within its `max_concurrency`. Resuming a running queue is
    fine.

    Args:
        queue_name (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Queue
     """


    return (await asyncio_detailed(
        queue_name=queue_name,
client=client,

    )).parsed
