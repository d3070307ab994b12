"""The email channel: IMAP fetching, MIME parsing, SMTP sending exactly once.

Modules: ``config`` (account settings), ``secrets`` (keyring only), ``connection`` (connect and
name failures), ``imap_fetch`` + ``cursor`` (incremental fetch), ``parse`` + ``charsets`` +
``html_text`` (bytes to text), ``blobs`` (content-addressed attachments and raw sources),
``compose`` + ``sending`` (replies and the Sent-folder record), ``connector`` (the Connector).
"""

from desk_app.channels.email.config import EmailAccountConfig, Security, ServerConfig
from desk_app.channels.email.connector import EmailConnector, build_connector

__all__ = ["EmailAccountConfig", "EmailConnector", "Security", "ServerConfig", "build_connector"]
