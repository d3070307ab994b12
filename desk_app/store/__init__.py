"""The local cache: SQLAlchemy models, engine/session factory, migrations, full-text search."""
