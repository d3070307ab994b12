"""Where Desk's shipped resources live (icons, themes, translations, sandbox, knowledge base).

From a checkout or an editable install they are the repository's ``resources/``; an installed
wheel carries them under ``<prefix>/share/desk/resources`` (see installer/). No Qt here: services
(demo data, knowledge base, tone rules) read resources too.
"""

from __future__ import annotations

import sys
from pathlib import Path


def _find() -> Path:
    candidates = (
        Path(__file__).resolve().parent.parent / "resources",
        Path(sys.prefix) / "share" / "desk" / "resources",
    )
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    return candidates[0]


RESOURCES_DIR = _find()


def resource(*parts: str) -> Path:
    return RESOURCES_DIR.joinpath(*parts)
