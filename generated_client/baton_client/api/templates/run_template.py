from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.template_run import TemplateRun
from ...models.template_run_result import TemplateRunResult
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    template_id: str,
    *,
    body: TemplateRun,
    idempotency_key: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key



    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/templates/{template_id}/run".format(template_id=quote(str(template_id), safe=""),),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | TemplateRunResult | None:
    if response.status_code == 201:
        response_201 = TemplateRunResult.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | TemplateRunResult]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    template_id: str,
    *,
    client: AuthenticatedClient,
    body: TemplateRun,
    idempotency_key: str | Unset = UNSET,

) -> Response[Problem | TemplateRunResult]:
    """ Run a template with parameter values

     Validates `parameters` against the template's schema (defaults filled in), substitutes
    them and submits the result as `POST /api/v1/jobs` or `POST /api/v1/workflows` would (the
    same validation; a workflow template also needs `workflows:write`). Bad values are 422
    `INVALID_TEMPLATE_PARAMETERS`, `errors[].field` naming each (`parameters.retries`).

    Args:
        template_id (str): A UUID in canonical form.
        idempotency_key (str | Unset):
        body (TemplateRun):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TemplateRunResult]
     """


    kwargs = _get_kwargs(
        template_id=template_id,
body=body,
idempotency_key=idempotency_key,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    template_id: str,
    *,
    client: AuthenticatedClient,
    body: TemplateRun,
    idempotency_key: str | Unset = UNSET,

) -> Problem | TemplateRunResult | None:
    """ Run a template with parameter values

     Validates `parameters` against the template's schema (defaults filled in), substitutes
    them and submits the result as `POST /api/v1/jobs` or `POST /api/v1/workflows` would (the
    same validation; a workflow template also needs `workflows:write`). Bad values are 422
    `INVALID_TEMPLATE_PARAMETERS`, `errors[].field` naming each (`parameters.retries`).

    Args:
        template_id (str): A UUID in canonical form.
        idempotency_key (str | Unset):
        body (TemplateRun):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TemplateRunResult
     """


    return sync_detailed(
        template_id=template_id,
client=client,
body=body,
idempotency_key=idempotency_key,

    ).parsed

async def asyncio_detailed(
    template_id: str,
    *,
    client: AuthenticatedClient,
    body: TemplateRun,
    idempotency_key: str | Unset = UNSET,

) -> Response[Problem | TemplateRunResult]:
    """ Run a template with parameter values

     Validates `parameters` against the template's schema (defaults filled in), substitutes
    them and submits the result as `POST /api/v1/jobs` or `POST /api/v1/workflows` would (the
    same validation; a workflow template also needs `workflows:write`). Bad values are 422
    `INVALID_TEMPLATE_PARAMETERS`, `errors[].field` naming each (`parameters.retries`).

    Args:
        template_id (str): A UUID in canonical form.
        idempotency_key (str | Unset):
        body (TemplateRun):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | TemplateRunResult]
     """


    kwargs = _get_kwargs(
        template_id=template_id,
body=body,
idempotency_key=idempotency_key,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    template_id: str,
    *,
    client: AuthenticatedClient,
    body: TemplateRun,
    idempotency_key: str | Unset = UNSET,

) -> Problem | TemplateRunResult | None:
    """ Run a template with parameter values

     Validates `parameters` against the template's schema (defaults filled in), substitutes
    them and submits the result as `POST /api/v1/jobs` or `POST /api/v1/workflows` would (the
    same validation; a workflow template also needs `workflows:write`). Bad values are 422
    `INVALID_TEMPLATE_PARAMETERS`, `errors[].field` naming each (`parameters.retries`).

    Args:
        template_id (str): A UUID in canonical form.
        idempotency_key (str | Unset):
        body (TemplateRun):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | TemplateRunResult
     """


    return (await asyncio_detailed(
        template_id=template_id,
client=client,
body=body,
idempotency_key=idempotency_key,

    )).parsed
