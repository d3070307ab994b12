"""Opening IMAP and SMTP connections as an account is configured, and naming what went wrong.

"Connection failed" helps nobody; the account dialog must say whether the name did not resolve,
the server refused, TLS failed (and why), the password was wrong, or the server did not answer.
"""

from __future__ import annotations

import contextlib
import functools
import smtplib
import socket
import ssl
from dataclasses import dataclass
from enum import StrEnum

from imapclient import IMAPClient
from imapclient.exceptions import LoginError

from desk_app.channels.email.config import ConfigError, EmailAccountConfig, Security, ServerConfig


class FailureKind(StrEnum):
    CONFIG = "config"
    DNS = "dns"
    REFUSED = "refused"
    TLS = "tls"
    AUTH = "auth"
    TIMEOUT = "timeout"
    NETWORK = "network"
    PROTOCOL = "protocol"


@dataclass(frozen=True)
class Failure:
    kind: FailureKind
    message: str


def tls_context(server: ServerConfig) -> ssl.SSLContext | None:
    """Verifying context; ``ca_file`` adds a private CA (company servers, tests) to the system's.
    None for plain (loopback-only) connections."""
    if server.security is Security.PLAIN:
        return None
    return _context(server.ca_file)


@functools.lru_cache(maxsize=8)
def _context(ca_file: str) -> ssl.SSLContext:
    # Loading the system's CA store costs ~0.1 s; contexts are safe to share between sockets.
    context = ssl.create_default_context()
    if ca_file:
        context.load_verify_locations(cafile=ca_file)
    return context


def open_imap(server: ServerConfig, password: str, timeout: float) -> IMAPClient:
    server.validate("IMAP")
    context = tls_context(server)
    client = IMAPClient(
        server.host,
        port=server.port,
        ssl=server.security is Security.TLS,
        ssl_context=context,
        timeout=timeout,
    )
    client.normalise_times = False  # INTERNALDATE as aware datetimes, not local naive ones
    try:
        if context is not None and server.security is Security.STARTTLS:
            client.starttls(context)
        client.login(server.username, password)
    except BaseException:
        close_quietly(client)
        raise
    return client


def open_smtp(server: ServerConfig, password: str, timeout: float) -> smtplib.SMTP:
    server.validate("SMTP")
    context = tls_context(server)
    smtp: smtplib.SMTP
    if context is not None and server.security is Security.TLS:
        smtp = smtplib.SMTP_SSL(server.host, server.port, timeout=timeout, context=context)
    else:
        smtp = smtplib.SMTP(server.host, server.port, timeout=timeout)
    try:
        smtp.ehlo()
        if context is not None and server.security is Security.STARTTLS:
            smtp.starttls(context=context)
            smtp.ehlo()
        if server.username:
            _smtp_login(smtp, server.username, password)
    except BaseException:
        close_quietly(smtp)
        raise
    return smtp


def _smtp_login(smtp: smtplib.SMTP, username: str, password: str) -> None:
    """One attempt with AUTH PLAIN when offered (smtplib's ``login`` would retry the same
    wrong password with every mechanism, which some servers count toward a lock-out)."""
    if "PLAIN" in smtp.esmtp_features.get("auth", "").upper().split():
        smtp.user, smtp.password = username, password
        smtp.auth("PLAIN", smtp.auth_plain)
    else:
        smtp.login(username, password)


def close_quietly(conn: IMAPClient | smtplib.SMTP) -> None:
    """Polite goodbye if the connection still works, else just close it."""
    polite, rude = (
        (conn.logout, conn.shutdown) if isinstance(conn, IMAPClient) else (conn.quit, conn.close)
    )
    try:
        polite()
    except Exception:
        with contextlib.suppress(Exception):
            rude()


def classify(error: BaseException, server: ServerConfig) -> Failure:
    """The failure in words an operator can act on."""
    where = f"{server.host}:{server.port}"
    if isinstance(error, ConfigError):
        return Failure(FailureKind.CONFIG, str(error))
    if isinstance(error, socket.gaierror):
        return Failure(
            FailureKind.DNS, f"The server name {server.host!r} could not be found (DNS)."
        )
    if isinstance(error, ConnectionRefusedError):
        return Failure(
            FailureKind.REFUSED,
            f"{where} refused the connection: wrong port or the server is down.",
        )
    if isinstance(error, ssl.SSLCertVerificationError):
        return Failure(
            FailureKind.TLS,
            f"The certificate of {server.host} is not trusted: {error.verify_message}.",
        )
    if isinstance(error, ssl.SSLError):
        return Failure(
            FailureKind.TLS,
            f"TLS with {where} failed ({error.reason or error}); "
            "check the security setting and port.",
        )
    if isinstance(error, (LoginError, smtplib.SMTPAuthenticationError)):
        detail = _server_text(error)
        return Failure(
            FailureKind.AUTH,
            f"{where} rejected the user name or password{': ' + detail if detail else '.'}",
        )
    if isinstance(error, (TimeoutError, socket.timeout)):
        return Failure(FailureKind.TIMEOUT, f"{where} did not answer in time.")
    if isinstance(error, smtplib.SMTPNotSupportedError):
        return Failure(FailureKind.PROTOCOL, f"{where}: {error} (try another security setting).")
    if isinstance(error, OSError):
        return Failure(FailureKind.NETWORK, f"Network error talking to {where}: {error}.")
    return Failure(FailureKind.PROTOCOL, f"{where}: {_server_text(error) or error}")


def _server_text(error: BaseException) -> str:
    if isinstance(error, smtplib.SMTPResponseException):
        raw = error.smtp_error
        return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    first = error.args[0] if len(error.args) == 1 else None
    if isinstance(first, bytes):  # imaplib hands the server's words over as bytes
        return first.decode("utf-8", "replace")
    text = str(error)
    if text.startswith(("b'", 'b"')):  # imapclient wraps them in a str of the bytes
        return text[2:-1]
    return text


@dataclass(frozen=True)
class CheckResult:
    what: str  # "IMAP" or "SMTP"
    failure: Failure | None
    detail: str = ""  # on success: what we found (folders, capabilities)

    @property
    def ok(self) -> bool:
        return self.failure is None


def check_imap(config: EmailAccountConfig, password: str) -> CheckResult:
    try:
        client = open_imap(config.imap, password, config.timeout)
    except Exception as error:
        return CheckResult("IMAP", classify(error, config.imap))
    try:
        names = [name for _flags, _delim, name in client.list_folders()]
        missing = [f for f in config.folders if f not in names]
        if missing:
            return CheckResult(
                "IMAP",
                Failure(FailureKind.CONFIG, f"Folder(s) not on the server: {', '.join(missing)}"),
            )
        return CheckResult("IMAP", None, f"{len(names)} folders")
    except Exception as error:
        return CheckResult("IMAP", classify(error, config.imap))
    finally:
        close_quietly(client)


def check_smtp(config: EmailAccountConfig, password: str) -> CheckResult:
    try:
        smtp = open_smtp(config.smtp, password, config.timeout)
    except Exception as error:
        return CheckResult("SMTP", classify(error, config.smtp))
    try:
        smtp.noop()
        return CheckResult("SMTP", None, "ready")
    except Exception as error:
        return CheckResult("SMTP", classify(error, config.smtp))
    finally:
        close_quietly(smtp)


def check_account(
    config: EmailAccountConfig, imap_password: str, smtp_password: str
) -> list[CheckResult]:
    """Test connection: both servers, each failure named."""
    return [check_imap(config, imap_password), check_smtp(config, smtp_password)]
