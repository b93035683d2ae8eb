"""Index for the worker filter of the job list

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 15:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # GET /api/v1/jobs?worker=: the jobs whose executions ran on a worker. The other new filters
    # use indexes that exist: owner (ix_jobs_owner_created, through the unique username), and
    # the name search is a substring match no B-tree can serve.
    op.create_index("ix_executions_worker_job", "executions", ["worker", "job_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_executions_worker_job", table_name="executions")
