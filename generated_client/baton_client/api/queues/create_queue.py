from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.queue import Queue
from ...models.queue_create import QueueCreate
from typing import cast



def _get_kwargs(
    *,
    body: QueueCreate,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/queues",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | Queue | None:
    if response.status_code == 201:
        response_201 = Queue.from_dict(response.json())



        return response_201

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())



        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())



        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())



        return response_403

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())



        return response_409

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())



        return response_413

    if response.status_code == 415:
        response_415 = Problem.from_dict(response.json())



        return response_415

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
    *,
    client: AuthenticatedClient,
    body: QueueCreate,

) -> Response[Problem | Queue]:
    """ Define a queue

     A queue limits how many of its jobs run at once across every worker and server process
    (`max_concurrency`), can be paused, and gives its jobs default `timeout_seconds` and
    `max_retries`. Jobs may name a queue that is not defined: it has no limit and no defaults.

    Args:
        body (QueueCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Queue]
     """


    kwargs = _get_kwargs(
        body=body,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    body: QueueCreate,

) -> Problem | Queue | None:
    """ Define a queue

     A queue limits how many of its jobs run at once across every worker and server process
    (`max_concurrency`), can be paused, and gives its jobs default `timeout_seconds` and
    `max_retries`. Jobs may name a queue that is not defined: it has no limit and no defaults.

    Args:
        body (QueueCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Queue
     """


    return sync_detailed(
        client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: QueueCreate,

) -> Response[Problem | Queue]:
    """ Define a queue

     A queue limits how many of its jobs run at once across every worker and server process
    (`max_concurrency`), can be paused, and gives its jobs default `timeout_seconds` and
    `max_retries`. Jobs may name a queue that is not defined: it has no limit and no defaults.

    Args:
        body (QueueCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Queue]
     """


    kwargs = _get_kwargs(
        body=body,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    body: QueueCreate,

) -> Problem | Queue | None:
    """ Define a queue

     A queue limits how many of its jobs run at once across every worker and server process
    (`max_concurrency`), can be paused, and gives its jobs default `timeout_seconds` and
    `max_retries`. Jobs may name a queue that is not defined: it has no limit and no defaults.

    Args:
        body (QueueCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Queue
     """


    return (await asyncio_detailed(
        client=client,
body=body,

    )).parsed
