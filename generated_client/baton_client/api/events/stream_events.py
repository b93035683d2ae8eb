from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    after: int | Unset = UNSET,
    type_: list[str] | Unset = UNSET,
    job_id: str | Unset = UNSET,
    queue: str | Unset = UNSET,
    worker_id: str | Unset = UNSET,
    max_seconds: int | Unset = UNSET,
    last_event_id: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(last_event_id, Unset):
        headers["Last-Event-ID"] = last_event_id



    

    params: dict[str, Any] = {}

    params["after"] = after

    json_type_: list[str] | Unset = UNSET
    if not isinstance(type_, Unset):
        json_type_ = type_


    params["type"] = json_type_

    params["job_id"] = job_id

    params["queue"] = queue

    params["worker_id"] = worker_id

    params["max_seconds"] = max_seconds


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/events/stream",
        "params": params,
    }


    _kwargs["headers"] = headers
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
    after: int | Unset = UNSET,
    type_: list[str] | Unset = UNSET,
    job_id: str | Unset = UNSET,
    queue: str | Unset = UNSET,
    worker_id: str | Unset = UNSET,
    max_seconds: int | Unset = UNSET,
    last_event_id: str | Unset = UNSET,

) -> Response[Problem | str]:
    """ Follow the event log (Server-Sent Events)

     The event log as a `text/event-stream` that stays open: each event is sent as
    `id: <event id>`, `event: <type>` and `data: <the Event as JSON>`, and a comment line
    (`: keep-alive`) is sent every 15 seconds. To resume after a dropped connection send
    `Last-Event-ID` (browsers' EventSource does it by itself) or `?after=`: the stream goes on
    with the next event, with no gap and no duplicate. Without either it starts with the
    events that happen from now on. Same filters and visibility as `GET /api/v1/events`.

    The stream ends when the credentials do (the token expires or its session is revoked;
    an API key is revoked), and when the client reads too slowly to keep up (the server keeps
    a bounded buffer per stream): reconnect with `Last-Event-ID` and nothing is lost. An
    expired resume position is a `410` before the stream starts.

    Args:
        after (int | Unset):
        type_ (list[str] | Unset):
        job_id (str | Unset): A UUID in canonical form.
        queue (str | Unset):
        worker_id (str | Unset):
        max_seconds (int | Unset):
        last_event_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | str]
     """


    kwargs = _get_kwargs(
        after=after,
type_=type_,
job_id=job_id,
queue=queue,
worker_id=worker_id,
max_seconds=max_seconds,
last_event_id=last_event_id,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    after: int | Unset = UNSET,
    type_: list[str] | Unset = UNSET,
    job_id: str | Unset = UNSET,
    queue: str | Unset = UNSET,
    worker_id: str | Unset = UNSET,
    max_seconds: int | Unset = UNSET,
    last_event_id: str | Unset = UNSET,

) -> Problem | str | None:
    """ Follow the event log (Server-Sent Events)

     The event log as a `text/event-stream` that stays open: each event is sent as
    `id: <event id>`, `event: <type>` and `data: <the Event as JSON>`, and a comment line
    (`: keep-alive`) is sent every 15 seconds. To resume after a dropped connection send
    `Last-Event-ID` (browsers' EventSource does it by itself) or `?after=`: the stream goes on
    with the next event, with no gap and no duplicate. Without either it starts with the
    events that happen from now on. Same filters and visibility as `GET /api/v1/events`.

    The stream ends when the credentials do (the token expires or its session is revoked;
    an API key is revoked), and when the client reads too slowly to keep up (the server keeps
    a bounded buffer per stream): reconnect with `Last-Event-ID` and nothing is lost. An
    expired resume position is a `410` before the stream starts.

    Args:
        after (int | Unset):
        type_ (list[str] | Unset):
        job_id (str | Unset): A UUID in canonical form.
        queue (str | Unset):
        worker_id (str | Unset):
        max_seconds (int | Unset):
        last_event_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | str
     """


    return sync_detailed(
        client=client,
after=after,
type_=type_,
job_id=job_id,
queue=queue,
worker_id=worker_id,
max_seconds=max_seconds,
last_event_id=last_event_id,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    after: int | Unset = UNSET,
    type_: list[str] | Unset = UNSET,
    job_id: str | Unset = UNSET,
    queue: str | Unset = UNSET,
    worker_id: str | Unset = UNSET,
    max_seconds: int | Unset = UNSET,
    last_event_id: str | Unset = UNSET,

) -> Response[Problem | str]:
    """ Follow the event log (Server-Sent Events)

     The event log as a `text/event-stream` that stays open: each event is sent as
    `id: <event id>`, `event: <type>` and `data: <the Event as JSON>`, and a comment line
    (`: keep-alive`) is sent every 15 seconds. To resume after a dropped connection send
    `Last-Event-ID` (browsers' EventSource does it by itself) or `?after=`: the stream goes on
    with the next event, with no gap and no duplicate. Without either it starts with the
    events that happen from now on. Same filters and visibility as `GET /api/v1/events`.

    The stream ends when the credentials do (the token expires or its session is revoked;
    an API key is revoked), and when the client reads too slowly to keep up (the server keeps
    a bounded buffer per stream): reconnect with `Last-Event-ID` and nothing is lost. An
    expired resume position is a `410` before the stream starts.

    Args:
        after (int | Unset):
        type_ (list[str] | Unset):
        job_id (str | Unset): A UUID in canonical form.
        queue (str | Unset):
        worker_id (str | Unset):
        max_seconds (int | Unset):
        last_event_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | str]
     """


    kwargs = _get_kwargs(
        after=after,
type_=type_,
job_id=job_id,
queue=queue,
worker_id=worker_id,
max_seconds=max_seconds,
last_event_id=last_event_id,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    after: int | Unset = UNSET,
    type_: list[str] | Unset = UNSET,
    job_id: str | Unset = UNSET,
    queue: str | Unset = UNSET,
    worker_id: str | Unset = UNSET,
    max_seconds: int | Unset = UNSET,
    last_event_id: str | Unset = UNSET,

) -> Problem | str | None:
    """ Follow the event log (Server-Sent Events)

     The event log as a `text/event-stream` that stays open: each event is sent as
    `id: <event id>`, `event: <type>` and `data: <the Event as JSON>`, and a comment line
    (`: keep-alive`) is sent every 15 seconds. To resume after a dropped connection send
    `Last-Event-ID` (browsers' EventSource does it by itself) or `?after=`: the stream goes on
    with the next event, with no gap and no duplicate. Without either it starts with the
    events that happen from now on. Same filters and visibility as `GET /api/v1/events`.

    The stream ends when the credentials do (the token expires or its session is revoked;
    an API key is revoked), and when the client reads too slowly to keep up (the server keeps
    a bounded buffer per stream): reconnect with `Last-Event-ID` and nothing is lost. An
    expired resume position is a `410` before the stream starts.

    Args:
        after (int | Unset):
        type_ (list[str] | Unset):
        job_id (str | Unset): A UUID in canonical form.
        queue (str | Unset):
        worker_id (str | Unset):
        max_seconds (int | Unset):
        last_event_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | str
     """


    return (await asyncio_detailed(
        client=client,
after=after,
type_=type_,
job_id=job_id,
queue=queue,
worker_id=worker_id,
max_seconds=max_seconds,
last_event_id=last_event_id,

    )).parsed
