"""Schedules that fire a job template's version: schedules.template

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-29 19:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # nullable: every existing schedule fires an inline job
    op.add_column("schedules", sa.Column("template", sa.JSON(), nullable=True))


def downgrade() -> None:
    op.drop_column("schedules", "template")
