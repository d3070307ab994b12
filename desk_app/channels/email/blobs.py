"""Content-addressed files in the profile's ``attachments/`` directory.

A file is named by the SHA-256 of its bytes, so the same attachment sent to ten tickets is stored
once, a refetch rewrites nothing, and a file can be checked against its name. Raw message
sources live here too: whatever the parser made of a message, its original stays viewable.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

ATTACHMENTS_DIR = "attachments"
_DIGEST = re.compile(r"[0-9a-f]{64}")


class BlobStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        self._made: set[str] = set()

    @classmethod
    def for_profile(cls, profile_dir: Path) -> BlobStore:
        return cls(profile_dir / ATTACHMENTS_DIR)

    def path_for(self, digest: str) -> Path:
        if not _DIGEST.fullmatch(digest):
            raise ValueError(f"not a sha256 digest: {digest!r}")
        return self.root / digest[:2] / digest

    def put(self, data: bytes) -> str:
        """Store ``data`` (once) and return its digest."""
        digest = hashlib.sha256(data).hexdigest()
        directory = os.path.join(self.root, digest[:2])
        target = os.path.join(directory, digest)
        if os.path.exists(target):
            return digest
        if directory not in self._made:
            os.makedirs(directory, exist_ok=True)
            self._made.add(directory)
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".part-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, target)  # readers never see half a file
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return digest

    def get(self, digest: str) -> bytes:
        return self.path_for(digest).read_bytes()

    def exists(self, digest: str) -> bool:
        return self.path_for(digest).exists()
