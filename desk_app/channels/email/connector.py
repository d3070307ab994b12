"""The email :class:`~desk_app.channels.base.Connector`: IMAP in, SMTP out, Sent as the record.

Shared by the account's fetch worker and the outbox worker: the fetch side keeps one IMAP
connection behind a lock; each send opens its own connections, so the two never interleave
commands on one socket.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from desk_app.channels.base import (
    Capabilities,
    FetchResult,
    OutgoingReply,
    ResendSafety,
    SendReceipt,
)
from desk_app.channels.email.blobs import BlobStore
from desk_app.channels.email.config import EmailAccountConfig
from desk_app.channels.email.imap_fetch import ImapFetcher, ProgressCallback
from desk_app.channels.email.secrets import KeyringSecrets, SecretKind, SecretSource
from desk_app.channels.email.sending import MailSender
from desk_app.domain.enums import Channel

CAPABILITIES = Capabilities(
    max_reply_chars=None,
    resend_safety=ResendSafety.LOOKUP,
    supports_html=True,
    supports_subject=True,
)


class EmailConnector:
    channel = Channel.EMAIL
    capabilities = CAPABILITIES

    def __init__(
        self,
        config: EmailAccountConfig,
        secrets: SecretSource,
        blobs: BlobStore,
        *,
        on_progress: ProgressCallback | None = None,
        parse_workers: int | None = None,
    ) -> None:
        self.config = config
        self.blobs = blobs
        self._fetch_lock = threading.Lock()
        self.fetcher = ImapFetcher(
            config,
            lambda: secrets.password(SecretKind.IMAP),
            blobs,
            on_progress=on_progress,
            workers=parse_workers,
        )
        self.sender = MailSender(
            config,
            lambda: secrets.password(SecretKind.IMAP),
            lambda: secrets.password(SecretKind.SMTP),
        )

    def fetch(self, cursor: str | None) -> FetchResult:
        with self._fetch_lock:
            return self.fetcher.fetch(cursor)

    def watch_backlog(self, listener: Callable[[int], None]) -> None:
        """Progress totals for the UI: after each batch, how many messages are still to fetch
        (from the UID SEARCH the fetch runs anyway; see services.fetch_progress)."""
        self.fetcher.on_progress = lambda progress: listener(progress.remaining)

    def sanitize_html_with(self, sanitize: Callable[[str], str]) -> None:
        """HTML bodies are made safe with ``sanitize`` where they are parsed (in the parse
        workers for a catch-up), so the storing side need not; ``sanitize`` must be a
        module-level function (it is sent to the workers by reference)."""
        self.fetcher.pool.sanitize = sanitize

    def wait_for_new(self, timeout: float, stop: threading.Event) -> bool:
        """IDLE until new mail or ``timeout`` (polling when the server has no IDLE)."""
        return self.fetcher.wait_for_mail(timeout, stop)

    def send(self, reply: OutgoingReply) -> SendReceipt:
        return self.sender.send(reply)

    def find_delivery(self, send_key: str) -> SendReceipt | None:
        return self.sender.find_delivery(send_key)

    def close(self) -> None:
        with self._fetch_lock:
            self.fetcher.close()


def build_connector(account_id: str, config: dict[str, Any], profile_dir: Path) -> EmailConnector:
    """Factory the composition root registers for the ``email`` channel."""
    return EmailConnector(
        EmailAccountConfig.from_dict(config),
        KeyringSecrets(account_id),
        BlobStore.for_profile(profile_dir),
    )
