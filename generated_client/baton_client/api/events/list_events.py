from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.event_page import EventPage
from ...models.problem import Problem
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    after: int | Unset = UNSET,
    limit: int | Unset = 50,
    type_: list[str] | Unset = UNSET,
    job_id: str | Unset = UNSET,
    queue: str | Unset = UNSET,
    worker_id: str | Unset = UNSET,
    wait_seconds: int | Unset = 0,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    params["after"] = after

    params["limit"] = limit

    json_type_: list[str] | Unset = UNSET
    if not isinstance(type_, Unset):
        json_type_ = type_


    params["type"] = json_type_

    params["job_id"] = job_id

    params["queue"] = queue

    params["worker_id"] = worker_id

    params["wait_seconds"] = wait_seconds


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/events",
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> EventPage | Problem | None:
    if response.status_code == 200:
        response_200 = EventPage.from_dict(response.json())



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

    if response.status_code == 410:
        response_410 = Problem.from_dict(response.json())



        return response_410

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())



        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[EventPage | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    after: int | Unset = UNSET,
    limit: int | Unset = 50,
    type_: list[str] | Unset = UNSET,
    job_id: str | Unset = UNSET,
    queue: str | Unset = UNSET,
    worker_id: str | Unset = UNSET,
    wait_seconds: int | Unset = 0,

) -> Response[EventPage | Problem]:
    """ Read the event log

     Everything that happened to jobs, workers and queues, in the order it committed: each
    event has an increasing `id` (gap-free), a `type`, the time, its subject and a small
    `data` object (one of the `*EventData` schemas). Pass `after` = the `last_event_id` of the
    previous answer to read on; with `wait_seconds`, an empty answer waits (long-polls) up to
    that long for the next matching event. Filters: `type` (exact types or prefixes ending in
    `.`, e.g. `job.`), `job_id`, `queue`, `worker_id`.

    You see what you may read through the API: job events need `jobs:read` (a member sees
    only their own jobs'), queue events `jobs:read`, worker events `workers:read`.

    Events are kept `BATON_EVENT_RETENTION_HOURS` (72 by default). An `after` older than the
    oldest kept event is `410 EVENT_CURSOR_EXPIRED`: list the resources again, then follow the
    log from its newest id. Without `after` the answer starts at the oldest kept event.

    Args:
        after (int | Unset):
        limit (int | Unset):  Default: 50.
        type_ (list[str] | Unset):
        job_id (str | Unset): A UUID in canonical form.
        queue (str | Unset):
        worker_id (str | Unset):
        wait_seconds (int | Unset):  Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EventPage | Problem]
     """


    kwargs = _get_kwargs(
        after=after,
limit=limit,
type_=type_,
job_id=job_id,
queue=queue,
worker_id=worker_id,
wait_seconds=wait_seconds,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    after: int | Unset = UNSET,
    limit: int | Unset = 50,
    type_: list[str] | Unset = UNSET,
    job_id: str | Unset = UNSET,
    queue: str | Unset = UNSET,
    worker_id: str | Unset = UNSET,
    wait_seconds: int | Unset = 0,

) -> EventPage | Problem | None:
    """ Read the event log

     Everything that happened to jobs, workers and queues, in the order it committed: each
    event has an increasing `id` (gap-free), a `type`, the time, its subject and a small
    `data` object (one of the `*EventData` schemas). Pass `after` = the `last_event_id` of the
    previous answer to read on; with `wait_seconds`, an empty answer waits (long-polls) up to
    that long for the next matching event. Filters: `type` (exact types or prefixes ending in
    `.`, e.g. `job.`), `job_id`, `queue`, `worker_id`.

    You see what you may read through the API: job events need `jobs:read` (a member sees
    only their own jobs'), queue events `jobs:read`, worker events `workers:read`.

    Events are kept `BATON_EVENT_RETENTION_HOURS` (72 by default). An `after` older than the
    oldest kept event is `410 EVENT_CURSOR_EXPIRED`: list the resources again, then follow the
    log from its newest id. Without `after` the answer starts at the oldest kept event.

    Args:
        after (int | Unset):
        limit (int | Unset):  Default: 50.
        type_ (list[str] | Unset):
        job_id (str | Unset): A UUID in canonical form.
        queue (str | Unset):
        worker_id (str | Unset):
        wait_seconds (int | Unset):  Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EventPage | Problem
     """


    return sync_detailed(
        client=client,
after=after,
limit=limit,
type_=type_,
job_id=job_id,
queue=queue,
worker_id=worker_id,
wait_seconds=wait_seconds,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    after: int | Unset = UNSET,
    limit: int | Unset = 50,
    type_: list[str] | Unset = UNSET,
    job_id: str | Unset = UNSET,
    queue: str | Unset = UNSET,
    worker_id: str | Unset = UNSET,
    wait_seconds: int | Unset = 0,

) -> Response[EventPage | Problem]:
    """ Read the event log

     Everything that happened to jobs, workers and queues, in the order it committed: each
    event has an increasing `id` (gap-free), a `type`, the time, its subject and a small
    `data` object (one of the `*EventData` schemas). Pass `after` = the `last_event_id` of the
    previous answer to read on; with `wait_seconds`, an empty answer waits (long-polls) up to
    that long for the next matching event. Filters: `type` (exact types or prefixes ending in
    `.`, e.g. `job.`), `job_id`, `queue`, `worker_id`.

    You see what you may read through the API: job events need `jobs:read` (a member sees
    only their own jobs'), queue events `jobs:read`, worker events `workers:read`.

    Events are kept `BATON_EVENT_RETENTION_HOURS` (72 by default). An `after` older than the
    oldest kept event is `410 EVENT_CURSOR_EXPIRED`: list the resources again, then follow the
    log from its newest id. Without `after` the answer starts at the oldest kept event.

    Args:
        after (int | Unset):
        limit (int | Unset):  Default: 50.
        type_ (list[str] | Unset):
        job_id (str | Unset): A UUID in canonical form.
        queue (str | Unset):
        worker_id (str | Unset):
        wait_seconds (int | Unset):  Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EventPage | Problem]
     """


    kwargs = _get_kwargs(
        after=after,
limit=limit,
type_=type_,
job_id=job_id,
queue=queue,
worker_id=worker_id,
wait_seconds=wait_seconds,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    after: int | Unset = UNSET,
    limit: int | Unset = 50,
    type_: list[str] | Unset = UNSET,
    job_id: str | Unset = UNSET,
    queue: str | Unset = UNSET,
    worker_id: str | Unset = UNSET,
    wait_seconds: int | Unset = 0,

) -> EventPage | Problem | None:
    """ Read the event log

     Everything that happened to jobs, workers and queues, in the order it committed: each
    event has an increasing `id` (gap-free), a `type`, the time, its subject and a small
    `data` object (one of the `*EventData` schemas). Pass `after` = the `last_event_id` of the
    previous answer to read on; with `wait_seconds`, an empty answer waits (long-polls) up to
    that long for the next matching event. Filters: `type` (exact types or prefixes ending in
    `.`, e.g. `job.`), `job_id`, `queue`, `worker_id`.

    You see what you may read through the API: job events need `jobs:read` (a member sees
    only their own jobs'), queue events `jobs:read`, worker events `workers:read`.

    Events are kept `BATON_EVENT_RETENTION_HOURS` (72 by default). An `after` older than the
    oldest kept event is `410 EVENT_CURSOR_EXPIRED`: list the resources again, then follow the
    log from its newest id. Without `after` the answer starts at the oldest kept event.

    Args:
        after (int | Unset):
        limit (int | Unset):  Default: 50.
        type_ (list[str] | Unset):
        job_id (str | Unset): A UUID in canonical form.
        queue (str | Unset):
        worker_id (str | Unset):
        wait_seconds (int | Unset):  Default: 0.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EventPage | Problem
     """


    return (await asyncio_detailed(
        client=client,
after=after,
limit=limit,
type_=type_,
job_id=job_id,
queue=queue,
worker_id=worker_id,
wait_seconds=wait_seconds,

    )).parsed
