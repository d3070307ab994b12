"""Alembic environment: runs against the engine handed in by desk_app.store.db.migrate."""

from alembic import context
from sqlalchemy import create_engine

from desk_app.store import models_all  # noqa: F401  (every area's tables on Base.metadata)
from desk_app.store.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    engine = config.attributes.get("engine")
    if engine is None:
        engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite://")
    with engine.begin() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
