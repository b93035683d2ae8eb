"""Analytics rollups: hourly and daily figures per queue, name and owner, kept exact by triggers

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-29 21:20:00

The figures of the jobs created in an hour are a function of those jobs' rows (and their
executions'). Triggers on `jobs` and `executions` append the hour of every job whose analytics
columns changed (any insert, delete, status move, retry, requeue, patch of run_at...) to
`analytics_dirty`; backends/storage/rollups.py recomputes a dirty hour from the raw rows and
drops its mark in one transaction. A query reads rollups only for clean hours, so whatever
writes the tables (the storage backend, a bulk import, a hand-made DELETE) the answers stay
those of the raw rows. How the marks stay race-free on each dialect is told in rollups.py.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

_MYSQL = {"mysql_charset": "utf8mb4", "mysql_collate": "utf8mb4_bin", "mysql_engine": "InnoDB"}
_TIMESTAMP = sa.DateTime().with_variant(sa.dialects.mysql.DATETIME(fsp=6), "mysql")
_LONG_TEXT = sa.Text().with_variant(sa.dialects.mysql.MEDIUMTEXT(), "mysql")
# the columns a job's figures depend on (labels are not in rollups: `label=` reads raw rows)
_JOB_COLUMNS = ("status", "run_at", "started_at", "queue", "name", "owner_id", "created_at")
_RUN_COLUMNS = ("job_id", "started_at", "finished_at")


def _sqlite() -> list[str]:
    def mark(created: str) -> str:
        # whole seconds first: SQLite's date functions round to the millisecond, and would put
        # 10:59:59.9999 into 11:00
        hour = f"CAST(strftime('%s', substr({created}, 1, 19)) AS INTEGER) / 3600"
        return (
            f"INSERT INTO analytics_dirty (hour) SELECT h FROM (SELECT {hour} AS h) AS c "
            "WHERE h IS NOT NULL AND NOT EXISTS (SELECT 1 FROM analytics_dirty d WHERE d.hour = c.h);"
        )

    def job_of(row: str) -> str:
        return f"(SELECT created_at FROM jobs WHERE id = {row}.job_id)"

    jobs_cols, run_cols = ", ".join(_JOB_COLUMNS), ", ".join(_RUN_COLUMNS)
    return [
        f"CREATE TRIGGER analytics_jobs_ins AFTER INSERT ON jobs BEGIN {mark('NEW.created_at')} END",
        f"CREATE TRIGGER analytics_jobs_upd AFTER UPDATE OF {jobs_cols} ON jobs "
        f"BEGIN {mark('OLD.created_at')} {mark('NEW.created_at')} END",
        f"CREATE TRIGGER analytics_jobs_del AFTER DELETE ON jobs BEGIN {mark('OLD.created_at')} END",
        f"CREATE TRIGGER analytics_runs_ins AFTER INSERT ON executions BEGIN {mark(job_of('NEW'))} END",
        f"CREATE TRIGGER analytics_runs_upd AFTER UPDATE OF {run_cols} ON executions "
        f"BEGIN {mark(job_of('OLD'))} {mark(job_of('NEW'))} END",
        f"CREATE TRIGGER analytics_runs_del AFTER DELETE ON executions BEGIN {mark(job_of('OLD'))} END",
    ]


def _postgresql() -> list[str]:
    # one INSERT per statement (transition tables), not per row: a batch of transitions or a bulk
    # import of 5,000 jobs marks its few hours once
    hour = "floor(extract(epoch FROM {}) / 3600)::integer"

    def function(name: str, hours: str) -> str:
        return (
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"INSERT INTO analytics_dirty (hour) SELECT DISTINCT h FROM ({hours}) AS c "
            "WHERE h IS NOT NULL AND NOT EXISTS (SELECT 1 FROM analytics_dirty d WHERE d.hour = c.h); "
            "RETURN NULL; END $$"
        )

    def jobs_hours(table: str) -> str:
        return f"SELECT {hour.format('created_at')} AS h FROM {table}"

    def runs_hours(table: str) -> str:
        return f"SELECT {hour.format('j.created_at')} AS h FROM {table} r JOIN jobs j ON j.id = r.job_id"

    changed = " OR ".join(f"n.{c} IS DISTINCT FROM o.{c}" for c in _JOB_COLUMNS)
    run_changed = " OR ".join(f"n.{c} IS DISTINCT FROM o.{c}" for c in _RUN_COLUMNS)
    statements = [
        function("analytics_jobs_new", jobs_hours("new_rows")),
        function("analytics_jobs_old", jobs_hours("old_rows")),
        function(
            "analytics_jobs_upd",
            f"SELECT {hour.format('n.created_at')} AS h FROM new_rows n JOIN old_rows o ON o.id = n.id "
            f"WHERE {changed} UNION SELECT {hour.format('o.created_at')} FROM new_rows n "
            f"JOIN old_rows o ON o.id = n.id WHERE {changed}",
        ),
        function("analytics_runs_new", runs_hours("new_rows")),
        function("analytics_runs_old", runs_hours("old_rows")),
        function(
            "analytics_runs_upd",
            f"SELECT {hour.format('j.created_at')} AS h FROM new_rows n JOIN old_rows o "
            f"ON o.job_id = n.job_id AND o.attempt = n.attempt JOIN jobs j ON j.id = n.job_id "
            f"WHERE {run_changed}",
        ),
    ]
    for table, prefix in (("jobs", "analytics_jobs"), ("executions", "analytics_runs")):
        statements += [
            f"CREATE TRIGGER {prefix}_ins AFTER INSERT ON {table} REFERENCING NEW TABLE AS new_rows "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {prefix}_new()",
            f"CREATE TRIGGER {prefix}_upd AFTER UPDATE ON {table} REFERENCING OLD TABLE AS old_rows "
            f"NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {prefix}_upd()",
            f"CREATE TRIGGER {prefix}_del AFTER DELETE ON {table} REFERENCING OLD TABLE AS old_rows "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {prefix}_old()",
        ]
    return statements


def _mysql() -> list[str]:
    # row triggers only, and a plain append: a check for an existing mark (or an INSERT ... SELECT
    # from jobs) would take shared locks that let two writers deadlock (rollups.py)
    def mark(created: str) -> str:
        hour = f"TIMESTAMPDIFF(HOUR, '1970-01-01 00:00:00', {created})"
        return f"INSERT INTO analytics_dirty (hour) VALUES ({hour});"

    def mark_job_of(row: str) -> str:
        return (
            "BEGIN DECLARE created DATETIME(6) DEFAULT NULL; "
            f"SELECT created_at INTO created FROM jobs WHERE id = {row}.job_id; "
            f"IF created IS NOT NULL THEN {mark('created')} END IF; END"
        )

    changed = " OR ".join(f"NOT (NEW.{c} <=> OLD.{c})" for c in _JOB_COLUMNS)
    run_changed = " OR ".join(f"NOT (NEW.{c} <=> OLD.{c})" for c in _RUN_COLUMNS)
    return [
        f"CREATE TRIGGER analytics_jobs_ins AFTER INSERT ON jobs FOR EACH ROW {mark('NEW.created_at')}",
        f"CREATE TRIGGER analytics_jobs_upd AFTER UPDATE ON jobs FOR EACH ROW IF {changed} THEN "
        f"{mark('OLD.created_at')} {mark('NEW.created_at')} END IF",
        f"CREATE TRIGGER analytics_jobs_del AFTER DELETE ON jobs FOR EACH ROW {mark('OLD.created_at')}",
        f"CREATE TRIGGER analytics_runs_ins AFTER INSERT ON executions FOR EACH ROW {mark_job_of('NEW')}",
        f"CREATE TRIGGER analytics_runs_upd AFTER UPDATE ON executions FOR EACH ROW IF {run_changed} "
        f"THEN {mark_job_of('NEW')}; END IF",
        f"CREATE TRIGGER analytics_runs_del AFTER DELETE ON executions FOR EACH ROW {mark_job_of('OLD')}",
    ]


def upgrade() -> None:
    op.create_table(
        "analytics_rollups",
        sa.Column("span", sa.SmallInteger(), autoincrement=False, nullable=False),
        sa.Column("hour", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("queue", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("owner_id", sa.String(36), nullable=False),
        sa.Column("jobs", sa.Integer(), nullable=False),
        sa.Column("statuses", sa.Text(), nullable=False),
        sa.Column("runs", sa.Integer(), nullable=False),
        sa.Column("run_bins", _LONG_TEXT, nullable=False),
        sa.Column("waits", sa.Integer(), nullable=False),
        sa.Column("wait_bins", _LONG_TEXT, nullable=False),
        sa.PrimaryKeyConstraint("span", "hour", "queue", "name", "owner_id", name="pk_analytics_rollups"),
        **_MYSQL,
    )
    op.create_table(
        "analytics_dirty",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("hour", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_analytics_dirty"),
        **_MYSQL,
    )
    op.create_index("ix_analytics_dirty_hour", "analytics_dirty", ["hour"], unique=False)
    dialect = op.get_bind().dialect.name
    for statement in {"sqlite": _sqlite, "postgresql": _postgresql}.get(dialect, _mysql)():
        op.execute(statement)
    # backfill: every hour that has jobs is dirty; roll them now, so the first query is fast
    from baton.backends.storage.rollups import hour_of, roll

    conn = op.get_bind()
    hours = sa.select(hour_of(dialect, sa.column("created_at")).label("h")).select_from(sa.table("jobs"))
    conn.execute(sa.text("DELETE FROM analytics_dirty"))
    dirty = sa.table("analytics_dirty", sa.column("hour"))
    conn.execute(dirty.insert().from_select(["hour"], hours.distinct()))
    roll(conn, dialect, None, lock=False)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for prefix in ("analytics_jobs", "analytics_runs"):
        for kind in ("ins", "upd", "del"):
            table = "jobs" if prefix == "analytics_jobs" else "executions"
            on = f" ON {table}" if dialect == "postgresql" else ""
            op.execute(f"DROP TRIGGER IF EXISTS {prefix}_{kind}{on}")
        if dialect == "postgresql":
            for kind in ("new", "old", "upd"):
                op.execute(f"DROP FUNCTION IF EXISTS {prefix}_{kind}()")
    op.drop_index("ix_analytics_dirty_hour", table_name="analytics_dirty")
    op.drop_table("analytics_dirty")
    op.drop_table("analytics_rollups")
