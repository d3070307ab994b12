"""Tables of the operator tools: canned replies, knowledge base, duplicate review and merges.

Synced records carry UUIDs and UTC stamps like every other record. Knowledge-base articles also
have an integer ``seq`` (as messages do) because their FTS5 index keys on an integer rowid; the
index holds *stemmed* text written by the service, so it is a plain FTS5 table, not an
external-content one, and a ``fts5vocab`` view over it gives the vocabulary for typo tolerance.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Connection, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from desk_app.store.match_keys import CONTACT_CHANNELS
from desk_app.store.models import Base, Stamped
from desk_app.store.types import new_id, utcnow


class CannedFolder(Stamped, Base):
    __tablename__ = "canned_folders"
    name: Mapped[str] = mapped_column(String(200))
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("canned_folders.id"))
    position: Mapped[int] = mapped_column(Integer, default=0)


class CannedReply(Stamped, Base):
    """A shared reply. ``body`` uses the template syntax of ``desk_app.domain.templates``."""

    __tablename__ = "canned_replies"
    __table_args__ = (
        Index(
            "ux_canned_shortcut",
            "shortcut",
            "language",
            unique=True,
            sqlite_where=text("shortcut IS NOT NULL"),
        ),
    )
    folder_id: Mapped[str | None] = mapped_column(ForeignKey("canned_folders.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    language: Mapped[str] = mapped_column(String(10), default="ru")
    body: Mapped[str] = mapped_column(Text)
    keywords: Mapped[str] = mapped_column(Text, default="")
    shortcut: Mapped[str | None] = mapped_column(String(40))  # typed as "/thanks" in the composer
    archived: Mapped[bool] = mapped_column(Boolean, default=False)


class CannedUsage(Stamped, Base):
    """One use of a reply (insert-only, so counts merge cleanly across workstations)."""

    __tablename__ = "canned_usage"
    reply_id: Mapped[str] = mapped_column(ForeignKey("canned_replies.id"), index=True)
    agent_id: Mapped[str | None] = mapped_column(ForeignKey("agents.id"))
    ticket_id: Mapped[str | None] = mapped_column(String(36))
    used_at: Mapped[datetime] = mapped_column(default=utcnow)


class KbArticle(Base):
    __tablename__ = "kb_articles"
    __table_args__ = (Index("ix_kb_articles_slug", "slug", "language"),)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(36), unique=True, default=new_id)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    slug: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(10))
    category: Mapped[str] = mapped_column(String(200), default="")
    title: Mapped[str] = mapped_column(String(500))
    body: Mapped[str] = mapped_column(Text)  # Markdown
    tags: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="draft")  # draft | published
    public_url: Mapped[str | None] = mapped_column(String(1000))
    source_ticket_id: Mapped[str | None] = mapped_column(String(36))
    author_id: Mapped[str | None] = mapped_column(ForeignKey("agents.id"))
    published_at: Mapped[datetime | None]


class KbTerm(Base):
    """Every word form seen in the knowledge base with its stem: typo tolerance corrects what
    was typed against real words ("notificatons" → "notifications" → stem "notif")."""

    __tablename__ = "kb_terms"
    word: Mapped[str] = mapped_column(String(100), primary_key=True)
    stem: Mapped[str] = mapped_column(String(100))


class CustomerMatchKey(Base):
    """Blocking keys for duplicate detection (email, phone, device, name skeleton), so one
    customer's candidates and a full scan are index look-ups, not comparisons with everyone.
    Derived rows, written only by ``store.match_keys``, which finds a customer's rows from its
    :class:`CustomerMatchFacts` row (keys are a function of the facts): so WITHOUT ROWID and
    no other index, one b-tree to update per key, and no foreign key to check."""

    __tablename__ = "customer_match_keys"
    __table_args__ = {"sqlite_with_rowid": False}
    key: Mapped[str] = mapped_column(String(400), primary_key=True)
    customer_id: Mapped[str] = mapped_column(String(36), primary_key=True)


class CustomerMatchFacts(Base):
    """One row per active customer: what scoring needs (``domain.duplicates.encode_facts``)
    and the name to show, so a scan reads neither customers nor identities."""

    __tablename__ = "customer_match_facts"
    __table_args__ = {"sqlite_with_rowid": False}
    customer_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    display_name: Mapped[str] = mapped_column(String(300))
    facts: Mapped[str] = mapped_column(Text)


class CustomerKeysDirty(Base):
    """Customers whose keyed facts changed in the open transaction (filled by the triggers in
    :data:`KEY_TRIGGERS`, emptied by ``store.match_keys`` before the commit)."""

    __tablename__ = "customer_keys_dirty"
    __table_args__ = {"sqlite_with_rowid": False}
    customer_id: Mapped[str] = mapped_column(String(36), primary_key=True)


def _queue(*customers: str) -> str:
    return " ".join(
        f"INSERT OR IGNORE INTO customer_keys_dirty(customer_id) VALUES ({c});" for c in customers
    )


def _trigger(name: str, event: str, table: str, when: str, *customers: str) -> str:
    return (
        f"CREATE TRIGGER {name} AFTER {event} ON {table} WHEN {when} BEGIN {_queue(*customers)} END"
    )


def _changed(*columns: str) -> str:
    """An update counts only when a keyed column really changed (an ORM update of any other
    field also sets ``updated_at``)."""
    return "(" + " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in columns) + ")"


# Only identities on contact channels feed the keys.
_CONTACT = "(" + ", ".join(f"'{channel}'" for channel in CONTACT_CHANNELS) + ")"
_IDENTITY = ("customer_id", "channel", "external_id")
# Plain SQL, so every writer is caught: ORM, Core bulk inserts, sync apply, merges, even the
# sqlite3 shell.
KEY_TRIGGERS = (
    _trigger("customer_keys_insert", "INSERT", "customers", "1", "NEW.id"),
    _trigger(
        "customer_keys_update",
        "UPDATE OF display_name, attributes, merged_into_id",
        "customers",
        _changed("display_name", "attributes", "merged_into_id"),
        "NEW.id",
    ),
    _trigger("customer_keys_delete", "DELETE", "customers", "1", "OLD.id"),
    _trigger(
        "customer_identity_keys_insert",
        "INSERT",
        "customer_identities",
        f"NEW.channel IN {_CONTACT}",
        "NEW.customer_id",
    ),
    _trigger(
        "customer_identity_keys_update",
        f"UPDATE OF {', '.join(_IDENTITY)}",
        "customer_identities",
        f"(NEW.channel IN {_CONTACT} OR OLD.channel IN {_CONTACT}) AND {_changed(*_IDENTITY)}",
        "OLD.customer_id",
        "NEW.customer_id",
    ),
    _trigger(
        "customer_identity_keys_delete",
        "DELETE",
        "customer_identities",
        f"OLD.channel IN {_CONTACT}",
        "OLD.customer_id",
    ),
)
KEY_TRIGGER_NAMES = tuple(statement.split()[2] for statement in KEY_TRIGGERS)


class DuplicateDismissal(Stamped, Base):
    """An operator said "not the same person": the pair is not proposed again."""

    __tablename__ = "duplicate_dismissals"
    __table_args__ = (Index("ux_duplicate_dismissals_pair", "a_id", "b_id", unique=True),)
    a_id: Mapped[str] = mapped_column(ForeignKey("customers.id"))
    b_id: Mapped[str] = mapped_column(ForeignKey("customers.id"))
    dismissed_by: Mapped[str | None] = mapped_column(ForeignKey("agents.id"))


class CustomerMerge(Stamped, Base):
    """A merge and everything needed to undo it exactly (what moved, what was overwritten)."""

    __tablename__ = "customer_merges"
    survivor_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    merged_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    merged_by: Mapped[str | None] = mapped_column(ForeignKey("agents.id"))
    undo: Mapped[dict[str, Any]] = mapped_column(default=dict)
    undone_at: Mapped[datetime | None]


_KB_FTS_DDL = (
    """CREATE VIRTUAL TABLE kb_fts USING fts5(
        title, body, tokenize="unicode61 remove_diacritics 0"
    )""",
    "CREATE VIRTUAL TABLE kb_fts_vocab USING fts5vocab(kb_fts, 'row')",
)


def create_kb_fts(connection: Connection) -> None:
    """The knowledge-base index: stemmed title and body per article ``seq`` (SQLite only)."""
    if connection.dialect.name != "sqlite":
        return
    for statement in _KB_FTS_DDL:
        connection.exec_driver_sql(statement)


def drop_kb_fts(connection: Connection) -> None:
    if connection.dialect.name != "sqlite":
        return
    connection.exec_driver_sql("DROP TABLE IF EXISTS kb_fts_vocab")
    connection.exec_driver_sql("DROP TABLE IF EXISTS kb_fts")
