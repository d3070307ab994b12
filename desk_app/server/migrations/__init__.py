"""The server's own Alembic history (separate from the workstation cache's)."""
