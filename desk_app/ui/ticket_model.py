"""The ticket list: a lazily loaded table model.

Pages are fetched on the reader pool (never on the UI thread): ``fetchMore`` starts a load and
returns at once; rows are inserted when the page arrives. Every new source (queue or search)
bumps a generation, so a late page of a previous queue is dropped instead of mixed in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics

from desk_app.services.queries import PAGE_SIZE, TicketRow
from desk_app.ui import labels
from desk_app.ui.icons import channel_icon
from desk_app.ui.ops import Ops
from desk_app.ui.theme import LIGHT, Colors
from desk_app.ui.tr import QT_TRANSLATE_NOOP

PageLoader = Callable[[int, int], list[TicketRow]]  # (offset, limit) -> rows, run off-thread
RowsLoader = Callable[[list[str]], list[TicketRow]]  # ids -> fresh rows, run off-thread
Index = QModelIndex | QPersistentModelIndex

TICKET_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SNIPPET_ROLE = Qt.ItemDataRole.UserRole + 2


@dataclass(frozen=True)
class Column:
    key: str
    title: str  # source text, "TicketList" context


COLUMNS = (
    Column("channel", ""),
    Column("customer", QT_TRANSLATE_NOOP("TicketList", "Customer")),
    Column("subject", QT_TRANSLATE_NOOP("TicketList", "Subject")),
    Column("priority", QT_TRANSLATE_NOOP("TicketList", "Priority")),
    Column("sla", QT_TRANSLATE_NOOP("TicketList", "SLA left")),
    Column("assignee", QT_TRANSLATE_NOOP("TicketList", "Assignee")),
)
COL = {c.key: i for i, c in enumerate(COLUMNS)}
# The longest SLA times of each form (digits are equally wide): days and hours, hours and minutes.
_SLA_SPANS = (99 * 86400 + 23 * 3600, 23 * 3600 + 59 * 60)
_ROLES = frozenset(
    int(r)
    for r in (
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.DecorationRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.FontRole,
        Qt.ItemDataRole.ForegroundRole,
        TICKET_ID_ROLE,
        SNIPPET_ROLE,
    )
)


class TicketListModel(QAbstractTableModel):
    page_loaded = Signal(int)  # how many rows the page brought
    load_failed = Signal(str)

    def __init__(self, ops: Ops, parent: Any = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.colors: Colors = LIGHT
        self._rows: list[TicketRow] = []
        self._loader: PageLoader | None = None
        self._paged = True
        self._exhausted = True
        self._loading = False
        self._generation = 0
        self._bold = QFont()
        self._bold.setBold(True)

    # -- sources -----------------------------------------------------------------------------
    def set_source(self, loader: PageLoader, *, paged: bool = True) -> None:
        """Show another queue (paged) or search result (one load). Loads the first page now."""
        self._generation += 1
        self.beginResetModel()
        self._rows = []
        self._loader = loader
        self._paged = paged
        self._exhausted = False
        self._loading = False
        self.endResetModel()
        self._load(0, PAGE_SIZE, replace=True)

    def reload(self) -> None:
        """Re-read everything loaded so far in one query (after a change moved tickets)."""
        if self._loader is None or self._loading:
            return
        self._load(0, max(PAGE_SIZE, len(self._rows)), replace=True)

    def refresh_rows(self, loader: RowsLoader, ticket_ids: Iterable[str]) -> None:
        """Re-read a few rows in place (a change that cannot move them between queues)."""
        wanted = [t for t in ticket_ids if self.row_of(t) is not None]
        if not wanted:
            return
        generation = self._generation
        self.ops.read(lambda: loader(wanted), lambda rows: self._patch(generation, rows))

    def _patch(self, generation: int, rows: list[TicketRow]) -> None:
        if generation != self._generation:
            return
        for row in rows:
            index = self.row_of(row.id)
            if index is not None:
                self._rows[index] = row
                self.dataChanged.emit(self.index(index, 0), self.index(index, len(COLUMNS) - 1))

    def _load(self, offset: int, limit: int, *, replace: bool) -> None:
        loader = self._loader
        if loader is None:
            return
        self._loading = True
        generation = self._generation
        self.ops.read(
            lambda: loader(offset, limit),
            lambda rows: self._arrived(generation, rows, limit, replace),
            lambda error: self._failed(generation, error),
        )

    def _failed(self, generation: int, error: BaseException) -> None:
        if generation == self._generation:
            self._loading = False
            self._exhausted = True
            self.load_failed.emit(str(error))

    def _arrived(self, generation: int, rows: list[TicketRow], limit: int, replace: bool) -> None:
        if generation != self._generation:
            return
        self._loading = False
        self._exhausted = not self._paged or len(rows) < limit
        if replace:
            self.layoutAboutToBeChanged.emit()
            old = [r.id for r in self._rows]
            persistent = self.persistentIndexList()
            self._rows = list(rows)
            new = {r.id: i for i, r in enumerate(self._rows)}
            for index in persistent:
                ticket = old[index.row()] if 0 <= index.row() < len(old) else None
                row = new.get(ticket) if ticket else None
                self.changePersistentIndex(
                    index, self.index(row, index.column()) if row is not None else QModelIndex()
                )
            self.layoutChanged.emit()
        elif rows:
            start = len(self._rows)
            self.beginInsertRows(QModelIndex(), start, start + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()
        self.page_loaded.emit(len(rows))

    # -- lazy loading ------------------------------------------------------------------------
    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._exhausted and not self._loading

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if self.canFetchMore(parent):
            self._load(len(self._rows), PAGE_SIZE, replace=False)

    @property
    def loading(self) -> bool:
        return self._loading

    # -- access ------------------------------------------------------------------------------
    def ticket_at(self, row: int) -> TicketRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, ticket_id: str) -> int | None:
        for i, row in enumerate(self._rows):
            if row.id == ticket_id:
                return i
        return None

    def ticket_ids(self) -> list[str]:
        return [r.id for r in self._rows]

    def text_width(self, key: str) -> int:
        """Pixels the widest priority or SLA text takes in the current language (SLA: overdue,
        or left while paused), bold as on an unread row."""
        if key == "priority":
            texts = [labels.priority_name(p) for p in range(1, 5)]
        else:
            texts = [labels.time_left(s, paused=True) for span in _SLA_SPANS for s in (-span, span)]
        metrics = QFontMetrics(self._bold)
        return max(metrics.horizontalAdvance(text) for text in texts)

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, len(COLUMNS) - 1)
            )

    # -- the Qt model interface --------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            title = COLUMNS[section].title
            return QCoreApplication.translate("TicketList", title) if title else ""
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Views ask for a dozen roles per cell on every paint: answer the unused ones first.
        if role not in _ROLES or not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        key = COLUMNS[index.column()].key
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, key)
        if role == Qt.ItemDataRole.DecorationRole and key == "channel":
            return channel_icon(row.channel)
        if role == Qt.ItemDataRole.ToolTipRole:
            if key == "channel":
                return labels.channel_name(row.channel)
            if key == "subject":
                return f"#{row.number} {row.subject}\n{row.snippet}"
            if key == "sla" and row.sla_due_at is not None:
                return labels.when(row.sla_due_at)
        if role == Qt.ItemDataRole.FontRole and row.unread:
            return self._bold
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._foreground(row, key)
        if role == TICKET_ID_ROLE:
            return row.id
        if role == SNIPPET_ROLE:
            return row.snippet
        return None

    def _display(self, row: TicketRow, key: str) -> str:
        match key:
            case "customer":
                return row.customer_name
            case "subject":
                return row.subject or row.snippet
            case "priority":
                return labels.priority_name(row.priority)
            case "sla":
                return labels.time_left(row.sla_seconds_left, row.paused)
            case "assignee":
                return row.assignee_name or ""
        return ""

    def _foreground(self, row: TicketRow, key: str) -> QColor | None:
        if key == "sla" and row.sla_seconds_left is not None:
            if row.sla_seconds_left < 0:
                return QColor(self.colors.overdue)
            if row.sla_seconds_left < 15 * 60:
                return QColor(self.colors.warn)
        if key == "priority" and row.priority == 1:
            return QColor(self.colors.overdue)
        if key in ("assignee",) or (key == "priority" and row.priority >= 3):
            return QColor(self.colors.muted)
        return None
