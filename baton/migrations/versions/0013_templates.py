"""Templates: named job or workflow definitions, every version kept

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-29 19:05:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

Timestamp = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql")
MYSQL = {"mysql_charset": "utf8mb4", "mysql_collate": "utf8mb4_bin", "mysql_engine": "InnoDB"}


def upgrade() -> None:
    op.create_table(
        "templates",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("owner_id", sa.String(length=36), nullable=False),
        sa.Column("visibility", sa.String(length=16), nullable=False),
        sa.Column("latest_version", sa.Integer(), nullable=False),
        sa.Column("created_at", Timestamp, nullable=False),
        sa.Column("updated_at", Timestamp, nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"], name=op.f("fk_templates_owner_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_templates")),
        **MYSQL,
    )
    op.create_index("ix_templates_created", "templates", ["created_at", "id"], unique=False)
    op.create_table(
        "template_versions",
        sa.Column("template_id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False, autoincrement=False),
        sa.Column("definition", sa.JSON(), nullable=False),
        sa.Column("created_at", Timestamp, nullable=False),
        sa.ForeignKeyConstraint(
            ["template_id"],
            ["templates.id"],
            name=op.f("fk_template_versions_template_id_templates"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("template_id", "version", name=op.f("pk_template_versions")),
        **MYSQL,
    )


def downgrade() -> None:
    op.drop_table("template_versions")
    op.drop_index("ix_templates_created", table_name="templates")
    op.drop_table("templates")
