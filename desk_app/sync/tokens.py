"""Session tokens live only in the OS keyring (never in the profile database or settings)."""

from __future__ import annotations

import contextlib

import keyring
import keyring.errors

SERVICE = "desk-sync"


def _key(server_url: str, username: str) -> str:
    return f"{server_url.rstrip('/')}|{username}"


def save_token(server_url: str, username: str, token: str) -> None:
    keyring.set_password(SERVICE, _key(server_url, username), token)


def load_token(server_url: str, username: str) -> str | None:
    return keyring.get_password(SERVICE, _key(server_url, username))


def forget_token(server_url: str, username: str) -> None:
    with contextlib.suppress(keyring.errors.PasswordDeleteError):
        keyring.delete_password(SERVICE, _key(server_url, username))
