"""Who else is on the open ticket: a thin banner over the conversation ("Boris is replying"),
and the question asked before sending when a colleague is replying to the same ticket.

Fed by ``sync.presence.PresenceTracker`` from its thread; the banner shows only what concerns
the ticket currently on screen."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QWidget

from desk_app.sync.presence import Colleague
from desk_app.ui.tr import translate


class PresenceBanner(QWidget):
    presence_posted = Signal(object, object)  # ticket id, tuple[Colleague, ...]

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("presenceBanner")
        self.ticket_id: str | None = None
        self.colleagues: tuple[Colleague, ...] = ()
        self.label = QLabel(self)
        self.label.setObjectName("presenceText")
        self.label.setWordWrap(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 10, 4)
        layout.addWidget(self.label)
        self.presence_posted.connect(self._show, Qt.ConnectionType.QueuedConnection)
        self.hide()

    def show_ticket(self, ticket_id: str | None) -> None:
        """The operator opened another ticket: forget what we knew about the last one."""
        if ticket_id != self.ticket_id:
            self.ticket_id = ticket_id
            self.colleagues = ()
            self.retranslate()

    def post(self, ticket_id: str | None, colleagues: tuple[Colleague, ...]) -> None:
        """Safe from any thread (the presence tracker calls it)."""
        self.presence_posted.emit(ticket_id, tuple(colleagues))

    def _show(self, ticket_id: str | None, colleagues: tuple[Colleague, ...]) -> None:
        if ticket_id != self.ticket_id:
            return  # an answer about a ticket no longer on screen
        self.colleagues = colleagues
        self.retranslate()

    @property
    def replying(self) -> list[str]:
        return [c.name for c in self.colleagues if c.state == "replying"]

    def retranslate(self) -> None:
        replying = self.replying
        viewing = [c.name for c in self.colleagues if c.state != "replying"]
        parts = []
        if replying:
            parts.append(self.tr("%n colleague(s) replying: {0}", "", len(replying)))
            parts[-1] = parts[-1].format(", ".join(replying))
        if viewing:
            parts.append(self.tr("%n colleague(s) viewing: {0}", "", len(viewing)))
            parts[-1] = parts[-1].format(", ".join(viewing))
        self.label.setText(" · ".join(parts))
        self.setProperty("collision", bool(replying))  # themes show a warning colour
        self.style().unpolish(self)
        self.style().polish(self)
        self.setVisible(bool(parts))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


def confirm_send_despite(parent: QWidget, replying: list[str]) -> bool:
    """Asked before a reply goes out while a colleague replies to the same ticket."""
    if not replying:
        return True
    box = QMessageBox(parent)
    box.setObjectName("collisionQuestion")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(translate("PresenceBanner", "Someone else is replying"))
    box.setText(
        translate(
            "PresenceBanner", "{0} is replying to this ticket right now. Send your reply anyway?"
        ).format(", ".join(replying))
    )
    send = box.addButton(
        translate("PresenceBanner", "Send anyway"), QMessageBox.ButtonRole.AcceptRole
    )
    box.addButton(translate("PresenceBanner", "Don't send"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(QMessageBox.StandardButton.NoButton)
    box.exec()
    return box.clickedButton() is send
