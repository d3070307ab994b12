"""Driving the real main window with the keyboard: open, reply (queued → sent by the real outbox
worker over the simulated channel), note, resolve, assign, priority, search, palette,
cheat-sheet, language and theme."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desk_app.services.queries import QueueKey, QueueKind
from desk_app.store.models import Draft, Message, Ticket
from desk_app.ui.assign_dialog import AssignDialog
from desk_app.ui.cheatsheet import CheatSheet
from desk_app.ui.main_window import MainWindow
from desk_app.ui.palette import CommandPalette
from desk_app.ui.settings_dialog import SettingsDialog
from tests.ui.inbox_data import SeededDesk

pytestmark = pytest.mark.timeout(60)

Mod = Qt.KeyboardModifier


def key(qtbot: QtBot, window: MainWindow, k: Qt.Key | str, mod: Mod = Mod.NoModifier) -> None:
    target = QApplication.focusWidget() or window.table
    qtbot.keyClick(target, k, mod)


def open_ticket(qtbot: QtBot, window: MainWindow, ticket_id: str) -> None:
    """Walk the list with J/K until ``ticket_id`` is open (like an operator would)."""
    window.table.setFocus()
    for _ in range(window.ticket_model.rowCount() * 2):
        if window.detail is not None and window.detail.row.id == ticket_id:
            return
        target = window.ticket_model.row_of(ticket_id)
        assert target is not None
        with qtbot.waitSignal(window.ticket_shown, timeout=5_000):
            key(qtbot, window, Qt.Key.Key_J if target > window._current_row else Qt.Key.Key_K)
    raise AssertionError("ticket never opened")


def ticket(desk: SeededDesk, ticket_id: str) -> Ticket:
    with desk.ctx.read() as session:
        found = session.get(Ticket, ticket_id)
        assert found is not None
        return found


_pollers: list[QTimer] = []


def on_dialog(kind: type[QDialog], act: Callable[[QDialog], None]) -> None:
    """Act on the next modal dialog of ``kind`` once it is shown (exec() blocks the test)."""
    timer = QTimer()
    timer.setInterval(20)

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, kind) and dialog.isVisible():
            timer.stop()
            act(dialog)

    timer.timeout.connect(poll)
    timer.start()
    _pollers.append(timer)  # kept alive (and stopped) rather than collected mid-flight


def test_first_ticket_opens_with_conversation_and_customer_card(
    qtbot: QtBot, window: MainWindow
) -> None:
    desk = window.desk
    assert isinstance(desk, SeededDesk)
    assert window.queue == QueueKey(QueueKind.ACTIVE)
    assert window.ticket_model.rowCount() == 4
    assert window.detail is not None
    assert window.detail.row.id == desk.inbox.tickets["code"]  # overdue first
    assert "Не приходит код подтверждения" in window.conversation.toPlainText()
    assert window.card_view.name.text() == "Иван Петров"
    code = desk.inbox.tickets["code"]
    qtbot.waitUntil(lambda: not ticket(desk, code).unread, timeout=5_000)  # opening marks it read


def test_j_and_k_move_through_the_list(qtbot: QtBot, window: MainWindow) -> None:
    first = window.current_ticket
    with qtbot.waitSignal(window.ticket_shown, timeout=5_000):
        key(qtbot, window, Qt.Key.Key_J)
    second = window.current_ticket
    assert second != first and window._current_row == 1
    with qtbot.waitSignal(window.ticket_shown, timeout=5_000):
        key(qtbot, window, Qt.Key.Key_Down, Mod.ControlModifier)
    assert window._current_row == 2
    with qtbot.waitSignal(window.ticket_shown, timeout=5_000):
        key(qtbot, window, Qt.Key.Key_K)
    assert window.current_ticket == second


def test_reply_goes_queued_then_sent_through_the_outbox(
    qtbot: QtBot, window: MainWindow, desk: SeededDesk
) -> None:
    ticket_id = desk.inbox.tickets["crash"]
    open_ticket(qtbot, window, ticket_id)
    assert desk.worker is not None
    desk.worker.stop()  # hold the worker so "queued" is visible, then let a new one send it
    desk.worker = None
    key(qtbot, window, Qt.Key.Key_R)
    assert window.composer.edit.hasFocus() and not window.composer.is_note
    qtbot.keyClicks(window.composer.edit, "Thanks! Version 5.1.3 fixes the crash.")
    key(qtbot, window, Qt.Key.Key_Return, Mod.ControlModifier)

    def last_reply_state() -> str | None:
        assert window.detail is not None
        replies = [m for m in window.detail.messages if m.author_kind == "agent"]
        return replies[-1].delivery_state if replies else None

    qtbot.waitUntil(lambda: last_reply_state() == "queued", timeout=5_000)
    assert "queued" in window.conversation.toPlainText()
    assert window.composer.text() == ""
    desk.start_workers()
    qtbot.waitUntil(lambda: last_reply_state() == "sent", timeout=10_000)
    assert "sent" in window.conversation.toPlainText()
    sent = [body for _key, _channel, body in desk.remote.deliveries() if "5.1.3" in body]
    assert sent == ["Thanks! Version 5.1.3 fixes the crash."]
    assert ticket(desk, ticket_id).status == "open"  # answering a new ticket opens it


def test_failed_reply_shows_the_error_and_retries(
    qtbot: QtBot, window: MainWindow, desk: SeededDesk
) -> None:
    ticket_id = desk.inbox.tickets["crash"]  # Google Play: replies up to 350 characters
    open_ticket(qtbot, window, ticket_id)
    desk.actions.send_reply(ticket_id, "x" * 400)  # too long for the store: a permanent error
    qtbot.waitUntil(
        lambda: window.detail is not None and window.detail.messages[-1].delivery_state == "failed",
        timeout=10_000,
    )
    text = window.conversation.toPlainText()
    assert "failed" in text and "the limit is 350" in text and "Retry" in text
    key(qtbot, window, Qt.Key.Key_R, Mod.ControlModifier | Mod.AltModifier)
    qtbot.waitUntil(lambda: len(desk.remote.deliveries()) >= 0 and _states(desk, ticket_id) > 1)


def _states(desk: SeededDesk, ticket_id: str) -> int:
    """How many outbox attempts the failing reply has had."""
    from desk_app.store.models import OutboxEntry

    with desk.ctx.read() as session:
        return max(
            session.scalars(
                select(OutboxEntry.attempts).where(OutboxEntry.ticket_id == ticket_id)
            ).all()
        )


def test_private_note_is_distinct_and_never_sent(
    qtbot: QtBot, window: MainWindow, desk: SeededDesk
) -> None:
    key(qtbot, window, Qt.Key.Key_N)
    assert window.composer.is_note and window.composer.edit.hasFocus()
    assert window.composer.edit.property("note") is True
    qtbot.keyClicks(window.composer.edit, "Customer called twice, be gentle")
    with qtbot.waitSignal(window.ticket_shown, timeout=5_000):
        key(qtbot, window, Qt.Key.Key_Return, Mod.ControlModifier)
    qtbot.waitUntil(lambda: "be gentle" in window.conversation.toPlainText(), timeout=5_000)
    assert "Private note" in window.conversation.toPlainText()
    assert window.detail is not None and window.detail.messages[-1].kind == "note"
    desk.sender.drain()  # everything due is sent now: a note must not be among it
    assert not [body for _key, _channel, body in desk.remote.deliveries() if "gentle" in body]


def test_resolve_moves_on_to_the_next_ticket(
    qtbot: QtBot, window: MainWindow, desk: SeededDesk
) -> None:
    first = window.current_ticket
    assert first is not None
    key(qtbot, window, Qt.Key.Key_E)
    qtbot.waitUntil(lambda: ticket(desk, first).status == "resolved", timeout=5_000)
    qtbot.waitUntil(lambda: window.ticket_model.rowCount() == 3, timeout=5_000)
    qtbot.waitUntil(
        lambda: window.current_ticket not in (None, first) and window.detail is not None,
        timeout=5_000,
    )
    second = window.current_ticket
    assert second is not None
    key(qtbot, window, Qt.Key.Key_R, Mod.ControlModifier | Mod.ShiftModifier)
    qtbot.waitUntil(lambda: ticket(desk, second).status == "resolved", timeout=5_000)
    window.select_queue(QueueKey(QueueKind.DONE))
    qtbot.waitUntil(lambda: window.ticket_model.rowCount() == 3, timeout=5_000)


def test_assign_to_me_and_to_a_colleague(
    qtbot: QtBot, window: MainWindow, desk: SeededDesk
) -> None:
    ticket_id = desk.inbox.tickets["refund"]
    open_ticket(qtbot, window, ticket_id)
    key(qtbot, window, Qt.Key.Key_A)
    qtbot.waitUntil(lambda: ticket(desk, ticket_id).assignee_id == desk.inbox.me, timeout=5_000)
    qtbot.waitUntil(
        lambda: window.detail is not None and window.detail.row.assignee_name == "Anna Operator",
        timeout=5_000,
    )

    def pick_boris(dialog: QDialog) -> None:
        assert isinstance(dialog, AssignDialog)
        qtbot.keyClicks(dialog.query, "bor")
        qtbot.keyClick(dialog.query, Qt.Key.Key_Return)

    on_dialog(AssignDialog, pick_boris)
    key(qtbot, window, Qt.Key.Key_A, Mod.ShiftModifier)
    qtbot.waitUntil(
        lambda: ticket(desk, ticket_id).assignee_id == desk.inbox.colleague, timeout=5_000
    )
    qtbot.waitUntil(lambda: "Assigned to Boris Colleague" in window.conversation.toPlainText())


def test_priority_keys(qtbot: QtBot, window: MainWindow, desk: SeededDesk) -> None:
    ticket_id = window.current_ticket
    assert ticket_id is not None
    key(qtbot, window, Qt.Key.Key_1, Mod.AltModifier)
    qtbot.waitUntil(lambda: ticket(desk, ticket_id).priority == 1, timeout=5_000)
    key(qtbot, window, Qt.Key.Key_4, Mod.AltModifier)
    qtbot.waitUntil(lambda: ticket(desk, ticket_id).priority == 4, timeout=5_000)
    qtbot.waitUntil(lambda: window.ticket_bar.priority.currentData() == 4, timeout=5_000)


def test_draft_is_saved_while_typing_and_comes_back(
    qtbot: QtBot, window: MainWindow, desk: SeededDesk
) -> None:
    ticket_id = window.current_ticket
    key(qtbot, window, Qt.Key.Key_R)
    qtbot.keyClicks(window.composer.edit, "Half-written answer")

    def saved() -> str | None:
        with desk.ctx.read() as session:
            draft = session.get(Draft, ticket_id)
            return draft.body if draft else None

    qtbot.waitUntil(lambda: saved() == "Half-written answer", timeout=5_000)
    key(qtbot, window, Qt.Key.Key_Escape)
    assert window.table.hasFocus()
    with qtbot.waitSignal(window.ticket_shown, timeout=5_000):
        key(qtbot, window, Qt.Key.Key_J)
    assert window.composer.text() == ""
    with qtbot.waitSignal(window.ticket_shown, timeout=5_000):
        key(qtbot, window, Qt.Key.Key_K)
    assert window.composer.text() == "Half-written answer"


def test_search_with_slash(qtbot: QtBot, window: MainWindow, desk: SeededDesk) -> None:
    key(qtbot, window, Qt.Key.Key_Slash)
    assert window.search_box.hasFocus()
    window.search_box.insert("фильтр")  # QTest can only type ASCII; this is what an IME does
    qtbot.waitUntil(lambda: window.searching and window.ticket_model.rowCount() == 1, timeout=5_000)
    assert window.ticket_model.ticket_ids() == [desk.inbox.tickets["filters"]]
    key(qtbot, window, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.ticket_model.rowCount() == 4, timeout=5_000)
    assert not window.searching and window.table.hasFocus()


def test_next_queue_and_queue_counts(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: window.queue_model.rowCount() > 5, timeout=5_000)
    with qtbot.waitSignal(window.queue_shown, timeout=5_000):
        key(qtbot, window, Qt.Key.Key_PageDown, Mod.ControlModifier)
    assert window.queue == QueueKey(QueueKind.OVERDUE)
    assert window.ticket_model.rowCount() == 1
    with qtbot.waitSignal(window.queue_shown, timeout=5_000):
        key(qtbot, window, Qt.Key.Key_Down, Mod.AltModifier)
    assert window.queue.kind is QueueKind.CHANNEL


def test_command_palette_runs_an_action(qtbot: QtBot, window: MainWindow, desk: SeededDesk) -> None:
    ticket_id = window.current_ticket
    assert ticket_id is not None

    def choose(dialog: QDialog) -> None:
        assert isinstance(dialog, CommandPalette)
        qtbot.keyClicks(dialog.query, "assgn me")  # fuzzy: letters in order
        assert dialog.list.currentItem().text().startswith("Assign to me")
        qtbot.keyClick(dialog.query, Qt.Key.Key_Return)

    on_dialog(CommandPalette, choose)
    key(qtbot, window, Qt.Key.Key_K, Mod.ControlModifier)
    qtbot.waitUntil(lambda: ticket(desk, ticket_id).assignee_id == desk.inbox.me, timeout=5_000)


def test_cheat_sheet_lists_every_shortcut(qtbot: QtBot, window: MainWindow) -> None:
    seen: list[str] = []

    def read(dialog: QDialog) -> None:
        assert isinstance(dialog, CheatSheet)
        seen.append(dialog.view.toPlainText())
        dialog.reject()

    on_dialog(CheatSheet, read)
    key(qtbot, window, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: bool(seen), timeout=5_000)
    text = seen[0]
    for title in ("Next ticket", "Reply", "Send", "Resolve", "Assign to me", "Command palette"):
        assert title in text
    assert "Ctrl+K" in text and "Alt+1" in text


def test_switch_language_to_russian_live(
    qtbot: QtBot, window: MainWindow, desk: SeededDesk
) -> None:
    assert window.queues_title.text() == "Queues"

    def to_russian(dialog: QDialog) -> None:
        assert isinstance(dialog, SettingsDialog)
        dialog.language.setCurrentIndex(dialog.language.findData("ru"))
        dialog.reject()

    on_dialog(SettingsDialog, to_russian)
    key(qtbot, window, Qt.Key.Key_Comma, Mod.ControlModifier)
    qtbot.waitUntil(lambda: window.queues_title.text() == "Очереди", timeout=5_000)
    assert window.composer.send_button.text() == "Отправить"
    assert window.registry.actions["resolve"].text() == "Решить"
    assert window.ticket_model.headerData(1, Qt.Orientation.Horizontal) == "Клиент"
    assert window.queue_model.data(window.queue_model.index(2)) == "Все активные"
    assert "Сообщение" not in window.windowTitle() and "Desk" in window.windowTitle()
    from desk_app.services.preferences import load_ui_preferences

    qtbot.waitUntil(lambda: load_ui_preferences(desk.ctx)["language"] == "ru", timeout=5_000)
    window.toggle_language()
    qtbot.waitUntil(lambda: window.queues_title.text() == "Queues", timeout=5_000)


def test_theme_switch_repaints_the_conversation(qtbot: QtBot, window: MainWindow) -> None:
    light = window.conversation.toHtml()
    key(qtbot, window, Qt.Key.Key_L, Mod.ControlModifier | Mod.ShiftModifier)
    assert window.colors.name == "dark"
    assert window.conversation.toHtml() != light
    window.set_theme("light")


def test_incoming_html_is_sanitized_and_nothing_remote_loads(
    qtbot: QtBot, window: MainWindow, desk: SeededDesk
) -> None:
    open_ticket(qtbot, window, desk.inbox.tickets["refund"])
    html = window.conversation.toHtml()
    assert "charged twice" in window.conversation.toPlainText()
    assert "alert" not in html and "tracker.example" not in html and "steal" not in html
    assert window.conversation.refused == []
    window.conversation.setHtml(
        '<img src="https://tracker.example/x.gif"><img src="file:///etc/passwd">'
    )
    assert set(window.conversation.refused) == {
        "https://tracker.example/x.gif",
        "file:///etc/passwd",
    }


def test_customer_card_note_and_history(qtbot: QtBot, window: MainWindow, desk: SeededDesk) -> None:
    open_ticket(qtbot, window, desk.inbox.tickets["refund"])
    qtbot.waitUntil(lambda: window.card_view.name.text() == "Mary Smith", timeout=5_000)
    assert window.card_view.history.count() == 2
    assert "mary@example.com" in window.card_view.contacts.text()
    assert "@mary" in window.card_view.contacts.text()
    key(qtbot, window, Qt.Key.Key_N, Mod.ControlModifier | Mod.ShiftModifier)
    assert window.card_view.note_edit.hasFocus()
    qtbot.keyClicks(window.card_view.note_edit, "Prefers email")
    qtbot.keyClick(window.card_view.note_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Prefers email" in window.card_view.notes.text(), timeout=5_000)


def test_every_write_went_through_the_writer_thread(window: MainWindow) -> None:
    """The UI never holds a session: every widget is plain Qt, every row a frozen dataclass."""
    assert all(not hasattr(w, "session") for w in window.findChildren(QWidget))
    with window.desk.ctx.read() as session:
        assert session.scalar(select(Message.id).limit(1)) is not None


def test_sla_texts_fit_their_column_at_1440_px_in_both_languages(
    qtbot: QtBot, window: MainWindow
) -> None:
    """The longest SLA texts (bold, as on unread rows) are never cut, in English and Russian,
    the whole list fits its pane at the default width, and the SLA column is no wider than
    those texts need: the subject keeps the rest."""
    from PySide6.QtGui import QFont, QFontMetrics
    from PySide6.QtWidgets import QStyle

    from desk_app.ui import labels
    from desk_app.ui.ticket_model import COL

    assert window.width() == 1440
    bold = QFont()
    bold.setBold(True)
    metrics = QFontMetrics(bold)
    table = window.table
    margin = table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 1
    for language, queues in (("ru", "Очереди"), ("en", "Queues")):
        window.translations.apply(language)
        qtbot.waitUntil(lambda q=queues: window.queues_title.text() == q, timeout=5_000)
        texts = [  # overdue 23h 59m, 99d 23h (paused) and so on
            labels.time_left(sign * span, paused=True)
            for span in (23 * 3600 + 59 * 60, 99 * 86400 + 23 * 3600)
            for sign in (-1, 1)
        ]
        needed = max(metrics.horizontalAdvance(text) for text in texts) + 2 * margin
        width = table.columnWidth(COL["sla"])
        assert needed <= width <= needed + 1, (language, texts, width)
        qtbot.waitUntil(lambda: table.horizontalScrollBar().maximum() == 0, timeout=5_000)
        right = table.columnViewportPosition(COL["assignee"]) + table.columnWidth(COL["assignee"])
        assert right <= table.viewport().width()
        assert table.columnWidth(COL["subject"]) > 0


def test_subject_column_is_readable_at_1440_px_in_both_languages(
    qtbot: QtBot, window: MainWindow
) -> None:
    """On a laptop-sized window the subject keeps a useful width, the conversation stays
    readable and the list never scrolls sideways, in English and Russian."""
    from desk_app.ui.ticket_model import COL

    assert window.width() == 1440
    table = window.table
    for language, queues in (("ru", "Очереди"), ("en", "Queues")):
        window.translations.apply(language)
        qtbot.waitUntil(lambda q=queues: window.queues_title.text() == q, timeout=5_000)
        qtbot.waitUntil(lambda: table.horizontalScrollBar().maximum() == 0, timeout=5_000)
        assert table.columnWidth(COL["subject"]) >= 170, language
        assert window.splitter.sizes()[2] >= 400, language
        assert table.columnWidth(COL["sla"]) >= window.ticket_model.text_width("sla"), language
