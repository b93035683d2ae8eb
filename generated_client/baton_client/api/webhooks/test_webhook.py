from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.webhook_delivery_detail import WebhookDeliveryDetail
from typing import cast



def _get_kwargs(
    webhook_id: str,

) -> dict[str, Any]:
    

    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/webhooks/{webhook_id}/test".format(webhook_id=quote(str(webhook_id), safe=""),),
    }


    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | WebhookDeliveryDetail | None:
    if response.status_code == 200:
        response_200 = WebhookDeliveryDetail.from_dict(response.json())



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

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())



        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | WebhookDeliveryDetail]:
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

) -> Response[Problem | WebhookDeliveryDetail]:
    """ Send a test message now

     Writes a `webhook.test` event (for this webhook only) and sends it at once, even to a
    disabled webhook and ahead of queued messages; the answer is the delivery with its one
    attempt: the receiver's status, error, time and answer. A test is not retried (replay it)
    and does not count towards disabling the webhook.

    Args:
        webhook_id (str): A UUID in canonical form.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WebhookDeliveryDetail]
     """


    kwargs = _get_kwargs(
        webhook_id=webhook_id,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    webhook_id: str,
    *,
    client: AuthenticatedClient,

) -> Problem | WebhookDeliveryDetail | None:
    """ Send a test message now

     Writes a `webhook.test` event (for this webhook only) and sends it at once, even to a
    disabled webhook and ahead of queued messages; the answer is the delivery with its one
    attempt: the receiver's status, error, time and answer. A test is not retried (replay it)
    and does not count towards disabling the webhook.

    Args:
        webhook_id (str): A UUID in canonical form.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WebhookDeliveryDetail
     """


    return sync_detailed(
        webhook_id=webhook_id,
client=client,

    ).parsed

async def asyncio_detailed(
    webhook_id: str,
    *,
    client: AuthenticatedClient,

) -> Response[Problem | WebhookDeliveryDetail]:
    """ Send a test message now

     Writes a `webhook.test` event (for this webhook only) and sends it at once, even to a
    disabled webhook and ahead of queued messages; the answer is the delivery with its one
    attempt: the receiver's status, error, time and answer. A test is not retried (replay it)
    and does not count towards disabling the webhook.

    Args:
        webhook_id (str): A UUID in canonical form.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WebhookDeliveryDetail]
     """


    kwargs = _get_kwargs(
        webhook_id=webhook_id,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    webhook_id: str,
    *,
    client: AuthenticatedClient,

) -> Problem | WebhookDeliveryDetail | None:
    """ Send a test message now

     Writes a `webhook.test` event (for this webhook only) and sends it at once, even to a
    disabled webhook and ahead of queued messages; the answer is the delivery with its one
    attempt: the receiver's status, error, time and answer. A test is not retried (replay it)
    and does not count towards disabling the webhook.

    Args:
        webhook_id (str): A UUID in canonical form.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WebhookDeliveryDetail
     """


    return (await asyncio_detailed(
        webhook_id=webhook_id,
client=client,

    )).parsed
