"""The real main window on a real profile (fixture inbox, simulated channels, the real outbox
worker), offscreen. Tests drive it through the keyboard."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desk_app.ui.launcher import build_window
from desk_app.ui.main_window import MainWindow
from tests.ui.inbox_data import Inbox, SeededDesk, seed_inbox


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[SeededDesk]:
    holder: dict[str, Inbox] = {}
    app = SeededDesk(tmp_path / "profile", seed=lambda ctx: holder.update(inbox=seed_inbox(ctx)))
    app.prepare()
    app.inbox = holder["inbox"]
    yield app
    app.close()


@pytest.fixture
def window(qtbot: QtBot, desk: SeededDesk) -> Iterator[MainWindow]:
    win = build_window(desk, language="en", theme="light")
    qtbot.addWidget(win)
    win.show()
    win.activateWindow()
    with qtbot.waitSignal(win.inbox_ready, timeout=10_000):
        win.start()
    qtbot.waitUntil(lambda: win.detail is not None, timeout=5_000)
    win.table.setFocus()
    yield win
    win.translations.apply("en")  # the translator is application-wide: leave English behind
    win.close()
