"""Content-addressed files in the profile's ``attachments/`` directory.

A file is named by the SHA-256 of its bytes, so the same attachment sent to ten tickets is stored
once, a refetch rewrites nothing, and a file can be checked against its name.

Raw message sources (whatever the parser made of a message, its original stays viewable) are
content-addressed the same way but kept in one SQLite file beside them, ``sources.sqlite3``,
written one batch per transaction: creating a file per message was the dearest single step of a
first sync. :meth:`BlobStore.get` finds a digest in either place (older profiles have their
sources as files).
"""

from __future__ import annotations

import hashlib
import itertools
import os
import re
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path

from desk_app.store.wal import use_wal

ATTACHMENTS_DIR = "attachments"
SOURCES_FILE = "sources.sqlite3"
_DIGEST = re.compile(r"[0-9a-f]{64}")
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
_serial = itertools.count()  # temporary names: unique per process, the pid tells processes apart


class BlobStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        self._made: set[str] = set()
        self._stored: set[str] = set()  # digests known to be on disk (written or seen here)
        self._sources: sqlite3.Connection | None = None
        self._lock = threading.Lock()  # one connection, used by the fetch and UI threads

    @classmethod
    def for_profile(cls, profile_dir: Path) -> BlobStore:
        return cls(profile_dir / ATTACHMENTS_DIR)

    def path_for(self, digest: str) -> Path:
        if not _DIGEST.fullmatch(digest):
            raise ValueError(f"not a sha256 digest: {digest!r}")
        return self.root / digest[:2] / digest

    def put(self, data: bytes) -> str:
        """Store ``data`` (once) and return its digest.

        A first sync writes a file per message (its raw source), so this is the plain sequence
        of system calls: stat, create a private temporary name, write, rename into place (readers
        never see half a file). Digests this store already wrote skip even the stat."""
        digest = hashlib.sha256(data).hexdigest()
        if digest in self._stored:
            return digest
        directory = os.path.join(self.root, digest[:2])
        target = os.path.join(directory, digest)
        if not os.path.exists(target):
            if directory not in self._made:
                os.makedirs(directory, exist_ok=True)
                self._made.add(directory)
            tmp = os.path.join(directory, f".part-{os.getpid()}-{next(_serial)}")
            fd = os.open(tmp, _NEW_FILE, 0o644)
            try:
                try:
                    view = memoryview(data)
                    while view:
                        view = view[os.write(fd, view) :]
                finally:
                    os.close(fd)
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        self._stored.add(digest)
        return digest

    def put_sources(self, raws: Sequence[bytes]) -> list[str]:
        """Store a batch of raw messages in one transaction; their digests, in order."""
        digests = [hashlib.sha256(raw).hexdigest() for raw in raws]
        rows = {d: raw for d, raw in zip(digests, raws, strict=True) if d not in self._stored}
        if rows:
            with self._lock:
                connection = self._source_db()
                with connection:  # one commit
                    connection.executemany(
                        "INSERT OR IGNORE INTO sources(digest, data) VALUES (?, ?)", rows.items()
                    )
            self._stored.update(rows)
        return digests

    def get(self, digest: str) -> bytes:
        path = self.path_for(digest)
        try:
            return path.read_bytes()
        except FileNotFoundError:
            data = self._source(digest)
            if data is None:
                raise
            return data

    def exists(self, digest: str) -> bool:
        return self.path_for(digest).exists() or self._source(digest) is not None

    def _source(self, digest: str) -> bytes | None:
        if not (self.root / SOURCES_FILE).exists():
            return None
        with self._lock:
            row = (
                self._source_db()
                .execute("SELECT data FROM sources WHERE digest = ?", (digest,))
                .fetchone()
            )
        return None if row is None else bytes(row[0])

    def _source_db(self) -> sqlite3.Connection:
        if self._sources is None:
            os.makedirs(self.root, exist_ok=True)
            connection = sqlite3.connect(
                self.root / SOURCES_FILE, timeout=30.0, check_same_thread=False
            )
            use_wal(connection)  # the UI reads while a fetch writes
            connection.execute("PRAGMA synchronous=NORMAL")
            # Checkpoints (with their fsyncs) every 32 MiB instead of 4: a first sync writes
            # tens of megabytes here.
            connection.execute("PRAGMA wal_autocheckpoint=8192")
            _upgrade_sources(connection)
            self._sources = connection
        return self._sources

    def close(self) -> None:
        with self._lock:
            connection, self._sources = self._sources, None
        if connection is not None:
            connection.close()


# Raw sources are appended in rowid order with the digest in a small unique index: a batch
# writes its ~1 MB sequentially. Keyed by the digest itself (``WITHOUT ROWID``, version 0 of
# this file), every source landed at a random place in a b-tree of big rows, and storing a
# first sync's sources cost ~45 µs per message instead of ~17 (a quarter of a parse worker).
_SOURCES_VERSION = 1
_SOURCES_TABLE = """CREATE TABLE {name}(
    id INTEGER PRIMARY KEY, digest TEXT NOT NULL UNIQUE, data BLOB NOT NULL)"""


def _upgrade_sources(connection: sqlite3.Connection) -> None:
    """Create the sources table, or move version 0's rows into the current layout (once, in
    one transaction; a second process doing the same waits on the write lock, then sees the
    new version and does nothing)."""
    if connection.execute("PRAGMA user_version").fetchone()[0] >= _SOURCES_VERSION:
        return
    with connection:
        connection.execute("BEGIN IMMEDIATE")
        if connection.execute("PRAGMA user_version").fetchone()[0] >= _SOURCES_VERSION:
            return
        old = connection.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sources'"
        ).fetchone()
        if old is None:
            connection.execute(_SOURCES_TABLE.format(name="sources"))
        else:
            connection.execute(_SOURCES_TABLE.format(name="sources_v1"))
            connection.execute(
                "INSERT INTO sources_v1(digest, data) SELECT digest, data FROM sources"
            )
            connection.execute("DROP TABLE sources")
            connection.execute("ALTER TABLE sources_v1 RENAME TO sources")
        connection.execute(f"PRAGMA user_version = {_SOURCES_VERSION}")
