from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.job_batch import JobBatch
from ...models.job_batch_result import JobBatchResult
from ...models.problem import Problem
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    body: JobBatch,
    idempotency_key: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key



    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/jobs/batch",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> JobBatchResult | Problem | None:
    if response.status_code == 201:
        response_201 = JobBatchResult.from_dict(response.json())



        return response_201

    if response.status_code == 207:
        response_207 = JobBatchResult.from_dict(response.json())



        return response_207

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[JobBatchResult | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: JobBatch,
    idempotency_key: str | Unset = UNSET,

) -> Response[JobBatchResult | Problem]:
    """ Submit up to 500 jobs at once

     Every job is checked as `POST /api/v1/jobs` would check it, and the accepted ones are
    written in one transaction. The answer has one result per submitted job, in order, with the
    HTTP status that job would have got on its own.

    - `atomic: true` (the default): all or nothing. If any job is rejected, none is created and
      the answer is 400 with every rejected job's fields in `errors[]` (`jobs.3.labels.x`).
    - `atomic: false`: the accepted jobs are created even if others are rejected; the answer is
      207 with the rejected jobs' problems in their results.

    A body that breaks the schema (an unknown field, a 501st job, …) is rejected as a whole.

    Args:
        idempotency_key (str | Unset):
        body (JobBatch):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[JobBatchResult | Problem]
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
    body: JobBatch,
    idempotency_key: str | Unset = UNSET,

) -> JobBatchResult | Problem | None:
    """ Submit up to 500 jobs at once

     Every job is checked as `POST /api/v1/jobs` would check it, and the accepted ones are
    written in one transaction. The answer has one result per submitted job, in order, with the
    HTTP status that job would have got on its own.

    - `atomic: true` (the default): all or nothing. If any job is rejected, none is created and
      the answer is 400 with every rejected job's fields in `errors[]` (`jobs.3.labels.x`).
    - `atomic: false`: the accepted jobs are created even if others are rejected; the answer is
      207 with the rejected jobs' problems in their results.

    A body that breaks the schema (an unknown field, a 501st job, …) is rejected as a whole.

    Args:
        idempotency_key (str | Unset):
        body (JobBatch):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        JobBatchResult | Problem
     """


    return sync_detailed(
        client=client,
body=body,
idempotency_key=idempotency_key,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: JobBatch,
    idempotency_key: str | Unset = UNSET,

) -> Response[JobBatchResult | Problem]:
    """ Submit up to 500 jobs at once

     Every job is checked as `POST /api/v1/jobs` would check it, and the accepted ones are
    written in one transaction. The answer has one result per submitted job, in order, with the
    HTTP status that job would have got on its own.

    - `atomic: true` (the default): all or nothing. If any job is rejected, none is created and
      the answer is 400 with every rejected job's fields in `errors[]` (`jobs.3.labels.x`).
    - `atomic: false`: the accepted jobs are created even if others are rejected; the answer is
      207 with the rejected jobs' problems in their results.

    A body that breaks the schema (an unknown field, a 501st job, …) is rejected as a whole.

    Args:
        idempotency_key (str | Unset):
        body (JobBatch):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[JobBatchResult | Problem]
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
    body: JobBatch,
    idempotency_key: str | Unset = UNSET,

) -> JobBatchResult | Problem | None:
    """ Submit up to 500 jobs at once

     Every job is checked as `POST /api/v1/jobs` would check it, and the accepted ones are
    written in one transaction. The answer has one result per submitted job, in order, with the
    HTTP status that job would have got on its own.

    - `atomic: true` (the default): all or nothing. If any job is rejected, none is created and
      the answer is 400 with every rejected job's fields in `errors[]` (`jobs.3.labels.x`).
    - `atomic: false`: the accepted jobs are created even if others are rejected; the answer is
      207 with the rejected jobs' problems in their results.

    A body that breaks the schema (an unknown field, a 501st job, …) is rejected as a whole.

    Args:
        idempotency_key (str | Unset):
        body (JobBatch):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        JobBatchResult | Problem
     """


    return (await asyncio_detailed(
        client=client,
body=body,
idempotency_key=idempotency_key,

    )).parsed
