"""operator tools: canned replies, knowledge base with its FTS5 index, duplicate keys and merges

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

from desk_app.store.operator_models import create_kb_fts, drop_kb_fts
from desk_app.store.types import UtcDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _stamps() -> list[sa.Column]:
    return [
        sa.Column("id", sa.String(length=36), primary_key=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "canned_folders",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("parent_id", sa.String(length=36), sa.ForeignKey("canned_folders.id")),
        sa.Column("position", sa.Integer(), nullable=False),
        *_stamps(),
    )
    op.create_table(
        "canned_replies",
        sa.Column("folder_id", sa.String(length=36), sa.ForeignKey("canned_folders.id")),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("language", sa.String(length=10), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("keywords", sa.Text(), nullable=False),
        sa.Column("shortcut", sa.String(length=40)),
        sa.Column("archived", sa.Boolean(), nullable=False),
        *_stamps(),
    )
    op.create_index("ix_canned_replies_folder_id", "canned_replies", ["folder_id"])
    op.create_index(
        "ux_canned_shortcut",
        "canned_replies",
        ["shortcut", "language"],
        unique=True,
        sqlite_where=sa.text("shortcut IS NOT NULL"),
        postgresql_where=sa.text("shortcut IS NOT NULL"),
    )
    op.create_table(
        "canned_usage",
        sa.Column(
            "reply_id", sa.String(length=36), sa.ForeignKey("canned_replies.id"), nullable=False
        ),
        sa.Column("agent_id", sa.String(length=36), sa.ForeignKey("agents.id")),
        sa.Column("ticket_id", sa.String(length=36)),
        sa.Column("used_at", UtcDateTime(), nullable=False),
        *_stamps(),
    )
    op.create_index("ix_canned_usage_reply_id", "canned_usage", ["reply_id"])
    op.create_table(
        "kb_articles",
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("id", sa.String(length=36), nullable=False, unique=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.Column("slug", sa.String(length=200), nullable=False),
        sa.Column("language", sa.String(length=10), nullable=False),
        sa.Column("category", sa.String(length=200), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("tags", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("public_url", sa.String(length=1000)),
        sa.Column("source_ticket_id", sa.String(length=36)),
        sa.Column("author_id", sa.String(length=36), sa.ForeignKey("agents.id")),
        sa.Column("published_at", UtcDateTime()),
    )
    op.create_index("ix_kb_articles_slug", "kb_articles", ["slug", "language"])
    op.create_table(
        "kb_terms",
        sa.Column("word", sa.String(length=100), primary_key=True),
        sa.Column("stem", sa.String(length=100), nullable=False),
    )
    op.create_table(
        "customer_match_keys",
        sa.Column("key", sa.String(length=400), primary_key=True),
        sa.Column(
            "customer_id", sa.String(length=36), sa.ForeignKey("customers.id"), primary_key=True
        ),
    )
    op.create_index("ix_customer_match_keys_customer_id", "customer_match_keys", ["customer_id"])
    op.create_table(
        "duplicate_dismissals",
        sa.Column("a_id", sa.String(length=36), sa.ForeignKey("customers.id"), nullable=False),
        sa.Column("b_id", sa.String(length=36), sa.ForeignKey("customers.id"), nullable=False),
        sa.Column("dismissed_by", sa.String(length=36), sa.ForeignKey("agents.id")),
        *_stamps(),
    )
    op.create_index(
        "ux_duplicate_dismissals_pair", "duplicate_dismissals", ["a_id", "b_id"], unique=True
    )
    op.create_table(
        "customer_merges",
        sa.Column(
            "survivor_id", sa.String(length=36), sa.ForeignKey("customers.id"), nullable=False
        ),
        sa.Column("merged_id", sa.String(length=36), sa.ForeignKey("customers.id"), nullable=False),
        sa.Column("merged_by", sa.String(length=36), sa.ForeignKey("agents.id")),
        sa.Column("undo", sa.JSON(), nullable=False),
        sa.Column("undone_at", UtcDateTime()),
        *_stamps(),
    )
    op.create_index("ix_customer_merges_survivor_id", "customer_merges", ["survivor_id"])
    op.create_index("ix_customer_merges_merged_id", "customer_merges", ["merged_id"])
    create_kb_fts(op.get_bind())


def downgrade() -> None:
    drop_kb_fts(op.get_bind())
    for table in (
        "customer_merges",
        "duplicate_dismissals",
        "customer_match_keys",
        "kb_terms",
        "kb_articles",
        "canned_usage",
        "canned_replies",
        "canned_folders",
    ):
        op.drop_table(table)
