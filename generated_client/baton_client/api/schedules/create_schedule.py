from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.schedule import Schedule
from ...models.schedule_create import ScheduleCreate
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    body: ScheduleCreate,
    idempotency_key: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key



    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/schedules",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | Schedule | None:
    if response.status_code == 201:
        response_201 = Schedule.from_dict(response.json())



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
    *,
    client: AuthenticatedClient,
    body: ScheduleCreate,
    idempotency_key: str | Unset = UNSET,

) -> Response[Problem | Schedule]:
    """ Create a schedule

     A job template (`job`: what `POST /api/v1/jobs` takes, without `run_at`) submitted on a
    trigger: `cron` (5 fields, or 6 with seconds first, or a macro such as `@daily`) evaluated in
    `timezone` (IANA, default UTC), or `interval_seconds` (elapsed time, counted from `start_at`,
    else from one interval after creation). Daylight saving: a wall time that does not exist
    (spring) fires once at the jump, one that occurs twice (autumn) fires once, the first time.
    Fire times lie within `start_at`..`end_at`, at most `max_runs` of them; each run starts up
    to `jitter_seconds` after its fire time. A `start_at` in the past counts the fire times
    since then as missed: `misfire_policy` decides (`skip`, `run_once`: the newest one,
    `run_all`: the newest `max_catch_up`). `overlap_policy` decides when the previous run is
    still live: `allow`, `skip` (default), `queue` (one fire time waits for it; a further one is
    skipped) or `cancel_previous`. Each fire time creates one job, whatever the number of server
    processes; the jobs carry `schedule_id`. An invalid expression or zone is 422
    `INVALID_SCHEDULE_EXPRESSION` with the parser's reason; contradicting bounds or policies
    are 422 `INVALID_SCHEDULE`.

    Args:
        idempotency_key (str | Unset):
        body (ScheduleCreate): What to run is exactly one of `job` (inline) and `template` (a job
            template's version with
            parameter values); both or neither is 422 `INVALID_SCHEDULE`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Schedule]
     """


    kwargs = _get_kwargs(
        body=body,
idempotency_key=idempotency_key,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    body: ScheduleCreate,
    idempotency_key: str | Unset = UNSET,

) -> Problem | Schedule | None:
    """ Create a schedule

     A job template (`job`: what `POST /api/v1/jobs` takes, without `run_at`) submitted on a
    trigger: `cron` (5 fields, or 6 with seconds first, or a macro such as `@daily`) evaluated in
    `timezone` (IANA, default UTC), or `interval_seconds` (elapsed time, counted from `start_at`,
    else from one interval after creation). Daylight saving: a wall time that does not exist
    (spring) fires once at the jump, one that occurs twice (autumn) fires once, the first time.
    Fire times lie within `start_at`..`end_at`, at most `max_runs` of them; each run starts up
    to `jitter_seconds` after its fire time. A `start_at` in the past counts the fire times
    since then as missed: `misfire_policy` decides (`skip`, `run_once`: the newest one,
    `run_all`: the newest `max_catch_up`). `overlap_policy` decides when the previous run is
    still live: `allow`, `skip` (default), `queue` (one fire time waits for it; a further one is
    skipped) or `cancel_previous`. Each fire time creates one job, whatever the number of server
    processes; the jobs carry `schedule_id`. An invalid expression or zone is 422
    `INVALID_SCHEDULE_EXPRESSION` with the parser's reason; contradicting bounds or policies
    are 422 `INVALID_SCHEDULE`.

    Args:
        idempotency_key (str | Unset):
        body (ScheduleCreate): What to run is exactly one of `job` (inline) and `template` (a job
            template's version with
            parameter values); both or neither is 422 `INVALID_SCHEDULE`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Schedule
     """


    return sync_detailed(
        client=client,
body=body,
idempotency_key=idempotency_key,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: ScheduleCreate,
    idempotency_key: str | Unset = UNSET,

) -> Response[Problem | Schedule]:
    """ Create a schedule

     A job template (`job`: what `POST /api/v1/jobs` takes, without `run_at`) submitted on a
    trigger: `cron` (5 fields, or 6 with seconds first, or a macro such as `@daily`) evaluated in
    `timezone` (IANA, default UTC), or `interval_seconds` (elapsed time, counted from `start_at`,
    else from one interval after creation). Daylight saving: a wall time that does not exist
    (spring) fires once at the jump, one that occurs twice (autumn) fires once, the first time.
    Fire times lie within `start_at`..`end_at`, at most `max_runs` of them; each run starts up
    to `jitter_seconds` after its fire time. A `start_at` in the past counts the fire times
    since then as missed: `misfire_policy` decides (`skip`, `run_once`: the newest one,
    `run_all`: the newest `max_catch_up`). `overlap_policy` decides when the previous run is
    still live: `allow`, `skip` (default), `queue` (one fire time waits for it; a further one is
    skipped) or `cancel_previous`. Each fire time creates one job, whatever the number of server
    processes; the jobs carry `schedule_id`. An invalid expression or zone is 422
    `INVALID_SCHEDULE_EXPRESSION` with the parser's reason; contradicting bounds or policies
    are 422 `INVALID_SCHEDULE`.

    Args:
        idempotency_key (str | Unset):
        body (ScheduleCreate): What to run is exactly one of `job` (inline) and `template` (a job
            template's version with
            parameter values); both or neither is 422 `INVALID_SCHEDULE`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Schedule]
     """


    kwargs = _get_kwargs(
        body=body,
idempotency_key=idempotency_key,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    body: ScheduleCreate,
    idempotency_key: str | Unset = UNSET,

) -> Problem | Schedule | None:
    """ Create a schedule

     A job template (`job`: what `POST /api/v1/jobs` takes, without `run_at`) submitted on a
    trigger: `cron` (5 fields, or 6 with seconds first, or a macro such as `@daily`) evaluated in
    `timezone` (IANA, default UTC), or `interval_seconds` (elapsed time, counted from `start_at`,
    else from one interval after creation). Daylight saving: a wall time that does not exist
    (spring) fires once at the jump, one that occurs twice (autumn) fires once, the first time.
    Fire times lie within `start_at`..`end_at`, at most `max_runs` of them; each run starts up
    to `jitter_seconds` after its fire time. A `start_at` in the past counts the fire times
    since then as missed: `misfire_policy` decides (`skip`, `run_once`: the newest one,
    `run_all`: the newest `max_catch_up`). `overlap_policy` decides when the previous run is
    still live: `allow`, `skip` (default), `queue` (one fire time waits for it; a further one is
    skipped) or `cancel_previous`. Each fire time creates one job, whatever the number of server
    processes; the jobs carry `schedule_id`. An invalid expression or zone is 422
    `INVALID_SCHEDULE_EXPRESSION` with the parser's reason; contradicting bounds or policies
    are 422 `INVALID_SCHEDULE`.

    Args:
        idempotency_key (str | Unset):
        body (ScheduleCreate): What to run is exactly one of `job` (inline) and `template` (a job
            template's version with
            parameter values); both or neither is 422 `INVALID_SCHEDULE`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Schedule
     """


    return (await asyncio_detailed(
        client=client,
body=body,
idempotency_key=idempotency_key,

    )).parsed
