"""Settings: UI language (follow the system, English, Russian) and theme (system, light, dark).
Choices apply live and are remembered in the profile."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QWidget


class SettingsDialog(QDialog):
    language_chosen = Signal(str)
    theme_chosen = Signal(str)

    def __init__(self, language: str, theme: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(self.tr("Settings"))
        self.language = QComboBox(self)
        self.language.setObjectName("languageCombo")
        for value, text in (
            ("system", self.tr("Follow the system")),
            ("en", "English"),
            ("ru", "Русский"),
        ):
            self.language.addItem(text, value)
        self.language.setCurrentIndex(max(0, self.language.findData(language)))
        self.theme = QComboBox(self)
        self.theme.setObjectName("themeCombo")
        for value, text in (
            ("system", self.tr("Follow the system")),
            ("light", self.tr("Light")),
            ("dark", self.tr("Dark")),
        ):
            self.theme.addItem(text, value)
        self.theme.setCurrentIndex(max(0, self.theme.findData(theme)))
        self.language.currentIndexChanged.connect(
            lambda _i: self.language_chosen.emit(str(self.language.currentData()))
        )
        self.theme.currentIndexChanged.connect(
            lambda _i: self.theme_chosen.emit(str(self.theme.currentData()))
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(self.tr("Language"), self.language)
        form.addRow(self.tr("Theme"), self.theme)
        form.addRow(buttons)
