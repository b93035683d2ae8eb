"""The migrations build exactly the schema of backends/storage/tables.py, on every dialect: after
`migrate()`, Alembic's autogenerate finds nothing to add, drop or change (tables, columns,
nullability, indexes, foreign keys)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from baton.backends.storage.sql import SQLStorage
from baton.backends.storage.tables import metadata


def _relevant(diff: Any) -> bool:
    # the migrations' own bookkeeping table is not in the metadata
    text = repr(diff)
    return "alembic_version" not in text


async def test_migrations_match_the_tables(storage: SQLStorage) -> None:
    def run(conn: sa.Connection) -> list[Any]:
        context = MigrationContext.configure(conn, opts={"compare_type": False})
        return [diff for diff in compare_metadata(context, metadata) if _relevant(diff)]

    drift = await storage._read(run)
    assert drift == [], f"migrations and tables.py differ on {storage.dialect}: {drift}"


async def test_the_newest_migration_goes_down_and_up_again(storage: SQLStorage) -> None:
    from alembic import command
    from alembic.config import Config
    from baton.backends.storage.sql import _migrations_dir

    config = Config()
    config.set_main_option("script_location", _migrations_dir())

    def down(conn: sa.Connection) -> None:
        config.attributes["connection"] = conn
        command.downgrade(config, "-1")

    await storage._transaction(down, point=False)
    await storage.migrate()
    await test_migrations_match_the_tables(storage)
