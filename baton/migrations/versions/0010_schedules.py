"""Schedules: job templates with a cron or interval trigger, and the schedule of each job

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29 19:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

Timestamp = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql")
MYSQL = {"mysql_charset": "utf8mb4", "mysql_collate": "utf8mb4_bin", "mysql_engine": "InnoDB"}


def upgrade() -> None:
    op.create_table(
        "schedules",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("owner_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("cron", sa.String(length=256), nullable=True),
        sa.Column("interval_seconds", sa.Integer(), nullable=True),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("job", sa.JSON(), nullable=False),
        sa.Column("overlap_policy", sa.String(length=16), nullable=False),
        sa.Column("misfire_policy", sa.String(length=16), nullable=False),
        sa.Column("max_catch_up", sa.Integer(), nullable=False),
        sa.Column("start_at", Timestamp, nullable=True),
        sa.Column("end_at", Timestamp, nullable=True),
        sa.Column("max_runs", sa.Integer(), nullable=True),
        sa.Column("jitter_seconds", sa.Integer(), nullable=False),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("labels", sa.JSON(), nullable=False),
        sa.Column("anchor", Timestamp, nullable=True),
        sa.Column("next_run_at", Timestamp, nullable=True),
        sa.Column("processed_until", Timestamp, nullable=False),
        sa.Column("queued_fire_at", Timestamp, nullable=True),
        sa.Column("run_count", sa.Integer(), nullable=False),
        sa.Column("skipped_count", sa.Integer(), nullable=False),
        sa.Column("last_run_at", Timestamp, nullable=True),
        sa.Column("last_job_id", sa.String(length=36), nullable=True),
        sa.Column("created_at", Timestamp, nullable=False),
        sa.Column("updated_at", Timestamp, nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_schedules_owner_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schedules")),
        **MYSQL,
    )
    op.create_index("ix_schedules_owner_id", "schedules", ["owner_id", "id"], unique=False)
    op.create_index("ix_schedules_due", "schedules", ["paused", "next_run_at"], unique=False)
    # jobs remember the schedule that created them; no foreign key: a deleted schedule's runs stay
    op.add_column("jobs", sa.Column("schedule_id", sa.String(length=36), nullable=True))
    op.create_index("ix_jobs_schedule", "jobs", ["schedule_id", "status"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_jobs_schedule", table_name="jobs")
    with op.batch_alter_table("jobs") as batch:
        batch.drop_column("schedule_id")
    # its indexes go with it (MariaDB refuses to drop the owner index a foreign key uses)
    op.drop_table("schedules")
