"""Full-text search over messages with SQLite FTS5.

An external-content index (the text lives once, in ``messages``) kept current by triggers, so
every writer — the UI, fetchers, sync — indexes without thinking about it. ``unicode61`` with
diacritics removal folds case for Cyrillic and Latin alike; prefix indexes make as-you-type
search cheap.
"""

from __future__ import annotations

import re

from sqlalchemy import Connection

_FTS_DDL = [
    """CREATE VIRTUAL TABLE messages_fts USING fts5(
        subject, body_text,
        content='messages', content_rowid='seq',
        tokenize="unicode61 remove_diacritics 2", prefix='2 3'
    )""",
    """CREATE TRIGGER messages_fts_ai AFTER INSERT ON messages BEGIN
        INSERT INTO messages_fts(rowid, subject, body_text)
        VALUES (new.seq, coalesce(new.subject, ''), new.body_text);
    END""",
    """CREATE TRIGGER messages_fts_ad AFTER DELETE ON messages BEGIN
        INSERT INTO messages_fts(messages_fts, rowid, subject, body_text)
        VALUES ('delete', old.seq, coalesce(old.subject, ''), old.body_text);
    END""",
    """CREATE TRIGGER messages_fts_au AFTER UPDATE OF subject, body_text ON messages BEGIN
        INSERT INTO messages_fts(messages_fts, rowid, subject, body_text)
        VALUES ('delete', old.seq, coalesce(old.subject, ''), old.body_text);
        INSERT INTO messages_fts(rowid, subject, body_text)
        VALUES (new.seq, coalesce(new.subject, ''), new.body_text);
    END""",
]


def create_message_fts(connection: Connection) -> None:
    if connection.dialect.name != "sqlite":
        return
    for statement in _FTS_DDL:
        connection.exec_driver_sql(statement)


def drop_message_fts(connection: Connection) -> None:
    if connection.dialect.name != "sqlite":
        return
    for name in ("messages_fts_ai", "messages_fts_ad", "messages_fts_au"):
        connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
    connection.exec_driver_sql("DROP TABLE IF EXISTS messages_fts")


_WORD = re.compile(r"\w+", re.UNICODE)


def match_expression(user_query: str) -> str | None:
    """Turns what an operator typed into a safe FTS5 query: every word must match, the last
    one as a prefix (search as you type). FTS5 syntax characters never reach the engine."""
    words = _WORD.findall(user_query)
    if not words:
        return None
    quoted = [f'"{w}"' for w in words]
    quoted[-1] += "*"
    return " ".join(quoted)
