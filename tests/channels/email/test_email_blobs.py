"""Raw sources go to the profile's source file a batch at a time; attachments stay files; both
are found by digest, also sources an older Desk stored as files."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from desk_app.channels.email.blobs import SOURCES_FILE, BlobStore


def test_sources_are_stored_once_per_batch_and_found_by_digest(tmp_path: Path) -> None:
    raws = [b"Subject: one\r\n\r\nbody", b"Subject: two\r\n\r\nbody", b"Subject: one\r\n\r\nbody"]
    store = BlobStore(tmp_path)
    digests = store.put_sources(raws)
    assert digests == [hashlib.sha256(r).hexdigest() for r in raws]
    assert (tmp_path / SOURCES_FILE).exists()
    assert not any(p.is_dir() for p in tmp_path.iterdir())  # no file per message
    fresh = BlobStore(tmp_path)  # another process or a later start
    assert [fresh.get(d) for d in digests] == raws
    assert fresh.exists(digests[1])
    assert fresh.put_sources(raws[:1]) == digests[:1]  # a refetch stores nothing new


def test_attachments_stay_files_and_old_file_sources_are_still_read(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    digest = store.put(b"%PDF-1.4 attachment")
    assert store.path_for(digest).read_bytes() == b"%PDF-1.4 attachment"
    assert store.get(digest) == b"%PDF-1.4 attachment"
    missing = hashlib.sha256(b"never stored").hexdigest()
    assert not store.exists(missing)
    store.put_sources([b"Subject: x\r\n\r\ny"])
    assert not store.exists(missing)
    with pytest.raises(FileNotFoundError):
        store.get(missing)


def test_a_source_file_of_the_first_layout_is_moved_into_the_current_one(tmp_path: Path) -> None:
    """Version 0 keyed sources by digest (WITHOUT ROWID): its rows move over on first open,
    and a refetch of the same mail still stores nothing twice."""
    old = [b"Subject: kept\r\n\r\nfrom before", b"Subject: also\r\n\r\nkept"]
    with sqlite3.connect(tmp_path / SOURCES_FILE) as connection:
        connection.execute(
            "CREATE TABLE sources(digest TEXT PRIMARY KEY, data BLOB NOT NULL) WITHOUT ROWID"
        )
        connection.executemany(
            "INSERT INTO sources VALUES (?, ?)", [(hashlib.sha256(r).hexdigest(), r) for r in old]
        )
    connection.close()
    store = BlobStore(tmp_path)
    assert [store.get(hashlib.sha256(r).hexdigest()) for r in old] == old
    store.put_sources([old[0], b"Subject: new\r\n\r\nmail"])
    store.close()
    with sqlite3.connect(tmp_path / SOURCES_FILE) as connection:
        layout = connection.execute("SELECT sql FROM sqlite_master WHERE name = 'sources'")
        assert "WITHOUT ROWID" not in layout.fetchone()[0]
        assert connection.execute("SELECT count(*) FROM sources").fetchone()[0] == 3
        assert connection.execute("PRAGMA user_version").fetchone()[0] == 1
    connection.close()
