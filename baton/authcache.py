"""What this process has verified of credentials, kept briefly so an authenticated request costs no
database read: a token's checked claims (until it expires), a session with its user, an API key
with its user.

A revocation reaches every process through the event log: logout, refresh-token reuse, a role
change, a disabled user, a new password and a revoked key each write an `auth.*` event in the
same transaction (readers never see them), and every process's hub hands them to `on_event`,
which drops what they concern — within the hub's lag (milliseconds with PostgreSQL or Redis, at
most BATON_EVENT_POLL_SECONDS otherwise). Entries also expire after `ttl` seconds
(BATON_AUTH_CACHE_SECONDS) whatever happens, so a missed event is bounded too."""

from __future__ import annotations

import time
from collections import OrderedDict
from typing import Any, Generic, TypeVar

from baton.models import ApiKey, Event, User

__all__ = ["CredentialCache", "Expiring"]

K = TypeVar("K")
V = TypeVar("V")


class Expiring(Generic[K, V]):
    """A bounded map whose entries expire; the least recently stored go first when full."""

    def __init__(self, ttl: float, size: int) -> None:
        self.ttl = ttl
        self.size = size
        self._items: OrderedDict[K, tuple[float, V]] = OrderedDict()

    def get(self, key: K) -> V | None:
        found = self._items.get(key)
        if found is None:
            return None
        if found[0] <= time.monotonic():
            self._items.pop(key, None)
            return None
        return found[1]

    def put(self, key: K, value: V, ttl: float | None = None) -> None:
        self._items[key] = (time.monotonic() + (self.ttl if ttl is None else ttl), value)
        self._items.move_to_end(key)
        while len(self._items) > self.size:
            self._items.popitem(last=False)

    def drop(self, key: K) -> None:
        self._items.pop(key, None)

    def drop_where(self, test: Any) -> None:
        for key in [k for k, (_, v) in self._items.items() if test(v)]:
            self._items.pop(key, None)

    def clear(self) -> None:
        self._items.clear()


class CredentialCache:
    def __init__(self, ttl: float, size: int = 10_000) -> None:
        self.ttl = ttl
        # token -> its verified claims; kept until the token's own expiry, at most
        self.claims: Expiring[str, dict[str, Any]] = Expiring(3600, size)
        # session id -> (user, session expiry)
        self.sessions: Expiring[str, tuple[User, Any]] = Expiring(ttl, size)
        # API key prefix -> (key, its user)
        self.keys: Expiring[str, tuple[ApiKey, User]] = Expiring(ttl, size)

    def remember_claims(self, token: str, claims: dict[str, Any]) -> None:
        if self.ttl > 0:
            self.claims.put(token, claims, max(0.0, claims["exp"] - time.time()))

    def on_event(self, event: Event) -> bool:
        """An EventHub subscriber: drop what a credential change concerns; queues nothing."""
        if event.subject_type != "auth":
            return False
        if event.type == "auth.session_revoked":
            self.sessions.drop(event.subject_id)
        elif event.type == "auth.user_changed":
            self.sessions.drop_where(lambda entry: entry[0].id == event.subject_id)
            self.keys.drop_where(lambda entry: entry[1].id == event.subject_id)
        elif event.type == "auth.api_key_revoked":
            self.keys.drop_where(lambda entry: entry[0].id == event.subject_id)
        return False

    def clear(self) -> None:
        self.claims.clear()
        self.sessions.clear()
        self.keys.clear()
