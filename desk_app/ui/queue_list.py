"""Queues on the left: My, Unassigned, All active, Overdue SLA, one per channel, one per tag,
then finished work. Counts are drawn right-aligned by a small delegate."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QRect, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from desk_app.services.queries import QueueInfo, QueueKey, QueueKind
from desk_app.ui import labels
from desk_app.ui.icons import channel_icon, icon
from desk_app.ui.theme import LIGHT, Colors

Index = QModelIndex | QPersistentModelIndex
COUNT_ROLE = Qt.ItemDataRole.UserRole + 1
KEY_ROLE = Qt.ItemDataRole.UserRole + 2


class QueueListModel(QAbstractListModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.queues: list[QueueInfo] = []
        self.colors: Colors = LIGHT

    def set_queues(self, queues: list[QueueInfo]) -> None:
        same_keys = [q.key for q in queues] == [q.key for q in self.queues]
        if same_keys:
            self.queues = queues
            if queues:
                self.dataChanged.emit(self.index(0), self.index(len(queues) - 1))
            return
        self.layoutAboutToBeChanged.emit()
        old = [q.key for q in self.queues]
        self.queues = queues
        new = {q.key: i for i, q in enumerate(queues)}
        for persistent in self.persistentIndexList():
            key = old[persistent.row()] if persistent.row() < len(old) else None
            row = new.get(key) if key is not None else None
            self.changePersistentIndex(
                persistent, self.index(row) if row is not None else QModelIndex()
            )
        self.layoutChanged.emit()

    def row_of(self, key: QueueKey) -> int | None:
        for i, q in enumerate(self.queues):
            if q.key == key:
                return i
        return None

    def refresh_titles(self) -> None:
        if self.queues:
            self.dataChanged.emit(self.index(0), self.index(len(self.queues) - 1))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.queues)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.queues):
            return None
        info = self.queues[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return labels.queue_name(info)
        if role == Qt.ItemDataRole.DecorationRole:
            if info.key.kind is QueueKind.CHANNEL:
                return channel_icon(info.name)
            return icon("desk") if info.key.kind is QueueKind.MY else None
        if role == COUNT_ROLE:
            return info.count
        if role == KEY_ROLE:
            return info.key
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{labels.queue_name(info)}: {info.count}"
        return None


class QueueDelegate(QStyledItemDelegate):
    """Paints the queue name as usual and its count right-aligned; overdue counts in red."""

    def __init__(self, model: QueueListModel) -> None:
        super().__init__(model)
        self.model = model

    def _info(self, index: Index) -> QueueInfo:
        """Straight from the model: no QVariant round trip per paint."""
        return self.model.queues[index.row()]

    def initStyleOption(self, option: QStyleOptionViewItem, index: Index) -> None:
        """Elide the name before the count, so the two never overlap."""
        super().initStyleOption(option, index)
        count = self._info(index).count
        room = option.rect.width() - option.fontMetrics.horizontalAdvance(f"  {count}") - 44
        option.text = option.fontMetrics.elidedText(option.text, Qt.TextElideMode.ElideRight, room)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        super().paint(painter, option, index)
        info = self._info(index)
        count, key = info.count, info.key
        painter.save()
        rect = QRect(option.rect).adjusted(0, 0, -10, 0)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if key.kind is QueueKind.OVERDUE and count and not selected:
            painter.setPen(self.model.colors.overdue)
        elif not selected:
            painter.setPen(self.model.colors.muted)
        else:
            painter.setPen(Qt.GlobalColor.white)
        painter.drawText(
            rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, str(count)
        )
        painter.restore()
