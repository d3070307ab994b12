"""Test connection names the failure: DNS, refused, TLS, authentication, timeout, settings."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest
from email_servers import PASSWORD, Dovecot, SmtpRecorder, free_port

from desk_app.channels.email.config import ConfigError, EmailAccountConfig
from desk_app.channels.email.connection import FailureKind, check_account, check_imap


def config_for(dovecot: Dovecot, smtp: SmtpRecorder, **imap: Any) -> EmailAccountConfig:
    data = dovecot.account_config(smtp=smtp.config(), timeout=4.0)  # > auth fail delay
    data["imap"].update(imap)
    return EmailAccountConfig.from_dict(data)


@pytest.fixture
def silent_port() -> Iterator[int]:
    """Accepts connections and never says a word (a firewall that swallows packets)."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(4)
        yield int(listener.getsockname()[1])


@pytest.mark.timeout(60)
def test_working_account_passes_both_checks(dovecot: Dovecot, smtp: SmtpRecorder) -> None:
    results = check_account(config_for(dovecot, smtp), PASSWORD, PASSWORD)
    assert [(r.what, r.ok) for r in results] == [("IMAP", True), ("SMTP", True)]


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    ("imap", "password", "kind", "words"),
    [
        ({"host": "no-such-host.invalid", "security": "tls"}, PASSWORD, FailureKind.DNS, "DNS"),
        ({"port": "closed"}, PASSWORD, FailureKind.REFUSED, "refused"),
        ({"security": "tls"}, PASSWORD, FailureKind.TLS, "TLS"),  # TLS to a plain-text port
        ({}, "wrong-password", FailureKind.AUTH, "user name or password"),
        ({"port": "silent"}, PASSWORD, FailureKind.TIMEOUT, "did not answer"),
        ({"host": "192.0.2.10", "security": "plain"}, PASSWORD, FailureKind.CONFIG, "only allowed"),
        ({}, PASSWORD, FailureKind.CONFIG, "Nope"),  # a folder that does not exist
    ],
)
def test_each_failure_is_named(
    dovecot: Dovecot,
    smtp: SmtpRecorder,
    silent_port: int,
    imap: dict[str, Any],
    password: str,
    kind: FailureKind,
    words: str,
) -> None:
    ports = {"closed": free_port(), "silent": silent_port}
    if "port" in imap:
        imap = imap | {"port": ports[imap["port"]]}
    config = config_for(dovecot, smtp, **imap)
    if words == "Nope":
        data = config.to_dict() | {"folders": ["INBOX", "Nope"]}
        config = EmailAccountConfig.from_dict(data)
    result = check_imap(config, password)
    assert result.failure is not None
    assert result.failure.kind == kind
    assert words in result.failure.message


@pytest.mark.timeout(60)
def test_untrusted_certificate_is_named(dovecot_tls: Dovecot, smtp: SmtpRecorder) -> None:
    config = config_for(dovecot_tls, smtp, security="tls", port=dovecot_tls.imaps_port, ca_file="")
    failure = check_imap(config, PASSWORD).failure
    assert failure is not None and failure.kind == FailureKind.TLS
    assert "not trusted" in failure.message
    trusted = config_for(dovecot_tls, smtp, security="tls", port=dovecot_tls.imaps_port)
    assert check_imap(trusted, PASSWORD).ok


def test_plain_text_to_a_remote_host_is_refused_before_connecting() -> None:
    data = {
        "imap": {"host": "mail.example.com", "port": 143, "security": "plain"},
        "smtp": {"host": "localhost", "port": 25, "security": "plain"},
        "from_address": "support@example.com",
    }
    with pytest.raises(ConfigError, match="only allowed to this computer"):
        EmailAccountConfig.from_dict(data).validate()
