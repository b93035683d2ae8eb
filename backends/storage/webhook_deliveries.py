"""Storage of webhook deliveries: claims with leases (like jobs'), the record of each attempt, the
delivery log, and replays.

A delivery is `pending` (due at `next_attempt_at`), `delivering` (an attempt holds its lease),
`delivered` or `failed`. A claim takes due pending deliveries, and delivering ones whose lease ran
out (their process died mid-attempt: the attempt is made again); an ordered endpoint's delivery is
claimable only while no earlier message of that endpoint is undelivered. Each attempt is recorded
by compare-and-set on the claim's lease owner, so a process that lost its lease records nothing.

A mixin of SQLStorage (its `_transaction()`, `_read()` and `_append_events()`)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from baton.backends.storage.tables import webhook_attempts, webhook_deliveries, webhooks
from baton.backends.storage.webhooks import insert_ignoring_duplicates, row_to_webhook, select_webhooks

from baton.models import Event, Webhook, WebhookAttempt, WebhookDelivery

if TYPE_CHECKING:
    from baton.backends.storage.sql import SQLStorage

__all__ = ["DeliveriesMixin", "DeliveryQuery"]

D = webhook_deliveries
UNDELIVERED = ("pending", "delivering")
FINISHED = ("delivered", "failed")
_PURGE_CHUNK = 500  # ids per IN (older SQLite builds take at most 999 parameters)


def _delivery(m: Any) -> WebhookDelivery:
    return WebhookDelivery(**{column.name: m[column.name] for column in D.c})


def _attempt(m: Any) -> WebhookAttempt:
    return WebhookAttempt(**{column.name: m[column.name] for column in webhook_attempts.c})


class DeliveryQuery:
    """Filters of the delivery log."""

    def __init__(
        self,
        webhook_id: str,
        limit: int,
        before_id: str | None = None,
        statuses: Sequence[str] = (),
        types: Sequence[str] = (),
        prefixes: Sequence[str] = (),
        created_after: datetime | None = None,
        created_before: datetime | None = None,
    ) -> None:
        self.webhook_id, self.limit, self.before_id = webhook_id, limit, before_id
        self.statuses, self.types, self.prefixes = statuses, types, prefixes
        self.created_after, self.created_before = created_after, created_before


class DeliveriesMixin:
    async def claim_deliveries(
        self: SQLStorage,
        now: datetime,
        limit: int,
        lease_owner: str,
        lease_expires_at: datetime,
        admit: Callable[[str, bool], bool],
        full: Collection[str] = (),
    ) -> list[tuple[WebhookDelivery, Webhook]]:
        """Take up to `limit` due deliveries of enabled webhooks but those in `full` (each delivery by
        one claimer), those `admit(webhook id, parallel)` lets in, in the order they fell due; each
        gets this lease and, unless it redoes an attempt whose process died, a new attempt number."""

        def run(conn: sa.Connection) -> Any:
            due = sa.or_(
                sa.and_(D.c.status == "pending", D.c.next_attempt_at <= now),
                sa.and_(D.c.status == "delivering", D.c.lease_expires_at <= now),
            )
            columns = (D.c.id, D.c.webhook_id, D.c.status, D.c.attempts, D.c.next_attempt_at, D.c.event_id)
            left_out = [D.c.webhook_id.not_in(sorted(full))] if full else []
            # ordered endpoints: each one's oldest undelivered message (an index walk per endpoint),
            # when it is due
            ordered = sa.select(webhooks.c.id).where(
                webhooks.c.enabled.is_(True), webhooks.c.parallel.is_(False)
            )
            heads = (
                sa.select(D.c.webhook_id, sa.func.min(D.c.event_id).label("head"))
                .where(D.c.status.in_(UNDELIVERED), D.c.webhook_id.in_(ordered), *left_out)
                .group_by(D.c.webhook_id)
                .subquery()
            )
            oldest = (
                sa.select(*columns)
                .join(heads, sa.and_(D.c.webhook_id == heads.c.webhook_id, D.c.event_id == heads.c.head))
                .where(due)
            )
            # parallel endpoints: any due message, in the order they fell due
            parallel = sa.select(webhooks.c.id).where(
                webhooks.c.enabled.is_(True), webhooks.c.parallel.is_(True)
            )
            anyone = (
                sa.select(*columns)
                .where(due, D.c.webhook_id.in_(parallel), *left_out)
                .order_by(D.c.next_attempt_at, D.c.event_id)
                .limit(limit)
            )
            flagged = [(row, False) for row in conn.execute(oldest)]
            flagged += [(row, True) for row in conn.execute(anyone)]
            flagged.sort(key=lambda pair: (pair[0].next_attempt_at or now, pair[0].event_id))
            found = [row for row, _ in flagged[:limit]]
            parallel_ids = {row.id for row, is_parallel in flagged if is_parallel}
            if self.dialect != "sqlite" and found:
                # claimers skip each other's rows instead of queueing behind them
                lock = sa.select(D.c.id).where(D.c.id.in_([row.id for row in found]), due)
                locked = set((conn.execute(lock.with_for_update(skip_locked=True))).scalars())
                found = [row for row in found if row.id in locked]
            if not found:
                return []
            ids = []
            for row in found:
                if not admit(row.webhook_id, row.id in parallel_ids):
                    continue
                result = conn.execute(
                    D.update()
                    .where(D.c.id == row.id, D.c.status == row.status, D.c.attempts == row.attempts)
                    .values(
                        status="delivering",
                        # a lease that ran out: its attempt never finished; make that one again
                        attempts=row.attempts if row.status == "delivering" else row.attempts + 1,
                        lease_owner=lease_owner,
                        lease_expires_at=lease_expires_at,
                        last_attempt_at=now,
                    )
                )
                if result.rowcount == 1:
                    ids.append(row.id)
            if not ids:
                return []
            deliveries = [_delivery(r._mapping) for r in conn.execute(sa.select(D).where(D.c.id.in_(ids)))]
            hooks = {
                w.id: w
                for w in (
                    row_to_webhook(r._mapping)
                    for r in conn.execute(
                        select_webhooks().where(webhooks.c.id.in_({d.webhook_id for d in deliveries}))
                    )
                )
            }
            order = {delivery_id: index for index, delivery_id in enumerate(ids)}
            deliveries.sort(key=lambda d: order[d.id])
            return [(d, hooks[d.webhook_id]) for d in deliveries if d.webhook_id in hooks]

        return await self._transaction(run)

    async def finish_delivery(
        self: SQLStorage,
        delivery_id: str,
        lease_owner: str,
        attempt: WebhookAttempt,
        changes: Mapping[str, Any],
        settle: Callable[[Webhook], tuple[dict[str, Any], list[Event]]] | None = None,
    ) -> bool:
        """Record an attempt and its outcome (`changes` to the delivery) if the claim still holds
        the lease (else False: nothing is written); `settle(webhook)`, given the webhook as it is
        in this transaction, says what changes of it follow (failure streak, disabling) and their
        events (None: nothing can follow, the webhook is not read)."""
        held, _ = await self.finish_and_take_next(delivery_id, lease_owner, attempt, changes, settle)
        return held

    async def finish_and_take_next(
        self: SQLStorage,
        delivery_id: str,
        lease_owner: str,
        attempt: WebhookAttempt,
        changes: Mapping[str, Any],
        settle: Callable[[Webhook], tuple[dict[str, Any], list[Event]]] | None = None,
        take_next: tuple[str, datetime, datetime] | None = None,
    ) -> tuple[bool, tuple[WebhookDelivery, Webhook] | None]:
        """finish_delivery(), and with `take_next` (lease owner, now, lease expiry), for an ordered
        endpoint whose message this one was: claim its next message if it is due, in the same
        transaction (an ordered endpoint's messages go one by one: this saves a claim each)."""

        def run(conn: sa.Connection) -> Any:
            held = conn.execute(
                D.update()
                .where(D.c.id == delivery_id, D.c.lease_owner == lease_owner, D.c.status == "delivering")
                .values(**changes, lease_owner=None, lease_expires_at=None)
            )
            if held.rowcount != 1:
                return False, None
            conn.execute(webhook_attempts.insert().values(**vars(attempt)))
            if settle is None and take_next is None:
                return True, None
            webhook_id = (conn.execute(sa.select(D.c.webhook_id).where(D.c.id == delivery_id))).scalar_one()
            row = (
                conn.execute(select_webhooks().where(webhooks.c.id == webhook_id).with_for_update())
            ).first()
            if row is None:
                return True, None
            webhook = row_to_webhook(row._mapping)
            events: list[Event] = []
            if settle is not None:
                webhook_changes, events = settle(webhook)
                if webhook_changes:
                    conn.execute(
                        webhooks.update().where(webhooks.c.id == webhook_id).values(**webhook_changes)
                    )
                    webhook = dataclasses.replace(webhook, **webhook_changes)
            following = None
            if take_next is not None and webhook.enabled and not webhook.parallel:
                following = self._take_head(conn, webhook, *take_next)
            self._append_events(conn, events)
            return True, following

        return await self._transaction(run)

    def _take_head(
        self: SQLStorage, conn: sa.Connection, webhook: Webhook, owner: str, now: datetime, until: datetime
    ) -> tuple[WebhookDelivery, Webhook] | None:
        """Claim the ordered webhook's oldest undelivered message, if it is pending and due."""
        head = (
            conn.execute(
                sa.select(D)
                .where(D.c.webhook_id == webhook.id, D.c.status.in_(UNDELIVERED))
                .order_by(D.c.event_id)
                .limit(1)
            )
        ).first()
        if head is None or head.status != "pending" or head.next_attempt_at > now:
            return None
        values = {
            "status": "delivering", "attempts": head.attempts + 1, "lease_owner": owner,
            "lease_expires_at": until, "last_attempt_at": now,
        }  # fmt: skip
        taken = conn.execute(
            D.update()
            .where(D.c.id == head.id, D.c.status == "pending", D.c.attempts == head.attempts)
            .values(**values)
        )
        if taken.rowcount != 1:
            return None
        return _delivery({**head._mapping, **values}), webhook

    async def insert_delivery_now(
        self: SQLStorage, event: Event, make: Callable[[Event], dict[str, Any]]
    ) -> WebhookDelivery:
        """Append `event` and insert the delivery `make(event)` builds (it needs the event's id),
        in one transaction: a test message, claimed by its caller at once."""

        def run(conn: sa.Connection) -> Any:
            self._append_events(conn, [event])
            row = make(event)
            conn.execute(D.insert().values(**row))
            return WebhookDelivery(**row)

        return await self._transaction(run, point=False)  # needs its event's id inside

    # -- the delivery log ----------------------------------------------------------------------

    async def list_deliveries(self: SQLStorage, query: DeliveryQuery) -> list[WebhookDelivery]:
        """Newest first (ids are UUIDv7) within the webhook, filtered."""

        def run(conn: sa.Connection) -> Any:
            stmt = (
                sa.select(D)
                .where(D.c.webhook_id == query.webhook_id)
                .order_by(D.c.id.desc())
                .limit(query.limit)
            )
            if query.before_id is not None:
                stmt = stmt.where(D.c.id < query.before_id)
            if query.statuses:
                stmt = stmt.where(D.c.status.in_(sorted(query.statuses)))
            if query.types or query.prefixes:
                like = [
                    D.c.event_type.like(
                        p.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%", escape="!"
                    )
                    for p in query.prefixes
                ]
                stmt = stmt.where(sa.or_(D.c.event_type.in_(sorted(query.types)), *like))
            if query.created_after is not None:
                stmt = stmt.where(D.c.created_at >= query.created_after)
            if query.created_before is not None:
                stmt = stmt.where(D.c.created_at < query.created_before)
            return [_delivery(row._mapping) for row in conn.execute(stmt)]

        return await self._read(run)

    async def get_delivery(self: SQLStorage, webhook_id: str, delivery_id: str) -> WebhookDelivery | None:
        def run(conn: sa.Connection) -> Any:
            stmt = sa.select(D).where(D.c.id == delivery_id, D.c.webhook_id == webhook_id)
            row = (conn.execute(stmt)).first()
            return _delivery(row._mapping) if row else None

        return await self._read(run)

    async def list_attempts(self: SQLStorage, delivery_id: str, limit: int) -> list[WebhookAttempt]:
        """The latest `limit` attempts, oldest first."""

        def run(conn: sa.Connection) -> Any:
            stmt = (
                sa.select(webhook_attempts)
                .where(webhook_attempts.c.delivery_id == delivery_id)
                .order_by(webhook_attempts.c.attempt.desc())
                .limit(limit)
            )
            return [_attempt(row._mapping) for row in reversed((conn.execute(stmt)).all())]

        return await self._read(run)

    # -- replays and retention -----------------------------------------------------------------

    async def replay_delivery(self: SQLStorage, delivery_id: str, now: datetime) -> WebhookDelivery | None:
        """Make a delivery that is not in flight due now, with a fresh retry schedule (None: it is
        being attempted right now)."""

        def run(conn: sa.Connection) -> Any:
            result = conn.execute(
                D.update()
                .where(D.c.id == delivery_id, D.c.status != "delivering")
                .values(status="pending", next_attempt_at=now, retry_base=D.c.attempts, delivered_at=None)
            )
            if result.rowcount != 1:
                return None
            return _delivery((conn.execute(sa.select(D).where(D.c.id == delivery_id))).one()._mapping)

        return await self._transaction(run)

    async def replay_events(
        self: SQLStorage, webhook_id: str, rows: Sequence[Mapping[str, Any]], now: datetime
    ) -> int:
        """Queue again what the endpoint missed among these messages (one row per event): a new
        delivery where there was none, and failed ones again; delivered and undelivered ones stay
        as they are. Returns how many will be sent."""

        def run(conn: sa.Connection) -> Any:
            if not rows:
                return 0
            event_ids = [row["event_id"] for row in rows]
            insert_ignoring_duplicates(conn, self.dialect, D, rows)
            ids = [row["id"] for row in rows]
            fresh = (conn.execute(sa.select(sa.func.count()).where(D.c.id.in_(ids)))).scalar_one()
            again = conn.execute(
                D.update()
                .where(D.c.webhook_id == webhook_id, D.c.event_id.in_(event_ids), D.c.status == "failed")
                .values(status="pending", next_attempt_at=now, retry_base=D.c.attempts)
            )
            return int(fresh) + again.rowcount

        return await self._transaction(run, point=False)

    async def purge_deliveries(self: SQLStorage, before: datetime) -> int:
        """Delete finished deliveries (and their attempts) made before `before`."""

        def run(conn: sa.Connection) -> Any:
            removed = 0
            while True:
                ids = list(
                    (
                        conn.execute(
                            sa.select(D.c.id)
                            .where(D.c.created_at < before, D.c.status.in_(FINISHED))
                            .limit(_PURGE_CHUNK)
                        )
                    ).scalars()
                )
                if ids:
                    conn.execute(webhook_attempts.delete().where(webhook_attempts.c.delivery_id.in_(ids)))
                    conn.execute(D.delete().where(D.c.id.in_(ids)))
                removed += len(ids)
                if len(ids) < _PURGE_CHUNK:
                    return removed

        return await self._transaction(run, point=False)
