"""Before Send: placeholders block it; tone warnings can be overridden with Ctrl+Enter."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from desk_app.services.tone_check import ToneService
from desk_app.ui.tone_warnings import SendCheckDialog, review_before_send

CTRL = Qt.KeyboardModifier.ControlModifier


def press_in_dialog(
    qtbot: QtBot, keys: list[tuple[Qt.Key, Qt.KeyboardModifier]], seen: list
) -> None:
    """When the modal check opens, note what it says and press ``keys`` in it, in order (the
    state after each key is noted too: still open or not)."""

    def act() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, act)
            return
        assert isinstance(dialog, SendCheckDialog)
        seen.append((dialog.blocking, dialog.details.toPlainText(), dialog.send_button.isVisible()))
        for key, modifier in keys:
            qtbot.keyClick(dialog, key, modifier)
            seen.append(dialog.isVisible())

    QTimer.singleShot(0, act)


def test_placeholders_block_send_with_a_clear_message(qtbot: QtBot) -> None:
    seen: list = []
    keys = [(Qt.Key.Key_Return, CTRL), (Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier)]
    press_in_dialog(qtbot, keys, seen)
    assert not review_before_send(None, "Здравствуйте, {customer.first_name}!", ToneService())
    blocking, text, send_visible = seen[0]
    assert blocking and not send_visible
    assert "Fill in {customer.first_name} before sending" in text
    assert seen[1:] == [True, False]  # "send anyway" keys do nothing; Enter goes back to edit


def test_tone_warning_can_be_sent_anyway(qtbot: QtBot) -> None:
    seen: list = []
    press_in_dialog(qtbot, [(Qt.Key.Key_Return, CTRL)], seen)
    assert review_before_send(None, "Мы знаем, скоро исправим!", ToneService())
    blocking, text, _ = seen[0]
    assert not blocking
    assert "Promises a release" in text and "скоро исправим" in text


def test_enter_alone_goes_back_to_editing(qtbot: QtBot) -> None:
    seen: list = []
    press_in_dialog(qtbot, [(Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier)], seen)
    assert not review_before_send(None, "As I already said, read the FAQ carefully.", ToneService())
    assert "Sounds harsh" in seen[0][1]


def test_clean_reply_goes_without_a_dialog(qtbot: QtBot) -> None:
    assert review_before_send(
        None, "Иван, обновите приложение до 135 — фильтры там.", ToneService()
    )


def test_dialog_result_codes(qtbot: QtBot) -> None:
    dialog = SendCheckDialog("x", hits=ToneService().check("kindly wait"))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.result() == QDialog.DialogCode.Rejected
