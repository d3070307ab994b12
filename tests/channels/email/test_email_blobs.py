"""Raw sources go to the profile's source file a batch at a time; attachments stay files; both
are found by digest, also sources an older Desk stored as files."""

from __future__ import annotations

import hashlib
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
