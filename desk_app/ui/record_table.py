"""A read-only table of records (one per row, the record kept on the first column) with a
stretched title column, and a margin-less column of widgets."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLayout,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

RECORD_ROLE = Qt.ItemDataRole.UserRole
HEADER_PADDING = 28  # margins plus the sort indicator


class RecordTable(QTableWidget):
    def __init__(self, columns: tuple[str, ...], widths: dict[str, int], parent: QWidget) -> None:
        super().__init__(0, len(columns), parent)
        self.columns = {name: i for i, name in enumerate(columns)}
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.widths = widths
        for name, width in widths.items():
            self.setColumnWidth(self.columns[name], width)

    def set_headers(self, labels: list[str]) -> None:
        """Column titles (after a language change too): no translated title is cut, and the
        sort arrow has room."""
        self.setHorizontalHeaderLabels(labels)
        metrics = self.horizontalHeader().fontMetrics()
        for name, width in self.widths.items():
            column = self.columns[name]
            needed = metrics.horizontalAdvance(labels[column]) + HEADER_PADDING
            self.setColumnWidth(column, max(width, needed))

    def set_row(self, row: int, record: Any, cells: dict[str, QTableWidgetItem]) -> None:
        """Fill one row; the record rides on the first column's item."""
        for name, item in cells.items():
            if self.columns[name] == 0:
                item.setData(RECORD_ROLE, record)
            self.setItem(row, self.columns[name], item)

    def record_at(self, row: int) -> Any:
        item = self.item(row, 0) if row >= 0 else None
        return None if item is None else item.data(RECORD_ROLE)

    def current_record(self) -> Any:
        return self.record_at(self.currentRow())

    def select_where(self, wanted: Any) -> bool:
        """Make the row whose record satisfies ``wanted(record)`` current; False if none does."""
        for row in range(self.rowCount()):
            record = self.record_at(row)
            if record is not None and wanted(record):
                self.setCurrentCell(row, 0)
                return True
        return False

    def texts(self, column: str) -> list[str]:
        items = (self.item(row, self.columns[column]) for row in range(self.rowCount()))
        return [item.text() if item else "" for item in items]


def column_of(
    parent: QWidget, *parts: QWidget | QLayout, stretch: int | dict[int, int] = -1
) -> QWidget:
    """Widgets and layouts stacked without margins; ``stretch`` says which part takes the spare
    height (an index), or how the parts share it ({index: factor})."""
    factors = stretch if isinstance(stretch, dict) else {stretch % len(parts): 1}
    box = QWidget(parent)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    for i, part in enumerate(parts):
        if isinstance(part, QLayout):
            layout.addLayout(part, factors.get(i, 0))
        else:
            layout.addWidget(part, factors.get(i, 0))
    return box
