"""Server tables. Shared data is a change feed of JSON documents, one row per record.

Why documents and not the workstation's cache tables: the server's job is to order, authorize
and hand out changes, not to query conversations. A ``records`` row per (kind, id) with a global
``seq`` gives pulls one index scan (``seq > cursor``), keeps the server independent of columns
the client cache adds later, and works the same on SQLite and PostgreSQL. ``dedupe_key`` keeps the
(channel, account, external id) rule on the server too, whoever fetched the item.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, Index, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from desk_app.store.types import UtcDateTime, new_id, utcnow


class ServerBase(DeclarativeBase):
    type_annotation_map = {datetime: UtcDateTime, dict[str, Any]: JSON}


class Team(ServerBase):
    __tablename__ = "teams"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class User(ServerBase):
    """A person who signs in. ``id`` is also the agent id workstations see in assignments."""

    __tablename__ = "users"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    role: Mapped[str] = mapped_column(String(20))
    team_id: Mapped[str | None] = mapped_column(ForeignKey("teams.id"))
    password_hash: Mapped[str] = mapped_column(String(200))  # argon2id, never the password
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class SessionToken(ServerBase):
    """A signed-in workstation. Only the SHA-256 of the token is stored, so a leaked table
    grants nothing."""

    __tablename__ = "session_tokens"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]


class Counter(ServerBase):
    """Named counters: ``seq`` (the change sequence, like Anki's USN), ``ticket_number``, and
    ``epoch`` (changes when the database is re-created, so old cursors are refused)."""

    __tablename__ = "counters"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger)


class Record(ServerBase):
    """One shared record (ticket, message, customer, ...) as its latest JSON document."""

    __tablename__ = "records"
    __table_args__ = (
        Index("ix_records_team_seq", "team_id", "seq"),
        # A push loads what it touches by id alone (a message's ticket, a ticket's customer).
        Index("ix_records_id", "id"),
    )
    kind: Mapped[str] = mapped_column(String(30), primary_key=True)
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, unique=True)
    team_id: Mapped[str | None] = mapped_column(String(36))
    dedupe_key: Mapped[str | None] = mapped_column(String(700), unique=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class AppliedMutation(ServerBase):
    """The outcome of every mutation ever applied, keyed by its idempotency key: a repeated push
    gets the stored outcome back instead of applying twice."""

    __tablename__ = "applied_mutations"
    key: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(36), index=True)
    kind: Mapped[str] = mapped_column(String(50))
    entity_id: Mapped[str] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str | None] = mapped_column(Text)
    result: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    applied_at: Mapped[datetime] = mapped_column(default=utcnow)


class Presence(ServerBase):
    """Who is viewing or replying to which ticket; rows expire unless heartbeats renew them.
    In the database so every server process sees every workstation."""

    __tablename__ = "presence"
    user_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    ticket_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    state: Mapped[str] = mapped_column(String(10))
    expires_at: Mapped[datetime] = mapped_column(index=True)
