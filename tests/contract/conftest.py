from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from baton.backends.storage import create_storage
from baton.backends.storage.sql import SQLStorage

from baton.models import User
from tests.databases import KINDS, create_database, drop_database


@pytest.fixture(scope="module", params=KINDS)
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = create_database(request.param, tmp_path_factory.mktemp("contract"))
    yield url
    drop_database(url)


@pytest.fixture
async def storage(database_url: str) -> AsyncIterator[SQLStorage]:
    store = create_storage(database_url)
    await store.connect()
    await store.migrate()
    await clean(store)
    yield store
    await store.close()


@pytest.fixture
async def other_storage(database_url: str) -> AsyncIterator[SQLStorage]:
    """A second backend instance on the same database: another server process, as far as the
    database can tell (its own engine and connections)."""
    store = create_storage(database_url)
    await store.connect()
    yield store
    await store.close()


async def clean(store: SQLStorage) -> None:
    from baton.backends.storage.tables import metadata

    def run(conn) -> None:
        for table in reversed(metadata.sorted_tables):
            if table.name == "event_sequence":
                conn.execute(table.update().values(last_id=0))  # its one row stays
            else:
                conn.execute(table.delete())

    await store._transaction(run)


@pytest.fixture
async def owner(storage: SQLStorage) -> User:
    """A user who owns the jobs a test makes."""
    from tests.contract.test_storage_contract import make_user

    user = make_user()
    await storage.insert_user(user)
    return user
