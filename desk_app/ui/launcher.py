"""Starting the UI: QApplication, language and theme from the profile, the main window shown
before the first page loads (cold start), and a clean shutdown that finishes pending writes."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication

from desk_app.app import DeskApp
from desk_app.services.preferences import load_ui_preferences
from desk_app.startup import resume_gc
from desk_app.ui.i18n import Translations
from desk_app.ui.main_window import MainWindow
from desk_app.ui.theme import apply_theme

RESUME_GC_AFTER_MS = 15_000


def application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    QCoreApplication.setOrganizationName("Desk")
    QCoreApplication.setApplicationName("Desk")
    return QApplication(argv if argv is not None else sys.argv[:1])


def build_window(
    desk: DeskApp,
    *,
    language: str | None = None,
    theme: str | None = None,
) -> MainWindow:
    """The main window for an opened profile; ``language``/``theme`` override the saved choice
    for this session only."""
    app = application()
    prefs = load_ui_preferences(desk.ctx)
    if language:
        prefs["language"] = language
    if theme:
        prefs["theme"] = theme
    translations = Translations(app)
    translations.apply(prefs["language"])
    apply_theme(app, prefs["theme"])
    return MainWindow(desk, translations, prefs)


def run(
    profile: Path | None, language: str | None, theme: str | None, *, sandbox: bool = False
) -> int:
    app = application()
    desk = DeskApp.sandbox(profile) if sandbox else DeskApp(profile)
    window = build_window(desk, language=language, theme=theme)
    window.inbox_ready.connect(resume_gc)
    QTimer.singleShot(RESUME_GC_AFTER_MS, resume_gc)  # even if the inbox never paints
    window.show()
    window.start()
    try:
        return app.exec()
    finally:
        desk.close()
