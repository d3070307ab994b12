"""The knowledge base beside the conversation: search as you type (morphology, typos), ranked
results with highlighted snippets, suggestions for the open ticket when nothing is typed,
insert a link or an excerpt into the reply, and "new article from this ticket" (a draft).

Keys (inside the panel): ↓ from the search field to the results, Enter or Ctrl+Alt+L inserts
the link, Ctrl+Alt+E the excerpt, Ctrl+Alt+N writes a draft from the ticket.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desk_app.services.kb import KnowledgeBase, SearchOutcome, SearchResult
from desk_app.ui.counts import counted
from desk_app.ui.ops import Ops

SEARCH_DELAY_MS = 150


class KbPanel(QWidget):
    insert_text = Signal(str)  # a link or an excerpt for the composer
    article_created = Signal(str)  # draft article id
    results_shown = Signal()  # after every refresh (tests, screenshots)

    def __init__(self, kb: KnowledgeBase, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("kbPanel")
        self.kb, self.ops = kb, ops
        self.ticket_id: str | None = None
        self.language: str | None = None
        self._generation = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self.title = QLabel(self)
        self.title.setObjectName("kbTitle")
        self.search = QLineEdit(self)
        self.search.setObjectName("kbSearch")
        self.search.setClearButtonEnabled(True)
        self.search.installEventFilter(self)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.section = QLabel(self)
        self.section.setEnabled(False)
        self.results = QListWidget(self)
        self.results.setObjectName("kbResults")
        self.results.setWordWrap(True)
        self.results.currentItemChanged.connect(self._show_current)
        self.results.itemActivated.connect(lambda _i: self.insert_link())
        self.snippet = QTextBrowser(self)
        self.snippet.setObjectName("kbSnippet")
        self.snippet.setOpenLinks(False)
        self.link_button = QPushButton(self)
        self.link_button.clicked.connect(self.insert_link)
        self.excerpt_button = QPushButton(self)
        self.excerpt_button.clicked.connect(self.insert_excerpt)
        self.new_button = QPushButton(self)
        self.new_button.clicked.connect(self.new_article)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setEnabled(False)
        self._timer.timeout.connect(self.refresh)
        for keys, slot in (
            ("Ctrl+Alt+L", self.insert_link),
            ("Ctrl+Alt+E", self.insert_excerpt),
            ("Ctrl+Alt+N", self.new_article),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.title)
        layout.addWidget(self.search)
        layout.addWidget(self.section)
        layout.addWidget(self.results, 3)
        layout.addWidget(self.snippet, 2)
        for button in (self.link_button, self.excerpt_button, self.new_button):
            layout.addWidget(button)  # stacked: the side pane stays narrow in every language
        layout.addWidget(self.status)
        self.retranslate()
        self._update_buttons()

    # -- inputs ------------------------------------------------------------------------------
    def set_ticket(self, ticket_id: str | None) -> None:
        """The open ticket changed: suggestions follow it while nothing is typed."""
        self.ticket_id = ticket_id
        self.new_button.setEnabled(ticket_id is not None)
        if not self.search.text().strip():
            self.refresh()

    def refresh(self) -> None:
        self._timer.stop()
        self._generation += 1
        generation = self._generation
        query = self.search.text().strip()
        if query:
            self.ops.read(
                lambda: self.kb.search(query, language=self.language),
                lambda outcome: self._searched(generation, outcome),
            )
        elif self.ticket_id is not None:
            ticket_id = self.ticket_id
            self.ops.read(
                lambda: self.kb.suggest_for_ticket(ticket_id),
                lambda found: self._suggested(generation, found),
            )
        else:
            self._show([], self.tr("Type to search the knowledge base"))

    def _searched(self, generation: int, outcome: SearchOutcome) -> None:
        if generation != self._generation:
            return  # the operator typed on: a newer search is running
        note = ""
        if outcome.corrections:
            note = self.tr("Showing results for similar words: %1").replace(
                "%1", ", ".join(word for word, _ in outcome.corrections)
            )
        elif not outcome.matched_all and outcome.results:
            note = self.tr("No article has every word; showing articles with some of them")
        heading = counted(
            self.tr("%n article(s) found", "", len(outcome.results)), len(outcome.results)
        )
        self._show(outcome.results, heading, note)

    def _suggested(self, generation: int, found: list[SearchResult]) -> None:
        if generation == self._generation:
            self._show(
                found,
                self.tr("Suggested for this ticket") if found else self.tr("No suggestions"),
            )

    # -- actions -----------------------------------------------------------------------------
    def current(self) -> SearchResult | None:
        item = self.results.currentItem()
        return None if item is None else item.data(Qt.ItemDataRole.UserRole)

    def insert_link(self) -> None:
        result = self.current()
        if result is None:
            return
        link = self.kb.link_text(result.article)
        if link is None:  # a draft has no public page: offer its text instead
            self.status.setText(self.tr("This article has no public link; inserting an excerpt"))
            self.insert_excerpt()
            return
        self.insert_text.emit(link)

    def insert_excerpt(self) -> None:
        result = self.current()
        if result is not None:
            self.insert_text.emit(self.kb.excerpt_text(result.article))

    def new_article(self) -> None:
        """The answer is missing: write a draft from this ticket for a lead to publish."""
        if self.ticket_id is None:
            return
        ticket_id = self.ticket_id
        self.ops.write(lambda: self.kb.draft_from_ticket(ticket_id), self._created)

    def _created(self, article_id: str) -> None:
        self.status.setText(self.tr("Draft saved. A team lead can publish it."))
        self.article_created.emit(article_id)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() == Qt.Key.Key_Down and self.results.count():
                self.results.setFocus(Qt.FocusReason.OtherFocusReason)
                if self.results.currentRow() < 0:
                    self.results.setCurrentRow(0)
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.refresh()
                return True
        return super().eventFilter(watched, event)

    # -- view --------------------------------------------------------------------------------
    def _show(self, results: list[SearchResult], heading: str, note: str = "") -> None:
        self.section.setText(heading)
        self.status.setText(note)
        self.results.clear()
        for result in results:
            article = result.article
            draft = "" if article.status == "published" else " · " + self.tr("draft")
            item = QListWidgetItem(
                f"{article.title}\n{article.category} · {article.language}{draft}"
            )
            item.setData(Qt.ItemDataRole.UserRole, result)
            item.setToolTip(result.snippet.text)
            self.results.addItem(item)
        if results:
            self.results.setCurrentRow(0)
        else:
            self.snippet.clear()
        self._update_buttons()
        self.results_shown.emit()

    def _show_current(self, *_: Any) -> None:
        result = self.current()
        self._update_buttons()
        if result is None:
            self.snippet.clear()
            return
        self.snippet.setHtml(
            f"<p><b>{result.title.html()}</b><br>"
            f"<span style='color:gray'>{html.escape(result.article.category)}</span></p>"
            f"<p>{result.snippet.html()}</p>"
        )

    def _update_buttons(self) -> None:
        has = self.current() is not None
        self.link_button.setEnabled(has)
        self.excerpt_button.setEnabled(has)
        self.new_button.setEnabled(self.ticket_id is not None)

    def retranslate(self) -> None:
        self.title.setText(self.tr("Knowledge base"))
        self.search.setPlaceholderText(self.tr("Search articles…"))
        self.link_button.setText(self.tr("Insert link"))
        self.link_button.setToolTip("Ctrl+Alt+L")
        self.excerpt_button.setText(self.tr("Insert excerpt"))
        self.excerpt_button.setToolTip("Ctrl+Alt+E")
        self.new_button.setText(self.tr("New article from this ticket"))
        self.new_button.setToolTip("Ctrl+Alt+N")

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            self.refresh()
        super().changeEvent(event)
