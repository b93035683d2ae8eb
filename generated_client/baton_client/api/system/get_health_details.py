from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.health_details import HealthDetails
from ...models.problem import Problem
from typing import cast



def _get_kwargs(
    
) -> dict[str, Any]:
    

    

    

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/health/details",
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> HealthDetails | Problem | None:
    if response.status_code == 200:
        response_200 = HealthDetails.from_dict(response.json())



        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())



        return response_400

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())



        return response_429

    if response.status_code == 503:
        response_503 = HealthDetails.from_dict(response.json())



        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[HealthDetails | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,

) -> Response[HealthDetails | Problem]:
    """ Each dependency's health and latency

     Checks every dependency at once (each given up to 2 s) and reports its status, its kind
    and how long the check took: `database`; `executor` (the Redis of `arq://` executors; an
    in-process executor only has to answer); `rate_limits` when `BATON_REDIS_URL` shares them
    through Redis. Errors name the exception class only; URLs and messages never appear.
    `status` is `ok`, `degraded` (the executor failed: jobs wait in the database until it is
    back; or shared rate limits failed: each process limits on its own) or `unavailable` (the
    database failed; the answer is then 503, with the same body). Rate limited like any
    anonymous call; `/health`, `/ready` and `/healthz` are the probes that never are.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[HealthDetails | Problem]
     """


    kwargs = _get_kwargs(
        
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient | Client,

) -> HealthDetails | Problem | None:
    """ Each dependency's health and latency

     Checks every dependency at once (each given up to 2 s) and reports its status, its kind
    and how long the check took: `database`; `executor` (the Redis of `arq://` executors; an
    in-process executor only has to answer); `rate_limits` when `BATON_REDIS_URL` shares them
    through Redis. Errors name the exception class only; URLs and messages never appear.
    `status` is `ok`, `degraded` (the executor failed: jobs wait in the database until it is
    back; or shared rate limits failed: each process limits on its own) or `unavailable` (the
    database failed; the answer is then 503, with the same body). Rate limited like any
    anonymous call; `/health`, `/ready` and `/healthz` are the probes that never are.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        HealthDetails | Problem
     """


    return sync_detailed(
        client=client,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,

) -> Response[HealthDetails | Problem]:
    """ Each dependency's health and latency

     Checks every dependency at once (each given up to 2 s) and reports its status, its kind
    and how long the check took: `database`; `executor` (the Redis of `arq://` executors; an
    in-process executor only has to answer); `rate_limits` when `BATON_REDIS_URL` shares them
    through Redis. Errors name the exception class only; URLs and messages never appear.
    `status` is `ok`, `degraded` (the executor failed: jobs wait in the database until it is
    back; or shared rate limits failed: each process limits on its own) or `unavailable` (the
    database failed; the answer is then 503, with the same body). Rate limited like any
    anonymous call; `/health`, `/ready` and `/healthz` are the probes that never are.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[HealthDetails | Problem]
     """


    kwargs = _get_kwargs(
        
    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient | Client,

) -> HealthDetails | Problem | None:
    """ Each dependency's health and latency

     Checks every dependency at once (each given up to 2 s) and reports its status, its kind
    and how long the check took: `database`; `executor` (the Redis of `arq://` executors; an
    in-process executor only has to answer); `rate_limits` when `BATON_REDIS_URL` shares them
    through Redis. Errors name the exception class only; URLs and messages never appear.
    `status` is `ok`, `degraded` (the executor failed: jobs wait in the database until it is
    back; or shared rate limits failed: each process limits on its own) or `unavailable` (the
    database failed; the answer is then 503, with the same body). Rate limited like any
    anonymous call; `/health`, `/ready` and `/healthz` are the probes that never are.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        HealthDetails | Problem
     """


    return (await asyncio_detailed(
        client=client,

    )).parsed
