"""pytest fixtures over tests/serverkit.py, imported by tests/server and tests/sync conftests.

The schema and users are made once per session with the real ``desk-server init-db`` into a
template (a PostgreSQL template database, a SQLite file); each test gets a fresh copy.
"""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.serverkit import DeskServer, Postgres, init_server_db, start_postgres

# username -> (role, team). Passwords are "password-<username>".
USERS: dict[str, tuple[str, str | None]] = {
    "anna": ("agent", "support"),
    "boris": ("agent", "support"),
    "carl": ("agent", "billing"),
    "lena": ("lead", "support"),
    "root": ("admin", None),
    "tom": ("trainee", "support"),
}
_names = itertools.count(1)


@pytest.fixture(scope="session")
def pg() -> Iterator[Postgres]:
    server = start_postgres()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def pg_template(pg: Postgres) -> tuple[str, dict[str, str]]:
    url = pg.create_database("desk_template")
    ids = init_server_db(url, USERS)
    return "desk_template", ids


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    path = tmp_path_factory.mktemp("template") / "server.sqlite3"
    ids = init_server_db(f"sqlite:///{path}", USERS)
    return path, ids


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, dict[str, str]]:
    """(database URL, username -> user id) of a fresh server database with USERS."""
    if request.param == "sqlite":
        template, ids = request.getfixturevalue("sqlite_template")
        path = tmp_path / "server.sqlite3"
        shutil.copy(template, path)
        return f"sqlite:///{path}", ids
    postgres: Postgres = request.getfixturevalue("pg")
    name, ids = request.getfixturevalue("pg_template")
    return postgres.create_database(f"desk_{next(_names)}", template=name), ids


@pytest.fixture
def database_url(backend: tuple[str, dict[str, str]]) -> str:
    return backend[0]


@pytest.fixture
def user_ids(backend: tuple[str, dict[str, str]]) -> dict[str, str]:
    return backend[1]


@pytest.fixture
def desk_server(database_url: str) -> Iterator[DeskServer]:
    server = DeskServer(database_url).start()
    yield server
    server.stop()
