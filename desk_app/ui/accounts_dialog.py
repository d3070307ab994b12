"""Channel accounts (Ctrl+Shift+E): the profile's mailboxes and bots with their state, adding
and editing an email account (the account dialog with Test connection), switching one off.

After a change the account's fetch worker is rebuilt from the saved settings (``restart``,
DeskApp.restart_account) on the slow-work thread (``Ops.slow``: stopping a worker can take seconds,
and the reader pool stays free for the views), so new settings take effect without a restart of
Desk. In team mode the team's server runs the shared accounts, and a training sandbox never
talks to real providers, so both show the list read-only and say why.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desk_app.channels.email.config import EmailAccountConfig
from desk_app.domain.enums import Channel
from desk_app.services.accounts import AccountRow, list_accounts, set_account_enabled
from desk_app.services.context import ServiceContext
from desk_app.services.email_accounts import load_email_account, save_email_account
from desk_app.ui import labels
from desk_app.ui.icons import channel_icon
from desk_app.ui.ops import Ops

Restart = Callable[[str], None]


class AccountsDialog(QDialog):
    def __init__(
        self,
        ctx: ServiceContext,
        ops: Ops,
        restart: Restart,
        parent: QWidget | None = None,
        *,
        read_only_reason: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("accountsDialog")
        self.setWindowTitle(self.tr("Channel accounts"))
        self.resize(760, 360)
        self.ctx = ctx
        self.ops = ops
        self.restart = restart
        self.rows: list[AccountRow] = []
        self.list = QTreeWidget(self)
        self.list.setObjectName("accountsList")
        self.list.setRootIsDecorated(False)
        self.list.setHeaderLabels([self.tr("Account"), self.tr("Channel"), self.tr("State")])
        self.list.setColumnWidth(0, 300)
        self.list.setColumnWidth(1, 130)
        self.list.itemActivated.connect(lambda _item, _col: self.edit_selected())
        self.list.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.note = QLabel(read_only_reason or "", self)
        self.note.setWordWrap(True)
        self.note.setVisible(bool(read_only_reason))
        self.read_only = read_only_reason is not None
        self.add_button = QPushButton(self.tr("Add email account…"), self)
        self.add_button.clicked.connect(self.add_email)
        self.edit_button = QPushButton(self.tr("Edit…"), self)
        self.edit_button.clicked.connect(self.edit_selected)
        self.toggle_button = QPushButton(self)
        self.toggle_button.clicked.connect(self.toggle_selected)
        for button, keys in (
            (self.add_button, "Ctrl+N"),
            (self.edit_button, "F2"),  # Enter on a row edits too
            (self.toggle_button, "Ctrl+D"),
        ):
            button.setShortcut(QKeySequence(keys))
            button.setToolTip(QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.toggle_button):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.list)
        layout.addLayout(row)
        self._update_buttons()
        self.reload()

    # -- the list ----------------------------------------------------------------------------
    def reload(self) -> None:
        self.ops.read(lambda: list_accounts(self.ctx), self._show)

    def _show(self, rows: list[AccountRow]) -> None:
        current = self.selected()
        self.rows = rows
        self.list.clear()
        for account in rows:
            title = account.name
            if account.address and account.address != account.name:
                title = f"{account.name} <{account.address}>"
            item = QTreeWidgetItem(
                [title, labels.channel_name(account.channel), self._state(account)]
            )
            item.setIcon(0, channel_icon(account.channel))
            item.setData(0, Qt.ItemDataRole.UserRole, account.id)
            if account.last_error and account.enabled:
                item.setToolTip(2, account.last_error)
            elif account.simulated:
                item.setToolTip(
                    2, self.tr("A stand-in for the provider: nothing leaves this computer")
                )
            self.list.addTopLevelItem(item)
            if current is not None and account.id == current.id:
                self.list.setCurrentItem(item)
        first = self.list.topLevelItem(0)
        if self.list.currentItem() is None and first is not None:
            self.list.setCurrentItem(first)
        self._update_buttons()

    def _state(self, account: AccountRow) -> str:
        if not account.enabled:
            return self.tr("Switched off")
        if account.last_error:
            return self.tr("Error: {0}").format(account.last_error)
        if account.simulated:
            return self.tr("Demo (simulated)")
        return self.tr("Working")

    def selected(self) -> AccountRow | None:
        item = self.list.currentItem()
        if item is None:
            return None
        account_id = item.data(0, Qt.ItemDataRole.UserRole)
        return next((a for a in self.rows if a.id == account_id), None)

    def _update_buttons(self) -> None:
        account = self.selected()
        editable = not self.read_only
        self.add_button.setEnabled(editable)
        self.edit_button.setEnabled(editable and account is not None and _editable(account))
        self.toggle_button.setEnabled(editable and account is not None)
        on = account is None or account.enabled
        self.toggle_button.setText(self.tr("Switch off") if on else self.tr("Switch on"))
        self.toggle_button.setShortcut(QKeySequence("Ctrl+D"))  # setText drops a shortcut

    # -- changes -----------------------------------------------------------------------------
    def add_email(self) -> None:
        if not self.read_only:
            self._email_dialog(None)

    def edit_selected(self) -> None:
        account = self.selected()
        if self.read_only or account is None or not _editable(account):
            return
        self.ops.read(
            lambda: load_email_account(self.ctx, account.id),
            lambda loaded: self._email_dialog(account.id, *loaded),
        )

    def _email_dialog(
        self, account_id: str | None, name: str = "", config: EmailAccountConfig | None = None
    ) -> None:
        from desk_app.ui.email_account_dialog import EmailAccountDialog

        def saver(
            name: str,
            config: EmailAccountConfig,
            imap_password: str | None,
            smtp_password: str | None,
        ) -> str:
            return save_email_account(
                self.ctx, name, config, imap_password, smtp_password, account_id=account_id
            )

        dialog = EmailAccountDialog(saver, self, account_id=account_id, name=name, config=config)
        dialog.saved.connect(self._changed)
        dialog.open()

    def toggle_selected(self) -> None:
        account = self.selected()
        if self.read_only or account is None:
            return
        self.ops.write(
            lambda: set_account_enabled(self.ctx, account.id, not account.enabled),
            lambda _result: self._changed(account.id),
        )

    def _changed(self, account_id: str) -> None:
        """Saved or switched: the account's worker starts over with what is saved now."""
        self.ops.slow(lambda: self.restart(account_id), lambda _result: self.reload())


def _editable(account: AccountRow) -> bool:
    """Email settings open in the account dialog; demo stand-ins have no settings to edit."""
    return account.channel == Channel.EMAIL.value and not account.simulated
