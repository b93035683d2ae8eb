from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.problem import Problem
from ...models.webhook_create import WebhookCreate
from ...models.webhook_with_secret import WebhookWithSecret
from ...types import UNSET, Unset
from typing import cast



def _get_kwargs(
    *,
    body: WebhookCreate,
    idempotency_key: str | Unset = UNSET,

) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key



    

    

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/webhooks",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs



def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | WebhookWithSecret | None:
    if response.status_code == 201:
        response_201 = WebhookWithSecret.from_dict(response.json())



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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | WebhookWithSecret]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: WebhookCreate,
    idempotency_key: str | Unset = UNSET,

) -> Response[Problem | WebhookWithSecret]:
    """ Register a webhook

     From now on, every event of the log that matches `events` (exact types, or prefixes such
    as `job.`) and `filters`, and that you may read, is POSTed to `url` as JSON (the `Event`
    schema), signed the Standard Webhooks way: `webhook-id` (the same on every retry and replay
    of a message: drop duplicates by it), `webhook-timestamp` and `webhook-signature`
    (`v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">` with the secret). The answer
    carries the signing `secret` (`whsec_…`): it is shown only here and on `rotate-secret`.

    Messages are delivered at least once, in event order per webhook unless `parallel`; a
    network error, a timeout (`BATON_WEBHOOK_TIMEOUT_SECONDS`, 10 s), a 5xx, 408, 409 or 429
    (honouring `Retry-After`) is retried on `BATON_WEBHOOK_RETRY_SCHEDULE` (about 27 hours);
    any other 4xx ends the message as failed, `410 Gone` also disables the webhook. A webhook
    whose messages keep failing is disabled (`disabled_reason`, event `webhook.disabled`).

    The URL must be `https://` (unless the server allows http) and reach a public address:
    loopback, private, link-local and other special addresses are refused (422
    `WEBHOOK_URL_REFUSED`) unless `BATON_WEBHOOK_ALLOW_NETWORKS` allows them; a name is
    resolved and checked again at every delivery, and redirects are never followed.

    Args:
        idempotency_key (str | Unset):
        body (WebhookCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WebhookWithSecret]
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
    body: WebhookCreate,
    idempotency_key: str | Unset = UNSET,

) -> Problem | WebhookWithSecret | None:
    """ Register a webhook

     From now on, every event of the log that matches `events` (exact types, or prefixes such
    as `job.`) and `filters`, and that you may read, is POSTed to `url` as JSON (the `Event`
    schema), signed the Standard Webhooks way: `webhook-id` (the same on every retry and replay
    of a message: drop duplicates by it), `webhook-timestamp` and `webhook-signature`
    (`v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">` with the secret). The answer
    carries the signing `secret` (`whsec_…`): it is shown only here and on `rotate-secret`.

    Messages are delivered at least once, in event order per webhook unless `parallel`; a
    network error, a timeout (`BATON_WEBHOOK_TIMEOUT_SECONDS`, 10 s), a 5xx, 408, 409 or 429
    (honouring `Retry-After`) is retried on `BATON_WEBHOOK_RETRY_SCHEDULE` (about 27 hours);
    any other 4xx ends the message as failed, `410 Gone` also disables the webhook. A webhook
    whose messages keep failing is disabled (`disabled_reason`, event `webhook.disabled`).

    The URL must be `https://` (unless the server allows http) and reach a public address:
    loopback, private, link-local and other special addresses are refused (422
    `WEBHOOK_URL_REFUSED`) unless `BATON_WEBHOOK_ALLOW_NETWORKS` allows them; a name is
    resolved and checked again at every delivery, and redirects are never followed.

    Args:
        idempotency_key (str | Unset):
        body (WebhookCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WebhookWithSecret
     """


    return sync_detailed(
        client=client,
body=body,
idempotency_key=idempotency_key,

    ).parsed

async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: WebhookCreate,
    idempotency_key: str | Unset = UNSET,

) -> Response[Problem | WebhookWithSecret]:
    """ Register a webhook

     From now on, every event of the log that matches `events` (exact types, or prefixes such
    as `job.`) and `filters`, and that you may read, is POSTed to `url` as JSON (the `Event`
    schema), signed the Standard Webhooks way: `webhook-id` (the same on every retry and replay
    of a message: drop duplicates by it), `webhook-timestamp` and `webhook-signature`
    (`v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">` with the secret). The answer
    carries the signing `secret` (`whsec_…`): it is shown only here and on `rotate-secret`.

    Messages are delivered at least once, in event order per webhook unless `parallel`; a
    network error, a timeout (`BATON_WEBHOOK_TIMEOUT_SECONDS`, 10 s), a 5xx, 408, 409 or 429
    (honouring `Retry-After`) is retried on `BATON_WEBHOOK_RETRY_SCHEDULE` (about 27 hours);
    any other 4xx ends the message as failed, `410 Gone` also disables the webhook. A webhook
    whose messages keep failing is disabled (`disabled_reason`, event `webhook.disabled`).

    The URL must be `https://` (unless the server allows http) and reach a public address:
    loopback, private, link-local and other special addresses are refused (422
    `WEBHOOK_URL_REFUSED`) unless `BATON_WEBHOOK_ALLOW_NETWORKS` allows them; a name is
    resolved and checked again at every delivery, and redirects are never followed.

    Args:
        idempotency_key (str | Unset):
        body (WebhookCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WebhookWithSecret]
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
    body: WebhookCreate,
    idempotency_key: str | Unset = UNSET,

) -> Problem | WebhookWithSecret | None:
    """ Register a webhook

     From now on, every event of the log that matches `events` (exact types, or prefixes such
    as `job.`) and `filters`, and that you may read, is POSTed to `url` as JSON (the `Event`
    schema), signed the Standard Webhooks way: `webhook-id` (the same on every retry and replay
    of a message: drop duplicates by it), `webhook-timestamp` and `webhook-signature`
    (`v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">` with the secret). The answer
    carries the signing `secret` (`whsec_…`): it is shown only here and on `rotate-secret`.

    Messages are delivered at least once, in event order per webhook unless `parallel`; a
    network error, a timeout (`BATON_WEBHOOK_TIMEOUT_SECONDS`, 10 s), a 5xx, 408, 409 or 429
    (honouring `Retry-After`) is retried on `BATON_WEBHOOK_RETRY_SCHEDULE` (about 27 hours);
    any other 4xx ends the message as failed, `410 Gone` also disables the webhook. A webhook
    whose messages keep failing is disabled (`disabled_reason`, event `webhook.disabled`).

    The URL must be `https://` (unless the server allows http) and reach a public address:
    loopback, private, link-local and other special addresses are refused (422
    `WEBHOOK_URL_REFUSED`) unless `BATON_WEBHOOK_ALLOW_NETWORKS` allows them; a name is
    resolved and checked again at every delivery, and redirects are never followed.

    Args:
        idempotency_key (str | Unset):
        body (WebhookCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WebhookWithSecret
     """


    return (await asyncio_detailed(
        client=client,
body=body,
idempotency_key=idempotency_key,

    )).parsed
