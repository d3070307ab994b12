"""Two desks starting on one new file: the switch to WAL waits for the other instead of failing."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from desk_app.store.wal import use_wal


@pytest.mark.timeout(30)
def test_switching_to_wal_waits_while_another_process_holds_the_file(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN EXCLUSIVE")  # as a second desk's first statements would
    # timeout=0: SQLite's own busy handler never waits, as for the journal-mode switch itself
    starter = sqlite3.connect(path, timeout=0, isolation_level=None)
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        starter.execute("PRAGMA journal_mode=WAL")
    release = threading.Timer(0.3, lambda: holder.execute("COMMIT"))
    release.start()
    use_wal(starter)
    release.join()
    assert starter.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    starter.close()
    holder.close()
