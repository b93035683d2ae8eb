"""Job lists: the filters of GET /api/v1/jobs (and of bulk cancel), keyset pages in one or more
sort orders, and the count of every match.

A mixin of SQLStorage (it uses its `_engine` and `dialect`), kept apart from
sql.py so the list's query lives in one place."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from baton.backends.storage import JobQuery
from baton.backends.storage.rows import row_to_execution, row_to_job, select_jobs
from baton.backends.storage.tables import executions, job_labels, jobs, users

from baton.models import Execution, Job

if TYPE_CHECKING:
    from baton.backends.storage.sql import SQLStorage

__all__ = ["SORTABLE", "JobListingMixin", "escape_like", "sqlite_lower"]

SORTABLE = frozenset({"created_at", "updated_at", "run_at", "priority", "name"})
# "!" as LIKE's escape character: a backslash means different things in each dialect's literals
_ESCAPE = "!"


def escape_like(text: str) -> str:
    """`text` for a LIKE pattern, its wildcards taken literally."""
    return text.replace("!", "!!").replace("%", "!%").replace("_", "!_")


def sqlite_lower(text: str | None) -> str | None:
    """SQLite's lower() folds ASCII letters only; registered as baton_lower on each connection,
    this folds every letter, as lower() does on PostgreSQL and MariaDB."""
    return text.lower() if isinstance(text, str) else text


class JobListingMixin:
    async def list_jobs(self: SQLStorage, query: JobQuery) -> list[Job]:

        def run(conn: sa.Connection) -> Any:
            order = [(jobs.c[field], descending) for field, descending in query.order]
            # ties are broken by id, in the direction of the last key
            order.append((jobs.c.id, query.order[-1][1]))
            stmt = self._filter_jobs(select_jobs(), query)
            if query.after is not None:
                stmt = stmt.where(self._keyset_after(order, query.after))
            stmt = stmt.order_by(*(column.desc() if desc else column.asc() for column, desc in order))
            return [row_to_job(row) for row in conn.execute(stmt.limit(query.limit))]

        return await self._read(run)

    async def count_jobs(self: SQLStorage, query: JobQuery) -> int:
        def run(conn: sa.Connection) -> Any:
            stmt = self._filter_jobs(sa.select(sa.func.count()).select_from(jobs), query)
            return (conn.execute(stmt)).scalar_one()

        return await self._read(run, long=True)

    async def executions_of(self: SQLStorage, job_ids: list[str]) -> list[Execution]:
        # without the output: an export row has no room for 128 KiB of it
        empty = sa.literal("")
        columns = [c for c in executions.c if c.name not in ("stdout", "stderr")]

        def run(conn: sa.Connection) -> Any:
            stmt = (
                sa.select(*columns, empty.label("stdout"), empty.label("stderr"))
                .where(executions.c.job_id.in_(sorted(job_ids)))
                .order_by(executions.c.job_id, executions.c.attempt)
            )
            return [row_to_execution(row) for row in conn.execute(stmt)]

        return await self._read(run) if job_ids else []

    def _filter_jobs(self: SQLStorage, stmt: sa.Select, query: JobQuery) -> sa.Select:
        if query.statuses:
            stmt = stmt.where(jobs.c.status.in_(sorted(s.value for s in query.statuses)))
        if query.queue is not None:
            stmt = stmt.where(jobs.c.queue == query.queue)
        if query.owner_id is not None:
            stmt = stmt.where(jobs.c.owner_id == query.owner_id)
        if query.owner_name is not None:
            # one id at most (usernames are unique): the owner index answers it
            owner = sa.select(users.c.id).where(users.c.username == query.owner_name).scalar_subquery()
            stmt = stmt.where(jobs.c.owner_id == owner)
        if query.schedule_id is not None:
            stmt = stmt.where(jobs.c.schedule_id == query.schedule_id)
        if query.worker is not None:
            ran = sa.select(executions.c.job_id).where(executions.c.worker == query.worker)
            stmt = stmt.where(jobs.c.id.in_(ran))
        if query.ids:
            stmt = stmt.where(jobs.c.id.in_(sorted(query.ids)))
        if query.workflow_id is not None:
            stmt = stmt.where(jobs.c.workflow_id == query.workflow_id)
        for key, value in query.labels:
            stmt = stmt.where(
                jobs.c.id.in_(
                    sa.select(job_labels.c.job_id).where(job_labels.c.key == key, job_labels.c.value == value)
                )
            )
        if query.created_after is not None:
            stmt = stmt.where(jobs.c.created_at > query.created_after)
        if query.created_before is not None:
            stmt = stmt.where(jobs.c.created_at < query.created_before)
        if query.name_prefix:
            stmt = stmt.where(jobs.c.name.like(f"{escape_like(query.name_prefix)}%", escape=_ESCAPE))
        if query.name_contains:
            lower = sa.func.baton_lower if self.dialect == "sqlite" else sa.func.lower
            pattern = f"%{escape_like(query.name_contains.lower())}%"
            stmt = stmt.where(lower(jobs.c.name).like(pattern, escape=_ESCAPE))
        return stmt

    def _keyset_after(self: SQLStorage, order: list[tuple[Any, bool]], position: tuple[Any, ...]) -> Any:
        """Rows after the keyset position (each sort key's value, then the id), in a shape the
        dialect answers with a range scan of a (column, id) index where there is one."""
        if len(position) != len(order):
            raise ValueError("a keyset position needs a value for each sort key and the id")
        directions = {desc for _, desc in order}
        if len(directions) == 1 and self.dialect in {"sqlite", "postgresql"}:
            # one direction: a row comparison; an OR of the cases made SQLite scan the whole
            # index (91 ms vs 5 ms at row 500,000 of 1,000,000, bench/deep_page.py)
            pair = sa.tuple_(*(column for column, _ in order))
            return pair < sa.tuple_(*position) if directions == {True} else pair > sa.tuple_(*position)
        # MySQL/MariaDB do not plan row comparisons as ranges, and mixed directions cannot be one
        # comparison: bound the first column, then the cases (equal so far, then past)
        cases = []
        for index, (column, desc) in enumerate(order):
            equal = [c == value for (c, _), value in zip(order[:index], position, strict=False)]
            past = column < position[index] if desc else column > position[index]
            cases.append(sa.and_(*equal, past))
        first, first_desc = order[0]
        bound = first <= position[0] if first_desc else first >= position[0]
        return sa.and_(bound, sa.or_(*cases))
