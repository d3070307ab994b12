"""The connection indicator for the status bar: online, offline (changes kept here), syncing N
changes, or signed out. Fed by the sync worker's ``on_status`` callback from any thread; the
widget moves the value onto the UI thread with a queued signal."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QLabel, QWidget

from desk_app.sync.worker import OFFLINE, ONLINE, SIGNED_OUT, SYNCING, SyncStatus
from desk_app.ui import labels


class SyncStatusIndicator(QLabel):
    status_posted = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncStatus")
        self.status = SyncStatus(OFFLINE)
        self.status_posted.connect(self._show, Qt.ConnectionType.QueuedConnection)
        self.retranslate()

    def post(self, status: SyncStatus) -> None:
        """Safe from any thread (the sync worker calls it)."""
        self.status_posted.emit(status)

    def _show(self, status: SyncStatus) -> None:
        self.status = status
        self.setProperty("state", status.state)  # themes colour it by state
        self.style().unpolish(self)
        self.style().polish(self)
        self.retranslate()

    def retranslate(self) -> None:
        state, pending = self.status.state, self.status.pending
        if state == ONLINE:
            text = self.tr("Online")
        elif state == SYNCING:
            text = self.tr("Syncing %n change(s)", "", pending)
        elif state == SIGNED_OUT:
            text = self.tr("Signed out — sign in again to sync")
        elif pending:
            text = self.tr("Offline — %n change(s) kept on this computer", "", pending)
        else:
            text = self.tr("Offline")
        self.setText(text)
        tip = []
        if self.status.last_sync is not None:
            tip.append(self.tr("Last synced: {0}").format(labels.when(self.status.last_sync)))
        if self.status.detail and state != ONLINE:
            tip.append(self.status.detail)
        self.setToolTip("\n".join(tip))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
