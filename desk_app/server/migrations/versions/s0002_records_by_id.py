"""records by id: a push loads the records it touches by id (kind not known up front)

Revision ID: s0002
Revises: s0001
Create Date: 2026-11-23
"""

from alembic import op

revision = "s0002"
down_revision = "s0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("records") as batch:
        batch.create_index("ix_records_id", ["id"])


def downgrade() -> None:
    with op.batch_alter_table("records") as batch:
        batch.drop_index("ix_records_id")
