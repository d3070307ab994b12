"""A thin requests wrapper for protocol tests (the sync package has the real client)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import requests


class Api:
    def __init__(self, base: str, username: str) -> None:
        self.base = base
        self.http = requests.Session()
        response = self.http.post(
            f"{base}/auth/login", json={"username": username, "password": f"password-{username}"}
        )
        response.raise_for_status()
        self.user = response.json()["user"]
        self.http.headers["Authorization"] = f"Bearer {response.json()['token']}"

    def get(self, path: str, **kw: Any) -> requests.Response:
        return self.http.get(self.base + path, timeout=30, **kw)

    def post(self, path: str, **kw: Any) -> requests.Response:
        return self.http.post(self.base + path, timeout=30, **kw)

    def push(self, *mutations: dict[str, Any]) -> list[dict[str, Any]]:
        response = self.post("/sync/push", json={"mutations": list(mutations)})
        assert response.status_code == 200, response.text
        return list(response.json()["results"])

    def changes(self, cursor: str = "", **params: Any) -> dict[str, Any]:
        response = self.get("/sync/changes", params={"cursor": cursor, **params})
        assert response.status_code == 200, response.text
        return dict(response.json())

    def all_records(self, kind: str) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        cursor = ""
        while True:
            page = self.changes(cursor)
            for record in page["changes"]:
                if record["kind"] == kind:
                    out[record["id"]] = record["data"]
            cursor = page["cursor"]
            if not page["more"]:
                return out


def now() -> str:
    return datetime.now(UTC).isoformat()


def mutation(
    kind: str, entity_id: str, payload: dict[str, Any], key: str | None = None
) -> dict[str, Any]:
    return {
        "id": key or str(uuid.uuid4()),
        "kind": kind,
        "entity_id": entity_id,
        "payload": payload,
    }


def new_ticket(number: int = 1001) -> tuple[str, dict[str, Any]]:
    """A ticket.create mutation for a fresh ticket with its customer."""
    ticket_id, customer_id = str(uuid.uuid4()), str(uuid.uuid4())
    payload = {
        "ticket": {
            "id": ticket_id,
            "number": number,
            "customer_id": customer_id,
            "channel": "email",
            "subject": "App crashes",
            "status": "new",
            "priority": 3,
            "created_at": now(),
            "last_message_at": now(),
        },
        "customer": {"id": customer_id, "display_name": "Иван Петров"},
        "identities": [
            {
                "id": str(uuid.uuid4()),
                "customer_id": customer_id,
                "channel": "email",
                "external_id": f"{customer_id}@example.test",
            }
        ],
    }
    return ticket_id, mutation("ticket.create", ticket_id, payload)


def reply(ticket_id: str, text: str = "Hello", external_id: str | None = None) -> dict[str, Any]:
    message_id = str(uuid.uuid4())
    return mutation(
        "message.add",
        message_id,
        {
            "message": {
                "id": message_id,
                "ticket_id": ticket_id,
                "kind": "message",
                "author_kind": "agent" if external_id is None else "customer",
                "channel": "email",
                "external_id": external_id,
                "sent_at": now(),
                "body_text": text,
            },
            "ticket": {"last_message_at": now(), "snippet": text[:100]},
        },
    )
