from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.worker import Worker
from ...models.worker_heartbeat import WorkerHeartbeat
from typing import cast



def _get_kwargs(
    worker_id: str,
    *,
    body: WorkerHeartbeat,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/workers/{worker_id}/heartbeat".format(worker_id=quote(str(worker_id), safe=""),),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | Worker | None:
    if response.status_code == 200:
        response_200 = Worker.from_dict(response.json())



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
    worker_id: str,
    *,
    client: AuthenticatedClient,
    body: WorkerHeartbeat,

) -> Response[Problem | Worker]:
    """ Tell the server a worker is alive

     Updates the worker's `load` and `capacity` (when sent) and the time of its last heartbeat.
    `state: draining` stops it from getting new jobs; draining is one-way (`state: active`
    does not undo it; register again instead), so a robot that always sends `active` cannot
    undo an operator's drain. A heartbeat does not extend job leases.

    Args:
        worker_id (str): A UUID in canonical form.
        body (WorkerHeartbeat): Every field is optional; an empty object only records that the
            worker is alive.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Worker]
     """


    kwargs = _get_kwargs(
        worker_id=worker_id,
body=body,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    worker_id: str,
    *,
    client: AuthenticatedClient,
    body: WorkerHeartbeat,

) -> Problem | Worker | None:
    """ Tell the server a worker is alive

     Updates the worker's `load` and `capacity` (when sent) and the time of its last heartbeat.
    `state: draining` stops it from getting new jobs; draining is one-way (`state: active`
    does not undo it; register again instead), so a robot that always sends `active` cannot
    undo an operator's drain. A heartbeat does not extend job leases.

    Args:
        worker_id (str): A UUID in canonical form.
        body (WorkerHeartbeat): Every field is optional; an empty object only records that the
            worker is alive.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Worker
     """


    return sync_detailed(
        worker_id=worker_id,
client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    worker_id: str,
    *,
    client: AuthenticatedClient,
    body: WorkerHeartbeat,

) -> Response[Problem | Worker]:
    """ Tell the server a worker is alive

     Updates the worker's `load` and `capacity` (when sent) and the time of its last heartbeat.
    `state: draining` stops it from getting new jobs; draining is one-way (`state: active`
    does not undo it; register again instead), so a robot that always sends `active` cannot
    undo an operator's drain. A heartbeat does not extend job leases.

    Args:
        worker_id (str): A UUID in canonical form.
        body (WorkerHeartbeat): Every field is optional; an empty object only records that the
            worker is alive.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Worker]
     """


    kwargs = _get_kwargs(
        worker_id=worker_id,
body=body,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    worker_id: str,
    *,
    client: AuthenticatedClient,
    body: WorkerHeartbeat,

) -> Problem | Worker | None:
    """ Tell the server a worker is alive

     Updates the worker's `load` and `capacity` (when sent) and the time of its last heartbeat.
    `state: draining` stops it from getting new jobs; draining is one-way (`state: active`
    does not undo it; register again instead), so a robot that always sends `active` cannot
    undo an operator's drain. A heartbeat does not extend job leases.

    Args:
        worker_id (str): A UUID in canonical form.
        body (WorkerHeartbeat): Every field is optional; an empty object only records that the
            worker is alive.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Worker
     """


    return (await asyncio_detailed(
        worker_id=worker_id,
client=client,
body=body,

    )).parsed
