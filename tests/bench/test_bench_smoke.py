"""The benchmark tools keep working: a tiny generated profile is valid per the models, and the
foundation benchmark runs end to end on it (no timing assertions: this machine is not the
benchmark machine)."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bench import bench_foundation, make_profile
from desk_app.domain.enums import Channel, TicketStatus
from desk_app.services import queries
from desk_app.services.context import ServiceContext
from desk_app.services.queries import QueueKey, QueueKind
from desk_app.store.db import current_revision, open_database
from desk_app.store.migrations.versions import LATEST_REVISION
from desk_app.store.models import NO_DUE

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
TICKETS, MESSAGES, CUSTOMERS = 2000, 10_000, 1000


@pytest.fixture(scope="module")
def profile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Made by the script in its own process (it forks workers: not from the test process)."""
    out = tmp_path_factory.mktemp("bench") / "profile"
    sizes = ["--tickets", str(TICKETS), "--messages", str(MESSAGES), "--customers", str(CUSTOMERS)]
    script = Path(make_profile.__file__)
    subprocess.run([sys.executable, str(script), str(out), *sizes, "--chunk", "700"], check=True)
    return out


@pytest.fixture
def db(profile: Path) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(profile / "desk.sqlite3")
    yield connection
    connection.close()


def _one(db: sqlite3.Connection, sql: str) -> int:
    return int(db.execute(sql).fetchone()[0])


@pytest.mark.timeout(120)
def test_generated_profile_has_the_asked_sizes_and_every_channel(db: sqlite3.Connection) -> None:
    assert _one(db, "SELECT count(*) FROM tickets") == TICKETS
    assert _one(db, "SELECT count(*) FROM messages") == MESSAGES
    assert _one(db, "SELECT count(*) FROM customers") == CUSTOMERS
    channels = {r[0] for r in db.execute("SELECT DISTINCT channel FROM tickets")}
    assert channels == {c.value for c in Channel}
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


@pytest.mark.timeout(120)
def test_generated_rows_are_valid_per_the_models(db: sqlite3.Connection) -> None:
    for table in ("tickets", "customers", "customer_identities", "outbox", "agents"):
        ids = [r[0] for r in db.execute(f"SELECT id FROM {table}")]
        assert ids and all(UUID.match(i) for i in ids), table
    assert all(UUID.match(r[0]) for r in db.execute("SELECT id FROM messages LIMIT 500"))
    active = {s.value for s in TicketStatus if s.is_active}
    for status, is_active in db.execute("SELECT DISTINCT status, active FROM tickets"):
        assert bool(is_active) == (status in active)
    # due_rank is sla_due_at as epoch seconds, NO_DUE when no clock runs
    for due_at, rank in db.execute("SELECT sla_due_at, due_rank FROM tickets"):
        if due_at is None:
            assert rank == NO_DUE
        else:
            assert rank == datetime.fromisoformat(due_at).replace(tzinfo=UTC).timestamp()
    assert _one(db, "SELECT count(*) FROM tickets WHERE active = 0 AND sla_stopped = 0") == 0
    # every ticket's customer can be answered on the ticket's channel
    assert (
        _one(
            db,
            """SELECT count(*) FROM tickets t WHERE NOT EXISTS (SELECT 1 FROM customer_identities
               i WHERE i.customer_id = t.customer_id AND i.channel = t.channel)""",
        )
        == 0
    )
    # every agent reply went out through the outbox
    replies = "FROM messages WHERE author_kind = 'agent' AND kind = 'message'"
    assert _one(db, f"SELECT count(*) {replies}") == _one(db, "SELECT count(*) FROM outbox")
    assert _one(db, f"SELECT count(*) {replies} AND delivery_state != 'sent'") == 0
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.mark.timeout(120)
def test_generated_profile_opens_through_the_app_read_models(profile: Path) -> None:
    engine, sessions = open_database(profile / "desk.sqlite3")
    try:
        assert current_revision(engine) == LATEST_REVISION
        ctx = ServiceContext(sessions)
        now = datetime.now(UTC)
        with ctx.read() as session:
            agent = queries.current_agent_id(session)
            assert agent is not None
            overdue = queries.queue_page(
                session, QueueKey(QueueKind.OVERDUE), agent_id=agent, now=now
            )
            page = queries.queue_page(session, QueueKey(QueueKind.ACTIVE), agent_id=agent, now=now)
            detail = queries.ticket_detail(session, page[0].id, now=now)
            hits = queries.search(session, "здравствуйте", now=now)
        assert overdue and all(r.sla_seconds_left is not None for r in overdue)
        assert detail is not None and detail.messages
        assert hits
    finally:
        engine.dispose()


@pytest.mark.timeout(300)
def test_foundation_benchmark_runs_end_to_end(profile: Path, tmp_path: Path) -> None:
    out = tmp_path / "foundation.md"
    argv = [str(profile), "--repeats", "1", "--probes", "1", "--searches", "2", "--out", str(out)]
    bench_foundation.main(argv)
    report = out.read_text(encoding="utf-8")
    for line in ("cold start", "switching queue", "opening a ticket", "full-text", "memory"):
        assert line in report
    assert "| ms" not in report and "nan" not in report


def test_rewriting_the_results_keeps_the_analysis(tmp_path: Path) -> None:
    out = tmp_path / "foundation.md"
    bench_foundation.write_results(out, "| old |", ["old note"])
    text = out.read_text(encoding="utf-8") + bench_foundation.ANALYSIS_MARK + "\nWhy: imports.\n"
    out.write_text(text, encoding="utf-8")
    bench_foundation.write_results(out, "| new |", ["new note"])
    result = out.read_text(encoding="utf-8")
    assert "| new |" in result and "new note" in result and "| old |" not in result
    assert result.endswith(bench_foundation.ANALYSIS_MARK + "\nWhy: imports.\n")
