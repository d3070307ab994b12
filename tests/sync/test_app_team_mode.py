"""The composition root in team mode: a signed-in profile syncs, and leaves fetching and sending
of shared accounts to the team's fetcher (no outbox worker, no fetch workers on this desk)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from desk_app.app import DeskApp
from desk_app.domain.enums import Priority
from desk_app.store.db import open_database
from desk_app.store.models import Ticket
from desk_app.sync.session import sign_in
from tests.server.api import Api
from tests.serverkit import DeskServer
from tests.sync.workstation import Workstation


@pytest.mark.timeout(120)
def test_signed_in_profile_syncs_and_does_not_send_itself(
    tmp_path: Path, desk_server: DeskServer
) -> None:
    lena = Workstation(tmp_path, desk_server.url, "lena")
    (ticket_id,) = lena.ingest("crash")
    lena.sync()
    profile = tmp_path / "anna-desk"
    engine, sessions = open_database(profile / "desk.sqlite3")
    sign_in(sessions, desk_server.url, "anna", "password-anna")
    engine.dispose()
    app = DeskApp(profile, seed=None)
    try:
        app.prepare()
        app.start_workers()
        assert app.team_sync is not None
        assert app.worker is None and app.fetchers == []
        statuses: list[str] = []
        app.team_sync.status_listeners.append(lambda s: statuses.append(s.state))
        deadline = time.monotonic() + 15
        while True:  # the ticket arrives by the long-poll
            with app.ctx.read() as session:
                if session.get(Ticket, ticket_id) is not None:
                    break
            assert time.monotonic() < deadline
            time.sleep(0.05)
        app.actions.set_priority(ticket_id, Priority.URGENT)  # pushed at once (bus → kick)
        api = Api(desk_server.url, "boris")
        deadline = time.monotonic() + 10
        while api.all_records("ticket")[ticket_id]["priority"] != 1:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        assert "online" in statuses or app.team_sync.worker.status.state in ("online", "syncing")
    finally:
        app.close()
        lena.close()
