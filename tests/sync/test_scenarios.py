"""Two and three real workstations against the real server (SQLite and PostgreSQL backends)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from desk_app.domain.enums import Priority, TicketStatus
from desk_app.sync.client import Offline
from tests.serverkit import DeskServer
from tests.sync.workstation import Workstation

MakeStation = Callable[..., Workstation]


@pytest.fixture
def station(tmp_path: Path, desk_server: DeskServer) -> Iterator[MakeStation]:
    made: list[Workstation] = []

    def make(username: str, **worker: object) -> Workstation:
        made.append(Workstation(tmp_path, desk_server.url, username, **worker))
        return made[-1]

    yield make
    for ws in made:
        ws.close()


def _ready(station: MakeStation, *names: str) -> tuple[list[Workstation], list[str]]:
    """Lena's workstation fetches two customer chats; everyone syncs them."""
    stations = [station(n) for n in names]
    tickets = stations[0].ingest("crash on start", "where is my refund")
    for ws in stations:
        ws.sync()
    return stations, tickets


@pytest.mark.timeout(120)
def test_offline_edits_on_two_workstations_converge(
    station: MakeStation, desk_server: DeskServer
) -> None:
    (lena, anna, boris), (t1, t2) = _ready(station, "lena", "anna", "boris")
    assert anna.view(t1) == boris.view(t1) == lena.view(t1)
    desk_server.stop()  # the network goes away

    anna.actions.set_priority(t1, Priority.URGENT)
    anna.actions.set_tags(t1, ["android", "crash"])
    anna.actions.add_note(t1, "Asked for the app version")
    anna.actions.send_reply(t2, "Your refund is on the way")
    boris.actions.set_status(t1, TicketStatus.PENDING)
    boris.actions.set_priority(t1, Priority.LOW)
    boris.actions.add_note(t1, "Known issue in 134")
    for ws in (anna, boris):
        with pytest.raises(Offline):
            ws.push()
    assert anna.pending() == 4 and boris.pending() == 3  # kept, not lost

    desk_server.start()
    anna.sync()
    boris.sync()
    for ws in (lena, anna, boris):
        ws.sync()
    for ticket in (t1, t2):
        assert anna.view(ticket) == boris.view(ticket) == lena.view(ticket)
    final = anna.view(t1)
    assert final.priority == Priority.LOW  # last writer (by server arrival) wins
    assert final.status == TicketStatus.PENDING
    assert final.tags == ("android", "crash")
    notes = sorted(text for _, kind, text in final.messages if kind == "note")
    assert notes == ["Asked for the app version", "Known issue in 134"]  # both kept
    assert any(text == "Your refund is on the way" for _, _, text in lena.view(t2).messages)
    assert anna.pending() == boris.pending() == 0


@pytest.mark.timeout(120)
def test_assignment_race_one_owner_and_visible_rejection(
    station: MakeStation, user_ids: dict[str, str]
) -> None:
    (lena, anna, boris), (t1, _) = _ready(station, "lena", "anna", "boris")
    anna.actions.assign(t1, user_ids["anna"])  # both grab the same unassigned ticket
    boris.actions.assign(t1, user_ids["boris"])
    anna.push()
    boris.push()
    assert [r.reason for r in boris.rejections] == ["already assigned to Anna"]
    assert boris.view(t1).assignee_id == user_ids["anna"]  # reverted to the server's owner
    assert any("already assigned to Anna" in e for e in boris.events(t1))
    assert anna.rejections == []
    for ws in (lena, anna, boris):
        ws.sync()
    assert {ws.view(t1).assignee_id for ws in (lena, anna, boris)} == {user_ids["anna"]}
    assert boris.mutation_states().get("rejected") == 1


def _server_messages(ws: Workstation, ticket_id: str) -> list[str]:
    """What the server holds for a ticket, read from a fresh pull of everything."""
    page_cursor, texts = "", []
    while True:
        page = ws.client.changes(page_cursor)
        texts += [
            c["data"]["body_text"]
            for c in page.changes
            if c["kind"] == "message" and c["data"]["ticket_id"] == ticket_id
        ]
        page_cursor = page.cursor
        if not page.more:
            return texts


@pytest.mark.timeout(180)
@pytest.mark.parametrize("point", ["server.push.before_commit", "server.push.committed"])
def test_server_killed_mid_push_loses_and_duplicates_nothing(
    station: MakeStation, desk_server: DeskServer, point: str
) -> None:
    (lena, anna), (t1, _) = _ready(station, "lena", "anna")
    notes = [f"note {n}" for n in range(5)]
    for text in notes:
        anna.actions.add_note(t1, text)
    anna.actions.set_priority(t1, Priority.HIGH)

    desk_server.stop()
    desk_server.start(DESK_CRASH_AT=point)  # SIGKILLs itself inside the push
    with pytest.raises(Offline):
        anna.push()
    assert desk_server.wait_exit(10) == -9
    assert anna.pending() == 6  # the workstation still has every change

    desk_server.start()
    anna.push()
    assert anna.pending() == 0
    states = anna.mutation_states()
    assert "rejected" not in states
    texts = _server_messages(lena, t1)
    assert sorted(t for t in texts if t.startswith("note")) == notes  # each exactly once
    lena.sync()
    assert lena.view(t1).priority == Priority.HIGH
    assert lena.view(t1) == (anna.pull(), anna.view(t1))[1]


@pytest.mark.timeout(180)
def test_random_sigkill_during_a_stream_of_pushes(
    station: MakeStation, desk_server: DeskServer
) -> None:
    (lena, anna), (t1, _) = _ready(station, "lena", "anna")
    anna.worker.batch_size = 3
    texts = [f"line {n}" for n in range(60)]
    for text in texts:
        anna.actions.add_note(t1, text)
    import threading

    failure: list[BaseException] = []

    def pushing() -> None:
        try:
            anna.push()
        except Offline as error:
            failure.append(error)

    pusher = threading.Thread(target=pushing)
    pusher.start()
    time.sleep(0.4)
    desk_server.kill()  # whatever request is in flight dies with it
    pusher.join(30)
    desk_server.start()
    anna.push()
    assert anna.pending() == 0
    assert sorted(t for t in _server_messages(lena, t1) if t.startswith("line")) == sorted(texts)


@pytest.mark.timeout(120)
def test_duplicate_push_applies_once(station: MakeStation) -> None:
    (lena, anna), (t1, _) = _ready(station, "lena", "anna")
    anna.actions.add_note(t1, "only once")
    from desk_app.sync.outgoing import next_batch

    with anna.sessions.begin() as session:
        batch = [m.wire() for m in next_batch(session)]
    first = anna.client.push(batch)
    second = anna.client.push(batch)  # e.g. the answer to the first was lost
    assert first[0]["outcome"] == second[0]["outcome"] == "applied"
    assert second[0]["duplicate"] is True
    assert _server_messages(lena, t1).count("only once") == 1


@pytest.mark.timeout(120)
def test_long_poll_delivers_a_change_to_other_workstations_within_300_ms(
    station: MakeStation, desk_server: DeskServer
) -> None:
    lena = station("lena", long_poll=20.0, max_backoff=0.5)
    anna = station("anna", long_poll=20.0, max_backoff=0.5)
    boris = station("boris", long_poll=20.0, max_backoff=0.5)
    (t1,) = lena.ingest("slow app")
    for ws in (lena, anna, boris):
        ws.sync()
        ws.worker.start()
    deadline = time.monotonic() + 10
    while not all(ws.worker.status.state == "online" for ws in (lena, anna, boris)):
        assert time.monotonic() < deadline, [ws.worker.status for ws in (lena, anna, boris)]
        time.sleep(0.05)
    time.sleep(0.3)  # everyone is parked in a long-poll now

    latencies = []
    for priority in (Priority.URGENT, Priority.HIGH, Priority.LOW, Priority.NORMAL, Priority.HIGH):
        for ws in (lena, boris):
            ws.touched.clear()
        changed_at = time.monotonic()
        anna.actions.set_priority(t1, priority)
        for ws in (lena, boris):
            while not any(t1 in touched.tickets for _, touched in ws.touched):
                assert time.monotonic() - changed_at < 5, "change never arrived"
                time.sleep(0.005)
            arrived = min(at for at, touched in ws.touched if t1 in touched.tickets)
            latencies.append(arrived - changed_at)
            assert ws.view(t1).priority == priority
    # Ten samples on a shared 2-core machine: one can be preempted by a neighbour, so the rule
    # is that (nearly) every wake is within 300 ms and none is pathologically late.
    within = [t for t in latencies if t < 0.3]
    assert len(within) >= 8 and max(latencies) < 1.0, latencies

    # Connection state follows the server: offline when it dies, online again after.
    desk_server.kill()
    anna.actions.add_note(t1, "typed while the server is down")
    deadline = time.monotonic() + 10
    while (anna.worker.status.state, anna.worker.status.pending) != ("offline", 1):
        assert time.monotonic() < deadline, anna.worker.status  # offline, 1 change waiting
        time.sleep(0.05)
    desk_server.start()
    deadline = time.monotonic() + 15
    while anna.worker.status.state != "online":
        assert time.monotonic() < deadline, anna.worker.status
        time.sleep(0.05)
    assert anna.pending() == 0
