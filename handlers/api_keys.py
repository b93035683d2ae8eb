from __future__ import annotations

from typing import Any

from baton.apikeys import ApiKeyService
from baton.conditional import representation
from baton.context import client_address, principal_of, services
from baton.views import api_key_view, page_view

__all__ = ["create_api_key", "get_api_key", "list_api_keys", "revoke_api_key"]


def _keys() -> ApiKeyService:
    return services().auth.api_keys


async def list_api_keys(token_info: dict[str, Any], limit: int = 50, cursor: str | None = None):
    found, next_cursor = await _keys().list(principal_of(token_info), limit=limit, cursor=cursor)
    return representation(page_view([api_key_view(key) for key in found], limit, next_cursor))


async def create_api_key(token_info: dict[str, Any], body: dict[str, Any]):
    principal = principal_of(token_info)
    key, secret = await _keys().create(principal, body)
    await services().auth.audit.record(
        "api_key.create", actor=principal, target=("api_key", key.id), client=client_address(),
        details={"name": key.name, "prefix": key.prefix, "scopes": key.scopes},
    )  # fmt: skip
    headers = {"Location": f"/api/v1/api-keys/{key.id}", "Cache-Control": "no-store"}
    return {**api_key_view(key), "key": secret}, 201, headers


async def get_api_key(token_info: dict[str, Any], key_id: str):
    return representation(api_key_view(await _keys().get(principal_of(token_info), key_id)))


async def revoke_api_key(token_info: dict[str, Any], key_id: str):
    principal = principal_of(token_info)
    key = await _keys().revoke(principal, key_id)
    await services().auth.audit.record(
        "api_key.revoke", actor=principal, target=("api_key", key.id), client=client_address(),
        details={"name": key.name, "prefix": key.prefix, "owner": key.owner},
    )  # fmt: skip
    return None, 204
