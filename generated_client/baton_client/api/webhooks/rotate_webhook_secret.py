from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.webhook_with_secret import WebhookWithSecret
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    webhook_id: str,
    *,
    previous_secret_seconds: int | Unset = 86400,

) -> dict[str, Any]:
    

    

    params: dict[str, Any] = {}

    params["previous_secret_seconds"] = previous_secret_seconds


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/webhooks/{webhook_id}/rotate-secret".format(webhook_id=quote(str(webhook_id), safe=""),),
        "params": params,
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | WebhookWithSecret | None:
    if response.status_code == 200:
        response_200 = WebhookWithSecret.from_dict(response.json())



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

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())



        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | WebhookWithSecret]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    webhook_id: str,
    *,
    client: AuthenticatedClient,
    previous_secret_seconds: int | Unset = 86400,

) -> Response[Problem | WebhookWithSecret]:
    """ Rotate a webhook's signing secret

     A new secret, shown only in this answer. The current one keeps signing beside it for
    `previous_secret_seconds` (a day unless told): each message then carries two signatures,
    so the receiver accepts with either secret while it switches over.

    Args:
        webhook_id (str): A UUID in canonical form.
        previous_secret_seconds (int | Unset):  Default: 86400.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WebhookWithSecret]
     """


    kwargs = _get_kwargs(
        webhook_id=webhook_id,
previous_secret_seconds=previous_secret_seconds,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    webhook_id: str,
    *,
    client: AuthenticatedClient,
    previous_secret_seconds: int | Unset = 86400,

) -> Problem | WebhookWithSecret | None:
    """ Rotate a webhook's signing secret

     A new secret, shown only in this answer. The current one keeps signing beside it for
    `previous_secret_seconds` (a day unless told): each message then carries two signatures,
    so the receiver accepts with either secret while it switches over.

    Args:
        webhook_id (str): A UUID in canonical form.
        previous_secret_seconds (int | Unset):  Default: 86400.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WebhookWithSecret
     """


    return sync_detailed(
        webhook_id=webhook_id,
client=client,
previous_secret_seconds=previous_secret_seconds,

    ).parsed

async def asyncio_detailed(
    webhook_id: str,
    *,
    client: AuthenticatedClient,
    previous_secret_seconds: int | Unset = 86400,

) -> Response[Problem | WebhookWithSecret]:
    """ Rotate a webhook's signing secret

     A new secret, shown only in this answer. The current one keeps signing beside it for
    `previous_secret_seconds` (a day unless told): each message then carries two signatures,
    so the receiver accepts with either secret while it switches over.

    Args:
        webhook_id (str): A UUID in canonical form.
        previous_secret_seconds (int | Unset):  Default: 86400.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WebhookWithSecret]
     """


    kwargs = _get_kwargs(
        webhook_id=webhook_id,
previous_secret_seconds=previous_secret_seconds,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    webhook_id: str,
    *,
    client: AuthenticatedClient,
    previous_secret_seconds: int | Unset = 86400,

) -> Problem | WebhookWithSecret | None:
    """ Rotate a webhook's signing secret

     A new secret, shown only in this answer. The current one keeps signing beside it for
    `previous_secret_seconds` (a day unless told): each message then carries two signatures,
    so the receiver accepts with either secret while it switches over.

    Args:
        webhook_id (str): A UUID in canonical form.
        previous_secret_seconds (int | Unset):  Default: 86400.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WebhookWithSecret
     """


    return (await asyncio_detailed(
        webhook_id=webhook_id,
client=client,
previous_secret_seconds=previous_secret_seconds,

    )).parsed
