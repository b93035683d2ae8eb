"""One SQLAlchemy 2 async storage backend for every SQL dialect (SQLite, MySQL/MariaDB, PostgreSQL).

The class is assembled from mixins, one per concern: jobs (jobs.py), their transitions and claims
(transitions.py), the event log (events.py), queues, pull workers, accounts, keys and audit, and
webhooks (webhooks.py, webhook_deliveries.py)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from baton.backends.storage import IdempotencyRecord, SessionRecord
from baton.backends.storage.accounts import AccountsMixin
from baton.backends.storage.events import COMMITTED_EVENTS, EventsMixin
from baton.backends.storage.jobs import JobsMixin
from baton.backends.storage.options import engine_options
from baton.backends.storage.queues import QueuesMixin
from baton.backends.storage.rows import row_to_user
from baton.backends.storage.security import SecurityMixin
from baton.backends.storage.tables import (
    idempotency_keys,
    refresh_tokens,
    server_secrets,
    sessions,
    users,
)
from baton.backends.storage.transitions import TransitionsMixin
from baton.backends.storage.webhook_deliveries import DeliveriesMixin
from baton.backends.storage.webhooks import WebhooksMixin
from baton.backends.storage.workers import WorkersMixin
from sqlalchemy import event
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from baton.models import User

__all__ = ["SQLStorage"]


def _migrations_dir() -> str:
    from baton import migrations

    return str(Path(migrations.__file__).parent)


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers run beside the writer; NORMAL sync is safe with WAL and ~2.5x faster.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # LIKE is case-sensitive on the other dialects, and only then can SQLite use an index for it
    cursor.execute("PRAGMA case_sensitive_like=ON")
    cursor.close()
    # we emit BEGIN ourselves (below), so the driver must not
    dbapi_connection.isolation_level = None


def _sqlite_begin(conn: sa.Connection) -> None:
    # A deferred transaction that reads and then writes fails with SQLITE_BUSY at once when
    # another process wrote in between (the busy timeout does not apply); writers therefore
    # take the write lock up front with BEGIN IMMEDIATE, which does wait.
    conn.exec_driver_sql(f"BEGIN {conn.get_execution_options().get('sqlite_begin', 'DEFERRED')}")


class SQLStorage(
    JobsMixin,
    TransitionsMixin,
    EventsMixin,
    AccountsMixin,
    QueuesMixin,
    WorkersMixin,
    SecurityMixin,
    WebhooksMixin,
    DeliveriesMixin,
):
    def __init__(self, url: str) -> None:
        engine_options(url)  # a bad option stops start-up here, naming it
        self.url = url
        self.engine: AsyncEngine | None = None
        self._write_engine: AsyncEngine | None = None
        self._write_lock: asyncio.Lock | None = None
        # called with the last event id after each commit that appended events (the event bus
        # wakes this process's readers and tells other processes)
        self.events_committed: Callable[[int], None] | None = None
        self.dialect = sa.engine.make_url(url).get_backend_name()

    # -- lifecycle -------------------------------------------------------------------------

    async def connect(self) -> None:
        url, kwargs = engine_options(self.url)
        self.engine = create_async_engine(url, **kwargs)
        self._write_engine = self.engine
        if self.dialect == "sqlite":
            event.listen(self.engine.sync_engine, "connect", _sqlite_connect)
            event.listen(self.engine.sync_engine, "begin", _sqlite_begin)
            self._write_engine = self.engine.execution_options(sqlite_begin="IMMEDIATE")
            # SQLite has one writer at a time: queue this process's writers here instead of
            # letting them poll the file lock (the busy handler sleeps up to 100 ms a try)
            self._write_lock = asyncio.Lock()

    async def close(self) -> None:
        if self.engine is not None:
            await self.engine.dispose()

    @contextlib.asynccontextmanager
    async def _write(self) -> AsyncIterator[AsyncConnection]:
        """A write transaction (serialized per process on SQLite)."""
        lock = self._write_lock or contextlib.nullcontext()
        last_event = None
        async with lock, self._write_engine.begin() as conn:
            try:
                yield conn
            finally:
                last_event = conn.info.pop(COMMITTED_EVENTS, None)
        # only now is it committed
        if last_event is not None and self.events_committed is not None:
            self.events_committed(last_event)

    @property
    def _engine(self) -> AsyncEngine:
        if self.engine is None:
            raise RuntimeError("storage is not connected")
        return self.engine

    async def migrate(self) -> None:
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", _migrations_dir())

        def upgrade(connection: sa.Connection) -> None:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

        async with self._write() as conn:
            await conn.run_sync(upgrade)

    async def ping(self) -> None:
        async with self._engine.connect() as conn:
            await asyncio.wait_for(conn.execute(sa.text("SELECT 1")), timeout=5)

    # -- users and sessions ----------------------------------------------------------------

    async def count_users(self) -> int:
        async with self._engine.connect() as conn:
            return (await conn.execute(sa.select(sa.func.count()).select_from(users))).scalar_one()

    async def insert_user(self, user: User) -> None:
        async with self._write() as conn:
            await conn.execute(
                users.insert().values(
                    id=user.id,
                    username=user.username,
                    password_hash=user.password_hash,
                    role=user.role.value,
                    disabled=user.disabled,
                    created_at=user.created_at,
                    updated_at=user.created_at,
                )
            )

    async def get_user(self, user_id: str) -> User | None:
        return await self._one_user(users.c.id == user_id)

    async def get_user_by_username(self, username: str) -> User | None:
        return await self._one_user(users.c.username == username)

    async def _one_user(self, clause: Any) -> User | None:
        async with self._engine.connect() as conn:
            row = (await conn.execute(sa.select(users).where(clause))).first()
        return row_to_user(row._mapping) if row else None

    async def insert_session(
        self, session_id: str, user_id: str, now: datetime, expires_at: datetime
    ) -> None:
        async with self._write() as conn:
            await conn.execute(
                sessions.insert().values(
                    id=session_id, user_id=user_id, created_at=now, expires_at=expires_at
                )
            )

    async def get_active_session(self, session_id: str, now: datetime) -> SessionRecord | None:
        query = (
            sa.select(users, sessions.c.id.label("session_id"), sessions.c.expires_at.label("s_exp"))
            .join(users, users.c.id == sessions.c.user_id)
            .where(
                sessions.c.id == session_id,
                sessions.c.revoked_at.is_(None),
                sessions.c.expires_at > now,
                users.c.disabled.is_(False),
            )
        )
        async with self._engine.connect() as conn:
            row = (await conn.execute(query)).first()
        if row is None:
            return None
        return SessionRecord(id=row.session_id, user=row_to_user(row._mapping), expires_at=row.s_exp)

    async def revoke_session(self, session_id: str, now: datetime) -> None:
        async with self._write() as conn:
            await conn.execute(
                sessions.update()
                .where(sessions.c.id == session_id, sessions.c.revoked_at.is_(None))
                .values(revoked_at=now)
            )

    async def insert_refresh_token(self, jti: str, session_id: str, expires_at: datetime) -> None:
        async with self._write() as conn:
            await conn.execute(
                refresh_tokens.insert().values(jti=jti, session_id=session_id, expires_at=expires_at)
            )

    async def use_refresh_token(self, jti: str, session_id: str, now: datetime) -> bool:
        async with self._write() as conn:
            result = await conn.execute(
                refresh_tokens.update()
                .where(
                    refresh_tokens.c.jti == jti,
                    refresh_tokens.c.session_id == session_id,
                    refresh_tokens.c.used_at.is_(None),
                )
                .values(used_at=now)
            )
        return result.rowcount == 1

    async def list_secrets(self) -> list[tuple[str, str, datetime]]:
        async with self._engine.connect() as conn:
            rows = await conn.execute(
                sa.select(server_secrets.c.name, server_secrets.c.value, server_secrets.c.created_at)
            )
            return [tuple(row) for row in rows]

    async def get_or_create_secret(self, name: str, value: str, now: datetime) -> str:
        try:
            async with self._write() as conn:
                await conn.execute(server_secrets.insert().values(name=name, value=value, created_at=now))
            return value
        except IntegrityError:
            # another process stored one first: everyone must use the same
            async with self._engine.connect() as conn:
                stored = await conn.execute(
                    sa.select(server_secrets.c.value).where(server_secrets.c.name == name)
                )
                return stored.scalar_one()

    # -- jobs ------------------------------------------------------------------------------

    async def claim_idempotency_key(
        self, principal: str, key: str, fingerprint: str, now: datetime, expires_at: datetime
    ) -> IdempotencyRecord | None:
        this_key = sa.and_(idempotency_keys.c.principal == principal, idempotency_keys.c.key == key)
        record = dict(
            principal=principal, key=key, fingerprint=fingerprint, state="in_flight",
            created_at=now, expires_at=expires_at,
        )  # fmt: skip
        # The insert runs alone: a delete of expired records in the same transaction took gap
        # locks on InnoDB, and racing claims of one new key then deadlocked on their inserts.
        for _ in range(2):
            try:
                async with self._write() as conn:
                    await conn.execute(idempotency_keys.insert().values(**record))
                return None
            except IntegrityError:
                pass
            async with self._engine.connect() as conn:
                row = (await conn.execute(sa.select(idempotency_keys).where(this_key))).first()
            if row is None:  # released meanwhile: the caller may try again
                return IdempotencyRecord(fingerprint, "in_flight", None, None, None)
            m = row._mapping
            if m["expires_at"] > now:
                return IdempotencyRecord(
                    m["fingerprint"], m["state"], m["status_code"], m["headers"], m["body"]
                )
            # an expired record no longer counts: the key may be used afresh
            async with self._write() as conn:
                await conn.execute(
                    idempotency_keys.delete().where(this_key, idempotency_keys.c.expires_at <= now)
                )
        return IdempotencyRecord(fingerprint, "in_flight", None, None, None)  # taken again meanwhile

    async def complete_idempotency_key(
        self, principal: str, key: str, status_code: int, headers: dict[str, str], body: str
    ) -> None:
        async with self._write() as conn:
            await conn.execute(
                idempotency_keys.update()
                .where(idempotency_keys.c.principal == principal, idempotency_keys.c.key == key)
                .values(state="done", status_code=status_code, headers=headers, body=body)
            )

    async def release_idempotency_key(self, principal: str, key: str) -> None:
        async with self._write() as conn:
            await conn.execute(
                idempotency_keys.delete().where(
                    idempotency_keys.c.principal == principal,
                    idempotency_keys.c.key == key,
                    idempotency_keys.c.state == "in_flight",
                )
            )

    async def purge_idempotency_keys(self, now: datetime) -> int:
        async with self._write() as conn:
            result = await conn.execute(idempotency_keys.delete().where(idempotency_keys.c.expires_at <= now))
        return result.rowcount
