"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

import desk_app.store.types
from desk_app.store.fts import create_message_fts, drop_message_fts

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "agents",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", desk_app.store.types.UtcDateTime(), nullable=False),
        sa.Column("updated_at", desk_app.store.types.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "channel_accounts",
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("config", sa.JSON(), nullable=False),
        sa.Column("cursor", sa.Text(), nullable=True),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("simulated", sa.Boolean(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", desk_app.store.types.UtcDateTime(), nullable=False),
        sa.Column("updated_at", desk_app.store.types.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("channel_accounts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_channel_accounts_channel"), ["channel"], unique=False)

    op.create_table(
        "settings",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "sync_mutations",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", desk_app.store.types.UtcDateTime(), nullable=False),
        sa.Column("kind", sa.String(length=50), nullable=False),
        sa.Column("entity_id", sa.String(length=36), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("seq"),
        sa.UniqueConstraint("id"),
    )
    op.create_table(
        "tags",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", desk_app.store.types.UtcDateTime(), nullable=False),
        sa.Column("updated_at", desk_app.store.types.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "customers",
        sa.Column("display_name", sa.String(length=300), nullable=False),
        sa.Column("city", sa.String(length=200), nullable=True),
        sa.Column("plan", sa.String(length=100), nullable=True),
        sa.Column("customer_since", desk_app.store.types.UtcDateTime(), nullable=True),
        sa.Column("platform", sa.String(length=100), nullable=True),
        sa.Column("app_version", sa.String(length=100), nullable=True),
        sa.Column("language", sa.String(length=10), nullable=True),
        sa.Column("favourite_agent_id", sa.String(length=36), nullable=True),
        sa.Column("merged_into_id", sa.String(length=36), nullable=True),
        sa.Column("attributes", sa.JSON(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", desk_app.store.types.UtcDateTime(), nullable=False),
        sa.Column("updated_at", desk_app.store.types.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["favourite_agent_id"],
            ["agents.id"],
        ),
        sa.ForeignKeyConstraint(
            ["merged_into_id"],
            ["customers.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_customers_merged_into_id"), ["merged_into_id"], unique=False
        )

    op.create_table(
        "customer_identities",
        sa.Column("customer_id", sa.String(length=36), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("external_id", sa.String(length=500), nullable=False),
        sa.Column("display", sa.String(length=300), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", desk_app.store.types.UtcDateTime(), nullable=False),
        sa.Column("updated_at", desk_app.store.types.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("channel", "external_id"),
    )
    with op.batch_alter_table("customer_identities", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_customer_identities_customer_id"), ["customer_id"], unique=False
        )

    op.create_table(
        "customer_notes",
        sa.Column("customer_id", sa.String(length=36), nullable=False),
        sa.Column("author_id", sa.String(length=36), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", desk_app.store.types.UtcDateTime(), nullable=False),
        sa.Column("updated_at", desk_app.store.types.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["agents.id"],
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("customer_notes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_customer_notes_customer_id"), ["customer_id"], unique=False
        )

    op.create_table(
        "tickets",
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.String(length=36), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("account_id", sa.String(length=36), nullable=True),
        sa.Column("subject", sa.String(length=500), nullable=False),
        sa.Column("snippet", sa.String(length=300), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("assignee_id", sa.String(length=36), nullable=True),
        sa.Column("unread", sa.Boolean(), nullable=False),
        sa.Column("external_thread_key", sa.String(length=500), nullable=True),
        sa.Column("last_message_at", desk_app.store.types.UtcDateTime(), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("sla_due_at", desk_app.store.types.UtcDateTime(), nullable=True),
        sa.Column("due_rank", sa.Float(), nullable=False),
        sa.Column("sla_first_response_due", desk_app.store.types.UtcDateTime(), nullable=True),
        sa.Column("sla_first_responded_at", desk_app.store.types.UtcDateTime(), nullable=True),
        sa.Column("sla_resolution_due", desk_app.store.types.UtcDateTime(), nullable=True),
        sa.Column("sla_resolution_consumed", sa.Float(), nullable=False),
        sa.Column("sla_running_since", desk_app.store.types.UtcDateTime(), nullable=True),
        sa.Column("sla_resolution_target", sa.Float(), nullable=False),
        sa.Column("sla_stopped", sa.Boolean(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", desk_app.store.types.UtcDateTime(), nullable=False),
        sa.Column("updated_at", desk_app.store.types.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["channel_accounts.id"],
        ),
        sa.ForeignKeyConstraint(
            ["assignee_id"],
            ["agents.id"],
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("number"),
    )
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.create_index(
            "ix_tickets_active_due", ["active", "due_rank", "number"], unique=False
        )
        batch_op.create_index(
            "ix_tickets_assignee_due", ["assignee_id", "active", "due_rank", "number"], unique=False
        )
        batch_op.create_index(
            "ix_tickets_channel_due", ["channel", "active", "due_rank", "number"], unique=False
        )
        batch_op.create_index(
            "ix_tickets_customer", ["customer_id", "last_message_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_tickets_external_thread_key"), ["external_thread_key"], unique=False
        )

    op.create_table(
        "drafts",
        sa.Column("ticket_id", sa.String(length=36), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("is_note", sa.Boolean(), nullable=False),
        sa.Column("updated_at", desk_app.store.types.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["tickets.id"],
        ),
        sa.PrimaryKeyConstraint("ticket_id"),
    )
    op.create_table(
        "messages",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", desk_app.store.types.UtcDateTime(), nullable=False),
        sa.Column("updated_at", desk_app.store.types.UtcDateTime(), nullable=False),
        sa.Column("ticket_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("author_kind", sa.String(length=10), nullable=False),
        sa.Column("author_agent_id", sa.String(length=36), nullable=True),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("account_id", sa.String(length=36), nullable=True),
        sa.Column("external_id", sa.String(length=500), nullable=True),
        sa.Column("sent_at", desk_app.store.types.UtcDateTime(), nullable=False),
        sa.Column("subject", sa.String(length=500), nullable=True),
        sa.Column("body_text", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=True),
        sa.Column("delivery_state", sa.String(length=10), nullable=True),
        sa.Column("delivery_error", sa.Text(), nullable=True),
        sa.Column("automated", sa.Boolean(), nullable=False),
        sa.Column("meta", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_agent_id"],
            ["agents.id"],
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["tickets.id"],
        ),
        sa.PrimaryKeyConstraint("seq"),
        sa.UniqueConstraint("id"),
    )
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.create_index("ix_messages_ticket", ["ticket_id", "seq"], unique=False)
        batch_op.create_index(
            "ux_messages_external",
            ["channel", "account_id", "external_id"],
            unique=True,
            sqlite_where=sa.text("external_id IS NOT NULL"),
            postgresql_where=sa.text("external_id IS NOT NULL"),
        )

    op.create_table(
        "ticket_tags",
        sa.Column("ticket_id", sa.String(length=36), nullable=False),
        sa.Column("tag_id", sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ["tag_id"],
            ["tags.id"],
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["tickets.id"],
        ),
        sa.PrimaryKeyConstraint("ticket_id", "tag_id"),
    )
    with op.batch_alter_table("ticket_tags", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ticket_tags_tag_id"), ["tag_id"], unique=False)

    op.create_table(
        "outbox",
        sa.Column("message_id", sa.String(length=36), nullable=False),
        sa.Column("ticket_id", sa.String(length=36), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("account_id", sa.String(length=36), nullable=True),
        sa.Column("send_key", sa.String(length=200), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", desk_app.store.types.UtcDateTime(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("external_id", sa.String(length=500), nullable=True),
        sa.Column("sent_at", desk_app.store.types.UtcDateTime(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", desk_app.store.types.UtcDateTime(), nullable=False),
        sa.Column("updated_at", desk_app.store.types.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["messages.id"],
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["tickets.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("message_id"),
        sa.UniqueConstraint("send_key"),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_due", ["state", "next_attempt_at"], unique=False)

    create_message_fts(op.get_bind())


def downgrade() -> None:
    drop_message_fts(op.get_bind())
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_due")

    op.drop_table("outbox")
    with op.batch_alter_table("ticket_tags", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ticket_tags_tag_id"))

    op.drop_table("ticket_tags")
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.drop_index(
            "ux_messages_external",
            sqlite_where=sa.text("external_id IS NOT NULL"),
            postgresql_where=sa.text("external_id IS NOT NULL"),
        )
        batch_op.drop_index("ix_messages_ticket")

    op.drop_table("messages")
    op.drop_table("drafts")
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tickets_external_thread_key"))
        batch_op.drop_index("ix_tickets_customer")
        batch_op.drop_index("ix_tickets_channel_due")
        batch_op.drop_index("ix_tickets_assignee_due")
        batch_op.drop_index("ix_tickets_active_due")

    op.drop_table("tickets")
    with op.batch_alter_table("customer_notes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_customer_notes_customer_id"))

    op.drop_table("customer_notes")
    with op.batch_alter_table("customer_identities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_customer_identities_customer_id"))

    op.drop_table("customer_identities")
    with op.batch_alter_table("customers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_customers_merged_into_id"))

    op.drop_table("customers")
    op.drop_table("tags")
    op.drop_table("sync_mutations")
    op.drop_table("settings")
    with op.batch_alter_table("channel_accounts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_channel_accounts_channel"))

    op.drop_table("channel_accounts")
    op.drop_table("agents")
