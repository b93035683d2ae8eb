from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.template import Template
from ...models.template_create import TemplateCreate
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    body: TemplateCreate,
    idempotency_key: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key



    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/templates",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | Template | None:
    if response.status_code == 201:
        response_201 = Template.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | Template]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: TemplateCreate,
    idempotency_key: str | Unset = UNSET,

) -> Response[Problem | Template]:
    """ Save a job or workflow template

     A named job (`job`, the body of `POST /api/v1/jobs`) or workflow (`workflow`, the body of
    `POST /api/v1/workflows`) with declared `parameters` (a JSON Schema, draft 2020-12, of an
    object). Values are substituted only where the template marks it, never through a shell:
    `{"$param": "name"}` stands for a value (keeping its JSON type; one command element stays
    one argument), and the parameter's name between double braces (`{ {name} }`, written
    without the spaces) inside the job's name, command elements, label values and payload
    strings is replaced by the value's text. `private` templates are seen by their owner (and
    by those who see every job: admins, managers, viewers), `public` ones by everyone who
    reads templates. A bad
    schema, a marker naming an undeclared parameter or a marker where none is allowed is 422
    `INVALID_TEMPLATE`. The template starts at `version` 1.

    Args:
        idempotency_key (str | Unset):
        body (TemplateCreate): Exactly one of `job` and `workflow` (both or neither is 422
            `INVALID_TEMPLATE`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Template]
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
    body: TemplateCreate,
    idempotency_key: str | Unset = UNSET,

) -> Problem | Template | None:
    """ Save a job or workflow template

     A named job (`job`, the body of `POST /api/v1/jobs`) or workflow (`workflow`, the body of
    `POST /api/v1/workflows`) with declared `parameters` (a JSON Schema, draft 2020-12, of an
    object). Values are substituted only where the template marks it, never through a shell:
    `{"$param": "name"}` stands for a value (keeping its JSON type; one command element stays
    one argument), and the parameter's name between double braces (`{ {name} }`, written
    without the spaces) inside the job's name, command elements, label values and payload
    strings is replaced by the value's text. `private` templates are seen by their owner (and
    by those who see every job: admins, managers, viewers), `public` ones by everyone who
    reads templates. A bad
    schema, a marker naming an undeclared parameter or a marker where none is allowed is 422
    `INVALID_TEMPLATE`. The template starts at `version` 1.

    Args:
        idempotency_key (str | Unset):
        body (TemplateCreate): Exactly one of `job` and `workflow` (both or neither is 422
            `INVALID_TEMPLATE`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Template
     """


    return sync_detailed(
        client=client,
body=body,
idempotency_key=idempotency_key,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: TemplateCreate,
    idempotency_key: str | Unset = UNSET,

) -> Response[Problem | Template]:
    """ Save a job or workflow template

     A named job (`job`, the body of `POST /api/v1/jobs`) or workflow (`workflow`, the body of
    `POST /api/v1/workflows`) with declared `parameters` (a JSON Schema, draft 2020-12, of an
    object). Values are substituted only where the template marks it, never through a shell:
    `{"$param": "name"}` stands for a value (keeping its JSON type; one command element stays
    one argument), and the parameter's name between double braces (`{ {name} }`, written
    without the spaces) inside the job's name, command elements, label values and payload
    strings is replaced by the value's text. `private` templates are seen by their owner (and
    by those who see every job: admins, managers, viewers), `public` ones by everyone who
    reads templates. A bad
    schema, a marker naming an undeclared parameter or a marker where none is allowed is 422
    `INVALID_TEMPLATE`. The template starts at `version` 1.

    Args:
        idempotency_key (str | Unset):
        body (TemplateCreate): Exactly one of `job` and `workflow` (both or neither is 422
            `INVALID_TEMPLATE`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Template]
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
    body: TemplateCreate,
    idempotency_key: str | Unset = UNSET,

) -> Problem | Template | None:
    """ Save a job or workflow template

     A named job (`job`, the body of `POST /api/v1/jobs`) or workflow (`workflow`, the body of
    `POST /api/v1/workflows`) with declared `parameters` (a JSON Schema, draft 2020-12, of an
    object). Values are substituted only where the template marks it, never through a shell:
    `{"$param": "name"}` stands for a value (keeping its JSON type; one command element stays
    one argument), and the parameter's name between double braces (`{ {name} }`, written
    without the spaces) inside the job's name, command elements, label values and payload
    strings is replaced by the value's text. `private` templates are seen by their owner (and
    by those who see every job: admins, managers, viewers), `public` ones by everyone who
    reads templates. A bad
    schema, a marker naming an undeclared parameter or a marker where none is allowed is 422
    `INVALID_TEMPLATE`. The template starts at `version` 1.

    Args:
        idempotency_key (str | Unset):
        body (TemplateCreate): Exactly one of `job` and `workflow` (both or neither is 422
            `INVALID_TEMPLATE`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Template
     """


    return (await asyncio_detailed(
        client=client,
body=body,
idempotency_key=idempotency_key,

    )).parsed
