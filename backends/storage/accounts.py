"""Storage for managing accounts: list users, change role or state, set passwords, end sessions.

A mixin of SQLStorage (it uses its `_write()` helper and connections)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from baton.backends.storage.tables import sessions, users

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
        stmt = sa.select(users).order_by(users.c.username).limit(limit)
        if after_username is not None:
            stmt = stmt.where(users.c.username > after_username)
        async with self._engine.connect() as conn:
            return [_user(row._mapping) for row in await conn.execute(stmt)]

    async def update_user(self: SQLStorage, user_id: str, now: datetime, **changes: Any) -> User | None:
        """Change role / disabled; raise LastAdmin rather than leave no enabled admin. Disabling
        revokes the user's sessions in the same transaction."""
        values = {k: (v.value if isinstance(v, Role) else v) for k, v in changes.items()}
        async with self._write() as conn:
            row = (await conn.execute(sa.select(users).where(users.c.id == user_id))).first()
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
                if not (await conn.execute(others)).first():
                    raise LastAdmin
            await conn.execute(users.update().where(users.c.id == user_id).values(**values, updated_at=now))
            if disabled and not user.disabled:
                await self._revoke_user_sessions(conn, user_id, now)
            row = (await conn.execute(sa.select(users).where(users.c.id == user_id))).first()
            return _user(row._mapping)

    async def set_password_hash(self: SQLStorage, user_id: str, password_hash: str, now: datetime) -> bool:
        """Store a new hash and end every session of the user; False if there is no such user."""
        async with self._write() as conn:
            result = await conn.execute(
                users.update()
                .where(users.c.id == user_id)
                .values(password_hash=password_hash, updated_at=now)
            )
            if result.rowcount != 1:
                return False
            await self._revoke_user_sessions(conn, user_id, now)
            return True

    @staticmethod
    async def _revoke_user_sessions(conn: Any, user_id: str, now: datetime) -> None:
        await conn.execute(
            sessions.update()
            .where(sessions.c.user_id == user_id, sessions.c.revoked_at.is_(None))
            .values(revoked_at=now)
        )
