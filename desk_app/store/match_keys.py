"""Duplicate-detection keys written at commit time, so a scan never finds a backlog.

Triggers (``operator_models.KEY_TRIGGERS``, revision 0005) queue every customer whose keyed
facts changed in ``customer_keys_dirty``, whichever way the row was written. Just before each
commit of a profile engine (:func:`keep_keys_current` hooks the engine's ``commit`` event, so
session transactions, Core bulk writes and sync apply are all covered) :func:`rekey_pending`
replaces those customers' rows in ``customer_match_keys`` and empties the queue, in the same
transaction. A commit that touched no customer pays one primary-key probe of an empty table.

Everything here runs on the raw DB-API connection: at commit time the ORM is done, and a bulk
import keys tens of thousands of customers, where per-row SQLAlchemy overhead would dominate.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, Engine, event

from desk_app.domain.duplicates import CustomerFacts, fact_keys

PHONE_CHANNELS = frozenset({"phone", "whatsapp", "sms"})
CONTACT_CHANNELS = ("email", *sorted(PHONE_CHANNELS))
_ATTRIBUTE_HINTS = ('"email"', '"phone', '"device')  # attributes worth parsing at all

_ANY_PENDING = "SELECT 1 FROM customer_keys_dirty LIMIT 1"
_PENDING_IDENTITIES = f"""SELECT i.customer_id, i.channel, i.external_id
    FROM customer_keys_dirty d JOIN customer_identities i ON i.customer_id = d.customer_id
    WHERE i.channel IN ({", ".join(f"'{c}'" for c in CONTACT_CHANNELS)})"""
_PENDING_CUSTOMERS = """SELECT c.id, c.display_name, c.attributes
    FROM customer_keys_dirty d JOIN customers c ON c.id = d.customer_id
    WHERE c.merged_into_id IS NULL"""
_DROP_PENDING_KEYS = """DELETE FROM customer_match_keys
    WHERE customer_id IN (SELECT customer_id FROM customer_keys_dirty)"""
_INSERT_KEY = "INSERT INTO customer_match_keys(key, customer_id) VALUES (?, ?)"


def keep_keys_current(engine: Engine) -> None:
    """Re-key queued customers before every commit on ``engine`` (SQLite profiles only;
    calling it again for the same engine does nothing)."""
    if engine.dialect.name == "sqlite" and not event.contains(engine, "commit", _before_commit):
        event.listen(engine, "commit", _before_commit)


def _before_commit(connection: Connection) -> None:
    rekey_pending(connection.connection.dbapi_connection)


def has_pending(connection: Connection) -> bool:
    """Whether customers wait to be keyed (normally never outside a writing transaction)."""
    return connection.exec_driver_sql(_ANY_PENDING).first() is not None


def rekey_pending(dbapi_connection: Any) -> int:
    """Replace the key rows of every queued customer and empty the queue; returns how many
    customers were queued. Must run inside the writing transaction (the hook guarantees it)."""
    cursor = dbapi_connection.cursor()
    try:
        if cursor.execute(_ANY_PENDING).fetchone() is None:
            return 0
        identities: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for customer_id, channel, external_id in cursor.execute(_PENDING_IDENTITIES):
            identities[customer_id].append((channel, external_id))
        rows: list[tuple[str, str]] = []
        for customer_id, name, attributes in cursor.execute(_PENDING_CUSTOMERS).fetchall():
            facts = facts_of(
                customer_id, name, _contact_attributes(attributes), identities[customer_id]
            )
            rows.extend((key, customer_id) for key in fact_keys(facts))
        cursor.execute(_DROP_PENDING_KEYS)
        if rows:
            cursor.executemany(_INSERT_KEY, rows)
        return cursor.execute("DELETE FROM customer_keys_dirty").rowcount
    finally:
        cursor.close()


def _contact_attributes(stored: str | None) -> dict[str, Any]:
    """The attributes JSON, parsed only when it can hold a contact (most hold none)."""
    if not stored or not any(hint in stored for hint in _ATTRIBUTE_HINTS):
        return {}
    value = json.loads(stored)
    return value if isinstance(value, dict) else {}


def _values(value: Any) -> list[str]:
    if isinstance(value, list | tuple | set | frozenset):
        return [str(v) for v in value if v]
    return [str(value)] if value else []


def facts_of(
    customer_id: str, name: str, attributes: dict[str, Any], identities: Iterable[tuple[str, str]]
) -> CustomerFacts:
    """Where contact facts live: email identities, phone-like identities, and attributes."""
    emails = _values(attributes.get("email"))
    phones = _values(attributes.get("phone")) + _values(attributes.get("phones"))
    for channel, external_id in identities:
        if channel == "email":
            emails.append(external_id)
        elif channel in PHONE_CHANNELS:
            phones.append(external_id)
    return CustomerFacts.build(
        customer_id,
        name or "",
        emails=emails,
        phones=phones,
        devices=_values(attributes.get("device_id")) + _values(attributes.get("devices")),
    )
