"""Workflows: their definitions and labels, and each step's job marked with its workflow and step

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-29 19:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0012"
# the schedules migration 0010 is built alongside; the merge re-chains this one after it
down_revision = "0011"
branch_labels = None
depends_on = None

Timestamp = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql")
MYSQL = {"mysql_charset": "utf8mb4", "mysql_collate": "utf8mb4_bin", "mysql_engine": "InnoDB"}


def upgrade() -> None:
    op.create_table(
        "workflows",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("owner_id", sa.String(length=36), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("definition", sa.JSON(), nullable=False),
        sa.Column("labels", sa.JSON(), nullable=False),
        sa.Column("created_at", Timestamp, nullable=False),
        sa.Column("updated_at", Timestamp, nullable=False),
        sa.Column("finished_at", Timestamp, nullable=True),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"], name=op.f("fk_workflows_owner_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workflows")),
        **MYSQL,
    )
    for name, columns in (
        ("ix_workflows_created", ["created_at", "id"]),
        ("ix_workflows_owner_created", ["owner_id", "created_at", "id"]),
        ("ix_workflows_status", ["status", "created_at"]),
    ):
        op.create_index(name, "workflows", columns, unique=False)
    op.create_table(
        "workflow_labels",
        sa.Column("workflow_id", sa.String(length=36), nullable=False),
        sa.Column("key", sa.String(length=63), nullable=False),
        sa.Column("value", sa.String(length=256), nullable=False),
        sa.ForeignKeyConstraint(
            ["workflow_id"],
            ["workflows.id"],
            name=op.f("fk_workflow_labels_workflow_id_workflows"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workflow_id", "key", name=op.f("pk_workflow_labels")),
        **MYSQL,
    )
    op.create_index(
        "ix_workflow_labels_key_value", "workflow_labels", ["key", "value", "workflow_id"], unique=False
    )
    with op.batch_alter_table("jobs") as batch:
        batch.add_column(sa.Column("workflow_id", sa.String(length=36), nullable=True))
        batch.add_column(sa.Column("step", sa.String(length=100), nullable=True))
    op.create_index("ix_jobs_workflow", "jobs", ["workflow_id", "step"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_jobs_workflow", table_name="jobs")
    with op.batch_alter_table("jobs") as batch:
        batch.drop_column("step")
        batch.drop_column("workflow_id")
    op.drop_index("ix_workflow_labels_key_value", table_name="workflow_labels")
    op.drop_table("workflow_labels")
    for name in ("ix_workflows_status", "ix_workflows_owner_created", "ix_workflows_created"):
        op.drop_index(name, table_name="workflows")
    op.drop_table("workflows")
