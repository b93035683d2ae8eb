"""JWT signing keys with ids (`kid`), so the key can be rotated while tokens signed with the
previous one stay valid until they expire.

Two sources:
- BATON_SECRET_KEY (and BATON_PREVIOUS_SECRET_KEYS): the operator rotates by moving the current key
  into the previous list and setting a new one.
- otherwise keys kept in the database (`baton keys rotate` adds one): every server process signs
  with the newest and accepts each older one for as long as a token signed with it can live after
  a newer key appeared. Processes re-read the keyring every RELOAD_SECONDS, and at once (at most
  once a second) when a token names a kid they do not know."""

from __future__ import annotations

import hashlib
import itertools
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from baton.backends.storage import StorageBackend
from baton.settings import Settings
from baton.timeutil import utcnow

__all__ = ["Keyring", "SigningKey", "kid_of"]

LEGACY_NAME = "jwt_signing_key"  # the single generated key of earlier versions
PREFIX = "jwt_key:"
RELOAD_SECONDS = 30.0
_MISS_RELOAD_SECONDS = 1.0


def kid_of(secret: str) -> str:
    # a hash prefix names the key without revealing anything usable about it
    return hashlib.sha256(secret.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class SigningKey:
    kid: str
    secret: str
    created_at: datetime


class Keyring:
    def __init__(self, storage: StorageBackend, settings: Settings) -> None:
        self.storage = storage
        self.settings = settings
        self._current: SigningKey | None = None
        self._accepted: dict[str, SigningKey] = {}
        self._loaded = 0.0
        self._last_miss_reload = 0.0

    @property
    def current(self) -> SigningKey:
        if self._current is None:
            raise RuntimeError("Keyring.load() was not awaited")
        return self._current

    async def load(self) -> None:
        if self.settings.secret_key:
            now = utcnow()
            keys = [SigningKey(kid_of(self.settings.secret_key), self.settings.secret_key, now)]
            previous = (self.settings.previous_secret_keys or "").split(",")
            keys += [SigningKey(kid_of(k.strip()), k.strip(), now) for k in previous if k.strip()]
            self._current, self._accepted = keys[0], {key.kid: key for key in keys}
        else:
            stored = await self._stored_keys()
            if not stored:
                value = await self.storage.get_or_create_secret(
                    LEGACY_NAME, secrets.token_urlsafe(48), utcnow()
                )
                stored = await self._stored_keys() or [SigningKey(kid_of(value), value, utcnow())]
            self._current, self._accepted = stored[-1], self._still_valid(stored)
        self._loaded = time.monotonic()

    async def rotate(self) -> SigningKey:
        """Add a new newest key to the database keyring."""
        secret = secrets.token_urlsafe(48)
        key = SigningKey(kid_of(secret), secret, utcnow())
        await self.storage.get_or_create_secret(PREFIX + key.kid, secret, key.created_at)
        await self.load()
        return key

    async def signing_key(self) -> SigningKey:
        if time.monotonic() - self._loaded > RELOAD_SECONDS:
            await self.load()
        return self.current

    async def verification_secret(self, kid: str | None) -> str | None:
        """The secret for a token's kid; None for an unknown or retired one. A token without a
        kid (issued before keys had ids) is checked against the current key."""
        if kid is None:
            return self.current.secret
        key = self._accepted.get(kid)
        if key is None and time.monotonic() - self._last_miss_reload > _MISS_RELOAD_SECONDS:
            # perhaps rotated by another process: look again, but not for every forged kid
            self._last_miss_reload = time.monotonic()
            await self.load()
            key = self._accepted.get(kid)
        return key.secret if key else None

    async def _stored_keys(self) -> list[SigningKey]:
        rows = await self.storage.list_secrets()
        keys = [
            SigningKey(kid_of(value), value, created_at)
            for name, value, created_at in rows
            if name == LEGACY_NAME or name.startswith(PREFIX)
        ]
        return sorted(keys, key=lambda key: (key.created_at, key.kid))

    def _still_valid(self, keys: list[SigningKey]) -> dict[str, SigningKey]:
        """Each key, until the longest-lived token it may have signed has expired: that is, for
        the refresh lifetime after the next newer key appeared."""
        lifetime = timedelta(
            seconds=max(self.settings.refresh_token_seconds, self.settings.access_token_seconds)
        )
        now = utcnow()
        valid = {keys[-1].kid: keys[-1]}
        for older, newer in itertools.pairwise(keys):
            if newer.created_at + lifetime > now:
                valid[older.kid] = older
        return valid
