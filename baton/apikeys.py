"""API keys: `bt_<public part>_<secret>`, shown once; the database keeps the SHA-256 of the whole
key and the public part for the lookup. A key acts as its creator, with its own scopes, never
more than the creator's role has at the time of the request."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import datetime
from typing import Any

from baton.backends.storage import StorageBackend
from baton.errors import NotFound, Unauthorized, Unprocessable
from baton.models import ApiKey, Principal
from baton.pagination import newest_first_page, position_of_newest_first
from baton.timeutil import new_id, parse_input_timestamp, utcnow

__all__ = ["KEY_PREFIX", "ApiKeyService", "hash_key"]

KEY_PREFIX = "bt_"
_KEY = re.compile(r"^(bt_[0-9a-f]{12})_[A-Za-z0-9_-]{43}$")


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def new_key() -> tuple[str, str]:
    """(the key, its public prefix)."""
    prefix = KEY_PREFIX + secrets.token_hex(6)
    return f"{prefix}_{secrets.token_urlsafe(32)}", prefix


class ApiKeyService:
    def __init__(self, storage: StorageBackend) -> None:
        self.storage = storage

    async def create(self, creator: Principal, body: dict[str, Any]) -> tuple[ApiKey, str]:
        scopes = sorted(set(body["scopes"]))
        missing = set(scopes) - creator.scopes
        if missing:
            raise Unprocessable(
                f"A key cannot have scopes its creator lacks: {', '.join(sorted(missing))}",
                code="SCOPE_NOT_HELD",
                errors=[{"field": "scopes", "message": f"not held: {', '.join(sorted(missing))}"}],
            )
        now = utcnow()
        expires_at = (
            parse_input_timestamp(body["expires_at"], "expires_at") if body.get("expires_at") else None
        )
        if expires_at is not None and expires_at <= now:
            raise Unprocessable(
                "expires_at must lie in the future",
                code="EXPIRY_IN_PAST",
                errors=[{"field": "expires_at", "message": "must lie in the future"}],
            )
        key, prefix = new_key()
        record = ApiKey(
            new_id(), creator.user_id, creator.username, body["name"], prefix, hash_key(key), scopes,
            now, expires_at, None, None,
        )  # fmt: skip
        await self.storage.insert_api_key(record)
        return record, key

    async def list(
        self, caller: Principal, *, limit: int, cursor: str | None
    ) -> tuple[list[ApiKey], str | None]:
        owner = None if "admin" in caller.scopes else caller.user_id
        found = await self.storage.list_api_keys(owner, limit + 1, position_of_newest_first(cursor))
        return newest_first_page(found, limit)

    async def get(self, caller: Principal, key_id: str) -> ApiKey:
        key = await self.storage.get_api_key(key_id.lower())
        # another user's key does not exist for a non-admin
        if key is None or (key.user_id != caller.user_id and "admin" not in caller.scopes):
            raise NotFound(f"No API key {key_id}", code="API_KEY_NOT_FOUND")
        return key

    async def revoke(self, caller: Principal, key_id: str) -> ApiKey:
        key = await self.get(caller, key_id)
        await self.storage.revoke_api_key(key.id, utcnow())
        return key

    async def authenticate(self, presented: str) -> tuple[ApiKey, datetime]:
        """The active key behind `presented`, or 401."""
        match = _KEY.match(presented) if len(presented) <= 100 else None
        key = await self.storage.get_api_key_by_prefix(match.group(1)) if match else None
        # compare in constant time; an unknown prefix still costs a hash, like a known one
        if key is None or not hmac.compare_digest(hash_key(presented), key.secret_hash):
            raise Unauthorized("The API key is not valid", code="INVALID_API_KEY")
        now = utcnow()
        if key.revoked_at is not None:
            raise Unauthorized("The API key was revoked", code="API_KEY_REVOKED")
        if key.expires_at is not None and key.expires_at <= now:
            raise Unauthorized("The API key has expired", code="API_KEY_EXPIRED")
        return key, now
