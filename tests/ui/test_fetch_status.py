"""The status-bar fetch indicator fed by a real AccountFetcher on a worker thread, against the
simulated provider: a catch-up over several pages shows a running count and then what it
fetched; mail trickling in one page at a time never flashes the status bar."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desk_app.channels.simulated import SimulatedConnector, SimulatedRemote
from desk_app.domain.enums import Channel
from desk_app.services.context import ServiceContext
from desk_app.services.fetch_progress import FetchProgress, FetchProgressBoard
from desk_app.services.fetcher import AccountFetcher, SyncReport
from desk_app.ui.fetch_status import FetchStatusIndicator
from desk_app.ui.ops import Ops
from tests.conftest import incoming


class Shown:
    """The indicator's text after each report it handled (queued after its own slot)."""

    def __init__(self, indicator: FetchStatusIndicator) -> None:
        self.indicator = indicator
        self.texts: list[str] = []
        indicator.progress_posted.connect(self._seen, Qt.ConnectionType.QueuedConnection)

    def _seen(self, _progress: FetchProgress) -> None:
        label = self.indicator.progress_label
        self.texts.append(label.text() if label.isVisibleTo(self.indicator) else "")


@pytest.fixture
def setup(
    qtbot: QtBot, ctx: ServiceContext, account_for: Callable[[Channel], str], tmp_path: Path
) -> Iterator[tuple[SimulatedRemote, AccountFetcher, FetchStatusIndicator, Shown]]:
    account_id = account_for(Channel.TELEGRAM)
    remote = SimulatedRemote(tmp_path / "remote.sqlite3")
    board = FetchProgressBoard()
    board.register(account_id, "Telegram bot")
    fetcher = AccountFetcher(
        ctx,
        account_id,
        SimulatedConnector(Channel.TELEGRAM, remote),
        on_progress=board.stored,
        on_finished=board.finished,
    )
    ops = Ops()
    indicator = FetchStatusIndicator(ctx, ops)
    qtbot.addWidget(indicator)
    indicator.attach(board)
    yield remote, fetcher, indicator, Shown(indicator)
    indicator.detach()
    ops.shutdown()


def sync_on_worker(qtbot: QtBot, fetcher: AccountFetcher) -> SyncReport:
    reports: list[SyncReport] = []
    worker = threading.Thread(target=lambda: reports.append(fetcher.sync()))
    worker.start()
    qtbot.waitUntil(lambda: not worker.is_alive(), timeout=20_000)
    return reports[0]


@pytest.mark.timeout(60)
def test_multi_page_catch_up_shows_progress_single_pages_stay_quiet(
    qtbot: QtBot,
    setup: tuple[SimulatedRemote, AccountFetcher, FetchStatusIndicator, Shown],
) -> None:
    remote, fetcher, indicator, shown = setup
    page = SimulatedConnector.PAGE
    remote.post_incoming(Channel.TELEGRAM, incoming("one new message"))
    assert sync_on_worker(qtbot, fetcher).stored == 1
    qtbot.waitUntil(lambda: len(shown.texts) == 2, timeout=5_000)  # a page, then "finished"
    assert shown.texts == ["", ""]
    assert not indicator.isVisibleTo(indicator.parentWidget() or indicator)

    total = 2 * page + 50
    with remote.transaction() as db:
        for n in range(total):
            item = incoming(f"backlog {n}", author=f"c{n % 7}")
            remote.post_incoming(Channel.TELEGRAM, item, db)
    assert sync_on_worker(qtbot, fetcher).stored == total
    qtbot.waitUntil(lambda: len(shown.texts) == 2 + 4, timeout=5_000)  # 3 pages + finished
    assert shown.texts[2:] == [
        "",  # the first page alone says nothing yet: it may be all there is
        f"Fetching Telegram bot: {2 * page} messages…",
        f"Fetching Telegram bot: {total} messages…",
        f"Telegram bot: {total} new messages fetched",
    ]
