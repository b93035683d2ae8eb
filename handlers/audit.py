from __future__ import annotations

from baton.conditional import representation
from baton.context import services
from baton.views import audit_event_view, page_view

__all__ = ["list_audit_events"]


async def list_audit_events(
    limit: int = 50,
    cursor: str | None = None,
    action: list[str] | None = None,
    actor: str | None = None,
    created_after: str | None = None,
):
    found, next_cursor = await services().auth.audit.list(
        limit=limit, cursor=cursor, actions=action, actor=actor, created_after=created_after
    )
    return representation(page_view([audit_event_view(event) for event in found], limit, next_cursor))
