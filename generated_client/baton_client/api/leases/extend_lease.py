from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.lease import Lease
from ...models.lease_request import LeaseRequest
from ...models.problem import Problem
from typing import cast



def _get_kwargs(
    job_id: str,
    *,
    body: LeaseRequest,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/jobs/{job_id}/lease".format(job_id=quote(str(job_id), safe=""),),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Lease | Problem | None:
    if response.status_code == 200:
        response_200 = Lease.from_dict(response.json())



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

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())



        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Lease | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    job_id: str,
    *,
    client: AuthenticatedClient,
    body: LeaseRequest,

) -> Response[Lease | Problem]:
    """ Extend a claimed job's lease

     Only while the job is still running this attempt on this worker; otherwise 409
    `LEASE_LOST` (cancelled, re-queued after the lease ran out, or the worker was
    deregistered): the worker must stop the job and not report it.

    Args:
        job_id (str): A UUID in canonical form.
        body (LeaseRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Lease | Problem]
     """


    kwargs = _get_kwargs(
        job_id=job_id,
body=body,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    job_id: str,
    *,
    client: AuthenticatedClient,
    body: LeaseRequest,

) -> Lease | Problem | None:
    """ Extend a claimed job's lease

     Only while the job is still running this attempt on this worker; otherwise 409
    `LEASE_LOST` (cancelled, re-queued after the lease ran out, or the worker was
    deregistered): the worker must stop the job and not report it.

    Args:
        job_id (str): A UUID in canonical form.
        body (LeaseRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Lease | Problem
     """


    return sync_detailed(
        job_id=job_id,
client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    job_id: str,
    *,
    client: AuthenticatedClient,
    body: LeaseRequest,

) -> Response[Lease | Problem]:
    """ Extend a claimed job's lease

     Only while the job is still running this attempt on this worker; otherwise 409
    `LEASE_LOST` (cancelled, re-queued after the lease ran out, or the worker was
    deregistered): the worker must stop the job and not report it.

    Args:
        job_id (str): A UUID in canonical form.
        body (LeaseRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Lease | Problem]
     """


    kwargs = _get_kwargs(
        job_id=job_id,
body=body,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    job_id: str,
    *,
    client: AuthenticatedClient,
    body: LeaseRequest,

) -> Lease | Problem | None:
    """ Extend a claimed job's lease

     Only while the job is still running this attempt on this worker; otherwise 409
    `LEASE_LOST` (cancelled, re-queued after the lease ran out, or the worker was
    deregistered): the worker must stop the job and not report it.

    Args:
        job_id (str): A UUID in canonical form.
        body (LeaseRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Lease | Problem
     """


    return (await asyncio_detailed(
        job_id=job_id,
client=client,
body=body,

    )).parsed
