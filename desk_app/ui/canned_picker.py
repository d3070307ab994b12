"""Canned replies from the composer: Ctrl+/ opens the picker, a keyword or shortcut filters,
↑/↓ choose, Ctrl+R offers other wording, Enter inserts the reply filled for this ticket.

What could not be filled (no value, a spot to personalise) is inserted visibly and highlighted
in the composer by :func:`highlight_unresolved`; Send stays blocked until it is replaced
(``tone_warnings.review_before_send``).
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QKeySequence, QShortcut, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSplitter,
    QTextBrowser,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from desk_app.domain.templates import Rendered, SpanKind, render, unresolved_spans
from desk_app.services.canned import CannedLibrary, CannedView, search_replies
from desk_app.ui.counts import counted
from desk_app.ui.ops import Ops

UNRESOLVED_BG = "#ffd6d6"
PERSONAL_BG = "#fff0b3"


class CannedPicker(QDialog):
    loaded = Signal()

    def __init__(
        self,
        library: CannedLibrary,
        ops: Ops,
        ticket_id: str | None,
        *,
        language: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("cannedPicker")
        self.library, self.ops, self.ticket_id, self.language = library, ops, ticket_id, language
        self.resize(720, 420)
        self.replies: list[CannedView] = []
        self.values: dict[str, str | None] = {}
        self.choices: dict[str, tuple[int, ...]] = {}
        self.chosen: tuple[CannedView, Rendered] | None = None
        self.search = QLineEdit(self)
        self.search.setObjectName("cannedSearch")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.refresh)
        self.search.installEventFilter(self)
        self.results = QListWidget(self)
        self.results.setObjectName("cannedResults")
        self.results.setWordWrap(True)
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results.currentItemChanged.connect(self._show_current)
        self.results.itemActivated.connect(lambda _item: self.accept())
        self.preview = QTextBrowser(self)
        self.preview.setObjectName("cannedPreview")
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.hint.setEnabled(False)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.results)
        splitter.addWidget(self.preview)
        splitter.setSizes([300, 420])
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.hint)
        QShortcut(QKeySequence("Ctrl+R"), self).activated.connect(self.other_wording)
        self.retranslate()
        self.ops.read(self._load, self._loaded)

    # -- data --------------------------------------------------------------------------------
    def _load(self) -> tuple[list[CannedView], dict[str, str | None]]:
        return self.library.replies(), self.library.context_for(self.ticket_id).values()

    def _loaded(self, result: tuple[list[CannedView], dict[str, str | None]]) -> None:
        self.replies, self.values = result
        self.refresh()
        self.loaded.emit()

    def refresh(self) -> None:
        found = search_replies(self.replies, self.search.text(), language=self.language)
        self.results.clear()
        for reply in found:
            label = reply.title + (f"   /{reply.shortcut}" if reply.shortcut else "")
            used = counted(self.tr("used %n time(s)", "", reply.uses), reply.uses)
            details = [reply.folder, reply.language] + ([used] if reply.uses else [])
            item = QListWidgetItem(f"{label}\n" + " · ".join(d for d in details if d))
            item.setData(Qt.ItemDataRole.UserRole, reply)
            self.results.addItem(item)
        if found:
            self.results.setCurrentRow(0)
        else:
            nothing = self.tr("Nothing found")
            self.preview.setHtml(f"<i>{html.escape(nothing)}</i>")

    def current(self) -> CannedView | None:
        item = self.results.currentItem()
        return None if item is None else item.data(Qt.ItemDataRole.UserRole)

    def rendered(self, reply: CannedView) -> Rendered:
        return render(
            reply.body, self.values, choices=self.choices.get(reply.id), rotation=reply.uses
        )

    # -- actions -----------------------------------------------------------------------------
    def other_wording(self) -> None:
        """Ctrl+R: the next alternative in every [[a|b]] group of the current reply."""
        reply = self.current()
        if reply is None:
            return
        shown = self.rendered(reply)
        if not shown.choices:
            return
        self.choices[reply.id] = tuple(
            (c + 1) % n for c, n in zip(shown.choices, shown.alternative_counts, strict=True)
        )
        self._show_current()

    def accept(self) -> None:
        reply = self.current()
        if reply is None:
            return
        self.chosen = (reply, self.rendered(reply))
        self.ops.write(lambda: self.library.record_use(reply.id, self.ticket_id))
        super().accept()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """↑/↓/PgUp/PgDn in the search field move through the results; Enter inserts."""
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown):
                self.results.keyPressEvent(event)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers():
                self.accept()
                return True
        return super().eventFilter(watched, event)

    # -- view --------------------------------------------------------------------------------
    def _show_current(self, *_: Any) -> None:
        reply = self.current()
        if reply is None:
            return
        shown = self.rendered(reply)
        self.preview.setHtml(rendered_html(shown))
        todo = len(shown.spans)
        self.hint.setText(
            self.tr("Enter inserts · Ctrl+R other wording · Esc closes")
            + (
                ""
                if not todo
                else " · "
                + counted(self.tr("%n place(s) to fill in before sending", "", todo), todo)
            )
        )

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Canned replies"))
        self.search.setPlaceholderText(self.tr("Keyword or /shortcut…"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            self.refresh()
        super().changeEvent(event)


def rendered_html(shown: Rendered) -> str:
    """The filled reply as HTML, unfilled spots marked in colour."""
    out: list[str] = []
    position = 0
    for span in shown.spans:
        out.append(html.escape(shown.text[position : span.start]))
        colour = PERSONAL_BG if span.kind is SpanKind.PERSONALISE else UNRESOLVED_BG
        fragment = html.escape(shown.text[span.start : span.end])
        out.append(f'<span style="background:{colour}">{fragment}</span>')
        position = span.end
    out.append(html.escape(shown.text[position:]))
    return "<div style='white-space: pre-wrap'>" + "".join(out) + "</div>"


def insert_reply(edit: QPlainTextEdit, text: str) -> None:
    """Insert at the cursor (replacing a selection), then mark what is left to fill."""
    cursor = edit.textCursor()
    cursor.insertText(text)
    edit.setTextCursor(cursor)
    highlight_unresolved(edit)


def highlight_unresolved(edit: QPlainTextEdit) -> int:
    """Colour every placeholder left in the composer; returns how many there are. Call on every
    text change so a filled spot loses its colour at once."""
    selections = []
    document_text = edit.toPlainText()
    for span in unresolved_spans(document_text):
        selection = QTextEdit.ExtraSelection()
        cursor = QTextCursor(edit.document())
        cursor.setPosition(span.start)
        cursor.setPosition(span.end, QTextCursor.MoveMode.KeepAnchor)
        fmt = QTextCharFormat()
        fmt.setBackground(
            QColor(PERSONAL_BG if span.kind is SpanKind.PERSONALISE else UNRESOLVED_BG)
        )
        fmt.setToolTip(span.describe())
        selection.cursor = cursor
        selection.format = fmt
        selections.append(selection)
    edit.setExtraSelections(selections)
    return len(selections)
