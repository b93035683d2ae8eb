"""Indexes for analytics, exports and /metrics

Revision ID: 0009
Revises: 0007
Create Date: 2026-12-01 10:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # analytics: a window of jobs by created_at, counted by queue and status, with their waits,
    # read from the index alone (bench/analytics.py)
    op.create_index(
        "ix_jobs_analytics", "jobs", ["created_at", "queue", "status", "run_at", "started_at"], unique=False
    )
    # /metrics adds the executions finished since its previous scrape to the duration histogram
    op.create_index("ix_executions_finished", "executions", ["finished_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_jobs_analytics", table_name="jobs")
    op.drop_index("ix_executions_finished", table_name="executions")
