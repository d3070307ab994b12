"""Read-only access to the files behind a stored message: its raw source and its attachments.

Channels store them content-addressed in the profile (see ``channels.email.blobs``) and put the
digests in ``Message.meta``: ``raw_sha256`` for the source, ``attachments`` (name, size, content
type, sha256, content id, inline) for the parts. This module turns that meta into typed records
and bytes/paths, so views never parse meta or know the directory layout. The blob store is
imported on first use only: a start-up that shows no mail file never loads the email package.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from desk_app.channels.email.blobs import BlobStore

OPENED_DIR = "opened"  # copies handed to the system viewer, under the profile

MAX_INLINE_IMAGE = 10 * 1024 * 1024  # a bigger "inline image" is not drawn in the conversation


@dataclass(frozen=True)
class AttachmentRef:
    name: str
    content_type: str
    size: int
    sha256: str
    content_id: str | None = None
    inline: bool = False


def attachments_of(meta: Mapping[str, Any]) -> tuple[AttachmentRef, ...]:
    """The attachments a channel recorded in ``meta`` (malformed entries are left out)."""
    found = []
    for entry in meta.get("attachments") or ():
        if not isinstance(entry, Mapping) or not isinstance(entry.get("sha256"), str):
            continue
        found.append(
            AttachmentRef(
                name=str(entry.get("name") or "attachment"),
                content_type=str(entry.get("content_type") or "application/octet-stream"),
                size=int(entry.get("size") or 0),
                sha256=entry["sha256"],
                content_id=entry.get("content_id") or None,
                inline=bool(entry.get("inline")),
            )
        )
    return tuple(found)


def listed_attachments(meta: Mapping[str, Any]) -> tuple[AttachmentRef, ...]:
    """What the operator sees as attachments: everything but inline images the HTML shows."""
    return tuple(a for a in attachments_of(meta) if not (a.inline and a.content_id))


def source_digest(meta: Mapping[str, Any]) -> str | None:
    digest = meta.get("raw_sha256")
    return digest if isinstance(digest, str) and digest else None


def warnings_of(meta: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(str(w) for w in meta.get("warnings") or () if w)


def decode_source(raw: bytes) -> tuple[str, str]:
    """Raw RFC 822 bytes as text for reading, and the encoding used. UTF-8 when the bytes are
    valid UTF-8; otherwise Latin-1, which maps every byte to one character (nothing is lost or
    replaced, 8-bit text just looks foreign). NULs become U+FFFD so text widgets show them."""
    try:
        text, encoding = raw.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        text, encoding = raw.decode("latin-1"), "Latin-1"
    return text.replace("\x00", "\ufffd"), encoding


class MessageFiles:
    """The profile's message files. Every method does file I/O: call it off the UI thread,
    except :meth:`inline_image` (small local reads while a conversation renders)."""

    def __init__(self, profile_dir: Path) -> None:
        self.profile_dir = profile_dir
        self._store: BlobStore | None = None

    @property
    def store(self) -> BlobStore:
        if self._store is None:
            from desk_app.channels.email.blobs import BlobStore

            self._store = BlobStore.for_profile(self.profile_dir)
        return self._store

    def path(self, digest: str) -> Path:
        """Where the file is (may not exist: a team workstation has no fetched files)."""
        return self.store.path_for(digest)

    def available(self, digest: str) -> bool:
        try:
            return self.store.exists(digest)
        except ValueError:
            return False

    def source(self, meta: Mapping[str, Any]) -> bytes:
        """The message as it arrived. FileNotFoundError when the source is not here."""
        digest = source_digest(meta)
        if digest is None:
            raise FileNotFoundError("this message has no stored source")
        return self.store.get(digest)

    def inline_image(self, attachments: tuple[AttachmentRef, ...], content_id: str) -> bytes | None:
        """The bytes of the part ``cid:content_id`` names, if it is one of these attachments."""
        wanted = content_id.strip("<>")
        for attachment in attachments:
            if attachment.content_id == wanted and attachment.size <= MAX_INLINE_IMAGE:
                try:
                    return self.store.get(attachment.sha256)
                except (OSError, ValueError):
                    return None
        return None

    def export(self, attachment: AttachmentRef, target: Path) -> Path:
        """Copy an attachment to ``target`` (a save-as choice)."""
        shutil.copyfile(self.path(attachment.sha256), target)
        return target

    def export_for_opening(self, attachment: AttachmentRef) -> Path:
        """A private copy under the attachment's own name, for the system's viewer (the
        store's file has no extension and must never be modified by an editor). Copies live in
        the profile's ``opened/`` and are removed at the next start (:func:`clear_opened`)."""
        root = self.profile_dir / OPENED_DIR
        root.mkdir(parents=True, exist_ok=True)
        folder = Path(tempfile.mkdtemp(prefix="attachment-", dir=root))
        return self.export(attachment, folder / _safe_name(attachment.name))


def clear_opened(profile_dir: Path) -> None:
    """Remove the copies opened in an earlier session (a viewer may still hold this session's)."""
    shutil.rmtree(profile_dir / OPENED_DIR, ignore_errors=True)


def _safe_name(name: str) -> str:
    """A file name that stays inside its folder on every platform."""
    cleaned = "".join("_" if c in '<>:"/\\|?*' or ord(c) < 32 else c for c in name).strip(" .")
    return cleaned[:180] or "attachment"
