"""The accounts list hands the account dialog the saved settings, typed as what they are."""

from __future__ import annotations

import typing
from pathlib import Path

from pytestqt.qtbot import QtBot

from desk_app.app import DeskApp
from desk_app.channels.email.config import EmailAccountConfig, ServerConfig
from desk_app.services.email_accounts import save_email_account
from desk_app.ui.accounts_dialog import AccountsDialog
from desk_app.ui.email_account_dialog import EmailAccountDialog
from desk_app.ui.ops import Ops


def test_the_email_dialog_takes_saved_settings_by_their_type() -> None:
    hints = typing.get_type_hints(AccountsDialog._email_dialog)
    assert hints["config"] == EmailAccountConfig | None


def test_editing_opens_the_saved_settings(qtbot: QtBot, tmp_path: Path) -> None:
    desk = DeskApp(tmp_path / "profile", seed=None)
    config = EmailAccountConfig(
        imap=ServerConfig("imap.desk.test", 993, username="support"),
        smtp=ServerConfig("smtp.desk.test", 465, username="support"),
        from_address="support@desk.test",
    )
    save_email_account(desk.ctx, "Support", config, None)  # no password: the keyring is untouched
    ops = Ops()
    dialog = AccountsDialog(desk.ctx, ops, lambda _account: None)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.list.topLevelItemCount() == 1, timeout=5_000)
    dialog.edit_selected()
    qtbot.waitUntil(lambda: dialog.findChild(EmailAccountDialog) is not None, timeout=5_000)
    editor = dialog.findChild(EmailAccountDialog)
    assert editor is not None
    assert editor.imap.host.text() == "imap.desk.test"
    editor.reject()
    ops.shutdown()
    desk.close()
