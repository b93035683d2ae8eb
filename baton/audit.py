"""The audit log: who did what to accounts, keys and resources, and the brute-force throttle
that reads it (failed logins per username)."""

from __future__ import annotations

import logging
import math
from datetime import timedelta
from typing import Any

from baton.backends.storage import StorageBackend
from baton.errors import TooManyRequests
from baton.models import AuditEvent, Principal
from baton.pagination import newest_first_page, position_of_newest_first
from baton.timeutil import new_id, parse_input_timestamp, utcnow

__all__ = ["LOGIN_FAILURE_WINDOW", "AuditLog"]

log = logging.getLogger(__name__)
# a username with BATON_LOGIN_FAILURE_LIMIT failed logins within the window (and no success since)
# is locked for the rest of the window, whatever address the guesses come from
LOGIN_FAILURE_WINDOW = timedelta(minutes=15)


class AuditLog:
    def __init__(self, storage: StorageBackend, login_failure_limit: int = 10) -> None:
        self.storage = storage
        self.login_failure_limit = login_failure_limit

    async def record(
        self,
        action: str,
        *,
        actor: Principal | None = None,
        actor_name: str | None = None,
        target: tuple[str, str] | None = None,
        outcome: str = "success",
        client: str | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        """Write one event. An action that happened is not undone because its record failed: the
        failure is logged loudly instead."""
        details = dict(details or {})
        if actor is not None and actor.api_key_id:
            details["api_key"] = actor.api_key_id
        event = AuditEvent(
            id=new_id(),
            at=utcnow(),
            action=action,
            outcome=outcome,
            actor_id=actor.user_id if actor else None,
            actor=(actor.username if actor else actor_name),
            target_type=target[0] if target else None,
            target_id=target[1] if target else None,
            client=client[:64] if client else None,
            details={
                **(details or {}),
                **({"api_key": actor.api_key_id} if actor and actor.api_key_id else {}),
            },
        )
        try:
            await self.storage.insert_audit_event(event)
        except Exception:
            log.exception("audit: could not record %s by %s on %s", action, event.actor, target)

    async def check_login_allowed(self, username: str) -> None:
        """429 when the name had too many failed logins lately (brute force, from any address).
        The lock lasts until the oldest of the latest `limit` failures leaves the window."""
        if not self.login_failure_limit:
            return
        now = utcnow()
        failures = await self.storage.recent_failed_logins(
            username, now - LOGIN_FAILURE_WINDOW, self.login_failure_limit
        )
        if len(failures) < self.login_failure_limit:
            return
        retry_after = max(1, math.ceil((failures[-1] + LOGIN_FAILURE_WINDOW - now).total_seconds()))
        raise TooManyRequests(
            f"Too many failed logins for this user; try again in {retry_after} s",
            code="LOGIN_THROTTLED",
            headers={"Retry-After": str(retry_after)},
        )

    async def list(
        self,
        *,
        limit: int,
        cursor: str | None,
        actions: list[str] | None,
        actor: str | None,
        created_after: str | None,
    ) -> tuple[list[AuditEvent], str | None]:
        after = parse_input_timestamp(created_after, "query.created_after") if created_after else None
        before = position_of_newest_first(cursor)
        found = await self.storage.list_audit_events(limit + 1, before, actions, actor, after)
        return newest_first_page(found, limit)
