"""Content-addressed files in the profile's ``attachments/`` directory.

A file is named by the SHA-256 of its bytes, so the same attachment sent to ten tickets is stored
once, a refetch rewrites nothing, and a file can be checked against its name. Raw message
sources live here too: whatever the parser made of a message, its original stays viewable.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import re
from pathlib import Path

ATTACHMENTS_DIR = "attachments"
_DIGEST = re.compile(r"[0-9a-f]{64}")
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
_serial = itertools.count()  # temporary names: unique per process, the pid tells processes apart


class BlobStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        self._made: set[str] = set()
        self._stored: set[str] = set()  # digests known to be on disk (written or seen here)

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

    def get(self, digest: str) -> bytes:
        return self.path_for(digest).read_bytes()

    def exists(self, digest: str) -> bool:
        return self.path_for(digest).exists()
