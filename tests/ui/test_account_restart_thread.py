"""An account restart (stopping a fetch worker can take seconds) runs on the slow-work thread,
one at a time, and never holds the reader pool the views read through."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desk_app.app import DeskApp
from desk_app.ui.accounts_dialog import AccountsDialog
from desk_app.ui.ops import Ops

pytestmark = pytest.mark.timeout(30)


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[DeskApp]:
    app = DeskApp(tmp_path / "profile", seed=None)
    app.prepare()
    yield app
    app.close()


def test_blocked_restarts_leave_the_reader_pool_free(qtbot: QtBot, desk: DeskApp) -> None:
    release = threading.Event()
    restarted: list[tuple[str, int]] = []

    def restart(account_id: str) -> None:  # like stopping a worker mid-round
        release.wait(20)
        restarted.append((account_id, threading.get_ident()))

    ops = Ops(readers=2)
    dialog = AccountsDialog(desk.ctx, ops, restart)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: ops.pending == 0, timeout=5_000)
    dialog._changed("first")  # saved
    dialog._changed("second")  # switched off: both restarts are now waiting
    read_on: list[int] = []
    ops.read(threading.get_ident, read_on.append)
    qtbot.waitUntil(lambda: bool(read_on), timeout=2_000)  # a view's read is not held up
    assert restarted == []

    release.set()
    qtbot.waitUntil(lambda: len(restarted) == 2 and ops.pending == 0, timeout=5_000)
    assert [account for account, _thread in restarted] == ["first", "second"]  # in order
    threads = {thread for _account, thread in restarted}
    assert len(threads) == 1 and read_on[0] not in threads
    ops.shutdown()
