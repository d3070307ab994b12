"""email channel: no tables of its own (the revision stays, keeping one linear history)

Everything email keeps fits the shared schema: per-folder UIDVALIDITY/last UID/UIDNEXT/MODSEQ
are the account's opaque cursor (``channel_accounts.cursor``); attachment names, sizes, content
ids and SHA-256s, the raw source's SHA-256, parse warnings and bounce details are the message's
``meta``; the bytes themselves are content-addressed files in the profile's ``attachments/``.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
