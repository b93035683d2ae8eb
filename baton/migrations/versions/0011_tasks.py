"""Registered Python tasks: jobs.task and jobs.payload, executions.result, workers.tasks

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29 19:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # all nullable: existing jobs are commands, existing executions have no result, and existing
    # workers have registered no task
    op.add_column("jobs", sa.Column("task", sa.String(length=200), nullable=True))
    op.add_column("jobs", sa.Column("payload", sa.JSON(), nullable=True))
    op.add_column("executions", sa.Column("result", sa.JSON(), nullable=True))
    op.add_column("workers", sa.Column("tasks", sa.JSON(), nullable=True))


def downgrade() -> None:
    op.drop_column("workers", "tasks")
    op.drop_column("executions", "result")
    op.drop_column("jobs", "payload")
    op.drop_column("jobs", "task")
