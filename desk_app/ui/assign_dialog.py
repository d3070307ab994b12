"""Assign to a colleague (Shift+A): a filterable list of agents; Enter picks."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from desk_app.services.queries import AgentInfo
from desk_app.ui.list_keys import ListKeys
from desk_app.ui.palette import fuzzy_score

NOBODY = ""


class AssignDialog(QDialog):
    def __init__(self, agents: list[AgentInfo], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("assignDialog")
        self.setWindowTitle(self.tr("Assign to a colleague"))
        self.resize(360, 340)
        self.agents = agents
        self.chosen: str | None = None  # agent id, or NOBODY
        self.query = QLineEdit(self)
        self.query.setPlaceholderText(self.tr("Type a name…"))
        self.query.textChanged.connect(self._filter)
        self.list = QListWidget(self)
        ListKeys(self.query, self.list, self._pick)
        layout = QVBoxLayout(self)
        layout.addWidget(self.query)
        layout.addWidget(self.list)
        self._filter("")

    def _filter(self, text: str) -> None:
        self.list.clear()
        entries = [(a.id, a.name) for a in self.agents] + [(NOBODY, self.tr("Nobody (unassign)"))]
        for agent_id, name in entries:
            if fuzzy_score(text, name) is not None:
                item = QListWidgetItem(name)
                item.setData(Qt.ItemDataRole.UserRole, agent_id)
                self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)

    def _pick(self, item: QListWidgetItem) -> None:
        self.chosen = str(item.data(Qt.ItemDataRole.UserRole))
        self.accept()
