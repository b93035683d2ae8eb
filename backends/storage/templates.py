"""Storage of templates: the template row (name, owner, visibility, latest version) and every
version's definition; a new version is a compare-and-set on the latest version number.

A mixin of SQLStorage (it uses its `_transaction()`/`_read()` runner)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from baton.backends.storage.tables import template_versions, templates, users

from baton.models import TemplateRecord

if TYPE_CHECKING:
    from baton.backends.storage.sql import SQLStorage

__all__ = ["TemplatesMixin"]


def _select(version: int | None) -> sa.Select:
    """A template joined with one version: `version`, or its latest."""
    owner = sa.select(users.c.username).where(users.c.id == templates.c.owner_id).scalar_subquery()
    wanted = templates.c.latest_version if version is None else sa.literal(version)
    return (
        sa.select(
            *templates.c,
            owner.label("owner"),
            template_versions.c.version,
            template_versions.c.definition,
            template_versions.c.created_at.label("version_created_at"),
        )
        .select_from(templates)
        .join(
            template_versions,
            sa.and_(template_versions.c.template_id == templates.c.id, template_versions.c.version == wanted),
        )
    )


def _record(row: Any) -> TemplateRecord:
    m = row._mapping
    return TemplateRecord(
        id=m["id"],
        name=m["name"],
        owner_id=m["owner_id"],
        owner=m["owner"],
        visibility=m["visibility"],
        latest_version=m["latest_version"],
        version=m["version"],
        definition=dict(m["definition"]),
        created_at=m["created_at"],
        updated_at=m["version_created_at"],
    )


class TemplatesMixin:
    async def insert_template(self: SQLStorage, record: TemplateRecord) -> None:
        def run(conn: sa.Connection) -> None:
            conn.execute(
                templates.insert().values(
                    id=record.id,
                    name=record.name,
                    owner_id=record.owner_id,
                    visibility=record.visibility,
                    latest_version=1,
                    created_at=record.created_at,
                    updated_at=record.updated_at,
                )
            )
            conn.execute(
                template_versions.insert().values(
                    template_id=record.id,
                    version=1,
                    definition=record.definition,
                    created_at=record.created_at,
                )
            )

        await self._transaction(run, point=True)

    async def get_template(
        self: SQLStorage, template_id: str, version: int | None = None
    ) -> TemplateRecord | None:
        def run(conn: sa.Connection) -> Any:
            row = conn.execute(_select(version).where(templates.c.id == template_id)).first()
            return _record(row) if row else None

        return await self._read(run, point=True)

    async def list_templates(
        self: SQLStorage, limit: int, visible_to: str | None, after: tuple[datetime, str] | None
    ) -> list[TemplateRecord]:
        """Newest first at their latest version; with `visible_to`, only that user's and the
        public ones."""

        def run(conn: sa.Connection) -> Any:
            stmt = _select(None)
            if visible_to is not None:
                stmt = stmt.where(
                    sa.or_(templates.c.owner_id == visible_to, templates.c.visibility == "public")
                )
            if after is not None:
                at, last_id = after
                stmt = stmt.where(
                    sa.or_(
                        templates.c.created_at < at,
                        sa.and_(templates.c.created_at == at, templates.c.id < last_id),
                    )
                )
            stmt = stmt.order_by(templates.c.created_at.desc(), templates.c.id.desc()).limit(limit)
            return [_record(row) for row in conn.execute(stmt)]

        return await self._read(run)

    async def add_template_version(
        self: SQLStorage, record: TemplateRecord, previous: int, at: datetime
    ) -> bool:
        """Save `record.definition` as version previous + 1 if `previous` is still the latest
        (name and visibility follow it); False if another version came first."""

        def run(conn: sa.Connection) -> bool:
            moved = conn.execute(
                templates.update()
                .where(templates.c.id == record.id, templates.c.latest_version == previous)
                .values(
                    latest_version=previous + 1, name=record.name, visibility=record.visibility, updated_at=at
                )
            )
            if moved.rowcount != 1:
                return False
            conn.execute(
                template_versions.insert().values(
                    template_id=record.id, version=previous + 1, definition=record.definition, created_at=at
                )
            )
            return True

        return await self._transaction(run, point=True)
