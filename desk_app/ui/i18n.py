"""Russian and English: Qt Linguist catalogues, following the system locale unless the operator
chose a language in Settings. Switching installs another translator; Qt then sends every widget
a LanguageChange event and each one re-reads its texts (``retranslate``)."""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from desk_app.resources import resource

SUPPORTED = ("en", "ru")
TRANSLATIONS = resource("translations")


def resolve_language(choice: str) -> str:
    """ "system" follows the OS locale (Russian if it is Russian, else English)."""
    if choice in SUPPORTED:
        return choice
    return "ru" if QLocale.system().language() == QLocale.Language.Russian else "en"


class Translations:
    def __init__(self, app: QApplication) -> None:
        self.app = app
        self.language = "en"
        self._installed: list[QTranslator] = []

    def apply(self, choice: str) -> str:
        language = resolve_language(choice)
        for translator in self._installed:
            self.app.removeTranslator(translator)
        self._installed = []
        if language != "en":
            ours = QTranslator(self.app)
            if ours.load(str(TRANSLATIONS / f"desk_{language}.qm")):
                self._installed.append(ours)
            qt = QTranslator(self.app)
            qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
            if qt.load(f"qtbase_{language}", qt_dir):
                self._installed.append(qt)
            for translator in self._installed:
                self.app.installTranslator(translator)
        QLocale.setDefault(
            QLocale(
                QLocale.Language.Russian if language == "ru" else QLocale.Language.English,
                QLocale.Country.AnyCountry,
            )
        )
        self.language = language
        return language
