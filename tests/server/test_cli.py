"""``desk-server`` as an operator runs it: init-db, create-user (password on stdin), serve."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from tests.serverkit import DeskServer, server_cli


@pytest.mark.timeout(90)
def test_init_db_create_user_serve_and_sign_in(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    server_cli(url, "init-db")
    server_cli(url, "init-db")  # idempotent: already at head
    user_id = server_cli(
        url, "create-user", "olga", "--role", "lead", "--team", "night", "--password-stdin",
        stdin="a long password\n",
    )  # fmt: skip
    with pytest.raises(RuntimeError, match="username taken"):
        server_cli(url, "create-user", "olga", "--password-stdin", stdin="another password\n")
    server = DeskServer(url).start()
    try:
        login = requests.post(
            f"{server.url}/auth/login",
            json={"username": "olga", "password": "a long password"},
            timeout=10,
        )
        assert login.status_code == 200
        assert login.json()["user"] == login.json()["user"] | {"id": user_id, "role": "lead"}
        schema = requests.get(f"{server.url}/openapi.json", timeout=10).json()
        assert "/sync/push" in schema["paths"] and "/sync/changes" in schema["paths"]
    finally:
        server.stop()
