"""Property-based API tests (schemathesis) against the OpenAPI schema the server publishes:
bad input must never produce a 500, and answers must match the schema. Runs against the real
server process on SQLite and on PostgreSQL (PostgreSQL refuses NUL in text, has tighter ranges).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from desk_app.server.app import create_app
from desk_app.server.db import open_database
from tests.server_fixtures import USERS
from tests.serverkit import DeskServer, Postgres, init_server_db

_APP = create_app(open_database("sqlite://"))  # only to read the schema it publishes
PUBLISHED = _APP.openapi()
schema = schemathesis.openapi.from_dict(PUBLISHED).exclude(path="/auth/logout")


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def live(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[DeskServer, dict[str, str]]]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('st') / 'server.sqlite3'}"
    else:
        postgres: Postgres = request.getfixturevalue("pg")
        url = postgres.create_database(f"desk_schemathesis_{id(request)}")
    init_server_db(url, USERS)
    server = DeskServer(url).start()
    login = requests.post(
        f"{server.url}/auth/login",
        json={"username": "root", "password": "password-root"},
        timeout=10,
    )
    headers = {"Authorization": f"Bearer {login.json()['token']}"}
    yield server, headers
    server.stop()


@pytest.mark.timeout(120)
def test_server_publishes_this_schema(live: tuple[DeskServer, dict[str, str]]) -> None:
    server, _ = live
    assert requests.get(f"{server.url}/openapi.json", timeout=10).json() == PUBLISHED


@pytest.mark.timeout(300)
@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_api_never_fails_on_any_input(
    case: schemathesis.Case, live: tuple[DeskServer, dict[str, str]]
) -> None:
    server, headers = live
    case.call_and_validate(
        base_url=server.url,
        headers=headers,
        checks=[not_a_server_error, response_schema_conformance, status_code_conformance],
        timeout=30,
    )
