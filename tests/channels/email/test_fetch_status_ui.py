"""The status bar while an email account syncs, in the real window with the real fetch worker
against a real Dovecot: while the server is down the account shows its error; once it is up the
first sync runs in batches with "n of total" progress, and the error clears."""

from __future__ import annotations

from pathlib import Path

import pytest
from email_servers import Dovecot
from mail_ui_kit import open_window, screenshot
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desk_app.app import DeskApp
from desk_app.channels.email.config import EmailAccountConfig
from desk_app.services.changes import Changes
from desk_app.services.context import ServiceContext
from desk_app.services.fetch_progress import FetchProgress
from desk_app.store.models import ChannelAccount
from desk_app.ui.main_window import MainWindow

MESSAGES = 60
BATCH = 10
TEXTS = {
    "en": {
        "error": "⚠ Support: ",
        "progress": f"Fetching Support: {BATCH} of {MESSAGES} messages…",
        "done": f"Support: {MESSAGES} new messages fetched",
    },
    "ru": {
        "error": "⚠ Support: ",
        "progress": f"Загрузка Support: {BATCH} из {MESSAGES} писем…",
        "done": f"Support: получено новых писем: {MESSAGES}",
    },
}


def mail(n: int) -> bytes:
    return (
        f"From: Customer {n} <customer{n}@example.com>\r\nTo: support@desk.test\r\n"
        f"Subject: Question {n}\r\nDate: Mon, 16 Nov 2026 10:{n % 60:02d}:00 +0000\r\n"
        f"Message-ID: <batch-{n}@example.com>\r\n\r\nHello, question number {n}.\r\n"
    ).encode()


class StatusLog:
    """What the indicator showed after each progress report, in order (and one screenshot of
    the status bar while the sync was under way)."""

    def __init__(self, window: MainWindow, tmp_path: Path, shot_name: str) -> None:
        self.window, self.tmp_path, self.shot_name = window, tmp_path, shot_name
        self.texts: list[str] = []
        self.errors_shown: list[bool] = []
        # Queued after the indicator's own slot, so it sees the indicator already updated.
        window.fetch_status.progress_posted.connect(self._seen, Qt.ConnectionType.QueuedConnection)

    def _seen(self, _progress: FetchProgress) -> None:
        text = self.window.fetch_status.progress_label.text()
        if text.startswith(("Fetching", "Загрузка")) and not any(
            t.startswith(text[:8]) for t in self.texts
        ):
            screenshot(self.window.statusBar(), self.tmp_path, self.shot_name)
        self.texts.append(text)
        self.errors_shown.append(self.window.fetch_status.error_label.isVisible())


@pytest.mark.timeout(120)
@pytest.mark.parametrize("language", ["en", "ru"])
def test_status_bar_shows_account_error_then_first_sync_progress(
    qtbot: QtBot,
    keyring_account: str,
    ctx: ServiceContext,
    profile_dir: Path,
    tmp_path: Path,
    language: str,
) -> None:
    server = Dovecot()  # its port is chosen, nothing listens on it yet
    config = EmailAccountConfig.from_dict(server.account_config(batch_size=BATCH))
    with ctx.write() as session:
        session.add(
            ChannelAccount(
                id=keyring_account, channel="email", name="Support", config=config.to_dict()
            )
        )
    desk = DeskApp(profile_dir, seed=None)
    texts = TEXTS[language]
    try:
        with open_window(qtbot, desk, language=language, wait_first_ticket=False) as window:
            indicator = window.fetch_status
            qtbot.waitUntil(lambda: indicator.error_label.isVisible(), timeout=30_000)
            assert indicator.error_label.text().startswith(texts["error"])
            assert "refused" in indicator.error_label.toolTip()
            assert not indicator.progress_label.isVisible()
            screenshot(window.statusBar(), tmp_path, f"fetch-status-error-{language}.png")

            # The server comes up; the worker retries (at once on a settings change) and syncs.
            server.start()
            server.append("INBOX", [mail(n) for n in range(MESSAGES)])
            log = StatusLog(window, tmp_path, f"fetch-status-progress-{language}.png")
            desk.ctx.bus.publish(Changes(settings=True))
            qtbot.waitUntil(
                lambda: indicator.progress_label.text() == texts["done"], timeout=60_000
            )
            qtbot.waitUntil(lambda: not indicator.error_label.isVisible(), timeout=10_000)
            assert indicator.errors == []
            assert texts["progress"] in log.texts  # the first batch, with the total known
            counts = [t for t in log.texts if t != texts["done"]]
            assert len(counts) == MESSAGES // BATCH  # one report per stored batch
            assert not any(log.errors_shown)  # a working account shows no stale error
    finally:
        desk.close()
        server.stop()
