from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.ws_ticket import WsTicket
from typing import cast



def _get_kwargs(
    
) -> dict[str, Any]:
    

    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/ws-tickets",
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | WsTicket | None:
    if response.status_code == 201:
        response_201 = WsTicket.from_dict(response.json())



        return response_201

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())



        return response_401

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())



        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | WsTicket]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,

) -> Response[Problem | WsTicket]:
    """ A ticket for the WebSocket

     A single-use ticket, valid for 30 seconds, that opens the WebSocket at `/api/v1/ws` as the
    caller (`/api/v1/ws?ticket=…`): browsers cannot send an `Authorization` header with a
    WebSocket, and a token in a URL would end up in proxies' logs; a ticket is worthless once
    used or expired. (Programs may instead send the token or API key in the socket's first
    message.) The protocol is described in `openapi/baton.asyncapi.yaml`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WsTicket]
     """


    kwargs = _get_kwargs(
        
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    *,
    client: AuthenticatedClient,

) -> Problem | WsTicket | None:
    """ A ticket for the WebSocket

     A single-use ticket, valid for 30 seconds, that opens the WebSocket at `/api/v1/ws` as the
    caller (`/api/v1/ws?ticket=…`): browsers cannot send an `Authorization` header with a
    WebSocket, and a token in a URL would end up in proxies' logs; a ticket is worthless once
    used or expired. (Programs may instead send the token or API key in the socket's first
    message.) The protocol is described in `openapi/baton.asyncapi.yaml`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WsTicket
     """


    return sync_detailed(
        client=client,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,

) -> Response[Problem | WsTicket]:
    """ A ticket for the WebSocket

     A single-use ticket, valid for 30 seconds, that opens the WebSocket at `/api/v1/ws` as the
    caller (`/api/v1/ws?ticket=…`): browsers cannot send an `Authorization` header with a
    WebSocket, and a token in a URL would end up in proxies' logs; a ticket is worthless once
    used or expired. (Programs may instead send the token or API key in the socket's first
    message.) The protocol is described in `openapi/baton.asyncapi.yaml`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WsTicket]
     """


    kwargs = _get_kwargs(
        
    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    *,
    client: AuthenticatedClient,

) -> Problem | WsTicket | None:
    """ A ticket for the WebSocket

     A single-use ticket, valid for 30 seconds, that opens the WebSocket at `/api/v1/ws` as the
    caller (`/api/v1/ws?ticket=…`): browsers cannot send an `Authorization` header with a
    WebSocket, and a token in a URL would end up in proxies' logs; a ticket is worthless once
    used or expired. (Programs may instead send the token or API key in the socket's first
    message.) The protocol is described in `openapi/baton.asyncapi.yaml`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WsTicket
     """


    return (await asyncio_detailed(
        client=client,

    )).parsed
