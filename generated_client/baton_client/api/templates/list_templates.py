from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.template_page import TemplatePage
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    if_none_match: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_none_match, Unset):
        headers["If-None-Match"] = if_none_match



    

    params: dict[str, Any] = {}

    params["limit"] = limit

    params["cursor"] = cursor


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/templates",
        "params": params,
    }


    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | Problem | TemplatePage | None:
    if response.status_code == 200:
        response_200 = TemplatePage.from_dict(response.json())



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

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())



        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any | Problem | TemplatePage]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    if_none_match: str | Unset = UNSET,

) -> Response[Any | Problem | TemplatePage]:
    """ List templates

     Newest first (keyset-paginated); your own and the public ones (admins, managers and viewers see
    all).

    Args:
        limit (int | Unset):  Default: 50.
        cursor (str | Unset):
        if_none_match (str | Unset): `*`, or a comma-separated list of entity tags (`"tag"` or
            `W/"tag"`, RFC 9110 §8.8.3).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem | TemplatePage]
     """


    kwargs = _get_kwargs(
        limit=limit,
cursor=cursor,
if_none_match=if_none_match,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    if_none_match: str | Unset = UNSET,

) -> Any | Problem | TemplatePage | None:
    """ List templates

     Newest first (keyset-paginated); your own and the public ones (admins, managers and viewers see
    all).

    Args:
        limit (int | Unset):  Default: 50.
        cursor (str | Unset):
        if_none_match (str | Unset): `*`, or a comma-separated list of entity tags (`"tag"` or
            `W/"tag"`, RFC 9110 §8.8.3).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem | TemplatePage
     """


    return sync_detailed(
        client=client,
limit=limit,
cursor=cursor,
if_none_match=if_none_match,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    if_none_match: str | Unset = UNSET,

) -> Response[Any | Problem | TemplatePage]:
    """ List templates

     Newest first (keyset-paginated); your own and the public ones (admins, managers and viewers see
    all).

    Args:
        limit (int | Unset):  Default: 50.
        cursor (str | Unset):
        if_none_match (str | Unset): `*`, or a comma-separated list of entity tags (`"tag"` or
            `W/"tag"`, RFC 9110 §8.8.3).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem | TemplatePage]
     """


    kwargs = _get_kwargs(
        limit=limit,
cursor=cursor,
if_none_match=if_none_match,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    if_none_match: str | Unset = UNSET,

) -> Any | Problem | TemplatePage | None:
    """ List templates

     Newest first (keyset-paginated); your own and the public ones (admins, managers and viewers see
    all).

    Args:
        limit (int | Unset):  Default: 50.
        cursor (str | Unset):
        if_none_match (str | Unset): `*`, or a comma-separated list of entity tags (`"tag"` or
            `W/"tag"`, RFC 9110 §8.8.3).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem | TemplatePage
     """


    return (await asyncio_detailed(
        client=client,
limit=limit,
cursor=cursor,
if_none_match=if_none_match,

    )).parsed
