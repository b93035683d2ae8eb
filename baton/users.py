"""Account management for admins: list, create, change role or state, set passwords."""

from __future__ import annotations

from typing import Any

from baton.auth import hash_password
from baton.backends.storage import AlreadyExists, StorageBackend
from baton.backends.storage.accounts import LastAdmin
from baton.errors import Conflict, NotFound
from baton.models import Role, User
from baton.pagination import decode_cursor, encode_cursor, invalid_cursor
from baton.timeutil import new_id, utcnow

__all__ = ["UserService"]


class UserService:
    def __init__(self, storage: StorageBackend, password_hash_cost: str) -> None:
        self.storage = storage
        self.password_hash_cost = password_hash_cost

    async def list(self, *, limit: int, cursor: str | None) -> tuple[list[User], str | None]:
        after = None
        if cursor:
            position = decode_cursor(cursor, "username")
            if len(position) != 1 or not isinstance(position[0], str) or len(position[0]) > 150:
                raise invalid_cursor()
            after = position[0]
        found = await self.storage.list_users(limit + 1, after)
        if len(found) <= limit:
            return found, None
        found = found[:limit]
        return found, encode_cursor("username", [found[-1].username])

    async def get(self, user_id: str) -> User:
        user = await self.storage.get_user(user_id.lower())
        if user is None:
            raise NotFound(f"No user {user_id}", code="USER_NOT_FOUND")
        return user

    async def create(self, body: dict[str, Any]) -> User:
        username = body["username"]
        if await self.storage.get_user_by_username(username) is not None:
            raise Conflict(f"User {username!r} already exists", code="USER_EXISTS")
        user = User(
            new_id(),
            username,
            hash_password(body["password"], self.password_hash_cost),
            Role(body["role"]),
            False,
            utcnow(),
        )
        try:
            await self.storage.insert_user(user)
        except AlreadyExists:  # created by a concurrent request meanwhile
            raise Conflict(f"User {username!r} already exists", code="USER_EXISTS") from None
        return user

    async def update(self, user_id: str, patch: dict[str, Any]) -> User:
        user = await self.get(user_id)
        changes = {key: patch[key] for key in ("role", "disabled") if key in patch}
        if "role" in changes:
            changes["role"] = Role(changes["role"])
        if not changes:
            return user
        try:
            updated = await self.storage.update_user(user.id, utcnow(), **changes)
        except LastAdmin:
            raise Conflict(
                "This is the last enabled admin: make another user admin first", code="LAST_ADMIN"
            ) from None
        if updated is None:
            raise NotFound(f"No user {user_id}", code="USER_NOT_FOUND")
        return updated

    async def set_password(self, user_id: str, password: str) -> None:
        user = await self.get(user_id)
        if not await self.storage.set_password_hash(
            user.id, hash_password(password, self.password_hash_cost), utcnow()
        ):
            raise NotFound(f"No user {user_id}", code="USER_NOT_FOUND")
