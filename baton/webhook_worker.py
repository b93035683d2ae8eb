"""The delivery loop of one server process: claim due webhook deliveries with a lease, send each
with the guarded WebhookSender, record the attempt, and decide what follows with the RetryPolicy.

- Leases, like jobs': a claimed delivery is `delivering` until its lease runs out; a process
  SIGKILLed mid-attempt leaves it there, and after the lease any process makes that attempt again.
  Each attempt is recorded by compare-and-set on the claim's own lease token, so a process that
  lost its lease records nothing (and another has taken the delivery over).
- Bounded: at most `webhook_max_in_flight` attempts at once in this process, and per endpoint one
  (ordered endpoints: storage only hands out the oldest undelivered message) or
  `webhook_endpoint_in_flight` (parallel ones). A slow endpoint holds its own slots only.
- Health: the messages of an endpoint that end failed in a row, with no success between, are
  counted; past `webhook_disable_after_failures` of them, failing for at least
  `webhook_disable_after_seconds`, the endpoint is disabled with a `webhook.disabled` event and
  a reason. A `410 Gone` disables it at once."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import os
import socket
import uuid
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from baton.backends.storage import StorageBackend
from baton.eventtypes import webhook_event
from baton.models import Event, Webhook, WebhookAttempt, WebhookDelivery
from baton.settings import Settings
from baton.timeutil import utcnow
from baton.webhook_delivery import AttemptResult, WebhookSender
from baton.webhook_retry import Decision, Outcome, RetryPolicy
from baton.webhook_signing import PayloadTooLarge

__all__ = ["DeliveryWorker", "settle"]

log = logging.getLogger(__name__)
ERROR_LIMIT = 1000  # characters of an attempt's error kept


def settle(
    webhook: Webhook, outcome: Outcome, now: datetime, settings: Settings
) -> tuple[dict[str, Any], list[Event]]:
    """What a message's outcome does to its endpoint: the failure streak, and disabling."""
    if outcome is Outcome.DELIVERED:
        if webhook.consecutive_failures or webhook.failing_since:
            return {"consecutive_failures": 0, "failing_since": None}, []
        return {}, []
    since = webhook.failing_since or now
    if outcome is Outcome.RETRY:
        return ({"failing_since": since} if webhook.failing_since is None else {}), []
    changes: dict[str, Any] = {"failing_since": since}
    reason = None
    if outcome is Outcome.DISABLE:
        reason = "The receiver answered 410 Gone: it asks not to be called again"
    else:
        failures = webhook.consecutive_failures + 1
        changes["consecutive_failures"] = failures
        limit = settings.webhook_disable_after_failures
        if (
            limit
            and failures >= limit
            and now - since >= timedelta(seconds=settings.webhook_disable_after_seconds)
        ):
            reason = (
                f"The last {failures} messages failed, every retry used; "
                f"failing since {since:%Y-%m-%d %H:%M} UTC"
            )
    if reason is None or not webhook.enabled:
        return changes, []
    changes.update(enabled=False, disabled_reason=reason, disabled_at=now, updated_at=now)
    return changes, [webhook_event(dataclasses.replace(webhook, **changes), "webhook.disabled", now)]


class DeliveryWorker:
    def __init__(
        self, storage: StorageBackend, settings: Settings, sender: WebhookSender | None = None
    ) -> None:
        self.storage = storage
        self.settings = settings
        self.sender = sender or WebhookSender.from_settings(settings)
        self.policy = RetryPolicy.from_settings(settings)
        # an attempt takes at most the sender's timeout; the lease leaves room for recording it
        self.lease_seconds = 2 * settings.webhook_timeout_seconds + 2
        self.name = f"{socket.gethostname()}:{os.getpid()}"
        self.in_flight: Counter[str] = Counter()  # attempts running here, per webhook
        self.parallel: dict[str, bool] = {}  # of the webhooks in flight here
        self._tasks: set[asyncio.Task[None]] = set()
        self._wake = asyncio.Event()
        self._stopping = False

    def wake(self) -> None:
        self._wake.set()

    async def wait(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):  # not wait_for: see EventHub.wait_past
                await self._wake.wait()
        self._wake.clear()

    @property
    def busy(self) -> int:
        return sum(self.in_flight.values())

    def _admit(self, chosen: Counter[str]) -> Any:
        per_endpoint = self.settings.webhook_endpoint_in_flight

        def admit(webhook_id: str, parallel: bool) -> bool:
            room = (per_endpoint if parallel else 1) - self.in_flight[webhook_id] - chosen[webhook_id]
            if room <= 0:
                return False
            chosen[webhook_id] += 1
            return True

        return admit

    async def deliver_once(self) -> int:
        """Claim what is due (as far as there is room) and start an attempt for each."""
        free = self.settings.webhook_max_in_flight - self.busy
        if free <= 0:
            return 0
        now = utcnow()
        token = f"{self.name}:{uuid.uuid4().hex[:12]}"
        per_endpoint = self.settings.webhook_endpoint_in_flight
        full = [w for w, n in self.in_flight.items() if n >= (per_endpoint if self.parallel.get(w) else 1)]
        claimed = await self.storage.claim_deliveries(
            now, free, token, now + timedelta(seconds=self.lease_seconds), self._admit(Counter()), full
        )
        for delivery, webhook in claimed:
            self.in_flight[webhook.id] += 1
            self.parallel[webhook.id] = webhook.parallel
            task = asyncio.create_task(self._run(delivery, webhook, token))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return len(claimed)

    async def _run(self, delivery: WebhookDelivery, webhook: Webhook, token: str) -> None:
        try:
            following: tuple[WebhookDelivery, Webhook] | None = (delivery, webhook)
            while following is not None:  # an ordered endpoint's messages, one after another
                delivery, webhook = following
                token = delivery.lease_owner or token
                chain = not webhook.parallel and not self._stopping
                following = await self._attempt(delivery, webhook, token, take_next=chain)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # the database went away: the lease runs out, the attempt is redone
            log.warning("webhook delivery %s: %s: %s", delivery.id, type(exc).__name__, exc)
        finally:
            self.in_flight[webhook.id] -= 1
            if self.in_flight[webhook.id] <= 0:
                del self.in_flight[webhook.id]
                self.parallel.pop(webhook.id, None)
            self.wake()  # a slot is free; an ordered endpoint's next message may be due

    async def attempt(
        self, delivery: WebhookDelivery, webhook: Webhook, token: str, *, once: bool = False
    ) -> None:
        """Make the delivery's current attempt and record it; `once`: a test message, not retried
        and not counted in the endpoint's health."""
        await self._attempt(delivery, webhook, token, once=once)

    async def _attempt(
        self,
        delivery: WebhookDelivery,
        webhook: Webhook,
        token: str,
        *,
        once: bool = False,
        take_next: bool = False,
    ) -> tuple[WebhookDelivery, Webhook] | None:
        """attempt(); with `take_next`, also claim the ordered endpoint's next message if it is due
        (in the transaction that records this one), and return it."""
        now = utcnow()
        try:
            result = await self.sender.send(
                webhook.url,
                delivery.body.encode(),
                msg_id=delivery.message_id,
                secrets=webhook.signing_secrets(now),
            )
        except (PayloadTooLarge, ValueError) as exc:  # nothing was sent; sending again cannot help
            result = AttemptResult(status=None, duration=0.0, error=str(exc))
            decision = Decision(Outcome.FAILED)
        else:
            decision = self.policy.decide(result, delivery.attempts - delivery.retry_base)
        if once and decision.outcome is not Outcome.DELIVERED:
            decision = Decision(Outcome.FAILED)
        finished = utcnow()
        next_at = finished + timedelta(seconds=decision.delay) if decision.outcome is Outcome.RETRY else None
        error = result.error if result.status is not None else (result.error or "no answer")
        response = result.body_head.decode("utf-8", errors="replace") if result.body_head else None
        if error:
            error = error[:ERROR_LIMIT]
        record = WebhookAttempt(
            delivery.id,
            delivery.attempts,
            now,
            result.status,
            error,
            round(result.duration, 6),
            response,
            next_at,
        )
        changes = {
            "status": {Outcome.DELIVERED: "delivered", Outcome.RETRY: "pending"}.get(
                decision.outcome, "failed"
            ),
            "next_attempt_at": next_at,
            "last_attempt_at": now,
            "last_status": result.status,
            "last_error": error,
            "last_duration": record.duration,
            "last_response": response,
            "delivered_at": finished if decision.outcome is Outcome.DELIVERED else None,
        }
        # the endpoint's record changes after a failure, or a success that ends a failing streak
        healthy = decision.outcome is Outcome.DELIVERED and not (
            webhook.consecutive_failures or webhook.failing_since
        )
        moved_on = take_next and decision.outcome is not Outcome.RETRY  # else this one stays the head
        lease = (
            f"{self.name}:{uuid.uuid4().hex[:12]}",
            finished,
            finished + timedelta(seconds=self.lease_seconds),
        )
        held, following = await self.storage.finish_and_take_next(
            delivery.id,
            token,
            record,
            changes,
            None
            if once or healthy
            else lambda current: settle(current, decision.outcome, finished, self.settings),
            lease if moved_on else None,
        )
        if not held:
            log.warning("webhook delivery %s: lease lost during attempt %d", delivery.id, delivery.attempts)
        return following

    async def stop(self) -> None:
        """Let attempts in flight finish (each is bounded by the timeout), then close the sender;
        one that does not finish is redone elsewhere after its lease."""
        self._stopping = True  # no ordered endpoint's next message is taken from now on
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=self.settings.webhook_timeout_seconds + 1)
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self.sender.aclose()
