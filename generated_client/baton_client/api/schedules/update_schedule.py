from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.schedule import Schedule
from ...models.schedule_patch import SchedulePatch
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    schedule_id: str,
    *,
    body:    SchedulePatch  |     SchedulePatch  | Unset = UNSET,
    if_match: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_match, Unset):
        headers["If-Match"] = if_match



    

    

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/api/v1/schedules/{schedule_id}".format(schedule_id=quote(str(schedule_id), safe=""),),
    }

    if isinstance(body, SchedulePatch):
        _kwargs["json"] = body.to_dict()

        headers["Content-Type"] = "application/json"
    if isinstance(body, SchedulePatch):
        _kwargs["json"] = body.to_dict()

        headers["Content-Type"] = "application/merge-patch+json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | Schedule | None:
    if response.status_code == 200:
        response_200 = Schedule.from_dict(response.json())



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

    if response.status_code == 412:
        response_412 = Problem.from_dict(response.json())



        return response_412

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())



        return response_413

    if response.status_code == 415:
        response_415 = Problem.from_dict(response.json())



        return response_415

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())



        return response_422

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())



        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | Schedule]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    schedule_id: str,
    *,
    client: AuthenticatedClient,
    body:    SchedulePatch  |     SchedulePatch  | Unset = UNSET,
    if_match: str | Unset = UNSET,

) -> Response[Problem | Schedule]:
    """ Change a schedule

     A JSON Merge Patch (`null` removes an optional field; `job` is replaced whole; setting
    `cron` drops `interval_seconds` and the other way round). A changed trigger counts from now:
    fire times before the change are not caught up. Pause and resume with their own operations.
    Takes `If-Match`.

    Args:
        schedule_id (str): A UUID in canonical form.
        if_match (str | Unset): `*`, or a comma-separated list of entity tags (`"tag"` or
            `W/"tag"`, RFC 9110 §8.8.3).
        body (SchedulePatch): A JSON Merge Patch of a schedule; an empty object changes nothing.
        body (SchedulePatch): A JSON Merge Patch of a schedule; an empty object changes nothing.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Schedule]
     """


    kwargs = _get_kwargs(
        schedule_id=schedule_id,
body=body,
if_match=if_match,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    schedule_id: str,
    *,
    client: AuthenticatedClient,
    body:    SchedulePatch  |     SchedulePatch  | Unset = UNSET,
    if_match: str | Unset = UNSET,

) -> Problem | Schedule | None:
    """ Change a schedule

     A JSON Merge Patch (`null` removes an optional field; `job` is replaced whole; setting
    `cron` drops `interval_seconds` and the other way round). A changed trigger counts from now:
    fire times before the change are not caught up. Pause and resume with their own operations.
    Takes `If-Match`.

    Args:
        schedule_id (str): A UUID in canonical form.
        if_match (str | Unset): `*`, or a comma-separated list of entity tags (`"tag"` or
            `W/"tag"`, RFC 9110 §8.8.3).
        body (SchedulePatch): A JSON Merge Patch of a schedule; an empty object changes nothing.
        body (SchedulePatch): A JSON Merge Patch of a schedule; an empty object changes nothing.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Schedule
     """


    return sync_detailed(
        schedule_id=schedule_id,
client=client,
body=body,
if_match=if_match,

    ).parsed

async def asyncio_detailed(
    schedule_id: str,
    *,
    client: AuthenticatedClient,
    body:    SchedulePatch  |     SchedulePatch  | Unset = UNSET,
    if_match: str | Unset = UNSET,

) -> Response[Problem | Schedule]:
    """ Change a schedule

     A JSON Merge Patch (`null` removes an optional field; `job` is replaced whole; setting
    `cron` drops `interval_seconds` and the other way round). A changed trigger counts from now:
    fire times before the change are not caught up. Pause and resume with their own operations.
    Takes `If-Match`.

    Args:
        schedule_id (str): A UUID in canonical form.
        if_match (str | Unset): `*`, or a comma-separated list of entity tags (`"tag"` or
            `W/"tag"`, RFC 9110 §8.8.3).
        body (SchedulePatch): A JSON Merge Patch of a schedule; an empty object changes nothing.
        body (SchedulePatch): A JSON Merge Patch of a schedule; an empty object changes nothing.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Schedule]
     """


    kwargs = _get_kwargs(
        schedule_id=schedule_id,
body=body,
if_match=if_match,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    schedule_id: str,
    *,
    client: AuthenticatedClient,
    body:    SchedulePatch  |     SchedulePatch  | Unset = UNSET,
    if_match: str | Unset = UNSET,

) -> Problem | Schedule | None:
    """ Change a schedule

     A JSON Merge Patch (`null` removes an optional field; `job` is replaced whole; setting
    `cron` drops `interval_seconds` and the other way round). A changed trigger counts from now:
    fire times before the change are not caught up. Pause and resume with their own operations.
    Takes `If-Match`.

    Args:
        schedule_id (str): A UUID in canonical form.
        if_match (str | Unset): `*`, or a comma-separated list of entity tags (`"tag"` or
            `W/"tag"`, RFC 9110 §8.8.3).
        body (SchedulePatch): A JSON Merge Patch of a schedule; an empty object changes nothing.
        body (SchedulePatch): A JSON Merge Patch of a schedule; an empty object changes nothing.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Schedule
     """


    return (await asyncio_detailed(
        schedule_id=schedule_id,
client=client,
body=body,
if_match=if_match,

    )).parsed
