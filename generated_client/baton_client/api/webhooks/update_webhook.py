from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.webhook import Webhook
from ...models.webhook_patch import WebhookPatch
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    webhook_id: str,
    *,
    body:    WebhookPatch  |     WebhookPatch  | Unset = UNSET,
    if_match: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_match, Unset):
        headers["If-Match"] = if_match



    

    

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/api/v1/webhooks/{webhook_id}".format(webhook_id=quote(str(webhook_id), safe=""),),
    }

    if isinstance(body, WebhookPatch):
        _kwargs["json"] = body.to_dict()

        headers["Content-Type"] = "application/json"
    if isinstance(body, WebhookPatch):
        _kwargs["json"] = body.to_dict()

        headers["Content-Type"] = "application/merge-patch+json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | Webhook | None:
    if response.status_code == 200:
        response_200 = Webhook.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | Webhook]:
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
    body:    WebhookPatch  |     WebhookPatch  | Unset = UNSET,
    if_match: str | Unset = UNSET,

) -> Response[Problem | Webhook]:
    """ Change a webhook

     A JSON Merge Patch (`null` removes a filter). `enabled: true` on a disabled webhook starts
    it afresh from the next event (what happened meanwhile can be sent with `…/replay`) and
    clears its failure record; `enabled: false` stops deliveries (queued ones wait). Takes
    `If-Match`. Any other field of a webhook is 422 `READ_ONLY_FIELD`.

    Args:
        webhook_id (str): A UUID in canonical form.
        if_match (str | Unset): `*`, or a comma-separated list of entity tags (`"tag"` or
            `W/"tag"`, RFC 9110 §8.8.3).
        body (WebhookPatch): A JSON Merge Patch of a webhook; an empty object changes nothing.
        body (WebhookPatch): A JSON Merge Patch of a webhook; an empty object changes nothing.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Webhook]
     """


    kwargs = _get_kwargs(
        webhook_id=webhook_id,
body=body,
if_match=if_match,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    webhook_id: str,
    *,
    client: AuthenticatedClient,
    body:    WebhookPatch  |     WebhookPatch  | Unset = UNSET,
    if_match: str | Unset = UNSET,

) -> Problem | Webhook | None:
    """ Change a webhook

     A JSON Merge Patch (`null` removes a filter). `enabled: true` on a disabled webhook starts
    it afresh from the next event (what happened meanwhile can be sent with `…/replay`) and
    clears its failure record; `enabled: false` stops deliveries (queued ones wait). Takes
    `If-Match`. Any other field of a webhook is 422 `READ_ONLY_FIELD`.

    Args:
        webhook_id (str): A UUID in canonical form.
        if_match (str | Unset): `*`, or a comma-separated list of entity tags (`"tag"` or
            `W/"tag"`, RFC 9110 §8.8.3).
        body (WebhookPatch): A JSON Merge Patch of a webhook; an empty object changes nothing.
        body (WebhookPatch): A JSON Merge Patch of a webhook; an empty object changes nothing.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Webhook
     """


    return sync_detailed(
        webhook_id=webhook_id,
client=client,
body=body,
if_match=if_match,

    ).parsed

async def asyncio_detailed(
    webhook_id: str,
    *,
    client: AuthenticatedClient,
    body:    WebhookPatch  |     WebhookPatch  | Unset = UNSET,
    if_match: str | Unset = UNSET,

) -> Response[Problem | Webhook]:
    """ Change a webhook

     A JSON Merge Patch (`null` removes a filter). `enabled: true` on a disabled webhook starts
    it afresh from the next event (what happened meanwhile can be sent with `…/replay`) and
    clears its failure record; `enabled: false` stops deliveries (queued ones wait). Takes
    `If-Match`. Any other field of a webhook is 422 `READ_ONLY_FIELD`.

    Args:
        webhook_id (str): A UUID in canonical form.
        if_match (str | Unset): `*`, or a comma-separated list of entity tags (`"tag"` or
            `W/"tag"`, RFC 9110 §8.8.3).
        body (WebhookPatch): A JSON Merge Patch of a webhook; an empty object changes nothing.
        body (WebhookPatch): A JSON Merge Patch of a webhook; an empty object changes nothing.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Webhook]
     """


    kwargs = _get_kwargs(
        webhook_id=webhook_id,
body=body,
if_match=if_match,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    webhook_id: str,
    *,
    client: AuthenticatedClient,
    body:    WebhookPatch  |     WebhookPatch  | Unset = UNSET,
    if_match: str | Unset = UNSET,

) -> Problem | Webhook | None:
    """ Change a webhook

     A JSON Merge Patch (`null` removes a filter). `enabled: true` on a disabled webhook starts
    it afresh from the next event (what happened meanwhile can be sent with `…/replay`) and
    clears its failure record; `enabled: false` stops deliveries (queued ones wait). Takes
    `If-Match`. Any other field of a webhook is 422 `READ_ONLY_FIELD`.

    Args:
        webhook_id (str): A UUID in canonical form.
        if_match (str | Unset): `*`, or a comma-separated list of entity tags (`"tag"` or
            `W/"tag"`, RFC 9110 §8.8.3).
        body (WebhookPatch): A JSON Merge Patch of a webhook; an empty object changes nothing.
        body (WebhookPatch): A JSON Merge Patch of a webhook; an empty object changes nothing.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Webhook
     """


    return (await asyncio_detailed(
        webhook_id=webhook_id,
client=client,
body=body,
if_match=if_match,

    )).parsed
