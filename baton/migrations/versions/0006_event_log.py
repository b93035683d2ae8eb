"""The event log: events, their id sequence, announced queue depths and worker statuses, and
WebSocket tickets

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 15:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

Timestamp = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql")
EventId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
MYSQL = {"mysql_charset": "utf8mb4", "mysql_collate": "utf8mb4_bin", "mysql_engine": "InnoDB"}


def upgrade() -> None:
    op.create_table(
        "events",
        sa.Column("id", EventId, nullable=False, autoincrement=False),
        sa.Column("type", sa.String(length=64), nullable=False),
        sa.Column("at", Timestamp, nullable=False),
        sa.Column("subject_type", sa.String(length=16), nullable=False),
        sa.Column("subject_id", sa.String(length=255), nullable=False),
        sa.Column("queue", sa.String(length=64), nullable=True),
        sa.Column("worker_id", sa.String(length=255), nullable=True),
        sa.Column("owner_id", sa.String(length=36), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
        **MYSQL,
    )
    for name, columns in (
        ("ix_events_subject_id", ["subject_id", "id"]),
        ("ix_events_queue_id", ["queue", "id"]),
        ("ix_events_worker_id", ["worker_id", "id"]),
        ("ix_events_owner_id", ["owner_id", "id"]),
        ("ix_events_type_id", ["type", "id"]),
        ("ix_events_at", ["at"]),
    ):
        op.create_index(name, "events", columns, unique=False)
    op.create_table(
        "event_sequence",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("last_id", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_event_sequence")),
        **MYSQL,
    )
    op.bulk_insert(
        sa.table("event_sequence", sa.column("name", sa.String), sa.column("last_id", sa.BigInteger)),
        [{"name": "events", "last_id": 0}],
    )
    op.create_table(
        "queue_depths",
        sa.Column("queue", sa.String(length=64), nullable=False),
        sa.Column("pending", sa.Integer(), nullable=False),
        sa.Column("running", sa.Integer(), nullable=False),
        sa.Column("announced_at", Timestamp, nullable=False),
        sa.PrimaryKeyConstraint("queue", name=op.f("pk_queue_depths")),
        **MYSQL,
    )
    op.create_table(
        "ws_tickets",
        sa.Column("ticket_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("session_id", sa.String(length=36), nullable=True),
        sa.Column("api_key_id", sa.String(length=36), nullable=True),
        sa.Column("token_expires_at", Timestamp, nullable=True),
        sa.Column("token_scopes", sa.JSON(), nullable=True),
        sa.Column("expires_at", Timestamp, nullable=False),
        sa.Column("used_at", Timestamp, nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_ws_tickets_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("ticket_hash", name=op.f("pk_ws_tickets")),
        **MYSQL,
    )
    op.create_index("ix_ws_tickets_expires_at", "ws_tickets", ["expires_at"], unique=False)
    with op.batch_alter_table("workers") as batch:
        batch.add_column(sa.Column("reported_status", sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("workers") as batch:
        batch.drop_column("reported_status")
    op.drop_index("ix_ws_tickets_expires_at", table_name="ws_tickets")
    op.drop_table("ws_tickets")
    op.drop_table("queue_depths")
    op.drop_table("event_sequence")
    for name in (
        "ix_events_at",
        "ix_events_type_id",
        "ix_events_owner_id",
        "ix_events_worker_id",
        "ix_events_queue_id",
        "ix_events_subject_id",
    ):
        op.drop_index(name, table_name="events")
    op.drop_table("events")
