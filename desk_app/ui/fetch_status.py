"""The fetch indicator in the status bar: "Fetching support@example.com: 1,200 of 10,000
messages…" while an account catches up, and "⚠ support@example.com: <error>" while an account's
last fetch failed (cleared when a round succeeds).

Progress comes from :class:`~desk_app.services.fetch_progress.FetchProgressBoard`, called on the
fetch workers' threads; :meth:`FetchStatusIndicator.post` only emits a queued signal, so the
widget changes on the UI thread. Errors are read from the accounts (``ChannelAccount.last_error``,
the record the settings show too) on the reader pool: at start, when settings change (a fetch
failure is published that way) and when an account that showed an error finishes a round.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QLocale, Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from desk_app.services.changes import Changes
from desk_app.services.context import ServiceContext
from desk_app.services.fetch_progress import (
    AccountError,
    FetchProgress,
    FetchProgressBoard,
    account_errors,
)
from desk_app.ui.ops import Ops

DONE_SHOWN_MS = 6000  # "Fetched 1,200 messages" stays this long after a catch-up
MAX_ERROR_CHARS = 70


class FetchStatusIndicator(QWidget):
    progress_posted = Signal(object)

    def __init__(self, ctx: ServiceContext, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fetchStatus")
        self.ctx = ctx
        self.ops = ops
        self.active: dict[str, FetchProgress] = {}  # accounts catching up now (shown)
        self._batches: dict[str, int] = {}  # progress reports per account in this catch-up
        self.finished: FetchProgress | None = None  # the last catch-up that stored something
        self.errors: list[AccountError] = []
        self._unsubscribe: Callable[[], None] | None = None
        self.progress_label = QLabel(self)
        self.progress_label.setObjectName("fetchProgress")
        self.error_label = QLabel(self)
        self.error_label.setObjectName("fetchError")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.error_label)
        self._done_timer = QTimer(self)
        self._done_timer.setSingleShot(True)
        self._done_timer.setInterval(DONE_SHOWN_MS)
        self._done_timer.timeout.connect(self._forget_finished)
        self.progress_posted.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)
        self.retranslate()

    def attach(self, board: FetchProgressBoard) -> None:
        """Listen to the fetch workers and show the accounts' current errors."""
        if self._unsubscribe is None:
            self._unsubscribe = board.add_listener(self.post)
        self.reload_errors()

    def detach(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def post(self, progress: FetchProgress) -> None:
        """Safe from any thread (a fetch worker calls it)."""
        try:
            self.progress_posted.emit(progress)
        except RuntimeError:  # the window is gone; the worker may still be finishing
            self.detach()

    def on_changes(self, changes: Changes) -> None:
        if changes.settings:
            self.reload_errors()

    def reload_errors(self) -> None:
        def read() -> list[AccountError]:
            with self.ctx.read() as session:
                return account_errors(session)

        self.ops.read(read, self._errors_loaded)

    def _errors_loaded(self, errors: list[AccountError]) -> None:
        self.errors = errors
        self.retranslate()

    def _on_progress(self, progress: FetchProgress) -> None:
        """A catch-up is shown only when it takes more than one batch (its total says more is
        coming, or a second batch arrived): mail trickling in one round at a time stays quiet."""
        account = progress.account_id
        if progress.finished:
            batches = self._batches.pop(account, 0)
            was_active = self.active.pop(account, None) is not None
            if was_active and batches > 1 and progress.stored:
                self.finished = progress
                self._done_timer.start()
            if any(e.account_id == account for e in self.errors):
                self.reload_errors()  # a successful round cleared it
            if not was_active:
                return
        else:
            self._batches[account] = self._batches.get(account, 0) + 1
            # Items are arriving: the account works again (its record was cleared with them).
            self.errors = [e for e in self.errors if e.account_id != account]
            more_coming = progress.total is not None and progress.total > progress.stored
            if more_coming or self._batches[account] > 1:
                self.active[account] = progress
                self.finished = None
        self.retranslate()

    def _forget_finished(self) -> None:
        self.finished = None
        self.retranslate()

    def progress_text(self) -> str:
        locale = QLocale()
        if self.active:
            progress = next(reversed(self.active.values()))
            count = locale.toString(progress.stored)
            if progress.total:
                text = self.tr("Fetching {0}: {1} of {2} messages…").format(
                    progress.account_name, count, locale.toString(progress.total)
                )
            else:
                text = self.tr("Fetching {0}: {1} messages…").format(progress.account_name, count)
            if len(self.active) > 1:
                text += " " + self.tr("(+{0} more accounts)").format(len(self.active) - 1)
            return text
        if self.finished is not None:
            return self.tr("{0}: {1} new messages fetched").format(
                self.finished.account_name, locale.toString(self.finished.stored)
            )
        return ""

    def error_text(self) -> str:
        if not self.errors:
            return ""
        first = self.errors[0]
        message = first.error if len(first.error) <= MAX_ERROR_CHARS else first.error[:69] + "…"
        text = self.tr("⚠ {0}: {1}").format(first.account_name, message)
        if len(self.errors) > 1:
            text += " " + self.tr("(+{0} more accounts failing)").format(len(self.errors) - 1)
        return text

    def retranslate(self) -> None:
        progress = self.progress_text()
        self.progress_label.setText(progress)
        self.progress_label.setVisible(bool(progress))
        error = self.error_text()
        self.error_label.setText(error)
        self.error_label.setVisible(bool(error))
        self.error_label.setToolTip(
            "\n".join(
                self.tr("{0} could not fetch: {1}").format(e.account_name, e.error)
                for e in self.errors
            )
        )
        self.setVisible(bool(progress or error))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
