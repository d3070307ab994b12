"""The sync protocol against the real server process, on SQLite and on PostgreSQL."""

from __future__ import annotations

import threading
import time
import uuid

import pytest

from tests.server.api import Api, mutation, new_ticket, reply
from tests.serverkit import DeskServer


@pytest.mark.timeout(60)
def test_duplicate_push_applies_once(desk_server: DeskServer) -> None:
    anna = Api(desk_server.url, "anna")
    ticket_id, create = new_ticket()
    first = anna.push(create)
    assert first[0]["outcome"] == "applied"
    message = reply(ticket_id, "Please update to 135")
    results = anna.push(message, message)  # twice in one push ...
    again = anna.push(message)  # ... and once more later
    assert [r["outcome"] for r in results] == ["applied", "applied"]
    assert results[1]["duplicate"] and again[0]["duplicate"]
    messages = anna.all_records("message")
    assert list(messages) == [message["entity_id"]]


@pytest.mark.timeout(60)
def test_server_numbers_tickets_and_reports_merge(desk_server: DeskServer) -> None:
    anna, boris = Api(desk_server.url, "anna"), Api(desk_server.url, "boris")
    _, first = new_ticket(number=1001)
    _, second = new_ticket(number=1001)  # both workstations guessed the same number offline
    a = anna.push(first)[0]
    b = boris.push(second)[0]
    assert {a["result"]["number"], b["result"]["number"]} == {1001, 1002}
    assert {a["outcome"], b["outcome"]} == {"applied", "merged"}


@pytest.mark.timeout(60)
def test_assignment_with_stale_previous_is_rejected_not_overwritten(
    desk_server: DeskServer, user_ids: dict[str, str]
) -> None:
    anna, boris = Api(desk_server.url, "anna"), Api(desk_server.url, "boris")
    ticket_id, create = new_ticket()
    anna.push(create)
    take = {"assignee_id": user_ids["anna"], "previous": None}
    grab = {"assignee_id": user_ids["boris"], "previous": None}
    assert anna.push(mutation("ticket.assign", ticket_id, take))[0]["outcome"] == "applied"
    result = boris.push(mutation("ticket.assign", ticket_id, grab))[0]
    assert result["outcome"] == "rejected"
    assert result["reason"] == "already assigned to Anna"
    assert result["current"][0]["data"]["assignee_id"] == user_ids["anna"]
    assert anna.all_records("ticket")[ticket_id]["assignee_id"] == user_ids["anna"]


@pytest.mark.timeout(60)
def test_scalars_are_last_writer_wins_in_arrival_order(desk_server: DeskServer) -> None:
    anna, boris = Api(desk_server.url, "anna"), Api(desk_server.url, "boris")
    ticket_id, create = new_ticket()
    anna.push(create)
    anna.push(mutation("ticket.priority", ticket_id, {"priority": 1}))
    boris.push(mutation("ticket.priority", ticket_id, {"priority": 4}))
    anna.push(mutation("ticket.status", ticket_id, {"status": "pending"}))
    ticket = boris.all_records("ticket")[ticket_id]
    assert (ticket["priority"], ticket["status"], ticket["active"]) == (4, "pending", True)


@pytest.mark.timeout(60)
def test_same_incoming_item_from_two_fetchers_is_one_message(desk_server: DeskServer) -> None:
    lena, root = Api(desk_server.url, "lena"), Api(desk_server.url, "root")
    ticket_id, create = new_ticket()
    lena.push(create)
    first = reply(ticket_id, "My app crashes", external_id="<abc@mail.test>")
    second = reply(ticket_id, "My app crashes", external_id="<abc@mail.test>")
    assert lena.push(first)[0]["outcome"] == "applied"
    result = root.push(second)[0]
    assert result["outcome"] == "merged"
    assert result["result"]["canonical_id"] == first["entity_id"]
    assert list(lena.all_records("message")) == [first["entity_id"]]


@pytest.mark.timeout(60)
def test_pull_in_chunks_and_reset_on_foreign_cursor(desk_server: DeskServer) -> None:
    anna = Api(desk_server.url, "anna")
    for _ in range(7):
        anna.push(new_ticket()[1])
    seen, cursor, pages = [], "", 0
    while True:
        page = anna.changes(cursor, limit=3)
        seen += [c["seq"] for c in page["changes"]]
        cursor, pages = page["cursor"], pages + 1
        if not page["more"]:
            break
    assert seen == sorted(seen) and len(seen) == len(set(seen)) and pages >= 5
    for bad in ("1-0", "garbage", f"{cursor.split('-')[0]}-999999"):
        response = anna.get("/sync/changes", params={"cursor": bad})
        assert response.status_code == 410, bad
        assert response.json()["reset"] is True


@pytest.mark.timeout(60)
def test_long_poll_wakes_within_300_ms(desk_server: DeskServer) -> None:
    anna, boris = Api(desk_server.url, "anna"), Api(desk_server.url, "boris")
    cursor = boris.changes("")["cursor"]
    arrived: dict[str, float] = {}

    def wait() -> None:
        page = boris.changes(cursor, wait=20)
        arrived["at"] = time.monotonic()
        arrived["count"] = len(page["changes"])

    waiter = threading.Thread(target=wait)
    waiter.start()
    time.sleep(0.5)  # the long-poll is parked on the server
    assert "at" not in arrived
    pushed_at = time.monotonic()
    anna.push(new_ticket()[1])
    waiter.join(10)
    assert arrived["count"] >= 1
    assert arrived["at"] - pushed_at < 0.3


@pytest.mark.timeout(60)
def test_long_poll_returns_empty_when_wait_ends(desk_server: DeskServer) -> None:
    anna = Api(desk_server.url, "anna")
    cursor = anna.changes("")["cursor"]
    started = time.monotonic()
    page = anna.changes(cursor, wait=0.5)
    assert page["changes"] == [] and page["cursor"] == cursor
    assert 0.45 < time.monotonic() - started < 3


@pytest.mark.timeout(60)
def test_bad_mutations_are_rejected_with_reasons_not_errors(desk_server: DeskServer) -> None:
    anna = Api(desk_server.url, "anna")
    ticket_id, create = new_ticket()
    anna.push(create)
    results = anna.push(
        mutation("ticket.status", ticket_id, {"status": "exploded"}),
        mutation("ticket.priority", str(uuid.uuid4()), {"priority": 2}),
        mutation("customer.merge", str(uuid.uuid4()), {}),
        mutation("message.add", str(uuid.uuid4()), {"message": {"body_text": "\x00"}}),
    )
    assert [r["outcome"] for r in results] == ["rejected"] * 4
    assert "status" in results[0]["reason"]
    assert results[1]["reason"] == "the server does not know this ticket"
    response = anna.post("/sync/push", json={"mutations": [{"id": "nope"}]})
    assert response.status_code == 422
