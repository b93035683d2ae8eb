from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.claim_request import ClaimRequest
from ...models.claim_result import ClaimResult
from ...models.problem import Problem
from typing import cast



def _get_kwargs(
    worker_id: str,
    *,
    body: ClaimRequest,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/workers/{worker_id}/claim".format(worker_id=quote(str(worker_id), safe=""),),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ClaimResult | Problem | None:
    if response.status_code == 200:
        response_200 = ClaimResult.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[ClaimResult | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    worker_id: str,
    *,
    client: AuthenticatedClient,
    body: ClaimRequest,

) -> Response[ClaimResult | Problem]:
    """ Take due jobs to run (long poll)

     Up to `max_jobs` due pending jobs of the given queues (all the worker's queues when
    omitted; others are 422 `QUEUE_NOT_SERVED`) whose labels the worker has, in dispatch order
    (priority 9 first, then `run_at`, then submission), within each queue's admission (paused
    queues and `max_concurrency`) and the worker's free `capacity`. Each job returned is
    `running` attempt `attempt` on this worker, leased until `lease_expires_at`: extend the
    lease (`POST /api/v1/jobs/{job_id}/lease`) before it runs out, then `complete` or `fail`
    it with that attempt. When nothing is due the request waits up to `wait_seconds` for a job
    and answers as soon as one can be taken (an empty list when none came).

    Args:
        worker_id (str): A UUID in canonical form.
        body (ClaimRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ClaimResult | Problem]
     """


    kwargs = _get_kwargs(
        worker_id=worker_id,
body=body,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    worker_id: str,
    *,
    client: AuthenticatedClient,
    body: ClaimRequest,

) -> ClaimResult | Problem | None:
    """ Take due jobs to run (long poll)

     Up to `max_jobs` due pending jobs of the given queues (all the worker's queues when
    omitted; others are 422 `QUEUE_NOT_SERVED`) whose labels the worker has, in dispatch order
    (priority 9 first, then `run_at`, then submission), within each queue's admission (paused
    queues and `max_concurrency`) and the worker's free `capacity`. Each job returned is
    `running` attempt `attempt` on this worker, leased until `lease_expires_at`: extend the
    lease (`POST /api/v1/jobs/{job_id}/lease`) before it runs out, then `complete` or `fail`
    it with that attempt. When nothing is due the request waits up to `wait_seconds` for a job
    and answers as soon as one can be taken (an empty list when none came).

    Args:
        worker_id (str): A UUID in canonical form.
        body (ClaimRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ClaimResult | Problem
     """


    return sync_detailed(
        worker_id=worker_id,
client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    worker_id: str,
    *,
    client: AuthenticatedClient,
    body: ClaimRequest,

) -> Response[ClaimResult | Problem]:
    """ Take due jobs to run (long poll)

     Up to `max_jobs` due pending jobs of the given queues (all the worker's queues when
    omitted; others are 422 `QUEUE_NOT_SERVED`) whose labels the worker has, in dispatch order
    (priority 9 first, then `run_at`, then submission), within each queue's admission (paused
    queues and `max_concurrency`) and the worker's free `capacity`. Each job returned is
    `running` attempt `attempt` on this worker, leased until `lease_expires_at`: extend the
    lease (`POST /api/v1/jobs/{job_id}/lease`) before it runs out, then `complete` or `fail`
    it with that attempt. When nothing is due the request waits up to `wait_seconds` for a job
    and answers as soon as one can be taken (an empty list when none came).

    Args:
        worker_id (str): A UUID in canonical form.
        body (ClaimRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ClaimResult | Problem]
     """


    kwargs = _get_kwargs(
        worker_id=worker_id,
body=body,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    worker_id: str,
    *,
    client: AuthenticatedClient,
    body: ClaimRequest,

) -> ClaimResult | Problem | None:
    """ Take due jobs to run (long poll)

     Up to `max_jobs` due pending jobs of the given queues (all the worker's queues when
    omitted; others are 422 `QUEUE_NOT_SERVED`) whose labels the worker has, in dispatch order
    (priority 9 first, then `run_at`, then submission), within each queue's admission (paused
    queues and `max_concurrency`) and the worker's free `capacity`. Each job returned is
    `running` attempt `attempt` on this worker, leased until `lease_expires_at`: extend the
    lease (`POST /api/v1/jobs/{job_id}/lease`) before it runs out, then `complete` or `fail`
    it with that attempt. When nothing is due the request waits up to `wait_seconds` for a job
    and answers as soon as one can be taken (an empty list when none came).

    Args:
        worker_id (str): A UUID in canonical form.
        body (ClaimRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ClaimResult | Problem
     """


    return (await asyncio_detailed(
        worker_id=worker_id,
client=client,
body=body,

    )).parsed
