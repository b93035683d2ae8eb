"""One SQLAlchemy 2 async storage backend for every SQL dialect (SQLite, MySQL/MariaDB, PostgreSQL).

The class is assembled from mixins, one per concern: jobs (jobs.py), their transitions and claims
(transitions.py), the event log (events.py), queues, pull workers, accounts, keys and audit,
webhooks (webhooks.py, webhook_deliveries.py), schedules (schedules.py), workflows
(workflows.py) and templates (templates.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
from baton.backends.storage import AlreadyExists, IdempotencyRecord, SessionRecord
from baton.backends.storage.accounts import AccountsMixin
from baton.backends.storage.analytics import AnalyticsMixin
from baton.backends.storage.events import EventsMixin
from baton.backends.storage.jobs import JobsMixin
from baton.backends.storage.listing import JobListingMixin, sqlite_lower
from baton.backends.storage.liveness import ping_when_idle
from baton.backends.storage.metrics import MetricsMixin
from baton.backends.storage.options import engine_options
from baton.backends.storage.queues import QueuesMixin
from baton.backends.storage.rows import row_to_user
from baton.backends.storage.runner import AsyncRunner, SQLiteRunner
from baton.backends.storage.schedules import SchedulesMixin
from baton.backends.storage.security import SecurityMixin
from baton.backends.storage.tables import (
    idempotency_keys,
    refresh_tokens,
    server_secrets,
    sessions,
    users,
)
from baton.backends.storage.templates import TemplatesMixin
from baton.backends.storage.transitions import TransitionsMixin
from baton.backends.storage.webhook_deliveries import DeliveriesMixin
from baton.backends.storage.webhooks import WebhooksMixin
from baton.backends.storage.workers import WorkersMixin
from baton.backends.storage.workflows import WorkflowsMixin
from sqlalchemy import event
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from baton.eventtypes import auth_event
from baton.models import Event, User

__all__ = ["SQLStorage"]

T = TypeVar("T")


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
    dbapi_connection.create_function("baton_lower", 1, sqlite_lower, deterministic=True)
    # we emit BEGIN ourselves (below), so the driver must not
    dbapi_connection.isolation_level = None


# built once, so SQLAlchemy finds the compiled form by its memoized cache key (jobs.py says why)
_ACTIVE_SESSION = (
    sa.select(users, sessions.c.id.label("session_id"), sessions.c.expires_at.label("s_exp"))
    .join(users, users.c.id == sessions.c.user_id)
    .where(
        sessions.c.id == sa.bindparam("session_id"),
        sessions.c.revoked_at.is_(None),
        sessions.c.expires_at > sa.bindparam("now"),
        users.c.disabled.is_(False),
    )
)


class SQLStorage(
    JobsMixin,
    JobListingMixin,
    TransitionsMixin,
    EventsMixin,
    AccountsMixin,
    QueuesMixin,
    WorkersMixin,
    SecurityMixin,
    AnalyticsMixin,
    MetricsMixin,
    WebhooksMixin,
    DeliveriesMixin,
    SchedulesMixin,
    WorkflowsMixin,
    TemplatesMixin,
):
    def __init__(self, url: str) -> None:
        engine_options(url)  # a bad option stops start-up here, naming it
        self.url = url
        self.engine: AsyncEngine | None = None
        self._runner: SQLiteRunner | AsyncRunner | None = None
        # called with the events of each commit that appended some (the event bus wakes this
        # process's readers and tells other processes; the credential cache drops what changed)
        self.events_committed: Callable[[list[Event]], None] | None = None
        self.dialect = sa.engine.make_url(url).get_backend_name()

    # -- lifecycle -------------------------------------------------------------------------

    async def connect(self) -> None:
        url, kwargs = engine_options(self.url)
        if self.dialect == "sqlite":
            pool = {
                k: kwargs[k]
                for k in ("pool_size", "max_overflow", "pool_timeout", "pool_recycle")
                if k in kwargs
            }
            self._runner = SQLiteRunner(url.database or "", _sqlite_connect, pool_options=pool)
            self._runner.orphaned = self._announce
        # pinged before use only after a second idle (liveness.py), not at every checkout; a
        # SQLite file has no connection to lose
        ping = kwargs.pop("pool_pre_ping", False) and self.dialect != "sqlite"
        # the async engine: PostgreSQL's and MariaDB's runner, and LISTEN/NOTIFY (signals.py)
        self.engine = create_async_engine(url, **kwargs, pool_pre_ping=False)
        if ping:
            ping_when_idle(self.engine.sync_engine)
        if self.dialect == "sqlite":
            event.listen(self.engine.sync_engine, "connect", _sqlite_connect)
        else:
            self._runner = AsyncRunner(self.engine, insert_events=self._insert_events)
            self._runner.orphaned = self._announce

    async def close(self) -> None:
        if self._runner is not None:
            await asyncio.to_thread(self._runner.close)
        if self.engine is not None:
            await self.engine.dispose()

    @property
    def runner(self) -> SQLiteRunner | AsyncRunner:
        if self._runner is None:
            raise RuntimeError("storage is not connected")
        return self._runner

    async def _read(self, fn: Callable[[sa.Connection], T], *, point: bool = False, long: bool = False) -> T:
        """Run `fn` with a connection, to read (runner.py says how, per dialect); `point`: a read
        of a few rows by key, to run on the event loop whatever it costs (SQLite); `long`: counts
        and sums over many rows, never on the loop."""
        return await self.runner.read(fn, point=point, long=long)

    async def _transaction(self, fn: Callable[[sa.Connection], T], *, point: bool = True) -> T:
        """Run `fn` in a write transaction; once it committed, signal the events it appended.
        `point=False` for a transaction that may touch many rows (runner.py: never on the loop)."""
        result, committed = await self.runner.write(fn, point=point)
        self._announce(committed)
        return result

    def _announce(self, committed: list[Event]) -> None:
        if committed and self.events_committed is not None:
            self.events_committed(committed)

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

        await self._transaction(upgrade, point=False)

    async def ping(self) -> None:
        async with asyncio.timeout(5):
            await self._read(lambda conn: conn.execute(sa.text("SELECT 1")).scalar_one())

    # -- users and sessions ----------------------------------------------------------------

    async def count_users(self) -> int:
        def run(conn: sa.Connection) -> Any:
            return (conn.execute(sa.select(sa.func.count()).select_from(users))).scalar_one()

        return await self._read(run)

    async def insert_user(self, user: User) -> None:
        """Raises AlreadyExists when the username is taken (by a concurrent insert, too)."""

        def run(conn: sa.Connection) -> Any:
            conn.execute(
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

        try:
            return await self._transaction(run)
        except IntegrityError:
            raise AlreadyExists(f"user {user.username!r}") from None

    async def get_user(self, user_id: str) -> User | None:
        return await self._one_user(users.c.id == user_id)

    async def get_user_by_username(self, username: str) -> User | None:
        return await self._one_user(users.c.username == username)

    async def _one_user(self, clause: Any) -> User | None:
        def run(conn: sa.Connection) -> Any:
            row = (conn.execute(sa.select(users).where(clause))).first()
            return row_to_user(row._mapping) if row else None

        return await self._read(run, point=True)

    async def insert_session(
        self, session_id: str, user_id: str, now: datetime, expires_at: datetime
    ) -> None:
        def run(conn: sa.Connection) -> Any:
            conn.execute(
                sessions.insert().values(
                    id=session_id, user_id=user_id, created_at=now, expires_at=expires_at
                )
            )

        return await self._transaction(run)

    async def get_active_session(self, session_id: str, now: datetime) -> SessionRecord | None:
        def run(conn: sa.Connection) -> Any:
            row = conn.execute(_ACTIVE_SESSION, {"session_id": session_id, "now": now}).first()
            if row is None:
                return None
            return SessionRecord(id=row.session_id, user=row_to_user(row._mapping), expires_at=row.s_exp)

        return await self._read(run, point=True)

    async def revoke_session(self, session_id: str, now: datetime) -> None:
        def run(conn: sa.Connection) -> Any:
            conn.execute(
                sessions.update()
                .where(sessions.c.id == session_id, sessions.c.revoked_at.is_(None))
                .values(revoked_at=now)
            )
            # every process drops the session from its cache (baton/authcache.py)
            self._append_events(conn, [auth_event("auth.session_revoked", session_id, now)])

        return await self._transaction(run)

    async def insert_refresh_token(self, jti: str, session_id: str, expires_at: datetime) -> None:
        def run(conn: sa.Connection) -> Any:
            conn.execute(
                refresh_tokens.insert().values(jti=jti, session_id=session_id, expires_at=expires_at)
            )

        return await self._transaction(run)

    async def use_refresh_token(self, jti: str, session_id: str, now: datetime) -> bool:
        def run(conn: sa.Connection) -> Any:
            result = conn.execute(
                refresh_tokens.update()
                .where(
                    refresh_tokens.c.jti == jti,
                    refresh_tokens.c.session_id == session_id,
                    refresh_tokens.c.used_at.is_(None),
                )
                .values(used_at=now)
            )
            return result.rowcount == 1

        return await self._transaction(run)

    async def list_secrets(self) -> list[tuple[str, str, datetime]]:
        def run(conn: sa.Connection) -> Any:
            rows = conn.execute(
                sa.select(server_secrets.c.name, server_secrets.c.value, server_secrets.c.created_at)
            )
            return [tuple(row) for row in rows]

        return await self._read(run)

    async def get_or_create_secret(self, name: str, value: str, now: datetime) -> str:
        try:
            await self._transaction(
                lambda conn: conn.execute(
                    server_secrets.insert().values(name=name, value=value, created_at=now)
                )
            )
            return value
        except IntegrityError:
            # another process stored one first: everyone must use the same
            stored = sa.select(server_secrets.c.value).where(server_secrets.c.name == name)
            return await self._read(lambda conn: conn.execute(stored).scalar_one())

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
                await self._transaction(lambda conn: conn.execute(idempotency_keys.insert().values(**record)))
                return None
            except IntegrityError:
                pass
            row = await self._read(
                lambda conn: conn.execute(sa.select(idempotency_keys).where(this_key)).first()
            )
            if row is None:  # released meanwhile: the caller may try again
                return IdempotencyRecord(fingerprint, "in_flight", None, None, None)
            m = row._mapping
            if m["expires_at"] > now:
                return IdempotencyRecord(
                    m["fingerprint"], m["state"], m["status_code"], m["headers"], m["body"]
                )
            # an expired record no longer counts: the key may be used afresh
            expired = idempotency_keys.delete().where(this_key, idempotency_keys.c.expires_at <= now)
            await self._transaction(lambda conn, expired=expired: conn.execute(expired))
        return IdempotencyRecord(fingerprint, "in_flight", None, None, None)  # taken again meanwhile

    async def complete_idempotency_key(
        self, principal: str, key: str, status_code: int, headers: dict[str, str], body: str
    ) -> None:
        def run(conn: sa.Connection) -> Any:
            conn.execute(
                idempotency_keys.update()
                .where(idempotency_keys.c.principal == principal, idempotency_keys.c.key == key)
                .values(state="done", status_code=status_code, headers=headers, body=body)
            )

        return await self._transaction(run)

    async def release_idempotency_key(self, principal: str, key: str) -> None:
        def run(conn: sa.Connection) -> Any:
            conn.execute(
                idempotency_keys.delete().where(
                    idempotency_keys.c.principal == principal,
                    idempotency_keys.c.key == key,
                    idempotency_keys.c.state == "in_flight",
                )
            )

        return await self._transaction(run)

    async def purge_idempotency_keys(self, now: datetime) -> int:
        def run(conn: sa.Connection) -> Any:
            result = conn.execute(idempotency_keys.delete().where(idempotency_keys.c.expires_at <= now))
            return result.rowcount

        return await self._transaction(run, point=False)
