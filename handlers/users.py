from __future__ import annotations

from typing import Any

from baton.conditional import created, representation
from baton.context import audit, services
from baton.users import UserService
from baton.views import page_view, user_view

__all__ = ["create_user", "get_user", "list_users", "set_user_password", "update_user"]


def _users() -> UserService:
    found = services()
    return UserService(found.storage, found.settings.password_hash_cost)


async def list_users(limit: int = 50, cursor: str | None = None):
    found, next_cursor = await _users().list(limit=limit, cursor=cursor)
    return representation(page_view([user_view(user) for user in found], limit, next_cursor))


async def create_user(body: dict[str, Any], token_info: dict[str, Any]):
    user = await _users().create(body)
    await audit("user.create", token_info, ("user", user.id), username=user.username, role=user.role.value)
    return created(user_view(user), f"/api/v1/users/{user.id}")


async def get_user(user_id: str):
    return representation(user_view(await _users().get(user_id)))


async def update_user(user_id: str, body: dict[str, Any], token_info: dict[str, Any]):
    users = _users()
    before = await users.get(user_id)
    after = await users.update(user_id, body)
    changes = {
        field: {"from": old, "to": new}
        for field, old, new in (
            ("role", before.role.value, after.role.value),
            ("disabled", before.disabled, after.disabled),
        )
        if old != new
    }
    if changes:
        await audit("user.update", token_info, ("user", after.id), username=after.username, **changes)
    return user_view(after)


async def set_user_password(user_id: str, body: dict[str, Any], token_info: dict[str, Any]):
    await _users().set_password(user_id, body["password"])
    await audit("user.password_reset", token_info, ("user", user_id.lower()))
    return None, 204
