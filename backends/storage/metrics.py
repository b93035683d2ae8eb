"""What GET /metrics reads from the database at each scrape: cheap grouped counts, so every
server process answers with the same figures.

A mixin of SQLStorage (it uses `_read` and `dialect`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from baton.backends.storage.analytics import seconds_between
from baton.backends.storage.tables import executions, jobs

if TYPE_CHECKING:
    from baton.backends.storage.sql import SQLStorage

__all__ = ["DurationCounts", "MetricsMixin", "MetricsSnapshot"]


@dataclass
class MetricsSnapshot:
    jobs: list[tuple[str, str, int]]  # (queue, status, how many)
    oldest_pending: dict[str, datetime]  # queue -> run_at of its longest-waiting pending job


@dataclass
class DurationCounts:
    """Finished executions of one queue: how many took at most each bound, all of them, and the
    seconds they took together."""

    at_most: list[int] = field(default_factory=list)
    count: int = 0
    total: float = 0.0


class MetricsMixin:
    async def metrics_snapshot(self: SQLStorage, now: datetime) -> MetricsSnapshot:
        def run(conn: sa.Connection) -> MetricsSnapshot:
            # ix_jobs_queue_status answers both from the index alone
            counts = sa.select(jobs.c.queue, jobs.c.status, sa.func.count()).group_by(
                jobs.c.queue, jobs.c.status
            )
            oldest = (
                sa.select(jobs.c.queue, sa.func.min(jobs.c.run_at))
                .where(jobs.c.status == "pending")
                .group_by(jobs.c.queue)
            )
            return MetricsSnapshot(
                jobs=[(queue, status, count) for queue, status, count in conn.execute(counts)],
                oldest_pending={queue: at for queue, at in conn.execute(oldest) if at is not None},
            )

        return await self._read(run, long=True)

    async def duration_counts(
        self: SQLStorage, after: datetime | None, up_to: datetime, bounds: Sequence[float]
    ) -> dict[str, DurationCounts]:
        """Executions that finished in (after, up_to], per queue of their job (ix_executions_finished
        finds them, so a scrape reads only what finished since the previous one)."""

        def run(conn: sa.Connection) -> dict[str, DurationCounts]:
            took = seconds_between(self.dialect, executions.c.started_at, executions.c.finished_at)
            columns: list[Any] = [sa.func.sum(sa.case((took <= bound, 1), else_=0)) for bound in bounds]
            stmt = (
                sa.select(jobs.c.queue, sa.func.count(), sa.func.sum(took), *columns)
                .select_from(executions.join(jobs, jobs.c.id == executions.c.job_id))
                .where(executions.c.finished_at <= up_to)
                .group_by(jobs.c.queue)
            )
            if after is not None:
                stmt = stmt.where(executions.c.finished_at > after)
            return {
                queue: DurationCounts([int(n or 0) for n in at_most], count, float(total or 0.0))
                for queue, count, total, *at_most in conn.execute(stmt)
            }

        return await self._read(run, long=True)
