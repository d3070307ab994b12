"""Adding or editing an email account: servers, security, folders, password (to the OS keyring).

Test connection and Save talk to servers and the keyring, so they run on a worker thread; the
result comes back through a queued signal and the dialog stays responsive. Every failure is
named (DNS, refused, TLS, password, timeout) so the operator knows what to fix.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desk_app.channels.email.config import (
    ConfigError,
    EmailAccountConfig,
    Security,
    ServerConfig,
)
from desk_app.channels.email.connection import CheckResult, FailureKind, check_account
from desk_app.channels.email.secrets import NoKeyringError

# (security, default IMAP port, default SMTP port)
DEFAULT_PORTS = {Security.TLS: (993, 465), Security.STARTTLS: (143, 587), Security.PLAIN: (143, 25)}
Saver = Callable[[str, EmailAccountConfig, str | None, str | None], str]


class _Relay(QObject):
    """Carries a worker thread's result to the UI thread (queued connection)."""

    done = Signal(object)


class _ServerBox(QGroupBox):
    def __init__(
        self,
        title: str,
        security_labels: dict[Security, str],
        field_labels: tuple[str, str, str, str],
        parent: QWidget,
    ) -> None:
        super().__init__(title, parent)
        self.host = QLineEdit(self)
        self.port = QSpinBox(self)
        self.port.setRange(1, 65535)
        self.security = QComboBox(self)
        for value, label in security_labels.items():
            self.security.addItem(label, value.value)
        self.username = QLineEdit(self)
        form = QFormLayout(self)
        for label, field in zip(
            field_labels, (self.host, self.port, self.security, self.username), strict=True
        ):
            form.addRow(label, field)

    def server(self) -> ServerConfig:
        return ServerConfig(
            host=self.host.text().strip(),
            port=self.port.value(),
            security=Security(self.security.currentData()),
            username=self.username.text().strip(),
        )

    def load(self, server: ServerConfig) -> None:
        self.host.setText(server.host)
        self.port.setValue(server.port)
        self.security.setCurrentIndex(max(0, self.security.findData(server.security.value)))
        self.username.setText(server.username)


class EmailAccountDialog(QDialog):
    saved = Signal(str)  # account id

    def __init__(
        self,
        saver: Saver,
        parent: QWidget | None = None,
        *,
        account_id: str | None = None,
        name: str = "",
        config: EmailAccountConfig | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("emailAccountDialog")
        self.setWindowTitle(self.tr("Email account"))
        self.saver = saver
        self.account_id = account_id
        self._relay = _Relay(self)
        self._relay.done.connect(self._finished)
        self._busy = False
        labels = {
            Security.TLS: self.tr("TLS (encrypted from the start)"),
            Security.STARTTLS: self.tr("STARTTLS (upgrade to encryption)"),
            Security.PLAIN: self.tr("None — this computer only"),
        }
        self.name = QLineEdit(name, self)
        self.name.setPlaceholderText(self.tr("Support mailbox"))
        self.address = QLineEdit(self)
        self.address.setPlaceholderText("support@example.com")
        self.sender_name = QLineEdit(self)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(
            self.tr("Stored in the system keyring") if account_id else ""
        )
        fields = (self.tr("Server"), self.tr("Port"), self.tr("Security"), self.tr("User name"))
        self.imap = _ServerBox(self.tr("Incoming mail (IMAP)"), labels, fields, self)
        self.smtp = _ServerBox(self.tr("Outgoing mail (SMTP)"), labels, fields, self)
        self.smtp.username.setPlaceholderText(self.tr("Same as IMAP"))
        self.smtp_password = QLineEdit(self)
        self.smtp_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.smtp_password.setPlaceholderText(self.tr("Same as the IMAP password"))
        self.folders = QLineEdit("INBOX", self)
        self.sent_folder = QLineEdit("Sent", self)
        self.mark_seen = QCheckBox(self.tr("Mark fetched mail as read on the server"), self)
        self.status = QLabel(self)
        self.status.setObjectName("connectionStatus")
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.test_button = QPushButton(self.tr("Test connection"), self)
        self.test_button.setObjectName("testConnection")
        self.test_button.clicked.connect(self.test_connection)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self._layout(buttons)
        self.imap.security.currentIndexChanged.connect(lambda _i: self._default_port(self.imap, 0))
        self.smtp.security.currentIndexChanged.connect(lambda _i: self._default_port(self.smtp, 1))
        if config is not None:
            self.load(config)
        else:
            self.imap.port.setValue(993)
            self.smtp.port.setValue(465)

    def _layout(self, buttons: QDialogButtonBox) -> None:
        top = QFormLayout()
        top.addRow(self.tr("Account name"), self.name)
        top.addRow(self.tr("Email address"), self.address)
        top.addRow(self.tr("Sender name"), self.sender_name)
        top.addRow(self.tr("Password"), self.password)
        servers = QHBoxLayout()
        servers.addWidget(self.imap)
        servers.addWidget(self.smtp)
        bottom = QFormLayout()
        bottom.addRow(self.tr("SMTP password"), self.smtp_password)
        bottom.addRow(self.tr("Folders to fetch"), self.folders)
        bottom.addRow(self.tr("Sent folder"), self.sent_folder)
        bottom.addRow("", self.mark_seen)
        row = QHBoxLayout()
        row.addWidget(self.test_button)
        row.addWidget(self.status, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(servers)
        layout.addLayout(bottom)
        layout.addLayout(row)
        layout.addWidget(buttons)

    def _default_port(self, box: _ServerBox, which: int) -> None:
        known = {ports[which] for ports in DEFAULT_PORTS.values()}
        if box.port.value() in known:
            box.port.setValue(DEFAULT_PORTS[Security(box.security.currentData())][which])

    # -- data ---------------------------------------------------------------------------------
    def load(self, config: EmailAccountConfig) -> None:
        self.address.setText(config.from_address)
        self.sender_name.setText(config.from_name)
        self.imap.load(config.imap)
        self.smtp.load(config.smtp)
        self.folders.setText(", ".join(config.folders))
        self.sent_folder.setText(config.sent_folder)
        self.mark_seen.setChecked(config.mark_seen)

    def config(self) -> EmailAccountConfig:
        smtp = self.smtp.server()
        if not smtp.username:
            smtp = ServerConfig(smtp.host, smtp.port, smtp.security, self.imap.server().username)
        return EmailAccountConfig(
            imap=self.imap.server(),
            smtp=smtp,
            from_address=self.address.text().strip(),
            from_name=self.sender_name.text().strip(),
            folders=tuple(f.strip() for f in self.folders.text().split(",") if f.strip()),
            sent_folder=self.sent_folder.text().strip() or "Sent",
            mark_seen=self.mark_seen.isChecked(),
        )

    # -- actions (off the UI thread) ------------------------------------------------------------
    def _run(self, kind: str, work: Callable[[], Any]) -> None:
        if self._busy:
            return
        self._set_busy(True)

        def job() -> None:
            try:
                result: Any = work()
                self._relay.done.emit((kind, result, None))
            except Exception as error:
                self._relay.done.emit((kind, None, error))

        threading.Thread(target=job, name=f"email-dialog-{kind}", daemon=True).start()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.test_button.setEnabled(not busy)
        if self.save_button is not None:
            self.save_button.setEnabled(not busy)
        if busy:
            self.status.setText(self.tr("Connecting…"))

    def _valid_config(self) -> EmailAccountConfig | None:
        """The form as settings, or None (with the problem shown) when they cannot work."""
        try:
            config = self.config()
            config.validate()
        except ConfigError as error:
            self._show_failure(self.tr("Settings"), str(error))
            return None
        return config

    def test_connection(self) -> None:
        config = self._valid_config()
        if config is None:
            return
        imap_password = self.password.text()
        smtp_password = self.smtp_password.text() or imap_password
        self._run("test", lambda: check_account(config, imap_password, smtp_password))

    def save(self) -> None:
        config = self._valid_config()
        if config is None:
            return
        if not self.account_id and not self.password.text():
            self._show_failure(self.tr("Settings"), self.tr("Enter the password."))
            return
        name = self.name.text().strip() or config.from_address
        imap_password = self.password.text() or None
        smtp_password = self.smtp_password.text() or None
        self._run("save", lambda: self.saver(name, config, imap_password, smtp_password))

    def _finished(self, outcome: tuple[str, Any, BaseException | None]) -> None:
        kind, result, error = outcome
        self._set_busy(False)
        if kind == "test":
            if error is not None:
                self._show_failure(self.tr("Error"), str(error))
            else:
                self._show_checks(result)
            return
        if isinstance(error, NoKeyringError):
            self._show_failure(self.tr("No system keyring"), str(error))
        elif error is not None:
            self._show_failure(self.tr("Not saved"), str(error))
        else:
            self.account_id = str(result)
            self.saved.emit(self.account_id)
            self.accept()

    def _show_checks(self, results: list[CheckResult]) -> None:
        lines = []
        connected = self.tr("connected")
        for check in results:
            if check.failure is None:
                lines.append(f"{check.what}: ✓ {connected} ({check.detail})")
            else:
                title = self._failure_title(check.failure.kind)
                lines.append(f"{check.what}: ✗ {title} — {check.failure.message}")
        self.status.setProperty("ok", all(c.ok for c in results))
        self.status.setText("\n".join(lines))

    def _show_failure(self, title: str, message: str) -> None:
        self.status.setProperty("ok", False)
        self.status.setText(f"✗ {title} — {message}")

    def _failure_title(self, kind: FailureKind) -> str:
        return {
            FailureKind.CONFIG: self.tr("Settings"),
            FailureKind.DNS: self.tr("Server not found (DNS)"),
            FailureKind.REFUSED: self.tr("Connection refused"),
            FailureKind.TLS: self.tr("Encryption (TLS) failed"),
            FailureKind.AUTH: self.tr("Wrong user name or password"),
            FailureKind.TIMEOUT: self.tr("No answer (timeout)"),
            FailureKind.NETWORK: self.tr("Network error"),
            FailureKind.PROTOCOL: self.tr("Server error"),
        }[kind]
