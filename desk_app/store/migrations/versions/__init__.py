"""Migration scripts. LATEST_REVISION lets start-up skip Alembic when the schema is current;
a test checks it matches Alembic's head."""

LATEST_REVISION = "0005"
