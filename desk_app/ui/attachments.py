"""The operator's hands on a message's files: open an attachment in the system's viewer (from
a private temporary copy under its real name), save it elsewhere, and view the raw source.

Reached from the links on a bubble (see :mod:`desk_app.ui.mail_parts`) and from the keyboard
("View source" Ctrl+U, "Attachments…" Ctrl+Shift+A): for the customer message the operator
clicked into, else the newest one that has a source / attachments. File copies run on the
reader pool; only the result comes back to the UI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMenu, QStatusBar, QWidget

from desk_app.services.message_files import (
    AttachmentRef,
    MessageFiles,
    listed_attachments,
    source_digest,
)
from desk_app.ui.conversation import ConversationView
from desk_app.ui.mail_parts import file_size
from desk_app.ui.ops import Ops
from desk_app.ui.source_dialog import SavePath, SourceDialog, ask_save_path


class MailFileActions(QObject):
    def __init__(
        self,
        files: MessageFiles,
        ops: Ops,
        conversation: ConversationView,
        status: Callable[[], QStatusBar],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.files = files
        self.ops = ops
        self.conversation = conversation
        self.status = status
        self.window = parent
        self.save_path: SavePath = ask_save_path  # tests answer the file dialog themselves
        self.source_dialog: SourceDialog | None = None
        self.menu: QMenu | None = None
        self.opened: list[Path] = []  # temporary copies handed to the system viewer
        conversation.files = files
        conversation.source_requested.connect(self.show_source)
        conversation.attachment_requested.connect(self._attachment_link)

    def _say(self, text: str) -> None:
        self.status().showMessage(text, 5000)

    # -- source ---------------------------------------------------------------------------------
    def show_source(self, message_id: str) -> None:
        message = self.conversation.message(message_id)
        if message is None or source_digest(message.meta) is None:
            self._say(self.tr("This message has no stored source"))
            return
        if self.source_dialog is not None:
            self.source_dialog.close()
        meta = message.meta
        dialog = SourceDialog(
            lambda: self.files.source(meta),
            int(meta.get("size") or 0),
            self.ops,
            message.subject or message.author_name,
            self.window,
            save_path=lambda parent, name: self.save_path(parent, name),
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(lambda: setattr(self, "source_dialog", None))
        self.source_dialog = dialog
        dialog.show()
        dialog.activateWindow()

    def show_last_source(self) -> None:
        message = self.conversation.chosen_customer_message(lambda m: bool(source_digest(m.meta)))
        if message is None:
            self._say(self.tr("No message with a stored source in this ticket"))
            return
        self.show_source(message.id)

    # -- attachments ----------------------------------------------------------------------------
    def _attachment_link(self, message_id: str, index: int, save: bool) -> None:
        message = self.conversation.message(message_id)
        attachments = listed_attachments(message.meta) if message is not None else ()
        if not 0 <= index < len(attachments):
            return
        if save:
            self.save(attachments[index])
        else:
            self.open(attachments[index])

    def open(self, attachment: AttachmentRef) -> None:
        def opened(path: Path) -> None:
            self.opened.append(path)
            if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
                self._say(self.tr("No application opens {0}").format(attachment.name))

        self.ops.read(lambda: self.files.export_for_opening(attachment), opened, self._file_failed)

    def save(self, attachment: AttachmentRef) -> None:
        chosen = self.save_path(self.window, attachment.name)
        if not chosen:
            return
        target = Path(chosen)

        def saved(_path: Path) -> None:
            self._say(self.tr("Saved {0}").format(target.name))

        self.ops.read(lambda: self.files.export(attachment, target), saved, self._file_failed)

    def _file_failed(self, error: BaseException) -> None:
        if isinstance(error, FileNotFoundError):
            self._say(self.tr("This file is not stored on this computer"))
        else:
            self._say(self.tr("Could not copy the file: {0}").format(error))

    def choose_last_attachment(self) -> None:
        """A keyboard menu: Open / Save for each attachment of the newest message with any."""
        message = self.conversation.chosen_customer_message(
            lambda m: bool(listed_attachments(m.meta))
        )
        if message is None:
            self._say(self.tr("No attachments in this ticket"))
            return
        menu = QMenu(self.window)
        menu.setObjectName("attachmentMenu")
        for attachment in listed_attachments(message.meta):
            label = f"{attachment.name} ({file_size(attachment.size)})"
            menu.addAction(self.tr("Open {0}").format(label), self._opener(attachment, False))
            menu.addAction(self.tr("Save {0}…").format(label), self._opener(attachment, True))
        self.menu = menu
        menu.aboutToHide.connect(menu.deleteLater)
        view = self.conversation
        menu.popup(view.mapToGlobal(view.rect().center()))

    def _opener(self, attachment: AttachmentRef, save: bool) -> Callable[[], None]:
        return lambda: self.save(attachment) if save else self.open(attachment)
