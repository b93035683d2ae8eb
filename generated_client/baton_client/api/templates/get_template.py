from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.template import Template
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    template_id: str,
    *,
    version: int | Unset = UNSET,
    if_none_match: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_none_match, Unset):
        headers["If-None-Match"] = if_none_match



    

    params: dict[str, Any] = {}

    params["version"] = version


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/templates/{template_id}".format(template_id=quote(str(template_id), safe=""),),
        "params": params,
    }


    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | Problem | Template | None:
    if response.status_code == 200:
        response_200 = Template.from_dict(response.json())



        return response_200

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

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())



        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any | Problem | Template]:
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
    version: int | Unset = UNSET,
    if_none_match: str | Unset = UNSET,

) -> Response[Any | Problem | Template]:
    """ Get a template (its latest version, or the one asked for)

     The template at its latest version, or at `?version=`: its parameters (a JSON Schema),
    its job or workflow with the markers values fill in, and its visibility. A private
    template of another owner is a 404 (admins, managers and viewers see every template).

    Args:
        template_id (str): A UUID in canonical form.
        version (int | Unset):
        if_none_match (str | Unset): `*`, or a comma-separated list of entity tags (`"tag"` or
            `W/"tag"`, RFC 9110 §8.8.3).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem | Template]
     """


    kwargs = _get_kwargs(
        template_id=template_id,
version=version,
if_none_match=if_none_match,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    template_id: str,
    *,
    client: AuthenticatedClient,
    version: int | Unset = UNSET,
    if_none_match: str | Unset = UNSET,

) -> Any | Problem | Template | None:
    """ Get a template (its latest version, or the one asked for)

     The template at its latest version, or at `?version=`: its parameters (a JSON Schema),
    its job or workflow with the markers values fill in, and its visibility. A private
    template of another owner is a 404 (admins, managers and viewers see every template).

    Args:
        template_id (str): A UUID in canonical form.
        version (int | Unset):
        if_none_match (str | Unset): `*`, or a comma-separated list of entity tags (`"tag"` or
            `W/"tag"`, RFC 9110 §8.8.3).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem | Template
     """


    return sync_detailed(
        template_id=template_id,
client=client,
version=version,
if_none_match=if_none_match,

    ).parsed

async def asyncio_detailed(
    template_id: str,
    *,
    client: AuthenticatedClient,
    version: int | Unset = UNSET,
    if_none_match: str | Unset = UNSET,

) -> Response[Any | Problem | Template]:
    """ Get a template (its latest version, or the one asked for)

     The template at its latest version, or at `?version=`: its parameters (a JSON Schema),
    its job or workflow with the markers values fill in, and its visibility. A private
    template of another owner is a 404 (admins, managers and viewers see every template).

    Args:
        template_id (str): A UUID in canonical form.
        version (int | Unset):
        if_none_match (str | Unset): `*`, or a comma-separated list of entity tags (`"tag"` or
            `W/"tag"`, RFC 9110 §8.8.3).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem | Template]
     """


    kwargs = _get_kwargs(
        template_id=template_id,
version=version,
if_none_match=if_none_match,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    template_id: str,
    *,
    client: AuthenticatedClient,
    version: int | Unset = UNSET,
    if_none_match: str | Unset = UNSET,

) -> Any | Problem | Template | None:
    """ Get a template (its latest version, or the one asked for)

     The template at its latest version, or at `?version=`: its parameters (a JSON Schema),
    its job or workflow with the markers values fill in, and its visibility. A private
    template of another owner is a 404 (admins, managers and viewers see every template).

    Args:
        template_id (str): A UUID in canonical form.
        version (int | Unset):
        if_none_match (str | Unset): `*`, or a comma-separated list of entity tags (`"tag"` or
            `W/"tag"`, RFC 9110 §8.8.3).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem | Template
     """


    return (await asyncio_detailed(
        template_id=template_id,
client=client,
version=version,
if_none_match=if_none_match,

    )).parsed
