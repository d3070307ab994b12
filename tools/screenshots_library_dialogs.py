"""Renders the lead's library dialogs (canned replies, knowledge-base drafts) offscreen, in
English and Russian, to docs/screenshots/.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/screenshots_library_dialogs.py

Same throwaway profile as tools/screenshots_operator_tools.py (shipped samples, a lead at the
desk), plus a few uses of one reply and a draft written from a ticket.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from desk_app.services.canned import CannedLibrary  # noqa: E402
from desk_app.services.kb import KnowledgeBase  # noqa: E402
from desk_app.ui.canned_library import CannedLibraryDialog  # noqa: E402
from desk_app.ui.kb_drafts import KbDraftsDialog  # noqa: E402
from desk_app.ui.ops import Ops  # noqa: E402
from tools.screenshots_operator_tools import build_profile, grab, settle, start_app  # noqa: E402

UNKNOWN = "\n{customer.shoe_size}"  # shown highlighted in the preview


def main() -> int:
    translations = start_app()
    with tempfile.TemporaryDirectory() as tmp:
        ctx, ticket = build_profile(Path(tmp))
        library, kb = CannedLibrary(ctx), KnowledgeBase(ctx)
        favourite = library.by_shortcut("update", language="ru")
        assert favourite is not None
        for _ in range(3):
            library.record_use(favourite.id, ticket)
        kb.draft_from_ticket(ticket)
        ops = Ops()
        for language in ("en", "ru"):
            translations.apply(language)
            canned = CannedLibraryDialog(library, ops, ticket)
            settle(ops)
            canned.sort.setCurrentIndex(canned.sort.findData("recent"))
            canned._select(favourite.id)
            canned.body.appendPlainText(UNKNOWN)
            grab(canned, f"operator-canned-library-{language}.png", ops)
            drafts = KbDraftsDialog(kb, ops)
            grab(drafts, f"operator-kb-drafts-{language}.png", ops)
            for dialog in (canned, drafts):
                dialog.close()
        ops.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
