from pathlib import Path

from alembic import command
from sqlalchemy import inspect

from desk_app.store.db import _alembic_config, current_revision, head_revision, make_engine, migrate
from desk_app.store.migrations.versions import LATEST_REVISION
from desk_app.store.models import Base


def test_latest_revision_constant_matches_alembic_head() -> None:
    # Start-up skips Alembic when the schema is at LATEST_REVISION: the two must agree.
    assert head_revision() == LATEST_REVISION


def test_migrations_build_every_model_table_from_empty(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'fresh.sqlite3'}")
    migrate(engine)
    assert current_revision(engine) == LATEST_REVISION
    tables = set(inspect(engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    assert "messages_fts" in tables


def test_downgrade_to_empty_and_up_again(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'roundtrip.sqlite3'}")
    migrate(engine)
    command.downgrade(_alembic_config(engine), "base")
    assert not {"tickets", "messages", "messages_fts"} & set(inspect(engine).get_table_names())
    migrate(engine)
    assert "tickets" in inspect(engine).get_table_names()


def test_database_runs_in_wal_mode(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'wal.sqlite3'}")
    migrate(engine)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
