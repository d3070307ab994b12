"""Light and dark themes: a Fusion palette, a style sheet, and the colours the conversation's
HTML uses (Qt style sheets cannot reach inside a rich-text document)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from desk_app.resources import resource


@dataclass(frozen=True)
class Colors:
    name: str
    window: str
    base: str
    alt_base: str
    text: str
    muted: str
    accent: str
    customer_bg: str
    agent_bg: str
    note_bg: str
    note_border: str
    note_label: str
    event: str
    overdue: str
    ok: str
    warn: str
    failed: str


LIGHT = Colors(
    name="light", window="#f4f5f7", base="#ffffff", alt_base="#f8f9fb", text="#1a1f26",
    muted="#5b6573", accent="#3f6fd8", customer_bg="#f1f3f6", agent_bg="#e3ecfd",
    note_bg="#fff4c2", note_border="#e8cf5a", note_label="#7a5d00", event="#8a929e",
    overdue="#d0312d", ok="#1e8e3e", warn="#b76e00", failed="#d0312d",
)  # fmt: skip
DARK = Colors(
    name="dark", window="#1e2126", base="#23272e", alt_base="#272c33", text="#e6e9ee",
    muted="#9aa4b2", accent="#4a7be6", customer_bg="#2c3139", agent_bg="#263754",
    note_bg="#4a4220", note_border="#8a7a2e", note_label="#f2d675", event="#8a93a3",
    overdue="#ff6b63", ok="#5cc97b", warn="#f0b04a", failed="#ff6b63",
)  # fmt: skip


def system_prefers_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return hints.colorScheme() == Qt.ColorScheme.Dark


def resolve(theme: str) -> Colors:
    if theme == "dark" or (theme == "system" and system_prefers_dark()):
        return DARK
    return LIGHT


def _palette(c: Colors) -> QPalette:
    palette = QPalette()
    role = QPalette.ColorRole
    for r, value in (
        (role.Window, c.window),
        (role.WindowText, c.text),
        (role.Base, c.base),
        (role.AlternateBase, c.alt_base),
        (role.Text, c.text),
        (role.Button, c.window),
        (role.ButtonText, c.text),
        (role.ToolTipBase, c.base),
        (role.ToolTipText, c.text),
        (role.PlaceholderText, c.muted),
        (role.Highlight, c.accent),
        (role.HighlightedText, "#ffffff"),
        (role.Link, c.accent),
        (role.BrightText, "#ffffff"),
    ):
        palette.setColor(r, QColor(value))
    disabled = QPalette.ColorGroup.Disabled
    for r in (role.Text, role.WindowText, role.ButtonText):
        palette.setColor(disabled, r, QColor(c.muted))
    return palette


def apply_theme(app: QApplication, theme: str) -> Colors:
    colors = resolve(theme)
    app.setStyle("Fusion")
    app.setPalette(_palette(colors))
    app.setStyleSheet(resource("themes", f"{colors.name}.qss").read_text(encoding="utf-8"))
    return colors
