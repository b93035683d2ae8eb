from __future__ import annotations

from typing import Any

from baton.conditional import if_match, representation, with_etag
from baton.context import audit, principal_of, services
from baton.views import page_view, webhook_delivery_view, webhook_view
from baton.webhooks import WebhookService

__all__ = [
    "create_webhook",
    "delete_webhook",
    "get_webhook",
    "get_webhook_delivery",
    "list_webhook_deliveries",
    "list_webhooks",
    "replay_webhook",
    "replay_webhook_delivery",
    "rotate_webhook_secret",
    "test_webhook",
    "update_webhook",
]

NO_STORE = {"Cache-Control": "no-store"}  # answers that carry a secret


def _webhooks() -> WebhookService:
    return services().webhooks


async def list_webhooks(token_info: dict[str, Any], limit: int = 50, cursor: str | None = None):
    found, next_cursor = await _webhooks().list(principal_of(token_info), limit=limit, cursor=cursor)
    return representation(page_view([webhook_view(w) for w in found], limit, next_cursor))


async def create_webhook(token_info: dict[str, Any], body: dict[str, Any]):
    webhook = await _webhooks().create(principal_of(token_info), body)
    headers = {"Location": f"/api/v1/webhooks/{webhook.id}", **NO_STORE}
    return {**webhook_view(webhook), "secret": webhook.secret}, 201, headers


async def get_webhook(token_info: dict[str, Any], webhook_id: str):
    return representation(webhook_view(await _webhooks().get(principal_of(token_info), webhook_id)))


async def update_webhook(token_info: dict[str, Any], webhook_id: str, body: dict[str, Any]):
    webhook = await _webhooks().update(principal_of(token_info), webhook_id, body, if_match(webhook_view))
    return with_etag(webhook_view(webhook))


async def delete_webhook(token_info: dict[str, Any], webhook_id: str):
    await _webhooks().delete(principal_of(token_info), webhook_id, if_match(webhook_view))
    await audit("webhook.delete", token_info, ("webhook", webhook_id.lower()))
    return None, 204


async def rotate_webhook_secret(
    token_info: dict[str, Any], webhook_id: str, previous_secret_seconds: int = 86400
):
    webhook = await _webhooks().rotate_secret(principal_of(token_info), webhook_id, previous_secret_seconds)
    await audit("webhook.rotate_secret", token_info, ("webhook", webhook.id))
    return {**webhook_view(webhook), "secret": webhook.secret}, 200, NO_STORE


async def test_webhook(token_info: dict[str, Any], webhook_id: str):
    delivery, attempts = await _webhooks().test(principal_of(token_info), webhook_id)
    return webhook_delivery_view(delivery, attempts)


async def list_webhook_deliveries(
    token_info: dict[str, Any],
    webhook_id: str,
    limit: int = 50,
    cursor: str | None = None,
    status: list[str] | None = None,
    event_type: list[str] | None = None,
    created_after: str | None = None,
    created_before: str | None = None,
):
    found, next_cursor = await _webhooks().deliveries(
        principal_of(token_info), webhook_id, limit=limit, cursor=cursor, statuses=status,
        types=event_type, created_after=created_after, created_before=created_before,
    )  # fmt: skip
    return representation(page_view([webhook_delivery_view(d) for d in found], limit, next_cursor))


async def get_webhook_delivery(token_info: dict[str, Any], webhook_id: str, delivery_id: str):
    delivery, attempts = await _webhooks().delivery(principal_of(token_info), webhook_id, delivery_id)
    return representation(webhook_delivery_view(delivery, attempts))


async def replay_webhook_delivery(token_info: dict[str, Any], webhook_id: str, delivery_id: str):
    delivery = await _webhooks().replay_delivery(principal_of(token_info), webhook_id, delivery_id)
    return webhook_delivery_view(delivery), 202


async def replay_webhook(token_info: dict[str, Any], webhook_id: str, body: dict[str, Any]):
    result = await _webhooks().replay(principal_of(token_info), webhook_id, body)
    return {"queued": result.queued, "scanned_up_to": result.scanned_up_to, "complete": result.complete}, 202
