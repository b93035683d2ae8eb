from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.analytics_trends import AnalyticsTrends
from ...models.get_analytics_trends_bucket import GetAnalyticsTrendsBucket
from ...models.problem import Problem
from ...types import UNSET, Unset
from typing import cast
import datetime



def _get_kwargs(
    *,
    bucket: GetAnalyticsTrendsBucket | Unset = GetAnalyticsTrendsBucket.HOUR,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    queue: str | Unset = UNSET,
    name: str | Unset = UNSET,
    label: list[str] | Unset = UNSET,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    json_bucket: str | Unset = UNSET
    if not isinstance(bucket, Unset):
        json_bucket = bucket.value

    params["bucket"] = json_bucket

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
        "url": "/api/v1/analytics/trends",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> AnalyticsTrends | Problem | None:
    if response.status_code == 200:
        response_200 = AnalyticsTrends.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[AnalyticsTrends | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    bucket: GetAnalyticsTrendsBucket | Unset = GetAnalyticsTrendsBucket.HOUR,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    queue: str | Unset = UNSET,
    name: str | Unset = UNSET,
    label: list[str] | Unset = UNSET,

) -> Response[AnalyticsTrends | Problem]:
    """ The same figures as a time series

     The figures of `GET /api/v1/analytics/summary` (without the per queue and per name parts)
    for each `bucket` of `[from, to)`, oldest first. Buckets start on whole minutes, hours or
    days (UTC): `from` is rounded down to one. A bucket without jobs is there too, with zeros
    and `null` rates and percentiles. At most 1500 buckets (`TOO_MANY_BUCKETS`); without
    `from`, the window is the last 60 minutes, 24 hours or 30 days up to `to`.

    Args:
        bucket (GetAnalyticsTrendsBucket | Unset):  Default: GetAnalyticsTrendsBucket.HOUR.
        from_ (datetime.datetime | Unset):
        to (datetime.datetime | Unset):
        queue (str | Unset):
        name (str | Unset):
        label (list[str] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AnalyticsTrends | Problem]
     """


    kwargs = _get_kwargs(
        bucket=bucket,
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
    bucket: GetAnalyticsTrendsBucket | Unset = GetAnalyticsTrendsBucket.HOUR,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    queue: str | Unset = UNSET,
    name: str | Unset = UNSET,
    label: list[str] | Unset = UNSET,

) -> AnalyticsTrends | Problem | None:
    """ The same figures as a time series

     The figures of `GET /api/v1/analytics/summary` (without the per queue and per name parts)
    for each `bucket` of `[from, to)`, oldest first. Buckets start on whole minutes, hours or
    days (UTC): `from` is rounded down to one. A bucket without jobs is there too, with zeros
    and `null` rates and percentiles. At most 1500 buckets (`TOO_MANY_BUCKETS`); without
    `from`, the window is the last 60 minutes, 24 hours or 30 days up to `to`.

    Args:
        bucket (GetAnalyticsTrendsBucket | Unset):  Default: GetAnalyticsTrendsBucket.HOUR.
        from_ (datetime.datetime | Unset):
        to (datetime.datetime | Unset):
        queue (str | Unset):
        name (str | Unset):
        label (list[str] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AnalyticsTrends | Problem
     """


    return sync_detailed(
        client=client,
bucket=bucket,
from_=from_,
to=to,
queue=queue,
name=name,
label=label,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    bucket: GetAnalyticsTrendsBucket | Unset = GetAnalyticsTrendsBucket.HOUR,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    queue: str | Unset = UNSET,
    name: str | Unset = UNSET,
    label: list[str] | Unset = UNSET,

) -> Response[AnalyticsTrends | Problem]:
    """ The same figures as a time series

     The figures of `GET /api/v1/analytics/summary` (without the per queue and per name parts)
    for each `bucket` of `[from, to)`, oldest first. Buckets start on whole minutes, hours or
    days (UTC): `from` is rounded down to one. A bucket without jobs is there too, with zeros
    and `null` rates and percentiles. At most 1500 buckets (`TOO_MANY_BUCKETS`); without
    `from`, the window is the last 60 minutes, 24 hours or 30 days up to `to`.

    Args:
        bucket (GetAnalyticsTrendsBucket | Unset):  Default: GetAnalyticsTrendsBucket.HOUR.
        from_ (datetime.datetime | Unset):
        to (datetime.datetime | Unset):
        queue (str | Unset):
        name (str | Unset):
        label (list[str] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AnalyticsTrends | Problem]
     """


    kwargs = _get_kwargs(
        bucket=bucket,
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
    bucket: GetAnalyticsTrendsBucket | Unset = GetAnalyticsTrendsBucket.HOUR,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    queue: str | Unset = UNSET,
    name: str | Unset = UNSET,
    label: list[str] | Unset = UNSET,

) -> AnalyticsTrends | Problem | None:
    """ The same figures as a time series

     The figures of `GET /api/v1/analytics/summary` (without the per queue and per name parts)
    for each `bucket` of `[from, to)`, oldest first. Buckets start on whole minutes, hours or
    days (UTC): `from` is rounded down to one. A bucket without jobs is there too, with zeros
    and `null` rates and percentiles. At most 1500 buckets (`TOO_MANY_BUCKETS`); without
    `from`, the window is the last 60 minutes, 24 hours or 30 days up to `to`.

    Args:
        bucket (GetAnalyticsTrendsBucket | Unset):  Default: GetAnalyticsTrendsBucket.HOUR.
        from_ (datetime.datetime | Unset):
        to (datetime.datetime | Unset):
        queue (str | Unset):
        name (str | Unset):
        label (list[str] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AnalyticsTrends | Problem
     """


    return (await asyncio_detailed(
        client=client,
bucket=bucket,
from_=from_,
to=to,
queue=queue,
name=name,
label=label,

    )).parsed
