from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.webhook_replay_request import WebhookReplayRequest
from ...models.webhook_replay_result import WebhookReplayResult
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    webhook_id: str,
    *,
    body: WebhookReplayRequest,
    idempotency_key: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key



    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/webhooks/{webhook_id}/replay".format(webhook_id=quote(str(webhook_id), safe=""),),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | WebhookReplayResult | None:
    if response.status_code == 202:
        response_202 = WebhookReplayResult.from_dict(response.json())



        return response_202

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | WebhookReplayResult]:
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
    body: WebhookReplayRequest,
    idempotency_key: str | Unset = UNSET,

) -> Response[Problem | WebhookReplayResult]:
    """ Send again what the endpoint missed

     The events of an event-id range (`after_event_id` < id ≤ `up_to_event_id`) and/or a time
    window (`since` ≤ at < `until`) that the webhook matches (as it is configured now) are
    queued again: those it has no message of (it was disabled, or created later) and those
    whose message failed. Delivered and queued messages are left alone; a message keeps its
    `webhook-id`. At most 5000 messages per call: when `complete` is false, call again with
    `after_event_id` = `scanned_up_to`. Only events still kept in the log can be replayed.

    Args:
        webhook_id (str): A UUID in canonical form.
        idempotency_key (str | Unset):
        body (WebhookReplayRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WebhookReplayResult]
     """


    kwargs = _get_kwargs(
        webhook_id=webhook_id,
body=body,
idempotency_key=idempotency_key,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    webhook_id: str,
    *,
    client: AuthenticatedClient,
    body: WebhookReplayRequest,
    idempotency_key: str | Unset = UNSET,

) -> Problem | WebhookReplayResult | None:
    """ Send again what the endpoint missed

     The events of an event-id range (`after_event_id` < id ≤ `up_to_event_id`) and/or a time
    window (`since` ≤ at < `until`) that the webhook matches (as it is configured now) are
    queued again: those it has no message of (it was disabled, or created later) and those
    whose message failed. Delivered and queued messages are left alone; a message keeps its
    `webhook-id`. At most 5000 messages per call: when `complete` is false, call again with
    `after_event_id` = `scanned_up_to`. Only events still kept in the log can be replayed.

    Args:
        webhook_id (str): A UUID in canonical form.
        idempotency_key (str | Unset):
        body (WebhookReplayRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WebhookReplayResult
     """


    return sync_detailed(
        webhook_id=webhook_id,
client=client,
body=body,
idempotency_key=idempotency_key,

    ).parsed

async def asyncio_detailed(
    webhook_id: str,
    *,
    client: AuthenticatedClient,
    body: WebhookReplayRequest,
    idempotency_key: str | Unset = UNSET,

) -> Response[Problem | WebhookReplayResult]:
    """ Send again what the endpoint missed

     The events of an event-id range (`after_event_id` < id ≤ `up_to_event_id`) and/or a time
    window (`since` ≤ at < `until`) that the webhook matches (as it is configured now) are
    queued again: those it has no message of (it was disabled, or created later) and those
    whose message failed. Delivered and queued messages are left alone; a message keeps its
    `webhook-id`. At most 5000 messages per call: when `complete` is false, call again with
    `after_event_id` = `scanned_up_to`. Only events still kept in the log can be replayed.

    Args:
        webhook_id (str): A UUID in canonical form.
        idempotency_key (str | Unset):
        body (WebhookReplayRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WebhookReplayResult]
     """


    kwargs = _get_kwargs(
        webhook_id=webhook_id,
body=body,
idempotency_key=idempotency_key,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    webhook_id: str,
    *,
    client: AuthenticatedClient,
    body: WebhookReplayRequest,
    idempotency_key: str | Unset = UNSET,

) -> Problem | WebhookReplayResult | None:
    """ Send again what the endpoint missed

     The events of an event-id range (`after_event_id` < id ≤ `up_to_event_id`) and/or a time
    window (`since` ≤ at < `until`) that the webhook matches (as it is configured now) are
    queued again: those it has no message of (it was disabled, or created later) and those
    whose message failed. Delivered and queued messages are left alone; a message keeps its
    `webhook-id`. At most 5000 messages per call: when `complete` is false, call again with
    `after_event_id` = `scanned_up_to`. Only events still kept in the log can be replayed.

    Args:
        webhook_id (str): A UUID in canonical form.
        idempotency_key (str | Unset):
        body (WebhookReplayRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WebhookReplayResult
     """


    return (await asyncio_detailed(
        webhook_id=webhook_id,
client=client,
body=body,
idempotency_key=idempotency_key,

    )).parsed
