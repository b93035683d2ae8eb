from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.worker import Worker
from ...models.worker_registration import WorkerRegistration
from typing import cast



def _get_kwargs(
    *,
    body: WorkerRegistration,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/workers",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | Worker | None:
    if response.status_code == 201:
        response_201 = Worker.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | Worker]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: WorkerRegistration,

) -> Response[Problem | Worker]:
    """ Register a pull worker

     A worker (a robot, an agent, a machine of the fleet) that takes jobs of the given queues
    over HTTP: `claim`, then extend each job's `lease` while it runs, then `complete` or `fail`
    it. `labels` decide which jobs it may take (every label of a job must be on the worker with
    the same value; a job without labels suits any worker). It should send a heartbeat every
    `heartbeat_interval_seconds` (in the answer): its `status` is derived from the time since
    the last one (`online` below 2 intervals, `stale` below 5, else `offline`).

    Args:
        body (WorkerRegistration):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Worker]
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
    body: WorkerRegistration,

) -> Problem | Worker | None:
    """ Register a pull worker

     A worker (a robot, an agent, a machine of the fleet) that takes jobs of the given queues
    over HTTP: `claim`, then extend each job's `lease` while it runs, then `complete` or `fail`
    it. `labels` decide which jobs it may take (every label of a job must be on the worker with
    the same value; a job without labels suits any worker). It should send a heartbeat every
    `heartbeat_interval_seconds` (in the answer): its `status` is derived from the time since
    the last one (`online` below 2 intervals, `stale` below 5, else `offline`).

    Args:
        body (WorkerRegistration):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Worker
     """


    return sync_detailed(
        client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: WorkerRegistration,

) -> Response[Problem | Worker]:
    """ Register a pull worker

     A worker (a robot, an agent, a machine of the fleet) that takes jobs of the given queues
    over HTTP: `claim`, then extend each job's `lease` while it runs, then `complete` or `fail`
    it. `labels` decide which jobs it may take (every label of a job must be on the worker with
    the same value; a job without labels suits any worker). It should send a heartbeat every
    `heartbeat_interval_seconds` (in the answer): its `status` is derived from the time since
    the last one (`online` below 2 intervals, `stale` below 5, else `offline`).

    Args:
        body (WorkerRegistration):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Worker]
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
    body: WorkerRegistration,

) -> Problem | Worker | None:
    """ Register a pull worker

     A worker (a robot, an agent, a machine of the fleet) that takes jobs of the given queues
    over HTTP: `claim`, then extend each job's `lease` while it runs, then `complete` or `fail`
    it. `labels` decide which jobs it may take (every label of a job must be on the worker with
    the same value; a job without labels suits any worker). It should send a heartbeat every
    `heartbeat_interval_seconds` (in the answer): its `status` is derived from the time since
    the last one (`online` below 2 intervals, `stale` below 5, else `offline`).

    Args:
        body (WorkerRegistration):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Worker
     """


    return (await asyncio_detailed(
        client=client,
body=body,

    )).parsed
