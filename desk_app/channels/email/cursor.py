"""The email connector's opaque cursor: per folder, where the last stored message was.

``uidvalidity`` says whether UIDs still mean what they meant; ``last_uid`` is the highest UID
whose message is stored; ``uidnext``/``modseq`` are the server's counters seen when the folder
was last fully caught up, so "nothing new" costs one STATUS per folder and no SELECT.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

VERSION = 1


@dataclass(frozen=True)
class FolderState:
    uidvalidity: int
    last_uid: int = 0
    uidnext: int = 0  # 0: not caught up yet
    modseq: int = 0  # HIGHESTMODSEQ (CONDSTORE) when caught up; 0 when the server has none


def load(cursor: str | None) -> dict[str, FolderState]:
    if not cursor:
        return {}
    try:
        data = json.loads(cursor)
        if data.get("v") != VERSION:
            return {}
        return {name: FolderState(**state) for name, state in data["folders"].items()}
    except (ValueError, TypeError, KeyError):  # unreadable: start over; Message-IDs dedupe
        return {}


def dump(folders: dict[str, FolderState]) -> str:
    return json.dumps(
        {"v": VERSION, "folders": {name: asdict(s) for name, s in sorted(folders.items())}},
        separators=(",", ":"),
    )
