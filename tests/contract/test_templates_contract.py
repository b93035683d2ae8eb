"""Templates on every database: versions kept, and a new version is a compare-and-set on the
latest one (two concurrent saves: one wins)."""

from __future__ import annotations

import asyncio
import dataclasses

from baton.backends.storage.sql import SQLStorage

from baton.models import TemplateRecord, User
from baton.timeutil import new_id, utcnow


def make_template(owner: User) -> TemplateRecord:
    now = utcnow()
    definition = {"name": "t", "job": {"command": ["echo", "v1"]}}
    return TemplateRecord(new_id(), "t", owner.id, owner.username, "private", 1, 1, definition, now, now)


async def test_versions_are_kept_and_one_concurrent_save_wins(
    storage: SQLStorage, other_storage: SQLStorage, owner: User
) -> None:
    record = make_template(owner)
    await storage.insert_template(record)
    assert (await storage.get_template(record.id)).definition == record.definition
    second = dataclasses.replace(
        record, name="t2", definition={"name": "t2", "job": {"command": ["echo", "v2"]}}
    )
    third = dataclasses.replace(
        record, name="t3", definition={"name": "t3", "job": {"command": ["echo", "v3"]}}
    )
    saved = await asyncio.gather(
        storage.add_template_version(second, 1, utcnow()),
        other_storage.add_template_version(third, 1, utcnow()),
    )
    assert sorted(saved) == [False, True]
    latest = await storage.get_template(record.id)
    assert latest.version == latest.latest_version == 2
    assert latest.name in {"t2", "t3"} and latest.definition["name"] == latest.name
    first = await storage.get_template(record.id, 1)
    assert first.version == 1 and first.definition == record.definition and first.latest_version == 2
    assert await storage.get_template(record.id, 3) is None
    listed = await storage.list_templates(10, owner.id, None)
    assert [t.id for t in listed] == [record.id] and listed[0].version == 2
    assert await storage.list_templates(10, new_id(), None) == []  # private: not another user's
