"""The raw source of a message, exactly as it arrived: read-only, monospace, plain text (never
rendered as HTML, so nothing in it can run or load), copyable, savable as an .eml file.

Small sources are read at once; a large one is read and decoded on the reader pool while the
dialog says "Loading…", and beyond :data:`MAX_SHOWN` characters only the beginning is shown
(the whole message is still one "Save as…" away), so a 50 MB mail never freezes the window.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtGui import QFontDatabase, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from desk_app.services.message_files import decode_source
from desk_app.ui.mail_parts import file_size
from desk_app.ui.ops import Ops

LOAD_IN_BACKGROUND = 256 * 1024  # bytes: bigger sources are read off the UI thread
# Characters shown; the rest is only in "Save as…". Filling the view costs the UI thread about
# 0.1 s per MB here, so a big source (almost always base64 attachments) shows its beginning.
MAX_SHOWN = 2 * 1024 * 1024

SourceLoader = Callable[[], bytes]
SavePath = Callable[[QWidget, str], str | None]


def ask_save_path(parent: QWidget, suggested: str) -> str | None:
    title = QCoreApplication.translate("SourceDialog", "Save as")
    path, _filter = QFileDialog.getSaveFileName(parent, title, suggested)
    return path or None


class _Loaded:
    """The decoded source, made on whichever thread read it."""

    def __init__(self, raw: bytes) -> None:
        self.raw = raw
        text, self.encoding = decode_source(raw)
        self.truncated = len(text) > MAX_SHOWN
        self.text = text[:MAX_SHOWN] if self.truncated else text


class SourceDialog(QDialog):
    def __init__(
        self,
        load: SourceLoader,
        expected_size: int,
        ops: Ops,
        title: str,
        parent: QWidget | None = None,
        *,
        save_path: SavePath = ask_save_path,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("sourceDialog")
        self.resize(860, 640)
        self._title = title
        self._save_path = save_path
        self.loaded: _Loaded | None = None
        self.error: str | None = None
        self.view = QPlainTextEdit(self)
        self.view.setObjectName("sourceView")
        self.view.setReadOnly(True)
        self.view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.view.setUndoRedoEnabled(False)
        self.info = QLabel(self)
        self.info.setObjectName("sourceInfo")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)
        self.copy_button = QPushButton(self)
        self.copy_button.clicked.connect(self.copy_all)
        self.save_button = QPushButton(self)
        self.save_button.clicked.connect(self.save_as)
        for button in (self.copy_button, self.save_button):
            button.setEnabled(False)
            button.setAutoDefault(False)
            self.buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save_as)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.info)
        layout.addWidget(self.buttons)
        self.retranslate()
        if expected_size > LOAD_IN_BACKGROUND:
            ops.read(lambda: _Loaded(load()), self._show, self._failed)
        else:
            try:
                self._show(_Loaded(load()))
            except OSError as error:
                self._failed(error)
        self.view.setFocus()

    @property
    def loading(self) -> bool:
        return self.loaded is None and self.error is None

    def _show(self, loaded: _Loaded) -> None:
        if not isValid(self):  # closed while it was loading
            return
        self.loaded = loaded
        self.view.setPlainText(loaded.text)
        self.copy_button.setEnabled(True)
        self.save_button.setEnabled(True)
        self.retranslate()

    def _failed(self, error: BaseException) -> None:
        if not isValid(self):
            return
        if isinstance(error, FileNotFoundError):
            self.error = self.tr("The source of this message is not stored on this computer.")
        else:
            self.error = str(error) or type(error).__name__
        self.retranslate()

    def copy_all(self) -> None:
        if self.loaded is not None:
            QGuiApplication.clipboard().setText(self.loaded.text)

    def save_as(self) -> None:
        if self.loaded is None:
            return
        path = self._save_path(self, "message.eml")
        if path:
            Path(path).write_bytes(self.loaded.raw)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Message source — {0}").format(self._title))
        self.copy_button.setText(self.tr("Copy all"))
        self.save_button.setText(self.tr("Save as…"))
        if self.error is not None:
            self.info.setText(self.error)
        elif self.loaded is None:
            self.info.setText(self.tr("Loading…"))
            self.view.setPlaceholderText(self.tr("Loading…"))
        else:
            text = self.tr("{0}, shown as {1}").format(
                file_size(len(self.loaded.raw)), self.loaded.encoding
            )
            if self.loaded.truncated:
                text += " " + self.tr("(only the beginning is shown; save it to see everything)")
            self.info.setText(text)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
