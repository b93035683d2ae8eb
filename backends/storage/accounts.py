"""Storage for managing accounts: list users, change role or state, set passwords, end sessions.

A mixin of SQLStorage (it uses its `_write()` helper and connections)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from baton.backends.storage.tables import sessions, users

from baton.eventtypes import auth_event
from baton.models import Role, User

if TYPE_CHECKING:
    from baton.backends.storage.sql import SQLStorage

__all__ = ["AccountsMixin", "LastAdmin"]


class LastAdmin(Exception):
    """The change would leave no enabled admin."""


def _user(m: Any) -> User:
    return User(
        m["id"], m["username"], m["password_hash"], Role(m["role"]), bool(m["disabled"]), m["created_at"]
    )


class AccountsMixin:
    async def list_users(self: SQLStorage, limit: int, after_username: str | None) -> list[User]:
        def run(conn: sa.Connection) -> Any:
            stmt = sa.select(users).order_by(users.c.username).limit(limit)
            if after_username is not None:
                stmt = stmt.where(users.c.username > after_username)
            return [_user(row._mapping) for row in conn.execute(stmt)]

        return await self._read(run)

    async def update_user(self: SQLStorage, user_id: str, now: datetime, **changes: Any) -> User | None:
        """Change role / disabled; raise LastAdmin rather than leave no enabled admin. Disabling
        revokes the user's sessions in the same transaction."""

        def run(conn: sa.Connection) -> Any:
            values = {k: (v.value if isinstance(v, Role) else v) for k, v in changes.items()}
            row = (conn.execute(sa.select(users).where(users.c.id == user_id))).first()
            if row is None:
                return None
            user = _user(row._mapping)
            role = Role(values.get("role", user.role.value))
            disabled = values.get("disabled", user.disabled)
            if user.role is Role.ADMIN and not user.disabled and (role is not Role.ADMIN or disabled):
                # lock every enabled admin: two admins demoting each other at once must not both pass
                others = sa.select(users.c.id).where(
                    users.c.role == Role.ADMIN.value, sa.not_(users.c.disabled), users.c.id != user_id
                )
                if self.dialect != "sqlite":  # SQLite: BEGIN IMMEDIATE already serializes writers
                    others = others.with_for_update()
                if not (conn.execute(others)).first():
                    raise LastAdmin
            conn.execute(users.update().where(users.c.id == user_id).values(**values, updated_at=now))
            if disabled and not user.disabled:
                self._revoke_user_sessions(conn, user_id, now)
            row = (conn.execute(sa.select(users).where(users.c.id == user_id))).first()
            self._append_events(conn, [auth_event("auth.user_changed", user_id, now)])
            return _user(row._mapping)

        return await self._transaction(run)

    async def set_password_hash(self: SQLStorage, user_id: str, password_hash: str, now: datetime) -> bool:
        """Store a new hash and end every session of the user; False if there is no such user."""

        def run(conn: sa.Connection) -> Any:
            result = conn.execute(
                users.update()
                .where(users.c.id == user_id)
                .values(password_hash=password_hash, updated_at=now)
            )
            if result.rowcount != 1:
                return False
            self._revoke_user_sessions(conn, user_id, now)
            self._append_events(conn, [auth_event("auth.user_changed", user_id, now)])
            return True

        return await self._transaction(run)

    @staticmethod
    def _revoke_user_sessions(conn: Any, user_id: str, now: datetime) -> None:
        conn.execute(
            sessions.update()
            .where(sessions.c.user_id == user_id, sessions.c.revoked_at.is_(None))
            .values(revoked_at=now)
        )
