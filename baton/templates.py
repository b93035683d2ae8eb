"""Templates (`/api/v1/templates`): save named, versioned job or workflow definitions with
declared parameters, read and list them, and render one with parameter values.

The rules of a template (its parameter schema, where values go, that a command stays argv) are
baton/templating.py; this module stores templates and decides who sees them: a private template
is its owner's (and every template is visible to those who see every job: admins, managers,
viewers), a public one everyone's who reads templates. A template of someone else the caller may
not see is a 404, as for jobs."""

from __future__ import annotations

import copy
import dataclasses
from datetime import datetime
from typing import Any

from baton.backends.storage import StorageBackend
from baton.errors import Conflict, NotFound
from baton.models import Principal, TemplateRecord
from baton.pagination import decode_cursor, encode_cursor, invalid_cursor
from baton.templating import parse_template
from baton.timeutil import isoformat, new_id, parse_timestamp, utcnow

__all__ = ["TemplateService"]

_SAVED = ("name", "description", "visibility", "parameters", "job", "workflow")


class TemplateService:
    def __init__(self, storage: StorageBackend) -> None:
        self.storage = storage

    async def create(self, principal: Principal, body: dict[str, Any]) -> TemplateRecord:
        definition = _definition(body)
        now = utcnow()
        record = TemplateRecord(
            id=new_id(),
            name=definition["name"],
            owner_id=principal.user_id,
            owner=principal.username,
            visibility=definition.get("visibility", "private"),
            latest_version=1,
            version=1,
            definition=definition,
            created_at=now,
            updated_at=now,
        )
        await self.storage.insert_template(record)
        return record

    async def get(self, principal: Principal, template_id: str, version: int | None = None) -> TemplateRecord:
        record = await self.storage.get_template(template_id.lower(), version)
        if record is None or not _visible(principal, record):
            shown = f" version {version}" if version is not None else ""
            raise NotFound(f"No template {template_id}{shown}", code="TEMPLATE_NOT_FOUND")
        return record

    async def list(
        self, principal: Principal, *, limit: int, cursor: str | None = None
    ) -> tuple[list[TemplateRecord], str | None]:
        visible_to = None if principal.sees_all_jobs else principal.user_id
        found = await self.storage.list_templates(
            limit + 1, visible_to, _position(cursor) if cursor else None
        )
        next_cursor = None
        if len(found) > limit:
            found = found[:limit]
            next_cursor = encode_cursor("templates", [isoformat(found[-1].created_at), found[-1].id])
        return found, next_cursor

    async def update(self, principal: Principal, template_id: str, body: dict[str, Any]) -> TemplateRecord:
        """A new version: the body replaces the definition. Only its owner, or those who see
        every job, may change a template; a public one is no one else's to change."""
        current = await self.get(principal, template_id)
        if not (principal.sees_all_jobs or current.owner_id == principal.user_id):
            raise NotFound(f"No template {template_id}", code="TEMPLATE_NOT_FOUND")
        definition = _definition(body)
        now = utcnow()
        changed = dataclasses.replace(
            current,
            name=definition["name"],
            visibility=definition.get("visibility", "private"),
            definition=definition,
        )
        if not await self.storage.add_template_version(changed, current.latest_version, now):
            raise Conflict("Another version was saved meanwhile; read it and try again", code="CONFLICT")
        return await self.get(principal, current.id)

    async def render(
        self, principal: Principal, template_id: str, values: Any, version: int | None = None
    ) -> tuple[TemplateRecord, str, dict[str, Any]]:
        """The template, its kind (job or workflow) and the body its values make (422
        INVALID_TEMPLATE_PARAMETERS for bad values)."""
        record = await self.get(principal, template_id, version)
        template = parse_template(record.definition)
        return record, template.kind, template.render(values)


def _definition(body: dict[str, Any]) -> dict[str, Any]:
    """The saved form of a template body, checked by baton/templating.py (422 INVALID_TEMPLATE)."""
    parse_template(body)
    return {key: copy.deepcopy(body[key]) for key in _SAVED if body.get(key) is not None}


def _visible(principal: Principal, record: TemplateRecord) -> bool:
    return principal.sees_all_jobs or record.owner_id == principal.user_id or record.visibility == "public"


def _position(cursor: str) -> tuple[datetime, str]:
    position = decode_cursor(cursor, "templates")
    if len(position) != 2 or not all(isinstance(item, str) for item in position) or len(position[1]) > 64:
        raise invalid_cursor()
    try:
        return parse_timestamp(position[0]), position[1]
    except (ValueError, TypeError):
        raise invalid_cursor() from None
