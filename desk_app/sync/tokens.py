"""Session tokens live only in the OS keyring (never in the profile database or settings)."""

from __future__ import annotations

import contextlib
from typing import Any


def _keyring() -> Any:
    """Imported on first use: a standalone profile never touches the keyring at start-up."""
    import keyring
    import keyring.errors

    return keyring


SERVICE = "desk-sync"


def _key(server_url: str, username: str) -> str:
    return f"{server_url.rstrip('/')}|{username}"


def save_token(server_url: str, username: str, token: str) -> None:
    _keyring().set_password(SERVICE, _key(server_url, username), token)


def load_token(server_url: str, username: str) -> str | None:
    return _keyring().get_password(SERVICE, _key(server_url, username))


def forget_token(server_url: str, username: str) -> None:
    keyring = _keyring()
    with contextlib.suppress(keyring.errors.PasswordDeleteError):
        keyring.delete_password(SERVICE, _key(server_url, username))
