"""The one registry of user actions: title, shortcuts, group. Menus, the command palette and the
shortcut cheat-sheet all read it, so a shortcut is defined exactly once.

Titles are source texts in the "Actions" translation context; QActions are re-titled on every
language change. Single-letter shortcuts (J, K, R, ...) never fire while a text field has focus:
Qt's text widgets claim plain typing keys before shortcuts see them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from desk_app.ui.tr import QT_TRANSLATE_NOOP, translate

GROUPS = {
    "go": QT_TRANSLATE_NOOP("Actions", "Navigate"),
    "ticket": QT_TRANSLATE_NOOP("Actions", "Ticket"),
    "compose": QT_TRANSLATE_NOOP("Actions", "Compose"),
    "app": QT_TRANSLATE_NOOP("Actions", "Desk"),
}


@dataclass(frozen=True)
class ActionSpec:
    id: str
    title: str  # source text in the "Actions" context
    shortcuts: tuple[str, ...]
    group: str

    def translated_title(self) -> str:
        return translate("Actions", self.title)


SPECS: tuple[ActionSpec, ...] = (
    ActionSpec(
        "next_ticket", QT_TRANSLATE_NOOP("Actions", "Next ticket"), ("J", "Ctrl+Down"), "go"
    ),
    ActionSpec(
        "prev_ticket", QT_TRANSLATE_NOOP("Actions", "Previous ticket"), ("K", "Ctrl+Up"), "go"
    ),
    ActionSpec(
        "next_queue", QT_TRANSLATE_NOOP("Actions", "Next queue"), ("Ctrl+PgDown", "Alt+Down"), "go"
    ),
    ActionSpec(
        "prev_queue", QT_TRANSLATE_NOOP("Actions", "Previous queue"), ("Ctrl+PgUp", "Alt+Up"), "go"
    ),
    ActionSpec("search", QT_TRANSLATE_NOOP("Actions", "Search messages"), ("Ctrl+F", "/"), "go"),
    ActionSpec(
        "focus_list", QT_TRANSLATE_NOOP("Actions", "Back to the ticket list"), ("Esc",), "go"
    ),
    ActionSpec("reply", QT_TRANSLATE_NOOP("Actions", "Reply"), ("R",), "compose"),
    ActionSpec("note", QT_TRANSLATE_NOOP("Actions", "Private note"), ("N",), "compose"),
    ActionSpec(
        "send", QT_TRANSLATE_NOOP("Actions", "Send"), ("Ctrl+Return", "Ctrl+Enter"), "compose"
    ),
    ActionSpec(
        "customer_note",
        QT_TRANSLATE_NOOP("Actions", "Note on the customer card"),
        ("Ctrl+Shift+N",),
        "compose",
    ),
    ActionSpec(
        "canned", QT_TRANSLATE_NOOP("Actions", "Insert a canned reply…"), ("Ctrl+/",), "compose"
    ),
    ActionSpec(
        "knowledge_base",
        QT_TRANSLATE_NOOP("Actions", "Search the knowledge base"),
        ("Ctrl+Shift+K",),
        "compose",
    ),
    ActionSpec(
        "duplicates",
        QT_TRANSLATE_NOOP("Actions", "Review duplicate customers…"),
        ("Ctrl+Shift+D",),
        "ticket",
    ),
    ActionSpec("resolve", QT_TRANSLATE_NOOP("Actions", "Resolve"), ("Ctrl+Shift+R", "E"), "ticket"),
    ActionSpec(
        "pending",
        QT_TRANSLATE_NOOP("Actions", "Set pending (waiting on the customer)"),
        ("Ctrl+Shift+P",),
        "ticket",
    ),
    ActionSpec("reopen", QT_TRANSLATE_NOOP("Actions", "Reopen"), ("Ctrl+Shift+O",), "ticket"),
    ActionSpec("close", QT_TRANSLATE_NOOP("Actions", "Close"), ("Ctrl+Shift+W",), "ticket"),
    ActionSpec("assign_me", QT_TRANSLATE_NOOP("Actions", "Assign to me"), ("A",), "ticket"),
    ActionSpec(
        "assign_other",
        QT_TRANSLATE_NOOP("Actions", "Assign to a colleague…"),
        ("Shift+A",),
        "ticket",
    ),
    ActionSpec(
        "priority_1", QT_TRANSLATE_NOOP("Actions", "Priority: urgent"), ("Alt+1",), "ticket"
    ),
    ActionSpec("priority_2", QT_TRANSLATE_NOOP("Actions", "Priority: high"), ("Alt+2",), "ticket"),
    ActionSpec(
        "priority_3", QT_TRANSLATE_NOOP("Actions", "Priority: normal"), ("Alt+3",), "ticket"
    ),
    ActionSpec("priority_4", QT_TRANSLATE_NOOP("Actions", "Priority: low"), ("Alt+4",), "ticket"),
    ActionSpec("tags", QT_TRANSLATE_NOOP("Actions", "Edit tags"), ("T",), "ticket"),
    ActionSpec(
        "retry", QT_TRANSLATE_NOOP("Actions", "Retry failed reply"), ("Ctrl+Alt+R",), "ticket"
    ),
    ActionSpec(
        "mark_sent", QT_TRANSLATE_NOOP("Actions", "Mark in-doubt reply as sent"), (), "ticket"
    ),
    ActionSpec(
        "view_source",
        QT_TRANSLATE_NOOP("Actions", "View message source"),
        ("Ctrl+U",),
        "ticket",
    ),
    ActionSpec(
        "attachments",
        QT_TRANSLATE_NOOP("Actions", "Open or save an attachment…"),
        ("Ctrl+Shift+A",),
        "ticket",
    ),
    ActionSpec(
        "canned_library",
        QT_TRANSLATE_NOOP("Actions", "Canned replies library…"),
        ("Ctrl+Shift+C",),
        "app",
    ),
    ActionSpec(
        "kb_drafts",
        QT_TRANSLATE_NOOP("Actions", "Knowledge-base drafts to review…"),
        ("Ctrl+Shift+B",),
        "app",
    ),
    ActionSpec("palette", QT_TRANSLATE_NOOP("Actions", "Command palette"), ("Ctrl+K",), "app"),
    ActionSpec(
        "cheatsheet", QT_TRANSLATE_NOOP("Actions", "Keyboard shortcuts"), ("F1", "?"), "app"
    ),
    ActionSpec("settings", QT_TRANSLATE_NOOP("Actions", "Settings…"), ("Ctrl+,",), "app"),
    ActionSpec(
        "accounts", QT_TRANSLATE_NOOP("Actions", "Channel accounts…"), ("Ctrl+Shift+E",), "app"
    ),
    ActionSpec(
        "toggle_theme",
        QT_TRANSLATE_NOOP("Actions", "Switch light/dark theme"),
        ("Ctrl+Shift+L",),
        "app",
    ),
    ActionSpec(
        "toggle_language",
        QT_TRANSLATE_NOOP("Actions", "Switch language (English/Russian)"),
        (),
        "app",
    ),
    ActionSpec("quit", QT_TRANSLATE_NOOP("Actions", "Quit"), ("Ctrl+Q",), "app"),
)


class ActionRegistry(QObject):
    """QActions for every spec, attached to the main window so shortcuts work everywhere in it."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.specs = {spec.id: spec for spec in SPECS}
        self.actions: dict[str, QAction] = {}
        for spec in SPECS:
            action = QAction(window)
            action.setObjectName(f"action_{spec.id}")
            action.setShortcuts([QKeySequence(s) for s in spec.shortcuts])
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            window.addAction(action)
            self.actions[spec.id] = action
        self.retranslate()

    def bind(self, action_id: str, handler: Callable[[], None]) -> None:
        self.actions[action_id].triggered.connect(lambda _checked=False: handler())

    def trigger(self, action_id: str) -> None:
        self.actions[action_id].trigger()

    def retranslate(self) -> None:
        for spec in SPECS:
            self.actions[spec.id].setText(spec.translated_title())

    def shortcut_text(self, action_id: str) -> str:
        return ", ".join(
            QKeySequence(s).toString(QKeySequence.SequenceFormat.NativeText)
            for s in self.specs[action_id].shortcuts
        )

    def in_group(self, group: str) -> list[ActionSpec]:
        return [spec for spec in SPECS if spec.group == group]
