"""Every role against what it may and may not do (server in a subprocess, both databases)."""

from __future__ import annotations

import uuid

import pytest
import requests

from tests.server.api import Api, mutation, new_ticket
from tests.serverkit import DeskServer

NEW_USER = {"password": "long-enough-pw", "display_name": "New", "role": "agent"}


@pytest.mark.timeout(90)
def test_roles(desk_server: DeskServer, user_ids: dict[str, str]) -> None:
    url = desk_server.url
    anna, carl, lena, root, tom = (Api(url, n) for n in ("anna", "carl", "lena", "root", "tom"))

    # Nobody without a token; nobody with a wrong password.
    assert requests.get(f"{url}/sync/changes", timeout=5).status_code == 401
    bad = requests.post(f"{url}/auth/login", json={"username": "anna", "password": "x"}, timeout=5)
    assert bad.status_code == 401

    # Trainee: signs in, but never touches production data.
    assert tom.get("/me").json()["role"] == "trainee"
    assert tom.get("/sync/changes").status_code == 403
    assert tom.post("/sync/push", json={"mutations": []}).status_code == 403
    assert tom.get("/canned-replies").status_code == 403
    assert (
        tom.post("/presence", json={"ticket_id": str(uuid.uuid4()), "state": "viewing"}).status_code
        == 403
    )

    # Agent: works tickets, manages nothing.
    ticket_id, create = new_ticket()
    assert anna.push(create)[0]["outcome"] == "applied"
    assert anna.get("/users").status_code == 403
    assert anna.post("/users", json=NEW_USER | {"username": "x1"}).status_code == 403
    assert anna.post("/canned-replies", json={"title": "Hi", "body": "Hello"}).status_code == 403
    assert anna.http.put(f"{url}/sla-policy", json={}, timeout=5).status_code == 403
    assert anna.get("/canned-replies").status_code == 200
    account = {"id": str(uuid.uuid4()), "channel": "email", "name": "Support"}
    denied = anna.push(mutation("account.upsert", account["id"], {"account": account}))[0]
    assert denied["outcome"] == "rejected" and "lead or an admin" in denied["reason"]

    # Another team's agent neither sees nor changes the support team's ticket.
    assert ticket_id not in carl.all_records("ticket")
    other = carl.push(mutation("ticket.priority", ticket_id, {"priority": 1}))[0]
    assert other["outcome"] == "rejected" and "another team" in other["reason"]

    # Lead: manages agents, canned replies and the SLA policy; cannot make admins.
    made = lena.post("/users", json=NEW_USER | {"username": "newbie"})
    assert made.status_code == 201
    assert (
        lena.post("/users", json=NEW_USER | {"username": "boss", "role": "admin"}).status_code
        == 403
    )
    patch = lena.http.patch(f"{url}/users/{user_ids['root']}", json={"active": False}, timeout=5)
    assert patch.status_code == 403
    canned = lena.post("/canned-replies", json={"title": "Update", "body": "Please update"})
    assert canned.status_code == 201
    sla = {"targets": {"3": {"first_response_minutes": 45, "resolution_minutes": 600}}}
    assert lena.http.put(f"{url}/sla-policy", json=sla, timeout=5).status_code == 200
    assert (
        lena.push(mutation("account.upsert", account["id"], {"account": account}))[0]["outcome"]
        == "applied"
    )
    assert ticket_id in lena.all_records("ticket")  # leads see every team
    assert lena.post("/teams", json={"name": "night"}).status_code == 403

    # Admin: everything, including admins and teams.
    assert (
        root.post("/users", json=NEW_USER | {"username": "boss", "role": "admin"}).status_code
        == 201
    )
    assert root.post("/teams", json={"name": "night"}).status_code == 201
    deactivated = root.http.patch(
        f"{url}/users/{user_ids['anna']}", json={"active": False}, timeout=5
    )
    assert deactivated.status_code == 200
    # A deactivated user's sessions end (after the few seconds the token cache may hold them).
    assert anna.get("/me").status_code in (200, 401)
    fresh = requests.post(
        f"{url}/auth/login", json={"username": "anna", "password": "password-anna"}, timeout=5
    )
    assert fresh.status_code == 401
