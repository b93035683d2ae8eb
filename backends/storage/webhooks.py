"""Storage of webhooks: the endpoints, with their `webhook.*` events in the same transaction, and
the matcher's compare-and-set that queues an endpoint's deliveries and moves its cursor at once.

The deliveries themselves (claims with leases, attempts, the log, replays) are in
webhook_deliveries.py. A mixin of SQLStorage (its `_transaction()`, `_read()` and `_append_events()`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from baton.backends.storage.tables import events, users, webhook_deliveries, webhooks
from sqlalchemy.dialects import postgresql

from baton.models import Event, Role, Webhook

if TYPE_CHECKING:
    from baton.backends.storage.sql import SQLStorage

__all__ = ["WebhooksMixin", "insert_ignoring_duplicates", "row_to_webhook", "select_webhooks"]


def select_webhooks() -> sa.Select:
    owner = sa.select(users.c.username).where(users.c.id == webhooks.c.owner_id).scalar_subquery()
    return sa.select(*webhooks.c, owner.label("owner")).select_from(webhooks)


def row_to_webhook(m: Any) -> Webhook:
    return Webhook(
        id=m["id"],
        owner_id=m["owner_id"],
        owner=m["owner"],
        name=m["name"],
        description=m["description"],
        url=m["url"],
        event_types=list(m["event_types"]),
        filters=dict(m["filters"]),
        enabled=bool(m["enabled"]),
        parallel=bool(m["parallel"]),
        secret=m["secret"],
        created_at=m["created_at"],
        updated_at=m["updated_at"],
        cursor=int(m["cursor"]),
        disabled_reason=m["disabled_reason"],
        disabled_at=m["disabled_at"],
        previous_secret=m["previous_secret"],
        previous_secret_expires_at=m["previous_secret_expires_at"],
        consecutive_failures=m["consecutive_failures"],
        failing_since=m["failing_since"],
    )


def _row(webhook: Webhook) -> dict[str, Any]:
    return {
        "id": webhook.id,
        "owner_id": webhook.owner_id,
        "name": webhook.name,
        "description": webhook.description,
        "url": webhook.url,
        "event_types": webhook.event_types,
        "filters": webhook.filters,
        "enabled": webhook.enabled,
        "disabled_reason": webhook.disabled_reason,
        "disabled_at": webhook.disabled_at,
        "parallel": webhook.parallel,
        "secret": webhook.secret,
        "previous_secret": webhook.previous_secret,
        "previous_secret_expires_at": webhook.previous_secret_expires_at,
        "cursor": webhook.cursor,
        "consecutive_failures": webhook.consecutive_failures,
        "failing_since": webhook.failing_since,
        "created_at": webhook.created_at,
        "updated_at": webhook.updated_at,
    }


def insert_ignoring_duplicates(
    conn: sa.Connection, dialect: str, table: sa.Table, rows: Sequence[Mapping[str, Any]]
) -> None:
    """Insert the rows, skipping those a unique key already holds (each dialect says it its way)."""
    if not rows:
        return
    if dialect == "postgresql":
        stmt: Any = postgresql.insert(table).on_conflict_do_nothing()
    elif dialect == "mysql":
        stmt = table.insert().prefix_with("IGNORE")
    else:
        stmt = table.insert().prefix_with("OR IGNORE")
    conn.execute(stmt, list(rows))


class WebhooksMixin:
    async def insert_webhook(self: SQLStorage, webhook: Webhook, event: Event) -> Webhook:
        """Store the webhook with its `webhook.created` event; it matches the events after that one."""

        def run(conn: sa.Connection) -> Any:
            conn.execute(webhooks.insert().values(**_row(webhook)))
            self._append_events(conn, [event])
            conn.execute(webhooks.update().where(webhooks.c.id == webhook.id).values(cursor=event.id))
            webhook.cursor = event.id
            return webhook

        return await self._transaction(run, point=False)  # needs its event's id inside

    async def get_webhook(self: SQLStorage, webhook_id: str) -> Webhook | None:
        def run(conn: sa.Connection) -> Any:
            row = (conn.execute(select_webhooks().where(webhooks.c.id == webhook_id))).first()
            return row_to_webhook(row._mapping) if row else None

        return await self._read(run)

    async def list_webhooks(
        self: SQLStorage, owner_id: str | None, limit: int, before_id: str | None
    ) -> list[Webhook]:
        """Newest first (ids are UUIDv7); every owner's when owner_id is None."""

        def run(conn: sa.Connection) -> Any:
            stmt = select_webhooks().order_by(webhooks.c.id.desc()).limit(limit)
            if owner_id is not None:
                stmt = stmt.where(webhooks.c.owner_id == owner_id)
            if before_id is not None:
                stmt = stmt.where(webhooks.c.id < before_id)
            return [row_to_webhook(row._mapping) for row in conn.execute(stmt)]

        return await self._read(run)

    async def update_webhook(
        self: SQLStorage,
        webhook_id: str,
        changes: Mapping[str, Any],
        *,
        updated_at_was: datetime | None = None,
        event_type: str | None = None,
        restart_cursor: bool = False,
    ) -> Webhook | None:
        """Apply `changes` (if the webhook was last changed at `updated_at_was`, when given), with
        an event of `event_type` when given; `restart_cursor`: it matches only events from now on
        (a webhook enabled again). None when there is no such webhook or it changed meanwhile."""

        def run(conn: sa.Connection) -> Any:
            from baton.eventtypes import webhook_event

            stmt = webhooks.update().where(webhooks.c.id == webhook_id)
            if updated_at_was is not None:
                stmt = stmt.where(webhooks.c.updated_at == updated_at_was)
            values = dict(changes)
            if restart_cursor:
                values["cursor"] = self._last_event_id(conn)
            if (conn.execute(stmt.values(**values))).rowcount != 1:
                return None
            row = (conn.execute(select_webhooks().where(webhooks.c.id == webhook_id))).first()
            webhook = row_to_webhook(row._mapping)
            if event_type is not None:
                self._append_events(conn, [webhook_event(webhook, event_type, values["updated_at"])])
            return webhook

        return await self._transaction(run)

    async def delete_webhook(
        self: SQLStorage, webhook_id: str, event: Event, *, updated_at_was: datetime | None = None
    ) -> bool:
        """Delete the webhook, its deliveries and their attempts, with `event` (webhook.deleted)."""

        def run(conn: sa.Connection) -> Any:
            stmt = webhooks.delete().where(webhooks.c.id == webhook_id)
            if updated_at_was is not None:
                stmt = stmt.where(webhooks.c.updated_at == updated_at_was)
            # children first: SQLite enforces the cascade, but other dialects then need no locks
            # on rows the cascade would find one by one
            exists = sa.select(webhooks.c.id).where(webhooks.c.id == webhook_id)
            if updated_at_was is not None:
                exists = exists.where(webhooks.c.updated_at == updated_at_was)
            if (conn.execute(exists.with_for_update())).first() is None:
                return False
            conn.execute(webhook_deliveries.delete().where(webhook_deliveries.c.webhook_id == webhook_id))
            conn.execute(stmt)
            self._append_events(conn, [event])
            return True

        return await self._transaction(run, point=False)

    # -- the matcher ---------------------------------------------------------------------------

    async def webhooks_behind(
        self: SQLStorage, head: int, limit: int = 1000
    ) -> list[tuple[Webhook, Role | None]]:
        """Enabled webhooks whose cursor is before `head`, with their owner's role (None: the
        owner is disabled and may read nothing)."""

        def run(conn: sa.Connection) -> Any:
            role = sa.select(users.c.role).where(
                users.c.id == webhooks.c.owner_id, users.c.disabled.is_(False)
            )
            stmt = (
                select_webhooks()
                .add_columns(role.scalar_subquery().label("owner_role"))
                .where(webhooks.c.enabled.is_(True), webhooks.c.cursor < head)
                .order_by(webhooks.c.cursor, webhooks.c.id)
                .limit(limit)
            )
            rows = (conn.execute(stmt)).all()
            return [
                (row_to_webhook(row._mapping), Role(row.owner_role) if row.owner_role else None)
                for row in rows
            ]

        return await self._read(run)

    async def queue_deliveries(
        self: SQLStorage, moves: Sequence[tuple[str, int, Sequence[Mapping[str, Any]]]], cursor: int
    ) -> set[str]:
        """For each (webhook id, cursor it was at, its deliveries): if its cursor still is there,
        move it to `cursor` and insert the deliveries; all in one transaction. Returns the webhooks
        moved (another process moved the others first, and queued their deliveries)."""

        def run(conn: sa.Connection) -> Any:
            moved: set[str] = set()
            rows: list[Mapping[str, Any]] = []
            # in id order: two processes lock the same rows in the same order (no deadlock)
            for webhook_id, cursor_was, deliveries in sorted(moves, key=lambda m: m[0]):
                result = conn.execute(
                    webhooks.update()
                    .where(webhooks.c.id == webhook_id, webhooks.c.cursor == cursor_was)
                    .values(cursor=cursor)
                )
                if result.rowcount == 1:
                    moved.add(webhook_id)
                    rows.extend(deliveries)
            # a webhook deleted meanwhile moved nothing: its deliveries are not among these
            insert_ignoring_duplicates(conn, self.dialect, webhook_deliveries, rows)
            return moved

        return await self._transaction(run, point=False)

    async def event_ids_between(
        self: SQLStorage, since: datetime | None, until: datetime | None
    ) -> tuple[int, int | None]:
        """(the id before the first event at or after `since`, the last id before `until`): the
        event-id range of a time window (None: no event in it / no upper end)."""

        def run(conn: sa.Connection) -> Any:
            after = 0
            if since is not None:
                first = (
                    conn.execute(sa.select(sa.func.min(events.c.id)).where(events.c.at >= since))
                ).scalar()
                after = int(first) - 1 if first is not None else self._last_event_id(conn)
            up_to = None
            if until is not None:
                last = (conn.execute(sa.select(sa.func.max(events.c.id)).where(events.c.at < until))).scalar()
                up_to = int(last) if last is not None else 0
            return after, up_to

        return await self._read(run)
