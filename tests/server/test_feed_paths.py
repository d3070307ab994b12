"""The hot paths against the real server: long-polls answered from the process's change ring keep
the team rule exactly, old cursors take the database path with the same answer, and concurrent
pushes grouped into one commit each get their own outcomes (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from tests.server.api import Api, mutation, new_ticket, reply
from tests.serverkit import DeskServer


def _long_poll(api: Api, cursor: str, out: dict[str, Any]) -> threading.Thread:
    def wait() -> None:
        out["page"] = api.changes(cursor, wait=10)

    thread = threading.Thread(target=wait)
    thread.start()
    return thread


@pytest.mark.timeout(90)
def test_long_poll_from_memory_keeps_the_team_rule(desk_server: DeskServer) -> None:
    anna, carl, lena = (Api(desk_server.url, n) for n in ("anna", "carl", "lena"))
    heads = {n: api.changes("")["cursor"] for n, api in (("a", anna), ("c", carl), ("l", lena))}
    pages: dict[str, dict[str, Any]] = {"a": {}, "c": {}, "l": {}}
    waiters = [
        _long_poll(api, heads[n], pages[n]) for n, api in (("a", anna), ("c", carl), ("l", lena))
    ]
    time.sleep(0.4)  # all three parked at the head: answered from the ring
    support_ticket, create = new_ticket()
    anna.push(create)
    billing_ticket, other = new_ticket()
    carl.push(other)
    for waiter in waiters:
        waiter.join(15)

    def ids(page: dict[str, Any]) -> set[str]:
        return {c["id"] for c in page["page"]["changes"] if c["kind"] == "ticket"}

    # The agent of another team sees only her own team's ticket, whatever arrives first; the
    # lead sees both (in one answer or two, so read on from the answer's cursor).
    assert support_ticket not in ids(pages["c"])
    assert billing_ticket not in ids(pages["a"])
    seen_by_lena = ids(pages["l"]) | set(lena.all_records("ticket"))
    assert {support_ticket, billing_ticket} <= seen_by_lena
    later = carl.changes(pages["c"]["page"]["cursor"], wait=0.5)
    assert support_ticket not in {c["id"] for c in later["changes"]}

    # The same range read again from scratch (database path) gives the same visible records.
    assert support_ticket not in carl.all_records("ticket")
    assert billing_ticket in carl.all_records("ticket")


@pytest.mark.timeout(90)
def test_ring_pages_in_chunks_and_sends_a_changed_record_once(desk_server: DeskServer) -> None:
    anna, boris = Api(desk_server.url, "anna"), Api(desk_server.url, "boris")
    cursor = boris.changes("")["cursor"]
    ticket_id, create = new_ticket()
    anna.push(create)
    for priority in (1, 2, 4):  # the ticket moves to a later seq each time
        anna.push(mutation("ticket.priority", ticket_id, {"priority": priority}))
    for n in range(5):
        anna.push(reply(ticket_id, f"line {n}"))
    # No pause: a pull that starts after a push was answered sees it (the ring catches up
    # first, or the database answers).
    seen: list[dict[str, Any]] = []
    while True:
        page = boris.changes(cursor, limit=2)
        assert len(page["changes"]) <= 2
        seen += page["changes"]
        cursor = page["cursor"]
        if not page["more"]:
            break
    seqs = [c["seq"] for c in seen]
    assert seqs == sorted(seqs) and len(seqs) == len(set(seqs))
    tickets = [c for c in seen if c["id"] == ticket_id]
    assert len(tickets) == 1 and tickets[0]["data"]["priority"] == 4
    lines = sorted(c["data"]["body_text"] for c in seen if c["kind"] == "message")
    assert lines == [f"line {n}" for n in range(5)]
    assert cursor.endswith(f"-{max(seqs)}")


@pytest.mark.timeout(120)
def test_concurrent_pushes_each_get_their_own_outcomes(
    desk_server: DeskServer, user_ids: dict[str, str]
) -> None:
    names = ("anna", "boris", "lena", "root")
    apis = {n: Api(desk_server.url, n) for n in names}
    ticket_id, create = new_ticket()
    apis["anna"].push(create)
    shared = reply(ticket_id, "sent twice by one workstation")

    def work(name: str) -> list[dict[str, Any]]:
        api = apis[name]
        grab = {"assignee_id": user_ids[name], "previous": None}
        notes = [reply(ticket_id, f"{name} {n}") for n in range(20)]
        batch = [*notes, mutation("ticket.assign", ticket_id, grab)]
        if name == "anna":
            batch.append(shared)
        return api.push(*batch)

    rounds = 3
    assigns: list[dict[str, Any]] = []
    for round_ in range(rounds):  # several rounds so pushes overlap and get grouped
        with ThreadPoolExecutor(len(names)) as pool:
            answers = dict(zip(names, pool.map(work, names), strict=True))
        for name, results in answers.items():
            assert all(r["outcome"] == "applied" for r in results[:20]), name
            assigns.append(results[20])
        assert answers["anna"][21]["outcome"] == "applied"
        assert answers["anna"][21]["duplicate"] is (round_ > 0)
    # Exactly one assignment won; the others were rejected with a reason (or merged: the
    # winner asking again).
    assert [r["outcome"] for r in assigns].count("applied") == 1
    rejected = [r for r in assigns if r["outcome"] == "rejected"]
    assert rejected and all(r["reason"].startswith("already assigned to") for r in rejected)
    owner = apis["root"].all_records("ticket")[ticket_id]["assignee_id"]
    assert owner in {user_ids[n] for n in names}
    # The note anna sent in every round is stored once; repeats came back as duplicates.
    texts = [m["body_text"] for m in apis["root"].all_records("message").values()]
    assert texts.count("sent twice by one workstation") == 1
    assert (
        sum(texts.count(f"{n} {i}") for n in names for i in range(20)) == len(names) * 20 * rounds
    )
