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
from typing import cast



def _get_kwargs(
    template_id: str,
    *,
    body: TemplateCreate,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}


    

    

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/api/v1/templates/{template_id}".format(template_id=quote(str(template_id), safe=""),),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | Template | None:
    if response.status_code == 200:
        response_200 = Template.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | Template]:
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
    body: TemplateCreate,

) -> Response[Problem | Template]:
    """ Save a new version of a template

     The body replaces the template's definition as a new version (`version` + 1); earlier
    versions stay readable and runnable (`?version=`). Only the owner (or an admin or
    manager) may do it; to anyone else the template is a 404.

    Args:
        template_id (str): A UUID in canonical form.
        body (TemplateCreate): Exactly one of `job` and `workflow` (both or neither is 422
            `INVALID_TEMPLATE`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Template]
     """


    kwargs = _get_kwargs(
        template_id=template_id,
body=body,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    template_id: str,
    *,
    client: AuthenticatedClient,
    body: TemplateCreate,

) -> Problem | Template | None:
    """ Save a new version of a template

     The body replaces the template's definition as a new version (`version` + 1); earlier
    versions stay readable and runnable (`?version=`). Only the owner (or an admin or
    manager) may do it; to anyone else the template is a 404.

    Args:
        template_id (str): A UUID in canonical form.
        body (TemplateCreate): Exactly one of `job` and `workflow` (both or neither is 422
            `INVALID_TEMPLATE`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Template
     """


    return sync_detailed(
        template_id=template_id,
client=client,
body=body,

    ).parsed

async def asyncio_detailed(
    template_id: str,
    *,
    client: AuthenticatedClient,
    body: TemplateCreate,

) -> Response[Problem | Template]:
    """ Save a new version of a template

     The body replaces the template's definition as a new version (`version` + 1); earlier
    versions stay readable and runnable (`?version=`). Only the owner (or an admin or
    manager) may do it; to anyone else the template is a 404.

    Args:
        template_id (str): A UUID in canonical form.
        body (TemplateCreate): Exactly one of `job` and `workflow` (both or neither is 422
            `INVALID_TEMPLATE`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Template]
     """


    kwargs = _get_kwargs(
        template_id=template_id,
body=body,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    template_id: str,
    *,
    client: AuthenticatedClient,
    body: TemplateCreate,

) -> Problem | Template | None:
    """ Save a new version of a template

     The body replaces the template's definition as a new version (`version` + 1); earlier
    versions stay readable and runnable (`?version=`). Only the owner (or an admin or
    manager) may do it; to anyone else the template is a 404.

    Args:
        template_id (str): A UUID in canonical form.
        body (TemplateCreate): Exactly one of `job` and `workflow` (both or neither is 422
            `INVALID_TEMPLATE`).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Template
     """


    return (await asyncio_detailed(
        template_id=template_id,
client=client,
body=body,

    )).parsed
