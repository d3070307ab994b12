"""The email channel: IMAP fetching, MIME parsing, SMTP sending exactly once.

Modules: ``config`` (account settings), ``secrets`` (keyring only), ``connection`` (connect and
name failures), ``imap_fetch`` + ``cursor`` (incremental fetch), ``parse`` + ``charsets`` +
``html_text`` (bytes to text), ``blobs`` (content-addressed attachments and raw sources),
``compose`` + ``sending`` (replies and the Sent-folder record), ``connector`` (the Connector).

The names below are imported on first use: a parse worker process imports only the modules
that parse (``parallel`` and what it needs), and starts ~40 ms sooner for it.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from desk_app.channels.email.config import EmailAccountConfig, Security, ServerConfig
    from desk_app.channels.email.connector import EmailConnector, build_connector

_HOMES = {
    "EmailAccountConfig": "config",
    "Security": "config",
    "ServerConfig": "config",
    "EmailConnector": "connector",
    "build_connector": "connector",
}
__all__ = ["EmailAccountConfig", "EmailConnector", "Security", "ServerConfig", "build_connector"]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{home}"), name)
