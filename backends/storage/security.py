"""Storage for API keys, the audit log and WebSocket tickets. A mixin of SQLStorage (its `_write()`
and engine)."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from baton.backends.storage.tables import api_keys, audit_events, users, ws_tickets

from baton.eventtypes import auth_event
from baton.models import ApiKey, AuditEvent, WsTicket

if TYPE_CHECKING:
    from baton.backends.storage.sql import SQLStorage

__all__ = ["SecurityMixin"]

# last_used_at is written at most this often per key: not one write per request
LAST_USED_GRANULARITY_SECONDS = 60

_key_columns = (*api_keys.c, users.c.username.label("owner"))


def _api_key(m: Any) -> ApiKey:
    return ApiKey(
        m["id"], m["user_id"], m["owner"], m["name"], m["prefix"], m["secret_hash"], list(m["scopes"]),
        m["created_at"], m["expires_at"], m["last_used_at"], m["revoked_at"],
    )  # fmt: skip


def _audit_event(m: Any) -> AuditEvent:
    return AuditEvent(
        m["id"], m["at"], m["action"], m["outcome"], m["actor_id"], m["actor"], m["target_type"],
        m["target_id"], m["client"], dict(m["details"] or {}),
    )  # fmt: skip


class SecurityMixin:
    # -- API keys ----------------------------------------------------------------------------

    async def insert_api_key(self: SQLStorage, key: ApiKey) -> None:
        def run(conn: sa.Connection) -> Any:
            conn.execute(
                api_keys.insert().values(
                    id=key.id, user_id=key.user_id, name=key.name, prefix=key.prefix,
                    secret_hash=key.secret_hash, scopes=key.scopes, created_at=key.created_at,
                    expires_at=key.expires_at, last_used_at=None, revoked_at=None,
                )
            )  # fmt: skip

        return await self._transaction(run)

    def _keys_select(self: SQLStorage) -> Any:
        return sa.select(*_key_columns).join(users, users.c.id == api_keys.c.user_id)

    async def get_api_key(self: SQLStorage, key_id: str) -> ApiKey | None:
        def run(conn: sa.Connection) -> Any:
            row = (conn.execute(self._keys_select().where(api_keys.c.id == key_id))).first()
            return _api_key(row._mapping) if row else None

        return await self._read(run, point=True)

    async def get_api_key_by_prefix(self: SQLStorage, prefix: str) -> ApiKey | None:
        def run(conn: sa.Connection) -> Any:
            row = (conn.execute(self._keys_select().where(api_keys.c.prefix == prefix))).first()
            return _api_key(row._mapping) if row else None

        return await self._read(run, point=True)

    async def list_api_keys(
        self: SQLStorage, user_id: str | None, limit: int, before_id: str | None
    ) -> list[ApiKey]:
        """Newest first (ids are UUIDv7); every user's when user_id is None."""

        def run(conn: sa.Connection) -> Any:
            stmt = self._keys_select().order_by(api_keys.c.id.desc()).limit(limit)
            if user_id is not None:
                stmt = stmt.where(api_keys.c.user_id == user_id)
            if before_id is not None:
                stmt = stmt.where(api_keys.c.id < before_id)
            return [_api_key(row._mapping) for row in conn.execute(stmt)]

        return await self._read(run)

    async def revoke_api_key(self: SQLStorage, key_id: str, now: datetime) -> bool:
        """True if this call revoked it (False: no such key or already revoked)."""

        def run(conn: sa.Connection) -> Any:
            result = conn.execute(
                api_keys.update()
                .where(api_keys.c.id == key_id, api_keys.c.revoked_at.is_(None))
                .values(revoked_at=now)
            )
            if result.rowcount != 1:
                return False
            self._append_events(conn, [auth_event("auth.api_key_revoked", key_id, now)])
            return True

        return await self._transaction(run)

    async def touch_api_key(self: SQLStorage, key_id: str, now: datetime) -> None:
        """Record a use, unless one was recorded within the last minute."""

        def run(conn: sa.Connection) -> Any:
            stale = now - timedelta(seconds=LAST_USED_GRANULARITY_SECONDS)
            conn.execute(
                api_keys.update()
                .where(
                    api_keys.c.id == key_id,
                    sa.or_(api_keys.c.last_used_at.is_(None), api_keys.c.last_used_at < stale),
                )
                .values(last_used_at=now)
            )

        return await self._transaction(run)

    # -- audit log -----------------------------------------------------------------------------

    async def insert_audit_event(self: SQLStorage, event: AuditEvent) -> None:
        def run(conn: sa.Connection) -> Any:
            conn.execute(
                audit_events.insert().values(
                    id=event.id, at=event.at, action=event.action, outcome=event.outcome,
                    actor_id=event.actor_id, actor=event.actor, target_type=event.target_type,
                    target_id=event.target_id, client=event.client, details=event.details,
                )
            )  # fmt: skip

        return await self._transaction(run)

    async def list_audit_events(
        self: SQLStorage,
        limit: int,
        before_id: str | None = None,
        actions: list[str] | None = None,
        actor: str | None = None,
        after: datetime | None = None,
    ) -> list[AuditEvent]:
        def run(conn: sa.Connection) -> Any:
            stmt = sa.select(audit_events).order_by(audit_events.c.id.desc()).limit(limit)
            if before_id is not None:
                stmt = stmt.where(audit_events.c.id < before_id)
            if actions:
                stmt = stmt.where(audit_events.c.action.in_(actions))
            if actor is not None:
                stmt = stmt.where(audit_events.c.actor == actor)
            if after is not None:
                stmt = stmt.where(audit_events.c.at > after)
            return [_audit_event(row._mapping) for row in conn.execute(stmt)]

        return await self._read(run)

    async def recent_failed_logins(
        self: SQLStorage, username: str, since: datetime, limit: int
    ) -> list[datetime]:
        """When the name's latest `limit` failed logins happened, newest first: those after `since`
        and after its last successful login."""

        def run(conn: sa.Connection) -> Any:
            last_success = (
                conn.execute(
                    sa.select(sa.func.max(audit_events.c.at)).where(
                        audit_events.c.action == "auth.login",
                        audit_events.c.actor == username,
                        audit_events.c.at > since,
                    )
                )
            ).scalar_one()
            rows = conn.execute(
                sa.select(audit_events.c.at)
                .where(
                    audit_events.c.action == "auth.login_failed",
                    audit_events.c.actor == username,
                    audit_events.c.at > (last_success or since),
                )
                .order_by(audit_events.c.at.desc())
                .limit(limit)
            )
            return [row.at for row in rows]

        return await self._read(run)

    async def purge_audit_events(self: SQLStorage, before: datetime) -> int:
        def run(conn: sa.Connection) -> Any:
            result = conn.execute(audit_events.delete().where(audit_events.c.at < before))
            return result.rowcount

        return await self._transaction(run, point=False)

    # -- WebSocket tickets -------------------------------------------------------------------

    async def insert_ws_ticket(self: SQLStorage, ticket: WsTicket) -> None:
        def run(conn: sa.Connection) -> Any:
            conn.execute(ws_tickets.insert().values(**dataclasses.asdict(ticket), used_at=None))

        return await self._transaction(run)

    async def use_ws_ticket(self: SQLStorage, ticket_hash: str, now: datetime) -> WsTicket | None:
        """Mark the ticket used and return it, if it exists, is unused and has not expired."""

        def run(conn: sa.Connection) -> Any:
            this = ws_tickets.c.ticket_hash == ticket_hash
            used = conn.execute(
                ws_tickets.update()
                .where(this, ws_tickets.c.used_at.is_(None), ws_tickets.c.expires_at > now)
                .values(used_at=now)
            )
            if used.rowcount != 1:
                return None
            row = (conn.execute(sa.select(ws_tickets).where(this))).one()._mapping
            return WsTicket(**{field.name: row[field.name] for field in dataclasses.fields(WsTicket)})

        return await self._transaction(run)

    async def purge_ws_tickets(self: SQLStorage, now: datetime) -> int:
        def run(conn: sa.Connection) -> Any:
            return (conn.execute(ws_tickets.delete().where(ws_tickets.c.expires_at <= now))).rowcount

        return await self._transaction(run, point=False)
