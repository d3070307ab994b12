"""Mail passwords live only in the OS keyring.

If the system has no usable keyring (a headless box without a Secret Service, a locked
collection), Desk says so and refuses to store the password anywhere else: not in the database,
not in a config file, not in an environment variable.
"""

from __future__ import annotations

import time
from enum import StrEnum
from typing import Protocol

SERVICE = "desk-email"


class SecretKind(StrEnum):
    IMAP = "imap"
    SMTP = "smtp"


class CredentialsUnavailable(RuntimeError):
    """The password cannot be had; retrying will not help until the operator acts."""


class NoKeyringError(CredentialsUnavailable):
    """No usable OS keyring: the password cannot be stored or read."""


class MissingPasswordError(CredentialsUnavailable):
    """The keyring works but holds no password for this account yet."""


_NO_KEYRING = (
    "No usable system keyring was found ({detail}). Desk keeps mail passwords only in the "
    "system keyring (GNOME Keyring / KWallet / macOS Keychain / Windows Credential Manager) and "
    "never stores them anywhere else. Install or unlock a keyring and try again."
)


def _backend() -> object:
    import keyring
    from keyring.backends import fail

    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring):
        raise NoKeyringError(_NO_KEYRING.format(detail="no backend"))
    return backend


def _entry(account_id: str, kind: SecretKind) -> str:
    return f"{account_id}/{kind.value}"


def store_password(account_id: str, kind: SecretKind, password: str) -> None:
    from keyring.errors import KeyringError

    _backend()
    import keyring

    try:
        keyring.set_password(SERVICE, _entry(account_id, kind), password)
    except KeyringError as error:
        raise NoKeyringError(_NO_KEYRING.format(detail=error)) from error


def load_password(account_id: str, kind: SecretKind) -> str | None:
    """The stored password; for SMTP the IMAP one when no separate SMTP password was set."""
    from keyring.errors import KeyringError

    _backend()
    import keyring

    try:
        password = keyring.get_password(SERVICE, _entry(account_id, kind))
        if password is None and kind is SecretKind.SMTP:
            password = keyring.get_password(SERVICE, _entry(account_id, SecretKind.IMAP))
    except KeyringError as error:
        raise NoKeyringError(_NO_KEYRING.format(detail=error)) from error
    return password


def delete_passwords(account_id: str) -> None:
    import keyring
    from keyring.errors import KeyringError, PasswordDeleteError

    for kind in SecretKind:
        try:
            keyring.delete_password(SERVICE, _entry(account_id, kind))
        except PasswordDeleteError:
            pass
        except KeyringError as error:
            raise NoKeyringError(_NO_KEYRING.format(detail=error)) from error


class SecretSource(Protocol):
    def password(self, kind: SecretKind) -> str: ...


class KeyringSecrets:
    """What the connector asks for a password. A keyring read is a D-Bus round trip (~0.1 s),
    so a password is kept in memory for ``ttl`` seconds — never written anywhere — and a
    changed password is picked up within that time."""

    def __init__(self, account_id: str, ttl: float = 300.0) -> None:
        self.account_id = account_id
        self.ttl = ttl
        self._cache: dict[SecretKind, tuple[float, str]] = {}

    def password(self, kind: SecretKind) -> str:
        cached = self._cache.get(kind)
        if cached is not None and time.monotonic() - cached[0] < self.ttl:
            return cached[1]
        password = load_password(self.account_id, kind)
        if password is None:
            raise MissingPasswordError(
                f"No {kind.value.upper()} password is stored in the system keyring for this "
                "account; open the account settings and enter it."
            )
        self._cache[kind] = (time.monotonic(), password)
        return password
