from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from typing import cast



def _get_kwargs(
    
) -> dict[str, Any]:
    

    

    

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/metrics",
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | str | None:
    if response.status_code == 200:
        response_200 = response.text
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

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())



        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | str]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,

) -> Response[Problem | str]:
    """ Prometheus metrics

     The Prometheus text format (0.0.4). Job, queue and worker figures are read from the
    database at each scrape, so every server process answers with the same ones; HTTP request
    counters and latencies are per process, summed over a server's processes when
    `PROMETHEUS_MULTIPROC_DIR` is set (`baton serve` sets it up when `BATON_WORKERS` > 1).
    Needs `metrics:read` (admins and managers): give Prometheus an API key with only that
    scope (docs/metrics.md has a scrape configuration and docs/grafana-dashboard.json a
    dashboard).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | str]
     """


    kwargs = _get_kwargs(
        
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,

) -> Problem | str | None:
    """ Prometheus metrics

     The Prometheus text format (0.0.4). Job, queue and worker figures are read from the
    database at each scrape, so every server process answers with the same ones; HTTP request
    counters and latencies are per process, summed over a server's processes when
    `PROMETHEUS_MULTIPROC_DIR` is set (`baton serve` sets it up when `BATON_WORKERS` > 1).
    Needs `metrics:read` (admins and managers): give Prometheus an API key with only that
    scope (docs/metrics.md has a scrape configuration and docs/grafana-dashboard.json a
    dashboard).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | str
     """


    return sync_detailed(
        client=client,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,

) -> Response[Problem | str]:
    """ Prometheus metrics

     The Prometheus text format (0.0.4). Job, queue and worker figures are read from the
    database at each scrape, so every server process answers with the same ones; HTTP request
    counters and latencies are per process, summed over a server's processes when
    `PROMETHEUS_MULTIPROC_DIR` is set (`baton serve` sets it up when `BATON_WORKERS` > 1).
    Needs `metrics:read` (admins and managers): give Prometheus an API key with only that
    scope (docs/metrics.md has a scrape configuration and docs/grafana-dashboard.json a
    dashboard).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | str]
     """


    kwargs = _get_kwargs(
        
    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,

) -> Problem | str | None:
    """ Prometheus metrics

     The Prometheus text format (0.0.4). Job, queue and worker figures are read from the
    database at each scrape, so every server process answers with the same ones; HTTP request
    counters and latencies are per process, summed over a server's processes when
    `PROMETHEUS_MULTIPROC_DIR` is set (`baton serve` sets it up when `BATON_WORKERS` > 1).
    Needs `metrics:read` (admins and managers): give Prometheus an API key with only that
    scope (docs/metrics.md has a scrape configuration and docs/grafana-dashboard.json a
    dashboard).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | str
     """


    return (await asyncio_detailed(
        client=client,

    )).parsed
