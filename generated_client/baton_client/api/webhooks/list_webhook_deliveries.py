from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.webhook_delivery_page import WebhookDeliveryPage
from ...models.webhook_delivery_status import WebhookDeliveryStatus
from ...types import UNSET, Unset
from typing import cast
import datetime



def _get_kwargs(
    webhook_id: str,
    *,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    status: list[WebhookDeliveryStatus] | Unset = UNSET,
    event_type: list[str] | Unset = UNSET,
    created_after: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    if_none_match: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_none_match, Unset):
        headers["If-None-Match"] = if_none_match



    

    params: dict[str, Any] = {}

    params["limit"] = limit

    params["cursor"] = cursor

    json_status: list[str] | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = []
        for status_item_data in status:
            status_item = status_item_data.value
            json_status.append(status_item)


    params["status"] = json_status

    json_event_type: list[str] | Unset = UNSET
    if not isinstance(event_type, Unset):
        json_event_type = event_type


    params["event_type"] = json_event_type

    json_created_after: str | Unset = UNSET
    if not isinstance(created_after, Unset):
        json_created_after = created_after.isoformat()
    params["created_after"] = json_created_after

    json_created_before: str | Unset = UNSET
    if not isinstance(created_before, Unset):
        json_created_before = created_before.isoformat()
    params["created_before"] = json_created_before


    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}


    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/webhooks/{webhook_id}/deliveries".format(webhook_id=quote(str(webhook_id), safe=""),),
        "params": params,
    }


    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | Problem | WebhookDeliveryPage | None:
    if response.status_code == 200:
        response_200 = WebhookDeliveryPage.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any | Problem | WebhookDeliveryPage]:
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
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    status: list[WebhookDeliveryStatus] | Unset = UNSET,
    event_type: list[str] | Unset = UNSET,
    created_after: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    if_none_match: str | Unset = UNSET,

) -> Response[Any | Problem | WebhookDeliveryPage]:
    """ The delivery log

     The webhook's messages, newest first (keyset-paginated): each with its status, attempts so
    far, when the next is due, and its last attempt (time, HTTP status or network error,
    duration, the first 4 KiB of the answer). `GET …/deliveries/{delivery_id}` has every
    attempt and the payload. Finished messages are kept as long as events are.

    Args:
        webhook_id (str): A UUID in canonical form.
        limit (int | Unset):  Default: 50.
        cursor (str | Unset):
        status (list[WebhookDeliveryStatus] | Unset):
        event_type (list[str] | Unset):
        created_after (datetime.datetime | Unset):
        created_before (datetime.datetime | Unset):
        if_none_match (str | Unset): `*`, or a comma-separated list of entity tags (`"tag"` or
            `W/"tag"`, RFC 9110 §8.8.3).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem | WebhookDeliveryPage]
     """


    kwargs = _get_kwargs(
        webhook_id=webhook_id,
limit=limit,
cursor=cursor,
status=status,
event_type=event_type,
created_after=created_after,
created_before=created_before,
if_none_match=if_none_match,

    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)

def sync(
    webhook_id: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    status: list[WebhookDeliveryStatus] | Unset = UNSET,
    event_type: list[str] | Unset = UNSET,
    created_after: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    if_none_match: str | Unset = UNSET,

) -> Any | Problem | WebhookDeliveryPage | None:
    """ The delivery log

     The webhook's messages, newest first (keyset-paginated): each with its status, attempts so
    far, when the next is due, and its last attempt (time, HTTP status or network error,
    duration, the first 4 KiB of the answer). `GET …/deliveries/{delivery_id}` has every
    attempt and the payload. Finished messages are kept as long as events are.

    Args:
        webhook_id (str): A UUID in canonical form.
        limit (int | Unset):  Default: 50.
        cursor (str | Unset):
        status (list[WebhookDeliveryStatus] | Unset):
        event_type (list[str] | Unset):
        created_after (datetime.datetime | Unset):
        created_before (datetime.datetime | Unset):
        if_none_match (str | Unset): `*`, or a comma-separated list of entity tags (`"tag"` or
            `W/"tag"`, RFC 9110 §8.8.3).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem | WebhookDeliveryPage
     """


    return sync_detailed(
        webhook_id=webhook_id,
client=client,
limit=limit,
cursor=cursor,
status=status,
event_type=event_type,
created_after=created_after,
created_before=created_before,
if_none_match=if_none_match,

    ).parsed

async def asyncio_detailed(
    webhook_id: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    status: list[WebhookDeliveryStatus] | Unset = UNSET,
    event_type: list[str] | Unset = UNSET,
    created_after: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    if_none_match: str | Unset = UNSET,

) -> Response[Any | Problem | WebhookDeliveryPage]:
    """ The delivery log

     The webhook's messages, newest first (keyset-paginated): each with its status, attempts so
    far, when the next is due, and its last attempt (time, HTTP status or network error,
    duration, the first 4 KiB of the answer). `GET …/deliveries/{delivery_id}` has every
    attempt and the payload. Finished messages are kept as long as events are.

    Args:
        webhook_id (str): A UUID in canonical form.
        limit (int | Unset):  Default: 50.
        cursor (str | Unset):
        status (list[WebhookDeliveryStatus] | Unset):
        event_type (list[str] | Unset):
        created_after (datetime.datetime | Unset):
        created_before (datetime.datetime | Unset):
        if_none_match (str | Unset): `*`, or a comma-separated list of entity tags (`"tag"` or
            `W/"tag"`, RFC 9110 §8.8.3).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Problem | WebhookDeliveryPage]
     """


    kwargs = _get_kwargs(
        webhook_id=webhook_id,
limit=limit,
cursor=cursor,
status=status,
event_type=event_type,
created_after=created_after,
created_before=created_before,
if_none_match=if_none_match,

    )

    response = await client.get_async_httpx_client().request(
        **kwargs
    )

    return _build_response(client=client, response=response)

async def asyncio(
    webhook_id: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    cursor: str | Unset = UNSET,
    status: list[WebhookDeliveryStatus] | Unset = UNSET,
    event_type: list[str] | Unset = UNSET,
    created_after: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    if_none_match: str | Unset = UNSET,

) -> Any | Problem | WebhookDeliveryPage | None:
    """ The delivery log

     The webhook's messages, newest first (keyset-paginated): each with its status, attempts so
    far, when the next is due, and its last attempt (time, HTTP status or network error,
    duration, the first 4 KiB of the answer). `GET …/deliveries/{delivery_id}` has every
    attempt and the payload. Finished messages are kept as long as events are.

    Args:
        webhook_id (str): A UUID in canonical form.
        limit (int | Unset):  Default: 50.
        cursor (str | Unset):
        status (list[WebhookDeliveryStatus] | Unset):
        event_type (list[str] | Unset):
        created_after (datetime.datetime | Unset):
        created_before (datetime.datetime | Unset):
        if_none_match (str | Unset): `*`, or a comma-separated list of entity tags (`"tag"` or
            `W/"tag"`, RFC 9110 §8.8.3).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Problem | WebhookDeliveryPage
     """


    return (await asyncio_detailed(
        webhook_id=webhook_id,
client=client,
limit=limit,
cursor=cursor,
status=status,
event_type=event_type,
created_after=created_after,
created_before=created_before,
if_none_match=if_none_match,

    )).parsed
