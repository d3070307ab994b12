"""The composer: reply or private note, draft saved as the operator types (debounced), sent with
Ctrl+Enter. A note is visibly different (yellow) so nobody sends one by mistake."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desk_app.channels.simulated import MAX_REPLY_CHARS
from desk_app.domain.enums import Channel

DRAFT_DELAY_MS = 600


class Composer(QWidget):
    send_requested = Signal(str, str, bool)  # ticket id, text, is_note
    draft_changed = Signal(str, str, bool)  # ticket id, text, is_note (debounced)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("composer")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.ticket_id: str | None = None
        self.channel: str | None = None
        self._busy = False
        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(DRAFT_DELAY_MS)
        self._draft_timer.timeout.connect(self.flush_draft)

        self.reply_button = QToolButton(self)
        self.note_button = QToolButton(self)
        for button in (self.reply_button, self.note_button):
            button.setCheckable(True)
            button.setAutoRaise(True)
        self.reply_button.setChecked(True)
        group = QButtonGroup(self)
        group.setExclusive(True)
        group.addButton(self.reply_button)
        group.addButton(self.note_button)
        self.note_button.toggled.connect(self._mode_changed)
        self.counter = QLabel(self)
        self.hint = QLabel(self)
        self.hint.setEnabled(False)
        self.hint.setMinimumWidth(1)  # a narrow window clips this reminder, not the ticket list
        self.send_button = QPushButton(self)
        self.send_button.setObjectName("sendButton")
        self.send_button.clicked.connect(self.send)
        self.edit = QPlainTextEdit(self)
        self.edit.setObjectName("composerEdit")
        self.edit.setTabChangesFocus(True)
        self.edit.setMinimumHeight(70)
        self.edit.textChanged.connect(self._text_changed)

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.reply_button)
        top.addWidget(self.note_button)
        top.addStretch(1)
        top.addWidget(self.counter)
        top.addWidget(self.hint)
        top.addWidget(self.send_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 8)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(self.edit)
        self.retranslate()
        self.set_ticket(None, None, "", False)

    # -- state -------------------------------------------------------------------------------
    @property
    def is_note(self) -> bool:
        return self.note_button.isChecked()

    def text(self) -> str:
        return self.edit.toPlainText()

    def set_ticket(
        self, ticket_id: str | None, channel: str | None, draft: str, is_note: bool
    ) -> None:
        """Switch to another ticket, saving what was typed for the previous one first."""
        if self._draft_timer.isActive():
            self.flush_draft()
        self.ticket_id, self.channel = ticket_id, channel
        self._busy = False
        self.edit.blockSignals(True)
        self.edit.setPlainText(draft)
        self.edit.blockSignals(False)
        self.note_button.setChecked(is_note)
        self.reply_button.setChecked(not is_note)
        self.setEnabled(ticket_id is not None)
        self._update()

    def start(self, note: bool) -> None:
        """R / N: choose the mode and put the cursor in the text."""
        (self.note_button if note else self.reply_button).setChecked(True)
        self.edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.edit.moveCursor(self.edit.textCursor().MoveOperation.End)

    def send(self) -> None:
        text = self.text().strip()
        if not text or self.ticket_id is None or self._busy:
            return
        self._draft_timer.stop()
        self._busy = True
        self._update()
        self.send_requested.emit(self.ticket_id, text, self.is_note)

    def sent(self, ticket_id: str) -> None:
        """The reply/note is stored: clear the text (if still on that ticket)."""
        if ticket_id == self.ticket_id:
            self._busy = False
            self.edit.blockSignals(True)
            self.edit.clear()
            self.edit.blockSignals(False)
            self.note_button.setChecked(False)
            self.reply_button.setChecked(True)
            self._update()

    def send_failed(self) -> None:
        self._busy = False
        self._update()

    def flush_draft(self) -> None:
        self._draft_timer.stop()
        if self.ticket_id is not None:
            self.draft_changed.emit(self.ticket_id, self.text(), self.is_note)

    # -- reactions ---------------------------------------------------------------------------
    def _text_changed(self) -> None:
        self._draft_timer.start()
        self._update()

    def _mode_changed(self, _note: bool) -> None:
        self.edit.setProperty("note", self.is_note)
        self.edit.style().unpolish(self.edit)
        self.edit.style().polish(self.edit)
        self.retranslate()
        if self.text():
            self._draft_timer.start()

    def _update(self) -> None:
        text = self.text()
        limit = MAX_REPLY_CHARS.get(Channel(self.channel)) if self.channel in set(Channel) else None
        over = limit is not None and not self.is_note and len(text) > limit
        self.counter.setText(f"{len(text)}/{limit}" if limit and text and not self.is_note else "")
        self.counter.setStyleSheet("color: #d0312d; font-weight: bold" if over else "")
        self.send_button.setEnabled(bool(text.strip()) and not self._busy and not over)

    def retranslate(self) -> None:
        self.reply_button.setText(self.tr("Reply"))
        self.note_button.setText(self.tr("Private note"))
        self.hint.setText(self.tr("Ctrl+Enter to send"))
        self.send_button.setText(self.tr("Add note") if self.is_note else self.tr("Send"))
        self.edit.setPlaceholderText(
            self.tr("Private note for colleagues. The customer never sees it.")
            if self.is_note
            else self.tr("Write a reply… (R to reply, N for a private note)")
        )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
