"""The canned-reply library for leads: folders, replies in Russian and English, a live preview
filled for the open ticket, and how much each reply is used (in all and over the last 30 days).

Leads and admins create, edit, move (the Folder field) and archive replies; everyone else browses
read-only — the service refuses their changes too (``CannedLibrary.can_edit``).

Keys: Ctrl+F filter, Ctrl+N new reply, Ctrl+S save, Ctrl+M folder of this reply, Ctrl+I insert a
variable, Ctrl+Shift+N new folder, Ctrl+Delete archive, Esc closes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSplitter,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from desk_app.domain.templates import KNOWN_VARIABLES, SpanKind, render
from desk_app.services.canned import (
    CannedLibrary,
    CannedPermissionError,
    CannedView,
    FolderView,
    ShortcutTakenError,
    TemplateError,
    search_replies,
)
from desk_app.ui.canned_picker import highlight_unresolved
from desk_app.ui.library_dialog import LibraryDialog, confirmed
from desk_app.ui.ops import Ops
from desk_app.ui.record_table import RecordTable, column_of
from desk_app.ui.tr import QT_TRANSLATE_NOOP, translate

RECENT_DAYS = 30
ALL, NO_FOLDER = "*", ""  # folder filters besides a folder id
LANGUAGES = ("ru", "en")
COLUMNS = ("title", "folder", "language", "shortcut", "uses", "recent")
COLUMN_WIDTHS = {"folder": 110, "language": 60, "shortcut": 76, "uses": 56, "recent": 70}
VARIABLES = {  # KNOWN_VARIABLES' descriptions, translatable
    "customer.first_name": QT_TRANSLATE_NOOP("CannedLibrary", "customer's first name"),
    "customer.name": QT_TRANSLATE_NOOP("CannedLibrary", "customer's full name"),
    "customer.city": QT_TRANSLATE_NOOP("CannedLibrary", "customer's city"),
    "customer.plan": QT_TRANSLATE_NOOP("CannedLibrary", "customer's plan"),
    "customer.platform": QT_TRANSLATE_NOOP("CannedLibrary", "customer's platform"),
    "customer.app_version": QT_TRANSLATE_NOOP("CannedLibrary", "customer's app version"),
    "agent.name": QT_TRANSLATE_NOOP("CannedLibrary", "your name"),
    "agent.first_name": QT_TRANSLATE_NOOP("CannedLibrary", "your first name"),
    "ticket.number": QT_TRANSLATE_NOOP("CannedLibrary", "ticket number"),
    "ticket.subject": QT_TRANSLATE_NOOP("CannedLibrary", "ticket subject"),
}
assert set(VARIABLES) == set(KNOWN_VARIABLES), "describe every variable"


@dataclass(frozen=True)
class LibraryState:
    """One load: what the dialog shows, read in one go off the UI thread."""

    replies: list[tuple[CannedView, int]]  # each reply with its uses in the last RECENT_DAYS
    folders: list[FolderView]
    values: dict[str, str | None]  # variables filled for the open ticket
    ticket_number: int | None
    can_edit: bool


def load_state(library: CannedLibrary, ticket_id: str | None) -> LibraryState:
    since = library.ctx.now() - timedelta(days=RECENT_DAYS)
    context = library.context_for(ticket_id)
    return LibraryState(
        replies=library.usage(since=since),
        folders=library.folders(),
        values=context.values(),
        ticket_number=context.ticket_number,
        can_edit=library.can_edit(),
    )


def _number_item(value: int) -> QTableWidgetItem:
    item = QTableWidgetItem()
    item.setData(Qt.ItemDataRole.DisplayRole, value)  # sorts as a number
    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


class CannedLibraryDialog(LibraryDialog):
    saved = Signal(str)  # reply id

    def __init__(
        self,
        library: CannedLibrary,
        ops: Ops,
        ticket_id: str | None,
        parent: QWidget | None = None,
        *,
        language: str | None = None,  # of new replies (the team's language)
    ) -> None:
        super().__init__(ops, "cannedLibrary", parent)
        self.library, self.ticket_id, self.new_language = library, ticket_id, language
        self.state = LibraryState([], [], {}, None, False)
        self.editing_id: str | None = None  # None: the editor holds a new reply
        self._build()
        self.retranslate()
        self._set_editable(False)
        self.reload()

    # -- layout ------------------------------------------------------------------------------
    def _build(self) -> None:
        self.filter = QLineEdit(self)
        self.filter.setObjectName("cannedFilter")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(lambda _t: self._fill_table())
        self.sort_label = QLabel(self)
        self.sort = QComboBox(self)
        self.sort.setObjectName("cannedSort")
        self.sort.currentIndexChanged.connect(self._apply_sort)
        top = QHBoxLayout()
        top.addWidget(self.filter, 1)
        top.addWidget(self.sort_label)
        top.addWidget(self.sort)

        self.tree = QTreeWidget(self)
        self.tree.setObjectName("cannedFolders")
        self.tree.setHeaderHidden(True)
        self.tree.currentItemChanged.connect(lambda *_: self._fill_table())
        self.new_folder = QLineEdit(self)
        self.new_folder.setObjectName("cannedNewFolder")
        self.new_folder.returnPressed.connect(self.create_folder)
        left = column_of(self, self.tree, self.new_folder, stretch=0)

        self.table = RecordTable(COLUMNS, COLUMN_WIDTHS, self)
        self.table.setObjectName("cannedTable")
        self.table.setSortingEnabled(True)
        self.table.currentCellChanged.connect(lambda *_: self._show_current())

        self.title = QLineEdit(self)
        self.title.setObjectName("cannedTitle")
        self.folder = QComboBox(self)
        self.folder.setObjectName("cannedFolder")
        self.language = QComboBox(self)
        self.language.setObjectName("cannedLanguage")
        self.language.addItems(LANGUAGES)
        self.shortcut = QLineEdit(self)
        self.shortcut.setObjectName("cannedShortcut")
        self.keywords = QLineEdit(self)
        self.keywords.setObjectName("cannedKeywords")
        self.variable = QComboBox(self)
        self.variable.setObjectName("cannedVariable")
        self.variable.activated.connect(self._insert_variable)
        self.body = QPlainTextEdit(self)
        self.body.setObjectName("cannedBody")
        self.body.textChanged.connect(self._update_preview)
        self.preview_title = QLabel(self)
        self.preview = QPlainTextEdit(self)  # highlighted like the composer
        self.preview.setObjectName("cannedLibraryPreview")
        self.preview.setReadOnly(True)
        self.problems = QLabel(self)
        self.problems.setObjectName("cannedProblems")
        self.problems.setWordWrap(True)
        self.form = QFormLayout()
        self.form_labels = [QLabel(self) for _ in range(6)]
        for label, field in zip(
            self.form_labels,
            (self.title, self.folder, self.language, self.shortcut, self.keywords, self.variable),
            strict=True,
        ):
            label.setBuddy(field)
            self.form.addRow(label, field)
        (self.new_button, self.save_button, self.archive_button), buttons = self.button_row(
            self.new_reply, self.save, self.archive
        )
        editor = column_of(
            self,
            self.form,
            self.body,
            self.preview_title,
            self.preview,
            self.problems,
            buttons,
            stretch={1: 3, 3: 2},
        )

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        for widget in (left, self.table, editor):
            splitter.addWidget(widget)
        splitter.setSizes([160, 680, 440])
        splitter.setChildrenCollapsible(False)
        self.frame(top, splitter)
        for keys, slot in (
            ("Ctrl+F", self.filter.setFocus),
            ("Ctrl+N", self.new_reply),
            ("Ctrl+S", self.save),
            ("Ctrl+M", self.folder.setFocus),
            ("Ctrl+I", self._focus_variables),
            ("Ctrl+Shift+N", self.new_folder.setFocus),
            ("Ctrl+Delete", self.archive),
        ):
            QShortcut(QKeySequence(keys), self).activated.connect(slot)

    # -- data --------------------------------------------------------------------------------
    def reload(self, select_id: str | None = None, *, folder_id: str | None = None) -> None:
        """Read everything again; then show ``select_id`` (or the reply being edited) and
        ``folder_id`` (or the folder shown)."""
        ticket_id = self.ticket_id
        self.read(
            lambda: load_state(self.library, ticket_id),
            lambda state: self._loaded(state, select_id, folder_id),
        )

    def _loaded(self, state: LibraryState, select_id: str | None, folder_id: str | None) -> None:
        keep = select_id or self.editing_id
        self.editing_id = None  # show the reply as stored now
        self.state = state
        self._fill_tree(folder_id)
        self._fill_folder_choice()
        self._fill_table()
        self._set_editable(state.can_edit)
        self._update_notice()
        if not (keep and self._select(keep)):
            if self.table.rowCount():
                self.table.setCurrentCell(0, 0)
            else:
                self.new_reply()
        self._update_preview()
        self.loaded.emit()

    def replies(self) -> list[CannedView]:
        return [reply for reply, _ in self.state.replies]

    def recent_uses(self, reply_id: str) -> int:
        return next((n for r, n in self.state.replies if r.id == reply_id), 0)

    def current(self) -> CannedView | None:
        reply: CannedView | None = self.table.current_record()
        return reply

    # -- folders -----------------------------------------------------------------------------
    def _fill_tree(self, wanted: str | None = None) -> None:
        current = self.tree.currentItem()
        if wanted is None:
            wanted = current.data(0, Qt.ItemDataRole.UserRole) if current else ALL
        self.tree.blockSignals(True)
        self.tree.clear()
        everything = QTreeWidgetItem([self.tr("All replies")])
        everything.setData(0, Qt.ItemDataRole.UserRole, ALL)
        self.tree.addTopLevelItem(everything)
        items: dict[str, QTreeWidgetItem] = {}
        for folder in self.state.folders:
            item = QTreeWidgetItem([folder.name])
            item.setData(0, Qt.ItemDataRole.UserRole, folder.id)
            items[folder.id] = item
        for folder in self.state.folders:
            parent = items.get(folder.parent_id) if folder.parent_id else None
            (parent.addChild if parent else self.tree.addTopLevelItem)(items[folder.id])
        loose = QTreeWidgetItem([self.tr("Without a folder")])
        loose.setData(0, Qt.ItemDataRole.UserRole, NO_FOLDER)
        self.tree.addTopLevelItem(loose)
        self.tree.expandAll()
        self.tree.setCurrentItem(items.get(wanted, loose if wanted == NO_FOLDER else everything))
        self.tree.blockSignals(False)

    def _folder_filter(self) -> set[str | None] | None:
        """Folder ids to show (a folder with its subfolders); None shows every reply."""
        item = self.tree.currentItem()
        wanted = item.data(0, Qt.ItemDataRole.UserRole) if item else ALL
        if wanted == ALL:
            return None
        if wanted == NO_FOLDER:
            return {None}
        ids: set[str | None] = {wanted}
        grew = True
        while grew:
            more = {f.id for f in self.state.folders if f.parent_id in ids} - ids
            ids |= more
            grew = bool(more)
        return ids

    def _fill_folder_choice(self) -> None:
        chosen = self.folder.currentData()
        self.folder.clear()
        self.folder.addItem(self.tr("(no folder)"), None)
        for folder in self.state.folders:
            self.folder.addItem(folder.name, folder.id)
        self._choose_folder(chosen)

    def _choose_folder(self, folder_id: str | None) -> None:
        index = self.folder.findData(folder_id)
        self.folder.setCurrentIndex(max(index, 0))

    def create_folder(self) -> None:
        name = self.new_folder.text().strip()
        if not name or not self.state.can_edit:
            return

        def done(folder_id: str) -> None:
            self.new_folder.clear()
            self.status.setText(self.tr("Folder “%1” created").replace("%1", name))
            self.editing_id = None
            self.reload(folder_id=folder_id)

        self.change(lambda: self.library.save_folder(name), done)

    # -- the list ----------------------------------------------------------------------------
    def _fill_table(self) -> None:
        query = self.filter.text()
        replies = self.replies()
        if query.strip():
            replies = search_replies(replies, query, limit=len(replies) or 1)
        folders = self._folder_filter()
        if folders is not None:
            replies = [r for r in replies if r.folder_id in folders]
        keep = self.editing_id
        self.table.blockSignals(True)  # the reply in the editor stays there, whatever is listed
        self.table.setSortingEnabled(False)
        self.table.setRowCount(len(replies))
        for row, reply in enumerate(replies):
            shortcut = f"/{reply.shortcut}" if reply.shortcut else ""
            cells = {
                "title": QTableWidgetItem(reply.title),
                "folder": QTableWidgetItem(reply.folder),
                "language": QTableWidgetItem(reply.language),
                "shortcut": QTableWidgetItem(shortcut),
                "uses": _number_item(reply.uses),
                "recent": _number_item(self.recent_uses(reply.id)),
            }
            self.table.set_row(row, reply, cells)
        self.table.setSortingEnabled(True)
        self._apply_sort()
        if not (keep and self._select(keep)):
            self.table.setCurrentCell(-1, -1)
        self.table.blockSignals(False)

    def _apply_sort(self) -> None:
        column = self.sort.currentData() or "title"
        order = Qt.SortOrder.AscendingOrder if column == "title" else Qt.SortOrder.DescendingOrder
        self.table.sortItems(self.table.columns[column], order)

    def _select(self, reply_id: str) -> bool:
        return self.table.select_where(lambda reply: reply.id == reply_id)

    # -- the editor --------------------------------------------------------------------------
    def _show_current(self) -> None:
        reply = self.current()
        if reply is None or reply.id == self.editing_id:
            return  # already in the editor, perhaps with changes not saved yet
        self.editing_id = reply.id
        self.title.setText(reply.title)
        self.title.setCursorPosition(0)
        self._choose_folder(reply.folder_id)
        self.language.setCurrentText(reply.language)
        self.shortcut.setText(f"/{reply.shortcut}" if reply.shortcut else "")
        self.keywords.setText(reply.keywords)
        self.keywords.setCursorPosition(0)
        self.body.setPlainText(reply.body)
        self.archive_button.setEnabled(self.state.can_edit)

    def new_reply(self) -> None:
        if not self.state.can_edit:
            return
        self.editing_id = None
        self.table.clearSelection()
        for field in (self.title, self.shortcut, self.keywords):
            field.clear()
        self.body.clear()
        if self.new_language in LANGUAGES:
            self.language.setCurrentText(self.new_language)
        folder = self._folder_filter()
        only = next(iter(folder)) if folder and len(folder) == 1 else None
        self._choose_folder(only)
        self.archive_button.setEnabled(False)
        self.status.setText(self.tr("New reply: fill in the title and the text, then Ctrl+S"))
        self.title.setFocus()

    def _focus_variables(self) -> None:
        if self.state.can_edit:
            self.variable.setFocus()
            self.variable.showPopup()

    def _insert_variable(self, index: int) -> None:
        name = self.variable.itemData(index)
        if name and self.state.can_edit:
            self.body.insertPlainText(f"{{{name}}}")
            self.body.setFocus()
        self.variable.setCurrentIndex(0)

    def _update_preview(self) -> None:
        """The reply as this ticket's customer would get it, unfilled spots coloured."""
        shown = render(self.body.toPlainText(), self.state.values)
        self.preview.setPlainText(shown.text)
        highlight_unresolved(self.preview)
        unknown = sorted({s.name for s in shown.spans if s.kind is SpanKind.UNKNOWN_VARIABLE})
        empty = sorted({s.name for s in shown.spans if s.kind is SpanKind.EMPTY_VARIABLE})
        lines = []
        if unknown:
            names = ", ".join(f"{{{n}}}" for n in unknown)
            lines.append(
                self.tr("Unknown variables, Desk can never fill them: %1").replace("%1", names)
            )
        if empty:
            names = ", ".join(f"{{{n}}}" for n in empty)
            lines.append(self.tr("No value on this ticket for: %1").replace("%1", names))
        self.problems.setText("\n".join(lines))
        self.problems.setStyleSheet("color: #c62828;" if unknown else "")

    def _set_editable(self, editable: bool) -> None:
        for field in (self.title, self.shortcut, self.keywords):
            field.setReadOnly(not editable)
        self.body.setReadOnly(not editable)
        for combo in (self.folder, self.language, self.variable):
            combo.setEnabled(editable)
        for widget in (self.new_button, self.save_button, self.archive_button, self.new_folder):
            widget.setVisible(editable)

    # -- writing -----------------------------------------------------------------------------
    def unsaved(self) -> bool:
        if not self.state.can_edit:
            return False
        stored = next((r for r in self.replies() if r.id == self.editing_id), None)
        shortcut = self.shortcut.text().strip().lstrip("/") or None
        shown = (self.title.text().strip(), self.body.toPlainText(), self.keywords.text().strip())
        if stored is None:  # a new reply: anything typed counts
            return any(shown) or shortcut is not None
        return (
            shown != (stored.title, stored.body, stored.keywords.strip())
            or shortcut != stored.shortcut
            or self.folder.currentData() != stored.folder_id
            or self.language.currentText() != stored.language
        )

    def save(self) -> None:
        if not self.state.can_edit:
            self.status.setText(self._refused())
            return
        title = self.title.text().strip()
        if not title:
            self.status.setText(self.tr("A reply needs a title"))
            self.title.setFocus()
            return
        fields: dict[str, Any] = {
            "title": title,
            "body": self.body.toPlainText(),
            "language": self.language.currentText(),
            "folder_id": self.folder.currentData(),
            "keywords": self.keywords.text().strip(),
            "shortcut": self.shortcut.text(),
            "reply_id": self.editing_id,
        }

        def done(reply_id: str) -> None:
            self.editing_id = reply_id
            self.status.setText(self.tr("Saved “%1”").replace("%1", title))
            self.saved.emit(reply_id)
            self.reload(reply_id)

        self.change(lambda: self.library.save_reply(**fields), done)

    def archive(self) -> None:
        reply = self.current()
        if reply is None or not self.state.can_edit or self.editing_id != reply.id:
            return
        question = self.tr("Archive “%1”? Operators will no longer find it.")
        if not confirmed(self, self.tr("Archive reply"), question.replace("%1", reply.title)):
            return

        def done(_result: Any) -> None:
            self.editing_id = None
            self.status.setText(self.tr("Archived “%1”").replace("%1", reply.title))
            self.reload()

        self.change(lambda: self.library.archive(reply.id), done)

    def describe_failure(self, error: BaseException) -> str:
        if isinstance(error, CannedPermissionError):
            return self._refused()
        if isinstance(error, TemplateError):
            text = self.tr("Not saved: %1 — use “Insert variable” (Ctrl+I) for the ones Desk knows")
            return text.replace("%1", str(error))
        if isinstance(error, ShortcutTakenError):
            text = self.tr("Not saved: this shortcut belongs to another reply (%1)")
            return text.replace("%1", str(error))
        return super().describe_failure(error)

    def _refused(self) -> str:
        return self.tr("Only a team lead or an admin can change canned replies")

    # -- view --------------------------------------------------------------------------------
    def _update_notice(self) -> None:
        self.show_read_only(
            not self.state.can_edit,
            self.tr("Read-only: only a team lead or an admin can change the library."),
        )
        if self.state.ticket_number is not None:
            self.preview_title.setText(
                self.tr("Preview for ticket #%1").replace("%1", str(self.state.ticket_number))
            )
        else:
            self.preview_title.setText(self.tr("Preview (no ticket open: variables stay empty)"))

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Canned replies library"))
        self.filter.setPlaceholderText(self.tr("Filter by title, keyword or /shortcut… (Ctrl+F)"))
        self.new_folder.setPlaceholderText(self.tr("New folder…"))
        self.new_folder.setToolTip(self.tr("Ctrl+Shift+N, type a name, Enter"))
        self.sort_label.setText(self.tr("Sort by"))
        sort = self.sort.currentData()
        self.sort.blockSignals(True)
        self.sort.clear()
        for key, text in (
            ("title", self.tr("Title")),
            ("uses", self.tr("Uses, all time")),
            ("recent", self.tr("Uses, last 30 days")),
        ):
            self.sort.addItem(text, key)
        self.sort.setCurrentIndex(max(self.sort.findData(sort), 0))
        self.sort.blockSignals(False)
        self.table.set_headers(
            [
                self.tr("Title"),
                self.tr("Folder"),
                self.tr("Language"),
                self.tr("Shortcut"),
                self.tr("Uses"),
                self.tr("30 days"),
            ]
        )
        for label, text in zip(
            self.form_labels,
            (
                self.tr("&Title"),
                self.tr("F&older"),
                self.tr("&Language"),
                self.tr("S&hortcut"),
                self.tr("&Keywords"),
                self.tr("&Variables"),
            ),
            strict=True,
        ):
            label.setText(text)
        self.shortcut.setPlaceholderText("/thanks")
        self.keywords.setPlaceholderText(self.tr("words operators search for"))
        self.body.setPlaceholderText(
            self.tr(
                "Text with {customer.first_name}, [[Thanks|Many thanks]], [[!make it personal]]"
            )
        )
        self.variable.clear()
        self.variable.addItem(self.tr("Insert variable… (Ctrl+I)"), None)
        for name, description in VARIABLES.items():
            self.variable.addItem(f"{{{name}}} — {translate('CannedLibrary', description)}", name)
        self.new_button.setText(self.tr("New reply"))
        self.new_button.setToolTip("Ctrl+N")
        self.save_button.setText(self.tr("Save"))
        self.save_button.setToolTip("Ctrl+S")
        self.archive_button.setText(self.tr("Archive"))
        self.archive_button.setToolTip("Ctrl+Delete")
        self._update_notice()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            self._fill_tree()
            self._fill_folder_choice()
        super().changeEvent(event)
