from __future__ import annotations

from typing import Any

from baton.conditional import representation
from baton.context import services
from baton.users import UserService
from baton.views import page_view, user_view

__all__ = ["create_user", "get_user", "list_users", "set_user_password", "update_user"]


def _users() -> UserService:
    return UserService(services().storage)


async def list_users(limit: int = 50, cursor: str | None = None):
    found, next_cursor = await _users().list(limit=limit, cursor=cursor)
    return representation(page_view([user_view(user) for user in found], limit, next_cursor))


async def create_user(body: dict[str, Any]):
    user = await _users().create(body)
    return user_view(user), 201, {"Location": f"/api/v1/users/{user.id}"}


async def get_user(user_id: str):
    return representation(user_view(await _users().get(user_id)))


async def update_user(user_id: str, body: dict[str, Any]):
    return user_view(await _users().update(user_id, body))


async def set_user_password(user_id: str, body: dict[str, Any]):
    await _users().set_password(user_id, body["password"])
    return None, 204
