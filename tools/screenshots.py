"""Render the main window to PNG in English/Russian × light/dark (docs/screenshots/).

    QT_QPA_PLATFORM=offscreen .venv/bin/python tools/screenshots.py [--profile DIR] [--out DIR]

Without ``--profile`` a fresh demo profile is seeded in a temporary directory. The window shows
the "All active" queue with a conversation open that has replies and a private note.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from sqlalchemy import func, select

from desk_app.app import DeskApp
from desk_app.store.models import Message, Ticket

ROOT = Path(__file__).resolve().parents[1]


def wait_until(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    from PySide6.QtWidgets import QApplication

    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the window did not get there in time")
        QApplication.processEvents()
        time.sleep(0.01)


def showcase_ticket(desk: DeskApp) -> str | None:
    """An active ticket with a customer message, a reply and a private note, if there is one."""
    with desk.ctx.read() as session:
        kinds = func.count(func.distinct(Message.kind))
        return session.scalar(
            select(Ticket.id)
            .join(Message, Message.ticket_id == Ticket.id)
            .where(Ticket.active.is_(True))
            .group_by(Ticket.id)
            .order_by(kinds.desc(), func.count().desc())
            .limit(1)
        )


def render(desk: DeskApp, out: Path, language: str, theme: str) -> Path:
    from desk_app.ui.launcher import build_window

    window = build_window(desk, language=language, theme=theme)
    window.resize(1600, 940)
    shown: list[str] = []
    window.ticket_shown.connect(shown.append)
    window.show()
    window.start()
    wait_until(lambda: bool(shown) and window.queue_model.rowCount() > 0)
    ticket = showcase_ticket(desk)
    if ticket is not None:
        shown.clear()
        row = window.ticket_model.row_of(ticket)
        if row is not None:
            window._select_row(row)
        else:
            window.open_ticket(ticket)
        wait_until(lambda: ticket in shown)
    window.table.setFocus()
    wait_until(lambda: window.ops.pending == 0)
    path = out / f"main-{language}-{theme}.png"
    window.grab().save(str(path))
    window.close()
    window.deleteLater()
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--profile", type=Path)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args(argv)
    from desk_app.ui.launcher import application

    app = application([sys.argv[0]])
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        desk = DeskApp(args.profile or Path(scratch) / "demo")
        desk.prepare()
        try:
            for language in ("en", "ru"):
                for theme in ("light", "dark"):
                    print(render(desk, args.out, language, theme))
        finally:
            desk.close()
    app.quit()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
