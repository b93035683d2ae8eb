from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.workflow_create import WorkflowCreate
from ...models.workflow_detail import WorkflowDetail
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    body: WorkflowCreate,
    idempotency_key: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key



    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/workflows",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | WorkflowDetail | None:
    if response.status_code == 201:
        response_201 = WorkflowDetail.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | WorkflowDetail]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: WorkflowCreate,
    idempotency_key: str | Unset = UNSET,

) -> Response[Problem | WorkflowDetail]:
    """ Submit a workflow

     Named steps, each a job (the body of `POST /api/v1/jobs`), run once the steps they
    `depends_on` finished. All the steps' jobs are created at once: those without
    dependencies `pending` (or `scheduled`), the others `waiting`. When a dependency ends, a
    step's `on_failure` decides: `fail` (the default) runs it only if every dependency
    completed and cancels it as upstream-failed as soon as one did not; `continue` waits for
    all of them and runs it even if some failed or timed out; `always` runs it whatever
    happened (cleanup). A step's command finds its direct dependencies' results in the
    environment variable `BATON_UPSTREAM_RESULTS`: JSON `{step: stdout tail, or null if it
    never ran}`, at most 16 KiB in all (large outputs keep their end behind a `…`).
    Cycles, unknown or duplicate step names are 422 `INVALID_WORKFLOW`, each error naming
    the steps. At most 1,000 steps.

    Args:
        idempotency_key (str | Unset):
        body (WorkflowCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WorkflowDetail]
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
    body: WorkflowCreate,
    idempotency_key: str | Unset = UNSET,

) -> Problem | WorkflowDetail | None:
    """ Submit a workflow

     Named steps, each a job (the body of `POST /api/v1/jobs`), run once the steps they
    `depends_on` finished. All the steps' jobs are created at once: those without
    dependencies `pending` (or `scheduled`), the others `waiting`. When a dependency ends, a
    step's `on_failure` decides: `fail` (the default) runs it only if every dependency
    completed and cancels it as upstream-failed as soon as one did not; `continue` waits for
    all of them and runs it even if some failed or timed out; `always` runs it whatever
    happened (cleanup). A step's command finds its direct dependencies' results in the
    environment variable `BATON_UPSTREAM_RESULTS`: JSON `{step: stdout tail, or null if it
    never ran}`, at most 16 KiB in all (large outputs keep their end behind a `…`).
    Cycles, unknown or duplicate step names are 422 `INVALID_WORKFLOW`, each error naming
    the steps. At most 1,000 steps.

    Args:
        idempotency_key (str | Unset):
        body (WorkflowCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WorkflowDetail
     """


    return sync_detailed(
        client=client,
body=body,
idempotency_key=idempotency_key,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: WorkflowCreate,
    idempotency_key: str | Unset = UNSET,

) -> Response[Problem | WorkflowDetail]:
    """ Submit a workflow

     Named steps, each a job (the body of `POST /api/v1/jobs`), run once the steps they
    `depends_on` finished. All the steps' jobs are created at once: those without
    dependencies `pending` (or `scheduled`), the others `waiting`. When a dependency ends, a
    step's `on_failure` decides: `fail` (the default) runs it only if every dependency
    completed and cancels it as upstream-failed as soon as one did not; `continue` waits for
    all of them and runs it even if some failed or timed out; `always` runs it whatever
    happened (cleanup). A step's command finds its direct dependencies' results in the
    environment variable `BATON_UPSTREAM_RESULTS`: JSON `{step: stdout tail, or null if it
    never ran}`, at most 16 KiB in all (large outputs keep their end behind a `…`).
    Cycles, unknown or duplicate step names are 422 `INVALID_WORKFLOW`, each error naming
    the steps. At most 1,000 steps.

    Args:
        idempotency_key (str | Unset):
        body (WorkflowCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WorkflowDetail]
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
    body: WorkflowCreate,
    idempotency_key: str | Unset = UNSET,

) -> Problem | WorkflowDetail | None:
    """ Submit a workflow

     Named steps, each a job (the body of `POST /api/v1/jobs`), run once the steps they
    `depends_on` finished. All the steps' jobs are created at once: those without
    dependencies `pending` (or `scheduled`), the others `waiting`. When a dependency ends, a
    step's `on_failure` decides: `fail` (the default) runs it only if every dependency
    completed and cancels it as upstream-failed as soon as one did not; `continue` waits for
    all of them and runs it even if some failed or timed out; `always` runs it whatever
    happened (cleanup). A step's command finds its direct dependencies' results in the
    environment variable `BATON_UPSTREAM_RESULTS`: JSON `{step: stdout tail, or null if it
    never ran}`, at most 16 KiB in all (large outputs keep their end behind a `…`).
    Cycles, unknown or duplicate step names are 422 `INVALID_WORKFLOW`, each error naming
    the steps. At most 1,000 steps.

    Args:
        idempotency_key (str | Unset):
        body (WorkflowCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WorkflowDetail
     """


    return (await asyncio_detailed(
        client=client,
body=body,
idempotency_key=idempotency_key,

    )).parsed
