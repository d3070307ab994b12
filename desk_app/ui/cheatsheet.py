"""The shortcut cheat-sheet (F1 or ?): every action and its keys, grouped, from the registry."""

from __future__ import annotations

import html

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from desk_app.ui.actions import GROUPS, ActionRegistry


class CheatSheet(QDialog):
    def __init__(self, registry: ActionRegistry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cheatSheet")
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        self.resize(560, 600)
        self.view = QTextBrowser(self)
        self.view.setHtml(self.html_for(registry))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        layout.addWidget(buttons)

    @staticmethod
    def html_for(registry: ActionRegistry) -> str:
        parts = []
        for group, title in GROUPS.items():
            rows = "".join(
                f"<tr><td>{html.escape(spec.translated_title())}</td>"
                f'<td align="right"><b>{html.escape(registry.shortcut_text(spec.id) or "—")}</b>'
                "</td></tr>"
                for spec in registry.in_group(group)
            )
            heading = html.escape(QCoreApplication.translate("Actions", title))
            parts.append(f'<h3>{heading}</h3><table width="100%" cellpadding="3">{rows}</table>')
        return "".join(parts)
