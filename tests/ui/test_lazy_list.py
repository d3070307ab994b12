"""The ticket list loads a page at a time, off the UI thread, as the operator scrolls."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desk_app.app import DeskApp
from desk_app.domain.enums import Channel
from desk_app.services.context import ServiceContext
from desk_app.services.ingest import ingest_items
from desk_app.services.queries import PAGE_SIZE
from desk_app.store.models import ChannelAccount
from desk_app.ui.launcher import build_window
from desk_app.ui.main_window import MainWindow
from tests.ui.inbox_data import item

TICKETS = 2 * PAGE_SIZE + 30


def many_tickets(ctx: ServiceContext) -> None:
    with ctx.write() as session:
        account = ChannelAccount(channel=Channel.VK, name="VK", simulated=True)
        session.add(account)
        session.flush()
        account_id = account.id
    now = ctx.now()
    ingest_items(
        ctx,
        account_id,
        [
            item(
                f"vk-{i}", f"vk:{i}", f"Клиент {i}", f"Вопрос номер {i}", now - timedelta(minutes=i)
            )
            for i in range(TICKETS)
        ],
    )


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    desk = DeskApp(tmp_path / "profile", seed=many_tickets)
    win = build_window(desk, language="en", theme="light")
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.inbox_ready, timeout=20_000):
        win.start()
    yield win
    win.close()
    desk.close()


@pytest.mark.timeout(60)
def test_pages_arrive_as_the_list_scrolls(qtbot: QtBot, window: MainWindow) -> None:
    model = window.ticket_model
    assert model.rowCount() == PAGE_SIZE
    assert model.canFetchMore()
    window.table.scrollToBottom()  # the view asks for more (fetchMore), a page loads off-thread
    qtbot.waitUntil(lambda: model.rowCount() >= 2 * PAGE_SIZE, timeout=5_000)
    window.table.scrollToBottom()
    qtbot.waitUntil(lambda: model.rowCount() == TICKETS, timeout=5_000)
    qtbot.waitUntil(lambda: not model.canFetchMore(), timeout=5_000)
    numbers = [model.ticket_at(i).number for i in range(TICKETS)]  # type: ignore[union-attr]
    assert len(set(numbers)) == TICKETS  # no page twice, none missing
