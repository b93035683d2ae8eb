from __future__ import annotations

from typing import Any

from baton.auth import parse_scope
from baton.conditional import representation
from baton.context import client_address, principal_of, services
from baton.errors import InvalidInput
from baton.views import user_view

__all__ = ["get_me", "issue_token", "login", "logout", "refresh_token"]

_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


async def login(body: dict[str, Any]) -> tuple[dict[str, Any], int, dict[str, str]]:
    pair = await services().auth.login(
        body["username"], body["password"], client_address(), scopes=body.get("scopes"), field="scopes"
    )
    return pair.to_dict(), 200, _NO_STORE


async def issue_token(body: dict[str, Any]) -> tuple[dict[str, Any], int, dict[str, str]]:
    auth = services().auth
    # each grant's own fields are checked here rather than by a oneOf in the schema: Swagger UI
    # and OAuth2 libraries post one flat form (often with client_id and scope besides)
    needed = ("username", "password") if body["grant_type"] == "password" else ("refresh_token",)
    missing = [name for name in needed if not body.get(name)]
    if missing:
        raise InvalidInput(
            f"grant_type={body['grant_type']} needs {', '.join(needed)}",
            errors=[{"field": name, "message": "Required for this grant_type"} for name in missing],
        )
    scopes = parse_scope(body.get("scope"))
    if body["grant_type"] == "password":
        pair = await auth.login(body["username"], body["password"], client_address(), scopes=scopes)
    else:
        pair = await auth.refresh(body["refresh_token"], client_address(), scopes=scopes)
    return pair.to_dict(), 200, _NO_STORE


async def refresh_token(body: dict[str, Any]) -> tuple[dict[str, Any], int, dict[str, str]]:
    pair = await services().auth.refresh(body["refresh_token"], client_address())
    return pair.to_dict(), 200, _NO_STORE


async def logout(token_info: dict[str, Any]) -> tuple[None, int]:
    await services().auth.logout(principal_of(token_info), client_address())
    return None, 204


async def get_me(token_info: dict[str, Any]):
    user = await services().storage.get_user(principal_of(token_info).user_id)
    return representation(user_view(user))
