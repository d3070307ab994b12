"""Translation helpers. ``QT_TRANSLATE_NOOP`` marks a source text for pyside6-lupdate without
translating it yet (the name is what lupdate looks for); this copy is typed ``str -> str``."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def QT_TRANSLATE_NOOP(context: str, source: str) -> str:
    return source


def translate(context: str, source: str) -> str:
    return QCoreApplication.translate(context, source)
