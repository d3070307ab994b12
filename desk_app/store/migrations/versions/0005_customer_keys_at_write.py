"""duplicate keys kept at write time: a dirty-customer queue filled by triggers

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23

Triggers on ``customers`` and ``customer_identities`` put the id of every customer whose keyed
facts changed into ``customer_keys_dirty``; ``desk_app.store.match_keys`` re-keys them before
the same transaction commits. The key table is rebuilt WITHOUT ROWID and without the per-customer
``f:`` facts rows, which move to ``customer_match_facts``. Upgrading from a profile keyed lazily
(0003/0004): every customer is queued, so the first commit after the upgrade (or the first
duplicate scan, whichever comes first) builds the index once; afterwards the queue is empty at
every commit.
"""

import sqlalchemy as sa
from alembic import op

from desk_app.store.operator_models import KEY_TRIGGER_NAMES, KEY_TRIGGERS

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _key_tables() -> None:
    op.create_table(
        "customer_match_keys",
        sa.Column("key", sa.String(length=400), primary_key=True),
        sa.Column("customer_id", sa.String(length=36), primary_key=True),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "customer_match_facts",
        sa.Column("customer_id", sa.String(length=36), primary_key=True),
        sa.Column("display_name", sa.String(length=300), nullable=False),
        sa.Column("facts", sa.Text(), nullable=False),
        sqlite_with_rowid=False,
    )


def upgrade() -> None:
    op.drop_table("customer_match_keys")  # derived data in the 0003 layout: rebuilt below
    _key_tables()
    op.create_table(
        "customer_keys_dirty",
        sa.Column("customer_id", sa.String(length=36), primary_key=True),
        sqlite_with_rowid=False,
    )
    if op.get_bind().dialect.name != "sqlite":
        return
    for statement in KEY_TRIGGERS:
        op.execute(statement)
    op.execute("INSERT INTO customer_keys_dirty(customer_id) SELECT id FROM customers")
    op.execute("DELETE FROM settings WHERE key LIKE 'duplicates.keys_refreshed_at%'")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in KEY_TRIGGER_NAMES:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("customer_keys_dirty")
    op.drop_table("customer_match_facts")
    op.drop_table("customer_match_keys")
    op.create_table(  # the 0003 layout, empty: 0003's lazy refresh rebuilds it
        "customer_match_keys",
        sa.Column("key", sa.String(length=400), primary_key=True),
        sa.Column(
            "customer_id", sa.String(length=36), sa.ForeignKey("customers.id"), primary_key=True
        ),
    )
    op.create_index("ix_customer_match_keys_customer_id", "customer_match_keys", ["customer_id"])
