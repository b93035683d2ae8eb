from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.analytics_summary import AnalyticsSummary
from ...models.problem import Problem
from ...types import UNSET, Unset
from typing import cast
import datetime



def _get_kwargs(
    *,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    queue: str | Unset = UNSET,
    name: str | Unset = UNSET,
    label: list[str] | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_from_: str | Unset = UNSET
    if not isinstance(from_, Unset):
        json_from_ = from_.isoformat()
    params["from"] = json_from_

    json_to: str | Unset = UNSET
    if not isinstance(to, Unset):
        json_to = to.isoformat()
    params["to"] = json_to

    params["queue"] = queue

    params["name"] = name

    json_label: list[str] | Unset = UNSET
    if not isinstance(label, Unset):
        json_label = label


    params["label"] = json_label


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/analytics/summary",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> AnalyticsSummary | Problem | None:
    if response.status_code == 200:
        response_200 = AnalyticsSummary.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[AnalyticsSummary | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    queue: str | Unset = UNSET,
    name: str | Unset = UNSET,
    label: list[str] | Unset = UNSET,

) -> Response[AnalyticsSummary | Problem]:
    """ How jobs went over a time window

     Figures over the jobs created in `[from, to)` that the caller may see (a member: their
    own), narrowed by the filters given: jobs by status, the success rate, how long executions
    ran (p50/p95/p99 of `finished_at - started_at` over every finished attempt) and how long
    jobs waited to start (p50/p95 of `started_at - run_at`, the latest attempt's wait since it
    became due) — in all, per queue, and per job name (the 50 names with most jobs).

    `success_rate` is completed / (completed + failed + timed_out), `null` while none of those
    has ended. Percentiles are read from a logarithmic histogram (2% wide bins) on every
    database: within 1% of the exact value above a millisecond, the same whether the window
    is answered from hourly rollups or from raw rows (a `label` filter reads raw rows).

    Args:
        from_ (datetime.datetime | Unset):
        to (datetime.datetime | Unset):
        queue (str | Unset):
        name (str | Unset):
        label (list[str] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AnalyticsSummary | Problem]
     """


    kwargs = _get_kwargs(
        from_=from_,
to=to,
queue=queue,
name=name,
label=label,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    queue: str | Unset = UNSET,
    name: str | Unset = UNSET,
    label: list[str] | Unset = UNSET,

) -> AnalyticsSummary | Problem | None:
    """ How jobs went over a time window

     Figures over the jobs created in `[from, to)` that the caller may see (a member: their
    own), narrowed by the filters given: jobs by status, the success rate, how long executions
    ran (p50/p95/p99 of `finished_at - started_at` over every finished attempt) and how long
    jobs waited to start (p50/p95 of `started_at - run_at`, the latest attempt's wait since it
    became due) — in all, per queue, and per job name (the 50 names with most jobs).

    `success_rate` is completed / (completed + failed + timed_out), `null` while none of those
    has ended. Percentiles are read from a logarithmic histogram (2% wide bins) on every
    database: within 1% of the exact value above a millisecond, the same whether the window
    is answered from hourly rollups or from raw rows (a `label` filter reads raw rows).

    Args:
        from_ (datetime.datetime | Unset):
        to (datetime.datetime | Unset):
        queue (str | Unset):
        name (str | Unset):
        label (list[str] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AnalyticsSummary | Problem
     """


    return sync_detailed(
        client=client,
from_=from_,
to=to,
queue=queue,
name=name,
label=label,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    queue: str | Unset = UNSET,
    name: str | Unset = UNSET,
    label: list[str] | Unset = UNSET,

) -> Response[AnalyticsSummary | Problem]:
    """ How jobs went over a time window

     Figures over the jobs created in `[from, to)` that the caller may see (a member: their
    own), narrowed by the filters given: jobs by status, the success rate, how long executions
    ran (p50/p95/p99 of `finished_at - started_at` over every finished attempt) and how long
    jobs waited to start (p50/p95 of `started_at - run_at`, the latest attempt's wait since it
    became due) — in all, per queue, and per job name (the 50 names with most jobs).

    `success_rate` is completed / (completed + failed + timed_out), `null` while none of those
    has ended. Percentiles are read from a logarithmic histogram (2% wide bins) on every
    database: within 1% of the exact value above a millisecond, the same whether the window
    is answered from hourly rollups or from raw rows (a `label` filter reads raw rows).

    Args:
        from_ (datetime.datetime | Unset):
        to (datetime.datetime | Unset):
        queue (str | Unset):
        name (str | Unset):
        label (list[str] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AnalyticsSummary | Problem]
     """


    kwargs = _get_kwargs(
        from_=from_,
to=to,
queue=queue,
name=name,
label=label,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    queue: str | Unset = UNSET,
    name: str | Unset = UNSET,
    label: list[str] | Unset = UNSET,

) -> AnalyticsSummary | Problem | None:
    """ How jobs went over a time window

     Figures over the jobs created in `[from, to)` that the caller may see (a member: their
    own), narrowed by the filters given: jobs by status, the success rate, how long executions
    ran (p50/p95/p99 of `finished_at - started_at` over every finished attempt) and how long
    jobs waited to start (p50/p95 of `started_at - run_at`, the latest attempt's wait since it
    became due) — in all, per queue, and per job name (the 50 names with most jobs).

    `success_rate` is completed / (completed + failed + timed_out), `null` while none of those
    has ended. Percentiles are read from a logarithmic histogram (2% wide bins) on every
    database: within 1% of the exact value above a millisecond, the same whether the window
    is answered from hourly rollups or from raw rows (a `label` filter reads raw rows).

    Args:
        from_ (datetime.datetime | Unset):
        to (datetime.datetime | Unset):
        queue (str | Unset):
        name (str | Unset):
        label (list[str] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AnalyticsSummary | Problem
     """


    return (await asyncio_detailed(
        client=client,
from_=from_,
to=to,
queue=queue,
name=name,
label=label,

    )).parsed
