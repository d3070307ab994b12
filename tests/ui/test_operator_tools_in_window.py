"""The operator tools inside the real main window, by keyboard: a canned reply filled from the
ticket and sent, Send blocked by a placeholder, tone warning overridden, knowledge-base
suggestions for the open ticket, the duplicate review."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from desk_app.ui.canned_picker import CannedPicker
from desk_app.ui.main_window import MainWindow
from desk_app.ui.merge_dialog import MergeDialog
from desk_app.ui.tone_warnings import SendCheckDialog
from tests.ui.inbox_data import SeededDesk

pytestmark = pytest.mark.timeout(60)
Mod = Qt.KeyboardModifier


def show(qtbot: QtBot, window: MainWindow, ticket_id: str) -> None:
    with qtbot.waitSignal(window.ticket_shown, timeout=5_000):
        window.open_ticket(ticket_id)


def in_modal(kind: type[QWidget], act: Callable[[QWidget], None]) -> None:
    """Once a modal ``kind`` opens (its own event loop), run ``act`` on it."""

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, kind):
            QTimer.singleShot(20, poll)
            return
        act(dialog)

    QTimer.singleShot(0, poll)


def back_in(qtbot: QtBot, window: MainWindow) -> None:
    """A modal closed: wait until the window is active again, typing in the reply."""
    qtbot.waitUntil(
        lambda: window.isActiveWindow() and window.composer.edit.hasFocus(), timeout=2_000
    )


def replies(desk: SeededDesk) -> list[str]:
    return [body for _key, _channel, body in desk.remote.deliveries()]


def test_canned_reply_filled_from_the_ticket_and_sent(
    qtbot: QtBot, window: MainWindow, desk: SeededDesk
) -> None:
    show(qtbot, window, desk.inbox.tickets["crash"])  # Olga, Google Play, 5.1.2 on Android 14

    def choose(picker: QWidget) -> None:
        assert isinstance(picker, CannedPicker)
        qtbot.waitUntil(lambda: picker.results.count() > 0, timeout=5_000)
        qtbot.keyClicks(picker.search, "/update")
        qtbot.keyClick(picker.search, Qt.Key.Key_Return)

    in_modal(CannedPicker, choose)
    qtbot.keyClick(window.table, Qt.Key.Key_Slash, Mod.ControlModifier)
    back_in(qtbot, window)
    text = window.composer.text()
    assert text.startswith("Olga, you have version 5.1.2 on Android 14.")
    assert window.composer.edit.extraSelections() == []  # everything was filled
    qtbot.keyClick(window.composer.edit, Qt.Key.Key_Return, Mod.ControlModifier)
    qtbot.waitUntil(lambda: any("5.1.2" in r for r in replies(desk)), timeout=10_000)


def test_placeholder_blocks_send_and_tone_can_be_overridden(
    qtbot: QtBot, window: MainWindow, desk: SeededDesk
) -> None:
    show(qtbot, window, desk.inbox.tickets["crash"])
    window.composer.start(note=False)
    qtbot.keyClicks(window.composer.edit, "Hi {customer.first_name}, update please")
    assert len(window.composer.edit.extraSelections()) == 1  # highlighted as typed
    seen: list[str] = []

    def back_to_edit(dialog: QWidget) -> None:
        assert isinstance(dialog, SendCheckDialog) and dialog.blocking
        seen.append(dialog.details.toPlainText())
        qtbot.keyClick(dialog, Qt.Key.Key_Return)

    in_modal(SendCheckDialog, back_to_edit)
    qtbot.keyClick(window.composer.edit, Qt.Key.Key_Return, Mod.ControlModifier)
    back_in(qtbot, window)
    assert "Fill in {customer.first_name} before sending" in seen[0]
    assert window.composer.text() == "Hi {customer.first_name}, update please"  # nothing sent

    window.composer.edit.selectAll()
    qtbot.keyClicks(window.composer.edit, "Olga, we will fix it in the next update.")

    def send_anyway(dialog: QWidget) -> None:
        assert isinstance(dialog, SendCheckDialog) and not dialog.blocking
        seen.append(dialog.details.toPlainText())
        qtbot.keyClick(dialog, Qt.Key.Key_Return, Mod.ControlModifier)

    in_modal(SendCheckDialog, send_anyway)
    qtbot.keyClick(window.composer.edit, Qt.Key.Key_Return, Mod.ControlModifier)
    assert "Promises a release" in seen[1]
    qtbot.waitUntil(lambda: any("next update" in r for r in replies(desk)), timeout=10_000)
    assert not any("{" in r for r in replies(desk))


def test_knowledge_base_suggests_for_the_open_ticket_and_inserts(
    qtbot: QtBot, window: MainWindow, desk: SeededDesk
) -> None:
    show(qtbot, window, desk.inbox.tickets["filters"])  # "Где фильтры по цене?"
    panel = window.kb_panel
    qtbot.waitUntil(
        lambda: (
            panel.results.count() > 0
            and panel.results.item(0).text().startswith("Нет фильтров в поиске")
        ),
        timeout=5_000,
    )
    qtbot.keyClick(window.table, Qt.Key.Key_K, Mod.ControlModifier | Mod.ShiftModifier)
    assert window.kb_panel.search.hasFocus()
    qtbot.keyClick(window.kb_panel.search, Qt.Key.Key_Down)
    qtbot.keyClick(window.kb_panel.results, Qt.Key.Key_Return)
    assert "https://help.bazaar.example/ru/filters-missing" in window.composer.text()


def test_duplicate_review_opens_from_the_keyboard(qtbot: QtBot, window: MainWindow) -> None:
    seen: list[int] = []

    def look_and_close(dialog: QWidget) -> None:
        assert isinstance(dialog, MergeDialog)
        with qtbot.waitSignal(dialog.loaded, timeout=5_000, raising=False):
            pass
        qtbot.waitUntil(lambda: "duplicate" in dialog.heading.text(), timeout=5_000)
        seen.append(dialog.pairs.count())
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    in_modal(MergeDialog, look_and_close)
    qtbot.keyClick(window.table, Qt.Key.Key_D, Mod.ControlModifier | Mod.ShiftModifier)
    assert seen == [0]  # Mary's two contacts are already one customer
    assert not window.duplicates_badge.isVisible()
