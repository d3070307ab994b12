"""SQLAlchemy 2 typed models of the local cache.

Every record has a UUID ``id`` made where it is born, and UTC ``created_at``/``updated_at``, so the
same rows can travel through the central server unchanged. Messages also carry an integer
``seq`` (the SQLite rowid) because the FTS5 index needs a stable integer key.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from desk_app.store.types import UtcDateTime, new_id, utcnow

NO_DUE = 1e12  # sorts after every real deadline


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UtcDateTime, dict[str, Any]: JSON}


class Stamped:
    """UUID identity and UTC timestamps, shared by every synced record."""

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Setting(Base):
    """Per-profile key/value settings (current operator, language, theme). Never secrets."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[dict[str, Any]] = mapped_column(JSON)


class Agent(Stamped, Base):
    __tablename__ = "agents"
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    role: Mapped[str] = mapped_column(String(20), default="agent")
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Customer(Stamped, Base):
    __tablename__ = "customers"
    display_name: Mapped[str] = mapped_column(String(300))
    city: Mapped[str | None] = mapped_column(String(200))
    plan: Mapped[str | None] = mapped_column(String(100))
    customer_since: Mapped[datetime | None]
    platform: Mapped[str | None] = mapped_column(String(100))
    app_version: Mapped[str | None] = mapped_column(String(100))
    language: Mapped[str | None] = mapped_column(String(10))
    favourite_agent_id: Mapped[str | None] = mapped_column(ForeignKey("agents.id"))
    merged_into_id: Mapped[str | None] = mapped_column(ForeignKey("customers.id"), index=True)
    attributes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class CustomerIdentity(Stamped, Base):
    """One way to reach a customer: an email address, a Telegram user, a store reviewer, ..."""

    __tablename__ = "customer_identities"
    __table_args__ = (UniqueConstraint("channel", "external_id"),)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    channel: Mapped[str] = mapped_column(String(20))
    external_id: Mapped[str] = mapped_column(String(500))
    display: Mapped[str | None] = mapped_column(String(300))


class CustomerNote(Stamped, Base):
    """A private note on the customer card: never sent, visibly distinct."""

    __tablename__ = "customer_notes"
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    author_id: Mapped[str | None] = mapped_column(ForeignKey("agents.id"))
    body: Mapped[str] = mapped_column(Text)


class ChannelAccount(Stamped, Base):
    """A configured source: a mailbox, a Play app, a bot. Secrets live only in the OS keyring."""

    __tablename__ = "channel_accounts"
    channel: Mapped[str] = mapped_column(String(20), index=True)
    name: Mapped[str] = mapped_column(String(200))
    config: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    cursor: Mapped[str | None] = mapped_column(Text)  # opaque, connector-defined
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    simulated: Mapped[bool] = mapped_column(Boolean, default=False)
    last_error: Mapped[str | None] = mapped_column(Text)


class Tag(Stamped, Base):
    __tablename__ = "tags"
    name: Mapped[str] = mapped_column(String(100), unique=True)


class TicketTag(Base):
    __tablename__ = "ticket_tags"
    ticket_id: Mapped[str] = mapped_column(ForeignKey("tickets.id"), primary_key=True)
    tag_id: Mapped[str] = mapped_column(ForeignKey("tags.id"), primary_key=True, index=True)


class Ticket(Stamped, Base):
    __tablename__ = "tickets"
    __table_args__ = (
        Index("ix_tickets_active_due", "active", "due_rank", "number"),
        Index("ix_tickets_assignee_due", "assignee_id", "active", "due_rank", "number"),
        Index("ix_tickets_channel_due", "channel", "active", "due_rank", "number"),
        Index("ix_tickets_customer", "customer_id", "last_message_at"),
    )
    number: Mapped[int] = mapped_column(Integer, unique=True)  # human-friendly "#1042"
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"))
    channel: Mapped[str] = mapped_column(String(20))
    account_id: Mapped[str | None] = mapped_column(ForeignKey("channel_accounts.id"))
    subject: Mapped[str] = mapped_column(String(500), default="")
    snippet: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[str] = mapped_column(String(20), default="new")
    # Denormalised from status so queue queries use one index: 1 while new/open/pending.
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    priority: Mapped[int] = mapped_column(Integer, default=3)
    assignee_id: Mapped[str | None] = mapped_column(ForeignKey("agents.id"))
    unread: Mapped[bool] = mapped_column(Boolean, default=True)
    external_thread_key: Mapped[str | None] = mapped_column(String(500), index=True)
    last_message_at: Mapped[datetime] = mapped_column(default=utcnow)
    rating: Mapped[int | None] = mapped_column(Integer)
    # SLA clock (see desk_app.domain.sla.SlaClock); sla_due_at is its nearest deadline and
    # due_rank the same as epoch seconds, never NULL (NO_DUE when no clock runs) so queues sort
    # by time left straight from an index.
    sla_due_at: Mapped[datetime | None]
    due_rank: Mapped[float] = mapped_column(Float, default=NO_DUE)
    sla_first_response_due: Mapped[datetime | None]
    sla_first_responded_at: Mapped[datetime | None]
    sla_resolution_due: Mapped[datetime | None]
    sla_resolution_consumed: Mapped[float] = mapped_column(Float, default=0.0)
    sla_running_since: Mapped[datetime | None]
    sla_resolution_target: Mapped[float] = mapped_column(Float, default=0.0)
    sla_stopped: Mapped[bool] = mapped_column(Boolean, default=False)


class Message(Base):
    """Everything in a conversation: customer and agent messages, private notes, events."""

    __tablename__ = "messages"
    __table_args__ = (
        Index("ix_messages_ticket", "ticket_id", "seq"),
        # The same item fetched twice, or by two workstations, is one message.
        Index(
            "ux_messages_external",
            "channel",
            "account_id",
            "external_id",
            unique=True,
            sqlite_where=text("external_id IS NOT NULL"),
        ),
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(36), unique=True, default=new_id)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    ticket_id: Mapped[str] = mapped_column(ForeignKey("tickets.id"))
    kind: Mapped[str] = mapped_column(String(10), default="message")
    author_kind: Mapped[str] = mapped_column(String(10))
    author_agent_id: Mapped[str | None] = mapped_column(ForeignKey("agents.id"))
    channel: Mapped[str] = mapped_column(String(20))
    account_id: Mapped[str | None] = mapped_column(String(36))
    external_id: Mapped[str | None] = mapped_column(String(500))
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
    subject: Mapped[str | None] = mapped_column(String(500))
    body_text: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str | None] = mapped_column(Text)
    delivery_state: Mapped[str | None] = mapped_column(String(10))
    delivery_error: Mapped[str | None] = mapped_column(Text)
    automated: Mapped[bool] = mapped_column(Boolean, default=False)  # auto-reply or bounce
    meta: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Draft(Base):
    """The composer's text, saved as the operator types, so nothing typed is lost."""

    __tablename__ = "drafts"
    ticket_id: Mapped[str] = mapped_column(ForeignKey("tickets.id"), primary_key=True)
    body: Mapped[str] = mapped_column(Text, default="")
    is_note: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class OutboxEntry(Stamped, Base):
    """One reply to deliver. Written in the same transaction as its message."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "state", "next_attempt_at"),)
    message_id: Mapped[str] = mapped_column(ForeignKey("messages.id"), unique=True)
    ticket_id: Mapped[str] = mapped_column(ForeignKey("tickets.id"))
    channel: Mapped[str] = mapped_column(String(20))
    account_id: Mapped[str | None] = mapped_column(String(36))
    # Stable per reply: VK random_id, email Message-ID, the key a provider dedupes on.
    send_key: Mapped[str] = mapped_column(String(200), unique=True)
    state: Mapped[str] = mapped_column(String(10), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    external_id: Mapped[str | None] = mapped_column(String(500))
    sent_at: Mapped[datetime | None]


class Mutation(Base):
    """A local change waiting to be pushed to the central server (the sync outbox).

    Written in the same transaction as the change itself; ``id`` doubles as the idempotency key.
    """

    __tablename__ = "sync_mutations"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(36), unique=True, default=new_id)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    kind: Mapped[str] = mapped_column(String(50))
    entity_id: Mapped[str] = mapped_column(String(36))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    state: Mapped[str] = mapped_column(String(10), default="pending")
    outcome: Mapped[str | None] = mapped_column(Text)
