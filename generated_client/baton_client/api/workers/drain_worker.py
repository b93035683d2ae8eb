from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.worker import Worker
from typing import cast



def _get_kwargs(
    worker_id: str,

) -> dict[str, Any]:
    

    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/workers/{worker_id}/drain".format(worker_id=quote(str(worker_id), safe=""),),
    }


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

) -> Response[Problem | Worker]:
    """ Stop giving a worker new jobs

     The jobs it runs finish as usual; its claims get 409 `WORKER_DRAINING`. Draining twice is fine.

    Args:
        worker_id (str): A UUID in canonical form.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Worker]
     """


    kwargs = _get_kwargs(
        worker_id=worker_id,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    worker_id: str,
    *,
    client: AuthenticatedClient,

) -> Problem | Worker | None:
    """ Stop giving a worker new jobs

     The jobs it runs finish as usual; its claims get 409 `WORKER_DRAINING`. Draining twice is fine.

    Args:
        worker_id (str): A UUID in canonical form.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Worker
     """


    return sync_detailed(
        worker_id=worker_id,
client=client,

    ).parsed

async def asyncio_detailed(
    worker_id: str,
    *,
    client: AuthenticatedClient,

) -> Response[Problem | Worker]:
    """ Stop giving a worker new jobs

     The jobs it runs finish as usual; its claims get 409 `WORKER_DRAINING`. Draining twice is fine.

    Args:
        worker_id (str): A UUID in canonical form.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Worker]
     """


    kwargs = _get_kwargs(
        worker_id=worker_id,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    worker_id: str,
    *,
    client: AuthenticatedClient,

) -> Problem | Worker | None:
    """ Stop giving a worker new jobs

     The jobs it runs finish as usual; its claims get 409 `WORKER_DRAINING`. Draining twice is fine.

    Args:
        worker_id (str): A UUID in canonical form.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Worker
     """


    return (await asyncio_detailed(
        worker_id=worker_id,
client=client,

    )).parsed
