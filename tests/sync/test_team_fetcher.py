"""Team mode: ``desk-server fetcher`` (a real subprocess) runs the shared channel account and
sends the replies agents write on their workstations, which never hold the channel's secrets
and never send themselves."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from desk_app.channels.base import IncomingAuthor, IncomingItem
from desk_app.channels.simulated import SimulatedRemote
from desk_app.domain.enums import Channel
from desk_app.store.db import open_database
from desk_app.store.models import ChannelAccount, Message, OutboxEntry
from desk_app.store.types import utcnow
from tests.serverkit import DeskServer
from tests.sync.workstation import Workstation


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


@pytest.mark.timeout(180)
def test_fetcher_runs_the_shared_account_and_sends_workstation_replies(
    tmp_path: Path, desk_server: DeskServer
) -> None:
    profile = tmp_path / "fetcher"
    engine, sessions = open_database(profile / "desk.sqlite3")
    with sessions.begin() as session:
        session.add(ChannelAccount(channel="telegram", name="Support bot", simulated=True))
    engine.dispose()
    remote = SimulatedRemote(profile / "simulated_remote.sqlite3")
    process = subprocess.Popen(
        [
            sys.executable, "-m", "desk_app.server.cli", "fetcher",
            "--profile", str(profile), "--server", desk_server.url, "--username", "lena",
            "--password-stdin", "--poll-seconds", "0.3",
        ],
        stdin=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    assert process.stdin is not None
    process.stdin.write("password-lena\n")
    process.stdin.close()
    process.stdin = None
    anna = Workstation(tmp_path, desk_server.url, "anna", long_poll=5.0)
    try:
        item = IncomingItem(
            external_id="update-1",
            author=IncomingAuthor(external_id="tg-42", display_name="Ivan"),
            sent_at=utcnow(),
            body_text="Android 134: no filters",
            thread_key="chat-42",
        )
        remote.post_incoming(Channel.TELEGRAM, item)

        def ticket_arrived() -> bool:
            anna.sync()
            return bool(anna.ticket_ids())

        wait_for(ticket_arrived, 30, "the fetched ticket on anna's workstation")
        (ticket_id,) = anna.ticket_ids()
        reply_id = anna.actions.send_reply(ticket_id, "Please update to 135, filters are there")
        anna.push()

        def delivered() -> bool:
            anna.sync()
            with anna.sessions() as session:
                state = session.scalar(select(Message.delivery_state).where(Message.id == reply_id))
            return state == "sent"

        wait_for(delivered, 30, "the reply to be sent by the fetcher")
        assert [b for _, _, b in remote.deliveries()] == ["Please update to 135, filters are there"]
        with anna.sessions() as session:  # anna's own outbox copy follows: never sent twice
            entry = session.scalars(select(OutboxEntry).where(OutboxEntry.message_id == reply_id))
            assert entry.one().state == "sent"
    finally:
        anna.close()
        process.terminate()
        _, err = process.communicate(timeout=20)
    assert process.returncode == 0, err
