"""Up/Down/Enter typed in a filter box move and pick in the list below it (palette, assign)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QListWidget, QListWidgetItem


class ListKeys(QObject):
    def __init__(
        self, query: QLineEdit, items: QListWidget, pick: Callable[[QListWidgetItem], None]
    ) -> None:
        super().__init__(query)
        self.items, self.pick = items, pick
        query.installEventFilter(self)
        items.itemActivated.connect(pick)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress:
            return False
        assert isinstance(event, QKeyEvent)
        key = event.key()
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            step = 1 if key == Qt.Key.Key_Down else -1
            row = max(0, min(self.items.count() - 1, self.items.currentRow() + step))
            self.items.setCurrentRow(row)
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            item = self.items.currentItem()
            if item is not None:
                self.pick(item)
            return True
        return False
