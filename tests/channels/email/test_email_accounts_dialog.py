"""Adding a mailbox from the running app (offscreen Qt, real Dovecot, real keyring): the accounts
list opens by its shortcut, the account dialog saves, and the new account's fetch worker starts
at once and brings the mail in; switching the account off stops it; editing keeps the password."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from email_servers import PASSWORD, Dovecot, SmtpRecorder
from mail_ui_kit import fill_account_dialog
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desk_app.app import DeskApp
from desk_app.channels.email.secrets import delete_passwords
from desk_app.services.accounts import list_accounts
from desk_app.store.models import ChannelAccount, Message
from desk_app.ui.accounts_dialog import AccountsDialog
from desk_app.ui.email_account_dialog import EmailAccountDialog
from desk_app.ui.launcher import build_window
from desk_app.ui.ops import Ops

MAIL = (
    b"From: Olga <olga@example.test>\r\nTo: support@desk.test\r\n"
    b"Subject: Order 4711 never arrived\r\nMessage-ID: <order-4711@example.test>\r\n"
    b"Date: Mon, 23 Nov 2026 09:00:00 +0000\r\n\r\nWhere is my parcel?\r\n"
)


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[DeskApp]:
    app = DeskApp(tmp_path / "profile", seed=None)
    app.prepare()
    app.simulated_poll_seconds = 0.1
    app.start_workers()  # a standalone profile: accounts are fetched here
    yield app
    for account in list_accounts(app.ctx):
        delete_passwords(account.id)
    app.close()


def subjects(desk: DeskApp) -> list[str | None]:
    with desk.ctx.read() as session:
        return list(session.scalars(select(Message.subject)))


@pytest.mark.timeout(90)
def test_an_account_added_in_the_app_fetches_at_once_and_can_be_switched_off(
    qtbot: QtBot, desk: DeskApp, dovecot: Dovecot, smtp: SmtpRecorder
) -> None:
    dovecot.append("INBOX", [MAIL])
    ops = Ops()
    dialog = AccountsDialog(desk.ctx, ops, desk.restart_account)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: dialog.list.topLevelItemCount() == 0 and not ops.pending)
    qtbot.keyClick(dialog.list, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)  # Add…
    qtbot.waitUntil(lambda: dialog.findChild(EmailAccountDialog) is not None, timeout=2_000)
    editor = dialog.findChild(EmailAccountDialog)
    assert editor is not None and editor.isVisible()
    fill_account_dialog(editor, dovecot, smtp, name="Support", folders="INBOX")
    with qtbot.waitSignal(editor.saved, timeout=20_000):
        editor.save()
    qtbot.waitUntil(lambda: "Order 4711 never arrived" in subjects(desk), timeout=30_000)
    qtbot.waitUntil(lambda: dialog.list.topLevelItemCount() == 1, timeout=5_000)
    item = dialog.list.topLevelItem(0)
    assert item is not None and "support@desk.test" in item.text(0)
    assert item.text(2) == "Working"
    assert [w.fetcher.account_id for w in desk.fetchers] == [dialog.rows[0].id]

    dialog.activateWindow()  # back from the account dialog (a window manager does this)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=2_000)
    qtbot.keyClick(dialog.list, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)  # off
    qtbot.waitUntil(lambda: desk.fetchers == [], timeout=20_000)
    qtbot.waitUntil(lambda: dialog.rows[0].enabled is False, timeout=5_000)
    assert dialog.toggle_button.text() == "Switch on"
    with desk.ctx.read() as session:
        account = session.scalars(select(ChannelAccount)).one()
        assert account.enabled is False
        assert PASSWORD not in str(account.config)  # the password lives in the keyring only
    ops.shutdown()


@pytest.mark.timeout(60)
def test_the_accounts_list_opens_by_its_shortcut_and_is_read_only_in_the_sandbox(
    qtbot: QtBot, tmp_path: Path
) -> None:
    sandbox = DeskApp.sandbox(tmp_path / "sandbox")
    sandbox.prepare()
    window = build_window(sandbox, language="en", theme="light")
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.inbox_ready, timeout=10_000):
        window.start()
    seen: list[tuple[bool, str, bool, bool, int]] = []

    def inspect_and_close() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, AccountsDialog)
        qtbot.waitUntil(lambda: dialog.list.topLevelItemCount() > 0, timeout=5_000)
        seen.append(
            (
                dialog.note.isVisibleTo(dialog),
                dialog.note.text(),
                dialog.add_button.isEnabled(),
                dialog.toggle_button.isEnabled(),
                dialog.list.topLevelItemCount(),
            )
        )
        dialog.reject()

    QTimer.singleShot(0, inspect_and_close)
    qtbot.keyClick(
        window,
        Qt.Key.Key_E,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(lambda: bool(seen), timeout=5_000)
    note_shown, note, can_add, can_toggle, accounts = seen[0]
    assert note_shown and "sandbox" in note
    assert not can_add and not can_toggle
    assert accounts == 8  # the sandbox's simulated channels, listed
    window.close()
    sandbox.close()
