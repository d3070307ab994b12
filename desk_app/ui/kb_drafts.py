"""Knowledge-base drafts waiting for review: operators write them from tickets (the KB panel's
"New article from this ticket"); a lead edits title and Markdown body beside a rendered preview,
saves, publishes or discards. Agents see the drafts read-only (the service enforces it too).

Drafts are listed newest first. Keys: ↑/↓ choose a draft, Ctrl+S save, Ctrl+Return publish,
Ctrl+Delete discard, Esc closes. The preview renders Markdown with raw HTML shown as text and
loads no resources at all (no images, local or remote), so an article cannot make the desk fetch
anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QEvent, Qt, QUrl, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QTextDocument
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSplitter,
    QTableWidgetItem,
    QTextBrowser,
    QWidget,
)

from desk_app.services.kb import DRAFT, PUBLISHED, DraftView, KbPermissionError, KnowledgeBase
from desk_app.ui.library_dialog import LibraryDialog, confirmed
from desk_app.ui.ops import Ops
from desk_app.ui.record_table import RecordTable, column_of

LANGUAGES = ("ru", "en")
COLUMNS = ("title", "author", "language", "ticket", "updated")
COLUMN_WIDTHS = {"author": 120, "language": 60, "ticket": 64, "updated": 124}
MARKDOWN = QTextDocument.MarkdownFeature(
    QTextDocument.MarkdownFeature.MarkdownDialectGitHub.value
    | QTextDocument.MarkdownFeature.MarkdownNoHTML.value
)


class MarkdownPreview(QTextBrowser):
    """Rendered Markdown that never loads a resource and never follows a link."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)

    def show_markdown(self, text: str) -> None:
        self.document().setMarkdown(text, MARKDOWN)

    def loadResource(self, type: int, name: QUrl | str) -> Any:
        return None  # images and style sheets stay empty, wherever they point


@dataclass(frozen=True)
class DraftsState:
    drafts: list[DraftView]
    can_publish: bool


def load_drafts(kb: KnowledgeBase) -> DraftsState:
    return DraftsState(kb.drafts(), kb.can_publish())


class KbDraftsDialog(LibraryDialog):
    published = Signal(str)  # article id

    def __init__(self, kb: KnowledgeBase, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(ops, "kbDrafts", parent)
        self.kb = kb
        self.state = DraftsState([], False)
        self.shown_id: str | None = None
        self._build()
        self.retranslate()
        self._set_editable(False)
        self.reload()

    # -- layout ------------------------------------------------------------------------------
    def _build(self) -> None:
        self.table = RecordTable(COLUMNS, COLUMN_WIDTHS, self)
        self.table.setObjectName("kbDraftsTable")
        self.table.currentCellChanged.connect(lambda *_: self._show_current())
        self.empty = QLabel(self)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setEnabled(False)
        left = column_of(self, self.table, self.empty, stretch=0)

        self.title = QLineEdit(self)
        self.title.setObjectName("kbDraftTitle")
        self.language = QComboBox(self)
        self.language.setObjectName("kbDraftLanguage")
        self.language.addItems(LANGUAGES)
        self.category = QLineEdit(self)
        self.category.setObjectName("kbDraftCategory")
        self.source = QLabel(self)
        self.form_labels = [QLabel(self) for _ in range(4)]
        form = QFormLayout()
        for label, field in zip(
            self.form_labels, (self.title, self.language, self.category, self.source), strict=True
        ):
            label.setBuddy(field)
            form.addRow(label, field)
        self.body = QPlainTextEdit(self)
        self.body.setObjectName("kbDraftBody")
        self.body.textChanged.connect(self._update_preview)
        self.preview = MarkdownPreview(self)
        self.preview.setObjectName("kbDraftPreview")
        self.body_label, self.preview_label = QLabel(self), QLabel(self)
        self.body_label.setBuddy(self.body)
        texts = QSplitter(Qt.Orientation.Horizontal, self)
        texts.addWidget(column_of(self, self.body_label, self.body))
        texts.addWidget(column_of(self, self.preview_label, self.preview))
        texts.setChildrenCollapsible(False)
        (self.save_button, self.publish_button, self.discard_button), buttons = self.button_row(
            self.save, self.publish, self.discard
        )
        self.publish_button.setObjectName("kbPublish")
        editor = column_of(self, form, texts, buttons, stretch=1)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(editor)
        splitter.setSizes([560, 720])
        splitter.setChildrenCollapsible(False)
        self.frame(splitter)
        for keys, slot in (
            ("Ctrl+S", self.save),
            ("Ctrl+Return", self.publish),
            ("Ctrl+Enter", self.publish),
            ("Ctrl+Delete", self.discard),
        ):
            QShortcut(QKeySequence(keys), self).activated.connect(slot)

    # -- data --------------------------------------------------------------------------------
    def reload(self) -> None:
        self.read(lambda: load_drafts(self.kb), self._loaded)

    def _loaded(self, state: DraftsState) -> None:
        keep = self.shown_id
        self.state = state
        self.table.setRowCount(len(state.drafts))
        for row, draft in enumerate(state.drafts):
            article = draft.article
            ticket = f"#{draft.ticket_number}" if draft.ticket_number is not None else ""
            updated = article.updated_at.astimezone().strftime("%Y-%m-%d %H:%M")
            cells = {
                "title": QTableWidgetItem(article.title),
                "author": QTableWidgetItem(draft.author or ""),
                "language": QTableWidgetItem(article.language),
                "ticket": QTableWidgetItem(ticket),
                "updated": QTableWidgetItem(updated),
            }
            self.table.set_row(row, draft, cells)
        self.empty.setVisible(not state.drafts)
        self._set_editable(state.can_publish and bool(state.drafts))
        self._update_notice()
        if not (keep and self._select(keep)):
            if state.drafts:
                self.table.setCurrentCell(0, 0)
            else:
                self._clear_editor()
        self._show_current()  # the row may be current already: no signal then
        self.loaded.emit()

    def current(self) -> DraftView | None:
        draft: DraftView | None = self.table.current_record()
        return draft

    def _select(self, article_id: str) -> bool:
        return self.table.select_where(lambda draft: draft.article.id == article_id)

    # -- the editor --------------------------------------------------------------------------
    def _show_current(self) -> None:
        draft = self.current()
        if draft is None:
            return
        article = draft.article
        self.shown_id = article.id
        self.title.setText(article.title)
        self.title.setCursorPosition(0)
        self.language.setCurrentText(article.language)
        self.category.setText(article.category)
        self._show_source()
        self.body.setPlainText(article.body)

    def _show_source(self) -> None:
        draft = self.current()
        number = draft.ticket_number if draft else None
        self.source.setText(self.tr("ticket #%1").replace("%1", str(number)) if number else "—")

    def _clear_editor(self) -> None:
        self.shown_id = None
        for field in (self.title, self.category):
            field.clear()
        self.source.clear()
        self.body.clear()

    def _update_preview(self) -> None:
        self.preview.show_markdown(self.body.toPlainText())

    def _set_editable(self, editable: bool) -> None:
        for field in (self.title, self.category):
            field.setReadOnly(not editable)
        self.body.setReadOnly(not editable)
        self.language.setEnabled(editable)
        for button in (self.save_button, self.publish_button, self.discard_button):
            button.setVisible(self.state.can_publish)
            button.setEnabled(editable)

    # -- writing -----------------------------------------------------------------------------
    def unsaved(self) -> bool:
        draft = self.current()
        if draft is None or not self.state.can_publish or draft.article.id != self.shown_id:
            return False
        article = draft.article
        return (
            self.title.text().strip(),
            self.body.toPlainText(),
            self.language.currentText(),
            self.category.text().strip(),
        ) != (article.title, article.body, article.language, article.category)

    def _write(self, status: str) -> None:
        """Save the editor's text as a draft, or save and publish in one transaction."""
        draft = self.current()
        if draft is None or not self.state.can_publish:
            if draft is not None:
                self.status.setText(self._refused())
            return
        title = self.title.text().strip()
        if not title:
            self.status.setText(self.tr("An article needs a title"))
            self.title.setFocus()
            return
        article = draft.article
        fields: dict[str, Any] = {
            "title": title,
            "body": self.body.toPlainText(),
            "language": self.language.currentText(),
            "category": self.category.text().strip(),
            "tags": article.tags,
            "status": status,
            "article_id": article.id,
        }

        def done(article_id: str) -> None:
            if status == PUBLISHED:
                self.status.setText(self.tr("Published “%1”").replace("%1", title))
                self.shown_id = None
                self.published.emit(article_id)
            else:
                self.status.setText(self.tr("Saved “%1”").replace("%1", title))
            self.reload()

        self.change(lambda: self.kb.save_article(**fields), done)

    def save(self) -> None:
        self._write(DRAFT)

    def publish(self) -> None:
        self._write(PUBLISHED)

    def discard(self) -> None:
        draft = self.current()
        if draft is None or not self.state.can_publish:
            return
        question = self.tr("Discard “%1”? It will not be published.")
        if not confirmed(
            self, self.tr("Discard draft"), question.replace("%1", draft.article.title)
        ):
            return

        def done(_result: Any) -> None:
            self.shown_id = None
            self.status.setText(self.tr("Discarded “%1”").replace("%1", draft.article.title))
            self.reload()

        self.change(lambda: self.kb.discard(draft.article.id), done)

    def describe_failure(self, error: BaseException) -> str:
        if isinstance(error, KbPermissionError):
            return self._refused()
        return super().describe_failure(error)

    def _refused(self) -> str:
        return self.tr("Only a team lead or an admin can publish or change drafts here")

    # -- view --------------------------------------------------------------------------------
    def _update_notice(self) -> None:
        self.show_read_only(
            not self.state.can_publish,
            self.tr("Read-only: a team lead or an admin reviews and publishes drafts."),
        )

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Knowledge-base drafts"))
        self.table.set_headers(
            [
                self.tr("Title"),
                self.tr("Author"),
                self.tr("Language"),
                self.tr("Ticket"),
                self.tr("Updated"),
            ]
        )
        self.empty.setText(self.tr("No drafts waiting for review"))
        for label, text in zip(
            self.form_labels,
            (self.tr("&Title"), self.tr("&Language"), self.tr("&Category"), self.tr("Source")),
            strict=True,
        ):
            label.setText(text)
        self.body_label.setText(self.tr("Text (&Markdown)"))
        self.preview_label.setText(self.tr("Preview"))
        self.save_button.setText(self.tr("Save draft"))
        self.save_button.setToolTip("Ctrl+S")
        self.publish_button.setText(self.tr("Publish"))
        self.publish_button.setToolTip("Ctrl+Return")
        self.discard_button.setText(self.tr("Discard"))
        self.discard_button.setToolTip("Ctrl+Delete")
        self._update_notice()
        self._show_source()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
