"""The frame of the lead's library dialogs (canned replies, knowledge-base drafts): a read-only
notice on top for operators who may only browse, the content, and a status line that says what
was done or why a change was refused. Changes run on :class:`Ops` off the UI thread; their
callbacks are dropped once the dialog is gone (the change itself is made all the same)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLayout,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from desk_app.ui.ops import Ops
from desk_app.ui.tr import QT_TRANSLATE_NOOP, translate

NOT_SAVED = QT_TRANSLATE_NOOP("LibraryDialog", "Not saved: %1")
CLOSE_TITLE = QT_TRANSLATE_NOOP("LibraryDialog", "Unsaved changes")
CLOSE_QUESTION = QT_TRANSLATE_NOOP("LibraryDialog", "Close without saving your changes?")


class LibraryDialog(QDialog):
    loaded = Signal()  # after every (re)load: tests, screenshots
    failed = Signal(str)  # a refused change, already explained in the status line

    def __init__(self, ops: Ops, name: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.ops = ops
        self.notice = QLabel(self)
        self.notice.setObjectName(f"{name}Notice")
        self.notice.setWordWrap(True)
        self.status = QLabel(self)
        self.status.setObjectName(f"{name}Status")
        self.status.setWordWrap(True)
        self.resize(1280, 700)

    def frame(self, *content: QWidget | QLayout) -> None:
        """Notice, the content (the last part takes the spare height), status line."""
        layout = QVBoxLayout(self)
        layout.addWidget(self.notice)
        for i, part in enumerate(content):
            if isinstance(part, QLayout):
                layout.addLayout(part)
            else:
                layout.addWidget(part, 1 if i == len(content) - 1 else 0)
        layout.addWidget(self.status)

    def button_row(self, *slots: Callable[[], None]) -> tuple[list[QPushButton], QHBoxLayout]:
        """Buttons (titled in ``retranslate``) for ``slots``, left-aligned in a row."""
        buttons, row = [], QHBoxLayout()
        for slot in slots:
            button = QPushButton(self)
            button.clicked.connect(lambda _checked=False, run=slot: run())
            buttons.append(button)
            row.addWidget(button)
        row.addStretch(1)
        return buttons, row

    def show_read_only(self, read_only: bool, text: str) -> None:
        self.notice.setVisible(read_only)
        self.notice.setText(text)

    def read(self, fn: Callable[[], Any], done: Callable[[Any], None]) -> None:
        self.ops.read(fn, self._alive(done), self._failed)

    def change(self, fn: Callable[[], Any], done: Callable[[Any], None]) -> None:
        self.ops.write(fn, self._alive(done), self._failed)

    def _alive(self, done: Callable[[Any], None]) -> Callable[[Any], None]:
        def deliver(result: Any) -> None:
            if isValid(self):  # not closed meanwhile
                done(result)

        return deliver

    def _failed(self, error: BaseException) -> None:
        if not isValid(self):
            return
        text = self.describe_failure(error)
        self.status.setText(text)
        self.failed.emit(text)

    def unsaved(self) -> bool:
        """Whether the editor holds changes not saved yet (subclasses compare with the record)."""
        return False

    def reject(self) -> None:
        """Esc or the close button: ask first when there are changes not saved yet."""
        if self.unsaved() and not confirmed(
            self,
            translate("LibraryDialog", CLOSE_TITLE),
            translate("LibraryDialog", CLOSE_QUESTION),
        ):
            return
        super().reject()

    def describe_failure(self, error: BaseException) -> str:
        """Why a change was refused, in the operator's words; subclasses know their errors."""
        return translate("LibraryDialog", NOT_SAVED).replace(
            "%1", str(error) or type(error).__name__
        )


def confirmed(parent: QWidget, title: str, text: str) -> bool:
    """A Yes/No question whose default is Yes, so Enter confirms."""
    answer = QMessageBox.question(
        parent,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.Yes,
    )
    return answer == QMessageBox.StandardButton.Yes
