"""queues table (with the `default` queue), per-queue job indexes

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 06:40:00
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

Timestamp = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql")


def upgrade() -> None:
    queues = op.create_table(
        "queues",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("max_concurrency", sa.Integer(), nullable=True),
        sa.Column("default_timeout_seconds", sa.Integer(), nullable=True),
        sa.Column("default_max_retries", sa.Integer(), nullable=True),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("created_at", Timestamp, nullable=False),
        sa.Column("updated_at", Timestamp, nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_queues")),
        mysql_charset="utf8mb4",
        mysql_collate="utf8mb4_bin",
        mysql_engine="InnoDB",
    )
    now = datetime.now(UTC).replace(tzinfo=None)
    op.bulk_insert(
        queues,
        [
            {
                "name": "default",
                "description": "Jobs that name no queue",
                "paused": False,
                "created_at": now,
                "updated_at": now,
            }
        ],
    )
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.create_index("ix_jobs_queue_status", ["queue", "status", "created_at"], unique=False)
        batch_op.create_index("ix_jobs_queue_finished", ["queue", "finished_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_index("ix_jobs_queue_finished")
        batch_op.drop_index("ix_jobs_queue_status")
    op.drop_table("queues")
