"""Switching an SQLite file to WAL, shared by every SQLite file Desk opens (the profile, the
raw sources, the server's and the simulated provider's). Standard library only: parse workers
import it."""

from __future__ import annotations

import sqlite3
import time
from typing import Any


def use_wal(dbapi_connection: Any) -> None:
    """WAL: readers (the UI) never block on the writer (fetchers, outbox, sync).

    Switching a new file to WAL needs it to itself for a moment, and SQLite answers "database
    is locked" at once, without waiting, when another process (a second desk starting on the
    same profile) is doing the same: so this retries for up to ~5 s."""
    for attempt in range(100):
        try:
            dbapi_connection.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or attempt == 99:
                raise
            time.sleep(0.05)
