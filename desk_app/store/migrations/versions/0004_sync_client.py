"""sync client: the server this profile syncs with and its change cursor

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

from desk_app.store.types import UtcDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_state",
        sa.Column("id", sa.String(length=20), primary_key=True),
        sa.Column("server_url", sa.String(length=500), nullable=False),
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=True),
        sa.Column("cursor", sa.String(length=64), nullable=False),
        sa.Column("team_channels", sa.Boolean(), nullable=False),
        sa.Column("last_pull_at", UtcDateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
    )
    # The sync worker scans pending mutations in order on every round.
    with op.batch_alter_table("sync_mutations") as batch:
        batch.create_index("ix_sync_mutations_state", ["state", "seq"])


def downgrade() -> None:
    with op.batch_alter_table("sync_mutations") as batch:
        batch.drop_index("ix_sync_mutations_state")
    op.drop_table("sync_state")
