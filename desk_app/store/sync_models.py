"""Workstation-side sync state: which server this profile syncs with and how far it has read.

One row (``id = "server"``). The session token is never here — only in the OS keyring. The
cursor is the server's opaque ``<epoch>-<seq>``; it advances only after the records it covers
are stored, so a crash re-reads (upserts are idempotent) instead of skipping.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from desk_app.store.models import Base

SYNC_STATE_ID = "server"


class SyncState(Base):
    __tablename__ = "sync_state"
    id: Mapped[str] = mapped_column(String(20), primary_key=True, default=SYNC_STATE_ID)
    server_url: Mapped[str] = mapped_column(String(500))
    username: Mapped[str] = mapped_column(String(100))
    user_id: Mapped[str | None] = mapped_column(String(36))  # the server's id = our agent id
    cursor: Mapped[str] = mapped_column(String(64), default="")
    # Team mode: the server's fetcher runs the shared channel accounts and sends their replies,
    # so this workstation neither fetches nor sends them itself.
    team_channels: Mapped[bool] = mapped_column(default=True)
    last_pull_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
