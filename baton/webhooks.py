"""Webhooks: endpoints users subscribe to the event log, their signing secrets, test messages, the
delivery log and replays. Everyone owns their webhooks; admins see and manage all (like API keys).

The fan-out from the log is baton/webhook_fanout.py, the delivery loop baton/webhook_worker.py."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from baton.backends.storage import EventQuery, StorageBackend
from baton.errors import Conflict, NotFound, PreconditionFailed, Unprocessable
from baton.eventtypes import EVENT_TYPES, webhook_event
from baton.lifecycle import check_label_keys
from baton.models import Principal, Webhook, WebhookAttempt, WebhookDelivery
from baton.netguard import TargetPolicy, UnsafeTarget, check_url
from baton.pagination import newest_first_page, position_of_newest_first
from baton.settings import Settings
from baton.timeutil import new_id, parse_input_timestamp, utcnow
from baton.webhook_fanout import message_row, webhook_matcher
from baton.webhook_signing import generate_secret
from baton.webhook_worker import DeliveryWorker

__all__ = ["ReplayResult", "WebhookService", "merge_patch"]

DEFAULT_ROTATION_SECONDS = 86400
ATTEMPTS_SHOWN = 100  # of one delivery, the latest
REPLAY_LIMIT = 5000  # messages one bulk replay queues; the answer says where to go on
_PAGE = 500


@dataclasses.dataclass(frozen=True)
class ReplayResult:
    queued: int
    scanned_up_to: int  # the last event id looked at
    complete: bool  # False: the limit was reached; replay again after `scanned_up_to`


def merge_patch(target: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """RFC 7396: null removes a member, an object merges, anything else replaces."""
    merged = dict(target)
    for key, value in patch.items():
        if value is None:
            merged.pop(key, None)
        elif isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge_patch(merged[key], value)
        else:
            merged[key] = value
    return merged


def _refuse(field: str, message: str, *, code: str) -> Unprocessable:
    return Unprocessable(message, code=code, errors=[{"field": field, "message": message}])


class WebhookService:
    def __init__(self, storage: StorageBackend, settings: Settings, worker: DeliveryWorker) -> None:
        self.storage = storage
        self.settings = settings
        self.worker = worker

    # -- checks -------------------------------------------------------------------------------

    def _url(self, url: str) -> str:
        """The normalized URL, or 422 WEBHOOK_URL_REFUSED saying why (the SSRF guard's reason)."""
        try:
            return check_url(url, TargetPolicy.from_settings(self.settings)).url
        except UnsafeTarget as exc:
            raise _refuse(
                "url", f"This URL cannot receive webhooks: {exc.reason}", code="WEBHOOK_URL_REFUSED"
            ) from None

    @staticmethod
    def _event_types(types: list[str]) -> list[str]:
        # the spec's WebhookEventType lists the same; webhook.test goes only to its own webhook
        known = EVENT_TYPES - {"webhook.test"}
        unknown = [
            t for t in types if not (t in known or (t.endswith(".") and any(e.startswith(t) for e in known)))
        ]
        if unknown:
            raise _refuse(
                "events", f"Unknown event types: {', '.join(unknown[:10])}", code="UNKNOWN_EVENT_TYPE"
            )
        return sorted(set(types))

    @staticmethod
    def _filters(caller: Principal, filters: dict[str, Any]) -> dict[str, Any]:
        check_label_keys(filters.get("labels") or {}, "filters.labels")
        owner = filters.get("owner")
        if owner is not None and owner != caller.username and not caller.sees_all_jobs:
            raise _refuse(
                "filters.owner",
                "Only a user who sees every job may filter by another owner",
                code="OWNER_FILTER_NOT_ALLOWED",
            )
        return {key: value for key, value in filters.items() if value not in (None, {})}

    # -- endpoints ----------------------------------------------------------------------------

    async def create(self, caller: Principal, body: dict[str, Any]) -> Webhook:
        now = utcnow()
        webhook = Webhook(
            id=new_id(),
            owner_id=caller.user_id,
            owner=caller.username,
            name=body["name"],
            description=body["description"],
            url=self._url(body["url"]),
            event_types=self._event_types(body["events"]),
            filters=self._filters(caller, body.get("filters") or {}),
            enabled=body["enabled"],
            parallel=body["parallel"],
            secret=generate_secret(),
            created_at=now,
            updated_at=now,
        )
        return await self.storage.insert_webhook(webhook, webhook_event(webhook, "webhook.created", now))

    async def list(
        self, caller: Principal, *, limit: int, cursor: str | None
    ) -> tuple[list[Webhook], str | None]:
        owner = None if caller.sees_all_webhooks else caller.user_id
        found = await self.storage.list_webhooks(owner, limit + 1, position_of_newest_first(cursor))
        return newest_first_page(found, limit)

    async def get(self, caller: Principal, webhook_id: str) -> Webhook:
        webhook = await self.storage.get_webhook(webhook_id.lower())
        # another user's webhook does not exist for a non-admin
        if webhook is None or not (caller.sees_all_webhooks or webhook.owner_id == caller.user_id):
            raise NotFound(f"No webhook {webhook_id}", code="WEBHOOK_NOT_FOUND")
        return webhook

    async def update(
        self,
        caller: Principal,
        webhook_id: str,
        patch: dict[str, Any],
        precondition: Callable[[Webhook], bool] | None,
    ) -> Webhook:
        webhook = await self.get(caller, webhook_id)
        if precondition is not None and not precondition(webhook):
            raise PreconditionFailed("The webhook changed: its ETag does not match If-Match; fetch it again")
        now = utcnow()
        changes: dict[str, Any] = {"updated_at": now}
        if "url" in patch:
            changes["url"] = self._url(patch["url"])
        if "events" in patch:
            changes["event_types"] = self._event_types(patch["events"])
        if "filters" in patch:
            changes["filters"] = self._filters(caller, merge_patch(webhook.filters, patch["filters"]))
        for key in ("name", "description", "parallel"):
            if key in patch:
                changes[key] = patch[key]
        enabling = patch.get("enabled") is True and not webhook.enabled
        if "enabled" in patch:
            changes["enabled"] = patch["enabled"]
        if enabling:  # a fresh start: from the next event on, with a clean record
            changes.update(disabled_reason=None, disabled_at=None, consecutive_failures=0, failing_since=None)
        elif patch.get("enabled") is False and webhook.enabled:
            changes.update(disabled_reason=f"Disabled by {caller.username}", disabled_at=now)
        updated = await self.storage.update_webhook(
            webhook.id,
            changes,
            updated_at_was=webhook.updated_at,
            event_type="webhook.updated",
            restart_cursor=enabling,
        )
        if updated is None:
            raise Conflict(
                "The webhook changed while it was being updated; try again", code="CONCURRENT_UPDATE"
            )
        return updated

    async def delete(
        self, caller: Principal, webhook_id: str, precondition: Callable[[Webhook], bool] | None
    ) -> None:
        webhook = await self.get(caller, webhook_id)
        if precondition is not None and not precondition(webhook):
            raise PreconditionFailed("The webhook changed: its ETag does not match If-Match; fetch it again")
        event = webhook_event(webhook, "webhook.deleted", utcnow())
        if not await self.storage.delete_webhook(webhook.id, event, updated_at_was=webhook.updated_at):
            raise Conflict(
                "The webhook changed while it was being deleted; try again", code="CONCURRENT_UPDATE"
            )

    async def rotate_secret(
        self, caller: Principal, webhook_id: str, keep: int = DEFAULT_ROTATION_SECONDS
    ) -> Webhook:
        """A new secret; the current one keeps signing beside it for `keep` seconds."""
        webhook = await self.get(caller, webhook_id)
        now = utcnow()
        changes = {
            "secret": generate_secret(),
            "previous_secret": webhook.secret if keep > 0 else None,
            "previous_secret_expires_at": now + timedelta(seconds=keep) if keep > 0 else None,
            "updated_at": now,
        }
        updated = await self.storage.update_webhook(webhook.id, changes, updated_at_was=webhook.updated_at)
        if updated is None:
            raise Conflict(
                "The webhook changed while its secret was rotated; try again", code="CONCURRENT_UPDATE"
            )
        return updated

    # -- messages -----------------------------------------------------------------------------

    async def test(self, caller: Principal, webhook_id: str) -> tuple[WebhookDelivery, list[WebhookAttempt]]:
        """Send a `webhook.test` event to the endpoint now, once (not retried), and return how it went."""
        webhook = await self.get(caller, webhook_id)
        now = utcnow()
        token = f"{self.worker.name}:test:{uuid.uuid4().hex[:12]}"
        lease = now + timedelta(seconds=self.worker.lease_seconds)
        delivery = await self.storage.insert_delivery_now(
            webhook_event(webhook, "webhook.test", now),
            lambda event: message_row(
                webhook.id, event, now, status="delivering", attempts=1, lease_owner=token,
                lease_expires_at=lease, last_attempt_at=now, next_attempt_at=None,
            ),
        )  # fmt: skip
        await self.worker.attempt(delivery, webhook, token, once=True)
        return await self.delivery(caller, webhook.id, delivery.id)

    async def deliveries(
        self,
        caller: Principal,
        webhook_id: str,
        *,
        limit: int,
        cursor: str | None,
        statuses: list[str] | None,
        types: list[str] | None,
        created_after: str | None,
        created_before: str | None,
    ) -> tuple[list[WebhookDelivery], str | None]:
        from baton.backends.storage.webhook_deliveries import DeliveryQuery

        webhook = await self.get(caller, webhook_id)
        query = DeliveryQuery(
            webhook.id,
            limit + 1,
            before_id=position_of_newest_first(cursor),
            statuses=statuses or (),
            types=[t for t in types or () if not t.endswith(".")],
            prefixes=[t for t in types or () if t.endswith(".")],
            created_after=parse_input_timestamp(created_after, "query.created_after")
            if created_after
            else None,
            created_before=parse_input_timestamp(created_before, "query.created_before")
            if created_before
            else None,
        )
        return newest_first_page(await self.storage.list_deliveries(query), limit)

    async def delivery(
        self, caller: Principal, webhook_id: str, delivery_id: str
    ) -> tuple[WebhookDelivery, list[WebhookAttempt]]:
        webhook = await self.get(caller, webhook_id)
        found = await self.storage.get_delivery(webhook.id, delivery_id.lower())
        if found is None:
            raise NotFound(f"No delivery {delivery_id} of this webhook", code="DELIVERY_NOT_FOUND")
        return found, await self.storage.list_attempts(found.id, ATTEMPTS_SHOWN)

    async def replay_delivery(self, caller: Principal, webhook_id: str, delivery_id: str) -> WebhookDelivery:
        """Send a message again, as a new attempt with the same message id and a fresh retry schedule."""
        found, _ = await self.delivery(caller, webhook_id, delivery_id)
        replayed = await self.storage.replay_delivery(found.id, utcnow())
        if replayed is None:
            raise Conflict(
                "This delivery is being attempted right now; replay it afterwards", code="DELIVERY_IN_FLIGHT"
            )
        self.worker.wake()
        return replayed

    async def replay(self, caller: Principal, webhook_id: str, body: dict[str, Any]) -> ReplayResult:
        """Queue again what the endpoint missed in an event-id range or a time window: the events
        it matches (as it matches now) that it has no delivery of, or whose delivery failed."""
        webhook = await self.get(caller, webhook_id)
        since = parse_input_timestamp(body["since"], "since") if body.get("since") else None
        until = parse_input_timestamp(body["until"], "until") if body.get("until") else None
        after, up_to = await self.storage.event_ids_between(since, until)
        after = max(after, body.get("after_event_id") or 0)
        head = await self.storage.last_event_id()
        for bound in (up_to, body.get("up_to_event_id")):
            if bound is not None:
                head = min(head, bound)
        owner = await self.storage.get_user(webhook.owner_id)
        matches = webhook_matcher(webhook, None if owner is None or owner.disabled else owner.role)
        queued, considered, position = 0, 0, after
        while position < head and considered < REPLAY_LIMIT:
            page, scanned = await self.storage.list_events(
                EventQuery(after=position, limit=_PAGE, up_to=head)
            )
            now = utcnow()
            matched = [message_row(webhook.id, e, now) for e in page if matches(e)]
            rows = matched[: REPLAY_LIMIT - considered]
            if len(rows) < len(matched):  # the limit: go on after the last one taken
                scanned = rows[-1]["event_id"]
            considered += len(rows)
            queued += await self.storage.replay_events(webhook.id, rows, now)
            position = scanned
        self.worker.wake()
        return ReplayResult(queued, position, position >= head)
