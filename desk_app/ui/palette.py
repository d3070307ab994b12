"""The command palette (Ctrl+K): every registered action, filtered by a fuzzy match as you type,
Enter runs the chosen one."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from desk_app.ui.actions import ActionRegistry
from desk_app.ui.list_keys import ListKeys


def fuzzy_score(query: str, text: str) -> int | None:
    """Letters of ``query`` in order inside ``text`` (case-insensitive); higher is better.
    Consecutive letters and word starts score more. None: no match."""
    q, t = query.lower().strip(), text.lower()
    if not q:
        return 0
    score, pos, previous = 0, 0, -2
    for ch in q:
        if ch == " ":
            continue
        found = t.find(ch, pos)
        if found < 0:
            return None
        score += 1
        if found == previous + 1:
            score += 3
        if found == 0 or not t[found - 1].isalnum():
            score += 5
        previous, pos = found, found + 1
    return score - len(t) // 20


class CommandPalette(QDialog):
    def __init__(self, registry: ActionRegistry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.registry = registry
        self.setObjectName("commandPalette")
        self.setWindowTitle(self.tr("Command palette"))
        self.setModal(True)
        self.resize(520, 380)
        self.query = QLineEdit(self)
        self.query.setPlaceholderText(self.tr("Type a command…"))
        self.query.textChanged.connect(self._filter)
        self.list = QListWidget(self)
        self.list.setObjectName("paletteList")
        ListKeys(self.query, self.list, self._run)
        layout = QVBoxLayout(self)
        layout.addWidget(self.query)
        layout.addWidget(self.list)
        self._filter("")

    def _entries(self) -> Sequence[tuple[str, str, str]]:
        return [
            (spec.id, spec.translated_title(), self.registry.shortcut_text(spec.id))
            for spec in self.registry.specs.values()
            if spec.id != "palette" and self.registry.actions[spec.id].isEnabled()
        ]

    def _filter(self, text: str) -> None:
        scored = []
        for action_id, title, keys in self._entries():
            score = fuzzy_score(text, title)
            if score is None:
                score = fuzzy_score(text, action_id.replace("_", " "))
            if score is not None:
                scored.append((-score, title, action_id, keys))
        scored.sort()
        self.list.clear()
        for _neg, title, action_id, keys in scored:
            item = QListWidgetItem(f"{title}    {keys}" if keys else title)
            item.setData(Qt.ItemDataRole.UserRole, action_id)
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)

    def _run(self, item: QListWidgetItem) -> None:
        action_id = str(item.data(Qt.ItemDataRole.UserRole))
        self.accept()
        self.registry.trigger(action_id)
