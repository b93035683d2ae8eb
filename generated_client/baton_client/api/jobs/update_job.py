from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.job import Job
from ...models.job_patch import JobPatch
from ...models.problem import Problem
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    job_id: str,
    *,
    body:    JobPatch  |     JobPatch  | Unset = UNSET,
    if_match: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_match, Unset):
        headers["If-Match"] = if_match



    

    

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/api/v1/jobs/{job_id}".format(job_id=quote(str(job_id), safe=""),),
    }

    if isinstance(body, JobPatch):
        _kwargs["json"] = body.to_dict()

        headers["Content-Type"] = "application/json"
    if isinstance(body, JobPatch):
        _kwargs["json"] = body.to_dict()

        headers["Content-Type"] = "application/merge-patch+json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Job | Problem | None:
    if response.status_code == 200:
        response_200 = Job.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Job | Problem]:
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
    body:    JobPatch  |     JobPatch  | Unset = UNSET,
    if_match: str | Unset = UNSET,

) -> Response[Job | Problem]:
    """ Change a job that has not started

     A JSON Merge Patch (RFC 7396) of a `scheduled` or `pending` job; any other state gives 409.
    Only `priority`, `labels` and `run_at` can change:

    - `labels` merges into the job's labels: a key set to a string adds or replaces that label,
      a key set to `null` removes it, and `"labels": null` removes every label. A job keeps at
      most 32 labels (422 `TOO_MANY_LABELS` otherwise).
    - `run_at` in the future makes the job `scheduled`; a past `run_at`, or `null` (now), makes
      it `pending`.
    - Any other field of a job (`id`, `status`, `owner`, `attempt`, `command`, `name`, …) is
      read-only here: 422 `READ_ONLY_FIELD`, with the fields named in `errors[]`. A field jobs do
      not have at all is 400 `VALIDATION_ERROR`. Either way nothing changes.

    Send the job's `ETag` in `If-Match` to change it only if nobody else did meanwhile
    (412 `PRECONDITION_FAILED` otherwise). The answer carries the changed job and its new `ETag`.
    The canonical media type is `application/merge-patch+json`; `application/json` is accepted too.

    Args:
        job_id (str): A UUID in canonical form.
        if_match (str | Unset): `*`, or a comma-separated list of entity tags (`"tag"` or
            `W/"tag"`, RFC 9110 §8.8.3).
        body (JobPatch): A JSON Merge Patch (RFC 7396) of a job: the fields to change, nothing
            else. No field is
            required; an empty object changes nothing.
        body (JobPatch): A JSON Merge Patch (RFC 7396) of a job: the fields to change, nothing
            else. No field is
            required; an empty object changes nothing.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Job | Problem]
     """


    kwargs = _get_kwargs(
        job_id=job_id,
body=body,
if_match=if_match,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    job_id: str,
    *,
    client: AuthenticatedClient,
    body:    JobPatch  |     JobPatch  | Unset = UNSET,
    if_match: str | Unset = UNSET,

) -> Job | Problem | None:
    """ Change a job that has not started

     A JSON Merge Patch (RFC 7396) of a `scheduled` or `pending` job; any other state gives 409.
    Only `priority`, `labels` and `run_at` can change:

    - `labels` merges into the job's labels: a key set to a string adds or replaces that label,
      a key set to `null` removes it, and `"labels": null` removes every label. A job keeps at
      most 32 labels (422 `TOO_MANY_LABELS` otherwise).
    - `run_at` in the future makes the job `scheduled`; a past `run_at`, or `null` (now), makes
      it `pending`.
    - Any other field of a job (`id`, `status`, `owner`, `attempt`, `command`, `name`, …) is
      read-only here: 422 `READ_ONLY_FIELD`, with the fields named in `errors[]`. A field jobs do
      not have at all is 400 `VALIDATION_ERROR`. Either way nothing changes.

    Send the job's `ETag` in `If-Match` to change it only if nobody else did meanwhile
    (412 `PRECONDITION_FAILED` otherwise). The answer carries the changed job and its new `ETag`.
    The canonical media type is `application/merge-patch+json`; `application/json` is accepted too.

    Args:
        job_id (str): A UUID in canonical form.
        if_match (str | Unset): `*`, or a comma-separated list of entity tags (`"tag"` or
            `W/"tag"`, RFC 9110 §8.8.3).
        body (JobPatch): A JSON Merge Patch (RFC 7396) of a job: the fields to change, nothing
            else. No field is
            required; an empty object changes nothing.
        body (JobPatch): A JSON Merge Patch (RFC 7396) of a job: the fields to change, nothing
            else. No field is
            required; an empty object changes nothing.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Job | Problem
     """


    return sync_detailed(
        job_id=job_id,
client=client,
body=body,
if_match=if_match,

    ).parsed

async def asyncio_detailed(
    job_id: str,
    *,
    client: AuthenticatedClient,
    body:    JobPatch  |     JobPatch  | Unset = UNSET,
    if_match: str | Unset = UNSET,

) -> Response[Job | Problem]:
    """ Change a job that has not started

     A JSON Merge Patch (RFC 7396) of a `scheduled` or `pending` job; any other state gives 409.
    Only `priority`, `labels` and `run_at` can change:

    - `labels` merges into the job's labels: a key set to a string adds or replaces that label,
      a key set to `null` removes it, and `"labels": null` removes every label. A job keeps at
      most 32 labels (422 `TOO_MANY_LABELS` otherwise).
    - `run_at` in the future makes the job `scheduled`; a past `run_at`, or `null` (now), makes
      it `pending`.
    - Any other field of a job (`id`, `status`, `owner`, `attempt`, `command`, `name`, …) is
      read-only here: 422 `READ_ONLY_FIELD`, with the fields named in `errors[]`. A field jobs do
      not have at all is 400 `VALIDATION_ERROR`. Either way nothing changes.

    Send the job's `ETag` in `If-Match` to change it only if nobody else did meanwhile
    (412 `PRECONDITION_FAILED` otherwise). The answer carries the changed job and its new `ETag`.
    The canonical media type is `application/merge-patch+json`; `application/json` is accepted too.

    Args:
        job_id (str): A UUID in canonical form.
        if_match (str | Unset): `*`, or a comma-separated list of entity tags (`"tag"` or
            `W/"tag"`, RFC 9110 §8.8.3).
        body (JobPatch): A JSON Merge Patch (RFC 7396) of a job: the fields to change, nothing
            else. No field is
            required; an empty object changes nothing.
        body (JobPatch): A JSON Merge Patch (RFC 7396) of a job: the fields to change, nothing
            else. No field is
            required; an empty object changes nothing.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Job | Problem]
     """


    kwargs = _get_kwargs(
        job_id=job_id,
body=body,
if_match=if_match,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    job_id: str,
    *,
    client: AuthenticatedClient,
    body:    JobPatch  |     JobPatch  | Unset = UNSET,
    if_match: str | Unset = UNSET,

) -> Job | Problem | None:
    """ Change a job that has not started

     A JSON Merge Patch (RFC 7396) of a `scheduled` or `pending` job; any other state gives 409.
    Only `priority`, `labels` and `run_at` can change:

    - `labels` merges into the job's labels: a key set to a string adds or replaces that label,
      a key set to `null` removes it, and `"labels": null` removes every label. A job keeps at
      most 32 labels (422 `TOO_MANY_LABELS` otherwise).
    - `run_at` in the future makes the job `scheduled`; a past `run_at`, or `null` (now), makes
      it `pending`.
    - Any other field of a job (`id`, `status`, `owner`, `attempt`, `command`, `name`, …) is
      read-only here: 422 `READ_ONLY_FIELD`, with the fields named in `errors[]`. A field jobs do
      not have at all is 400 `VALIDATION_ERROR`. Either way nothing changes.

    Send the job's `ETag` in `If-Match` to change it only if nobody else did meanwhile
    (412 `PRECONDITION_FAILED` otherwise). The answer carries the changed job and its new `ETag`.
    The canonical media type is `application/merge-patch+json`; `application/json` is accepted too.

    Args:
        job_id (str): A UUID in canonical form.
        if_match (str | Unset): `*`, or a comma-separated list of entity tags (`"tag"` or
            `W/"tag"`, RFC 9110 §8.8.3).
        body (JobPatch): A JSON Merge Patch (RFC 7396) of a job: the fields to change, nothing
            else. No field is
            required; an empty object changes nothing.
        body (JobPatch): A JSON Merge Patch (RFC 7396) of a job: the fields to change, nothing
            else. No field is
            required; an empty object changes nothing.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Job | Problem
     """


    return (await asyncio_detailed(
        job_id=job_id,
client=client,
body=body,
if_match=if_match,

    )).parsed
