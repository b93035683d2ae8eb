from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.get_execution_log_stream import GetExecutionLogStream
from ...models.problem import Problem
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    job_id: str,
    attempt: int,
    *,
    stream: GetExecutionLogStream | Unset = GetExecutionLogStream.STDOUT,
    offset: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    range_: str | Unset = UNSET,
    if_none_match: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(range_, Unset):
        headers["Range"] = range_

    if not isinstance(if_none_match, Unset):
        headers["If-None-Match"] = if_none_match



    

    params: dict[str, Any] = {}

    json_stream: str | Unset = UNSET
    if not isinstance(stream, Unset):
        json_stream = stream.value

    params["stream"] = json_stream

    params["offset"] = offset

    params["limit"] = limit


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/jobs/{job_id}/executions/{attempt}/log".format(job_id=quote(str(job_id), safe=""),attempt=quote(str(attempt), safe=""),),
        "params": params,
    }


    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | Problem | str | None:
    if response.status_code == 200:
        response_200 = response.text
        return response_200

    if response.status_code == 206:
        response_206 = response.text
        return response_206

    if response.status_code == 304:
        response_304 = cast(Any, None)
        return response_304

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

    if response.status_code == 416:
        response_416 = Problem.from_dict(response.json())



        return response_416

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())



        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any | Problem | str]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    job_id: str,
    attempt: int,
    *,
    client: AuthenticatedClient,
    stream: GetExecutionLogStream | Unset = GetExecutionLogStream.STDOUT,
    offset: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    range_: str | Unset = UNSET,
    if_none_match: str | Unset = UNSET,

) -> Response[Any | Problem | str]:
    """ Read an execution's full output

     The complete stdout or stderr of one attempt, as the process wrote it (raw bytes; the
    execution's `stdout`/`stderr` fields only keep the last 64 KiB). While the attempt runs the
    log grows: read on from the size you have (`offset`, or `Range: bytes=N-`) and stop when
    `Baton-Log-Complete` is `true`. A log is capped at `BATON_LOG_MAX_BYTES` per stream; output
    beyond that is dropped and a final line says so.

    Part of the log: `Range: bytes=first-last`, `bytes=first-` or `bytes=-suffix` (one range;
    206 with `Content-Range`), or `offset` and `limit` in the query (200). A range that starts
    past the end, or `bytes=-0`, gets 416 with `Content-Range: bytes */size`. A `Range` the
    server cannot parse, that lists several ranges, or that comes with `offset`/`limit`, is
    ignored (RFC 9110), and so is a suffix range of an empty log: RFC 9110 §14.1.2 counts it
    satisfiable, but no 206 can describe zero bytes, so the answer is the empty log (200).

    Args:
        job_id (str): A UUID in canonical form.
        attempt (int):
        stream (GetExecutionLogStream | Unset):  Default: GetExecutionLogStream.STDOUT.
        offset (int | Unset):
        limit (int | Unset):
        range_ (str | Unset):
        if_none_match (str | Unset): `*`, or a comma-separated list of entity tags (`"tag"` or
            `W/"tag"`, RFC 9110 §8.8.3).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem | str]
     """


    kwargs = _get_kwargs(
        job_id=job_id,
attempt=attempt,
stream=stream,
offset=offset,
limit=limit,
range_=range_,
if_none_match=if_none_match,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    job_id: str,
    attempt: int,
    *,
    client: AuthenticatedClient,
    stream: GetExecutionLogStream | Unset = GetExecutionLogStream.STDOUT,
    offset: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    range_: str | Unset = UNSET,
    if_none_match: str | Unset = UNSET,

) -> Any | Problem | str | None:
    """ Read an execution's full output

     The complete stdout or stderr of one attempt, as the process wrote it (raw bytes; the
    execution's `stdout`/`stderr` fields only keep the last 64 KiB). While the attempt runs the
    log grows: read on from the size you have (`offset`, or `Range: bytes=N-`) and stop when
    `Baton-Log-Complete` is `true`. A log is capped at `BATON_LOG_MAX_BYTES` per stream; output
    beyond that is dropped and a final line says so.

    Part of the log: `Range: bytes=first-last`, `bytes=first-` or `bytes=-suffix` (one range;
    206 with `Content-Range`), or `offset` and `limit` in the query (200). A range that starts
    past the end, or `bytes=-0`, gets 416 with `Content-Range: bytes */size`. A `Range` the
    server cannot parse, that lists several ranges, or that comes with `offset`/`limit`, is
    ignored (RFC 9110), and so is a suffix range of an empty log: RFC 9110 §14.1.2 counts it
    satisfiable, but no 206 can describe zero bytes, so the answer is the empty log (200).

    Args:
        job_id (str): A UUID in canonical form.
        attempt (int):
        stream (GetExecutionLogStream | Unset):  Default: GetExecutionLogStream.STDOUT.
        offset (int | Unset):
        limit (int | Unset):
        range_ (str | Unset):
        if_none_match (str | Unset): `*`, or a comma-separated list of entity tags (`"tag"` or
            `W/"tag"`, RFC 9110 §8.8.3).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem | str
     """


    return sync_detailed(
        job_id=job_id,
attempt=attempt,
client=client,
stream=stream,
offset=offset,
limit=limit,
range_=range_,
if_none_match=if_none_match,

    ).parsed

async def asyncio_detailed(
    job_id: str,
    attempt: int,
    *,
    client: AuthenticatedClient,
    stream: GetExecutionLogStream | Unset = GetExecutionLogStream.STDOUT,
    offset: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    range_: str | Unset = UNSET,
    if_none_match: str | Unset = UNSET,

) -> Response[Any | Problem | str]:
    """ Read an execution's full output

     The complete stdout or stderr of one attempt, as the process wrote it (raw bytes; the
    execution's `stdout`/`stderr` fields only keep the last 64 KiB). While the attempt runs the
    log grows: read on from the size you have (`offset`, or `Range: bytes=N-`) and stop when
    `Baton-Log-Complete` is `true`. A log is capped at `BATON_LOG_MAX_BYTES` per stream; output
    beyond that is dropped and a final line says so.

    Part of the log: `Range: bytes=first-last`, `bytes=first-` or `bytes=-suffix` (one range;
    206 with `Content-Range`), or `offset` and `limit` in the query (200). A range that starts
    past the end, or `bytes=-0`, gets 416 with `Content-Range: bytes */size`. A `Range` the
    server cannot parse, that lists several ranges, or that comes with `offset`/`limit`, is
    ignored (RFC 9110), and so is a suffix range of an empty log: RFC 9110 §14.1.2 counts it
    satisfiable, but no 206 can describe zero bytes, so the answer is the empty log (200).

    Args:
        job_id (str): A UUID in canonical form.
        attempt (int):
        stream (GetExecutionLogStream | Unset):  Default: GetExecutionLogStream.STDOUT.
        offset (int | Unset):
        limit (int | Unset):
        range_ (str | Unset):
        if_none_match (str | Unset): `*`, or a comma-separated list of entity tags (`"tag"` or
            `W/"tag"`, RFC 9110 §8.8.3).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem | str]
     """


    kwargs = _get_kwargs(
        job_id=job_id,
attempt=attempt,
stream=stream,
offset=offset,
limit=limit,
range_=range_,
if_none_match=if_none_match,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    job_id: str,
    attempt: int,
    *,
    client: AuthenticatedClient,
    stream: GetExecutionLogStream | Unset = GetExecutionLogStream.STDOUT,
    offset: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    range_: str | Unset = UNSET,
    if_none_match: str | Unset = UNSET,

) -> Any | Problem | str | None:
    """ Read an execution's full output

     The complete stdout or stderr of one attempt, as the process wrote it (raw bytes; the
    execution's `stdout`/`stderr` fields only keep the last 64 KiB). While the attempt runs the
    log grows: read on from the size you have (`offset`, or `Range: bytes=N-`) and stop when
    `Baton-Log-Complete` is `true`. A log is capped at `BATON_LOG_MAX_BYTES` per stream; output
    beyond that is dropped and a final line says so.

    Part of the log: `Range: bytes=first-last`, `bytes=first-` or `bytes=-suffix` (one range;
    206 with `Content-Range`), or `offset` and `limit` in the query (200). A range that starts
    past the end, or `bytes=-0`, gets 416 with `Content-Range: bytes */size`. A `Range` the
    server cannot parse, that lists several ranges, or that comes with `offset`/`limit`, is
    ignored (RFC 9110), and so is a suffix range of an empty log: RFC 9110 §14.1.2 counts it
    satisfiable, but no 206 can describe zero bytes, so the answer is the empty log (200).

    Args:
        job_id (str): A UUID in canonical form.
        attempt (int):
        stream (GetExecutionLogStream | Unset):  Default: GetExecutionLogStream.STDOUT.
        offset (int | Unset):
        limit (int | Unset):
        range_ (str | Unset):
        if_none_match (str | Unset): `*`, or a comma-separated list of entity tags (`"tag"` or
            `W/"tag"`, RFC 9110 §8.8.3).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem | str
     """


    return (await asyncio_detailed(
        job_id=job_id,
attempt=attempt,
client=client,
stream=stream,
offset=offset,
limit=limit,
range_=range_,
if_none_match=if_none_match,

    )).parsed
