"""The account dialog against real servers (offscreen Qt): Test connection names failures, Save
puts the password in the OS keyring and only settings in the profile."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from email_servers import PASSWORD, Dovecot, SmtpRecorder
from mail_ui_kit import fill_account_dialog
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desk_app.channels.email.config import EmailAccountConfig
from desk_app.channels.email.secrets import SecretKind, delete_passwords, load_password
from desk_app.services.context import ServiceContext
from desk_app.services.email_accounts import save_email_account
from desk_app.store.models import ChannelAccount
from desk_app.ui.email_account_dialog import EmailAccountDialog

SCREENSHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"


@pytest.fixture
def dialog(qtbot: QtBot, ctx: ServiceContext) -> Iterator[EmailAccountDialog]:
    made: list[str] = []

    def saver(name: str, config: EmailAccountConfig, imap: str | None, smtp: str | None) -> str:
        account_id = save_email_account(ctx, name, config, imap, smtp, str(uuid.uuid4()))
        made.append(account_id)
        return account_id

    widget = EmailAccountDialog(saver)
    qtbot.addWidget(widget)
    widget.show()
    yield widget
    for account_id in made:
        delete_passwords(account_id)


def run_test(qtbot: QtBot, dialog: EmailAccountDialog) -> str:
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.test_button.isEnabled(), timeout=20_000)
    return dialog.status.text()


@pytest.mark.timeout(90)
def test_test_connection_reports_success_and_named_failures(
    qtbot: QtBot, dialog: EmailAccountDialog, dovecot: Dovecot, smtp: SmtpRecorder
) -> None:
    fill_account_dialog(dialog, dovecot, smtp)
    text = run_test(qtbot, dialog)
    assert "IMAP: ✓" in text and "SMTP: ✓" in text, text
    dialog.password.setText("wrong")
    assert "IMAP: ✗ Wrong user name or password" in run_test(qtbot, dialog)
    dialog.password.setText(PASSWORD)
    dialog.imap.host.setText("no-such-host.invalid")
    dialog.imap.security.setCurrentIndex(dialog.imap.security.findData("tls"))
    assert "IMAP: ✗ Server not found (DNS)" in run_test(qtbot, dialog)
    dialog.imap.host.setText("mail.example.com")
    dialog.imap.security.setCurrentIndex(dialog.imap.security.findData("plain"))
    assert "only allowed to this computer" in run_test(qtbot, dialog)
    if os.environ.get("DESK_SCREENSHOTS") == "1":  # refresh docs/screenshots on demand
        fill_account_dialog(dialog, dovecot, smtp)
        run_test(qtbot, dialog)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        dialog.grab().save(str(SCREENSHOTS / "email-account-en.png"))


@pytest.mark.timeout(90)
def test_save_puts_password_in_keyring_and_settings_in_profile(
    qtbot: QtBot,
    dialog: EmailAccountDialog,
    dovecot: Dovecot,
    smtp: SmtpRecorder,
    ctx: ServiceContext,
) -> None:
    fill_account_dialog(dialog, dovecot, smtp)
    with qtbot.waitSignal(dialog.saved, timeout=20_000) as saved:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    account_id = saved.args[0]
    assert load_password(account_id, SecretKind.IMAP) == PASSWORD
    with ctx.read() as session:
        account = session.get(ChannelAccount, account_id)
        assert account is not None and account.name == "Поддержка"
        config = EmailAccountConfig.from_dict(dict(account.config))
        stored = json.dumps(account.config)
    assert config.folders == ("INBOX", "Support")
    assert config.smtp.username == "desk"  # defaults to the IMAP user
    assert PASSWORD not in stored


@pytest.mark.timeout(60)
def test_dialog_is_translated_to_russian(
    qtbot: QtBot, dovecot: Dovecot, smtp: SmtpRecorder, ctx: ServiceContext
) -> None:
    from PySide6.QtCore import QCoreApplication, QTranslator

    from desk_app.ui.i18n import TRANSLATIONS

    translator = QTranslator()
    assert translator.load(str(TRANSLATIONS / "desk_ru.qm"))
    QCoreApplication.installTranslator(translator)
    try:
        widget = EmailAccountDialog(lambda *_args: "unused")
        qtbot.addWidget(widget)
        widget.show()
        assert widget.windowTitle() == "Почтовый ящик"
        assert widget.test_button.text() == "Проверить подключение"
        fill_account_dialog(widget, dovecot, smtp)
        widget.password.setText("wrong")
        assert "Неверное имя пользователя или пароль" in run_test(qtbot, widget)
        if os.environ.get("DESK_SCREENSHOTS") == "1":  # refresh docs/screenshots on demand
            widget.grab().save(str(SCREENSHOTS / "email-account-ru.png"))
    finally:
        QCoreApplication.removeTranslator(translator)
