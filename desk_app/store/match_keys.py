"""Duplicate-detection keys written at commit time, so a scan never finds a backlog.

Triggers (``operator_models.KEY_TRIGGERS``, revision 0005) queue every customer whose keyed
facts changed in ``customer_keys_dirty``, whichever way the row was written. Just before each
commit of a profile engine (:func:`keep_keys_current`, called by ``ServiceContext``, hooks the
engine's ``commit`` event, so session transactions, Core bulk writes, sync apply and demo
seeding are all covered, not only ``ServiceContext.write``) :func:`rekey_pending` brings those
customers' rows in ``customer_match_keys`` and ``customer_match_facts`` up to date and empties
the queue, in the same transaction. A commit that touched no customer pays one probe of an
empty table. Rows written by a connection without the hook (a raw sqlite3 import) stay queued
until the next hooked commit or duplicate scan: the queue is durable, so nothing is missed.
A change of the key format needs a migration that empties both tables and queues everyone.

Everything here runs on the raw DB-API connection: at commit time the ORM is done, and a bulk
import keys tens of thousands of customers, where per-row SQLAlchemy overhead would dominate.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, Engine, event

from desk_app.domain.duplicates import CustomerFacts, blocking_keys, decode_facts, encode_facts

PHONE_CHANNELS = frozenset({"phone", "whatsapp", "sms"})
CONTACT_CHANNELS = ("email", *sorted(PHONE_CHANNELS))
_ATTRIBUTE_HINTS = ('"email"', '"phone', '"device')  # attributes worth parsing at all

_ANY_PENDING = "SELECT 1 FROM customer_keys_dirty LIMIT 1"
# CROSS JOIN: the queue drives (SQLite would otherwise walk every customer/identity and probe
# the queue, which makes each commit's keying cost grow with the profile's size).
_PENDING_IDENTITIES = f"""SELECT i.customer_id, i.channel, i.external_id
    FROM customer_keys_dirty d CROSS JOIN customer_identities i ON i.customer_id = d.customer_id
    WHERE i.channel IN ({", ".join(f"'{c}'" for c in CONTACT_CHANNELS)})"""
_PENDING_CUSTOMERS = """SELECT c.id, c.display_name, c.attributes
    FROM customer_keys_dirty d CROSS JOIN customers c ON c.id = d.customer_id
    WHERE c.merged_into_id IS NULL"""
_PENDING_OLD = """SELECT f.customer_id, f.display_name, f.facts
    FROM customer_keys_dirty d CROSS JOIN customer_match_facts f ON f.customer_id = d.customer_id"""
_DELETE_KEY = "DELETE FROM customer_match_keys WHERE key = ? AND customer_id = ?"
_INSERT_KEY = "INSERT INTO customer_match_keys(key, customer_id) VALUES (?, ?)"
_DELETE_FACTS = "DELETE FROM customer_match_facts WHERE customer_id = ?"
_PUT_FACTS = """INSERT OR REPLACE INTO customer_match_facts(customer_id, display_name, facts)
    VALUES (?, ?, ?)"""


def keep_keys_current(engine: Engine) -> None:
    """Re-key queued customers before every commit on ``engine`` (SQLite profiles only;
    calling it again for the same engine does nothing)."""
    hooked = event.contains(engine, "commit", rekey_before_commit)
    if engine.dialect.name == "sqlite" and not hooked:
        event.listen(engine, "commit", rekey_before_commit)


def rekey_before_commit(connection: Connection) -> None:
    rekey_pending(connection.connection.dbapi_connection)


def has_pending(connection: Connection) -> bool:
    """Whether customers wait to be keyed (normally never outside a writing transaction)."""
    return connection.exec_driver_sql(_ANY_PENDING).first() is not None


def rekey_pending(dbapi_connection: Any) -> int:
    """Bring the key and facts rows of every queued customer up to date and empty the queue;
    returns how many customers were queued. Must run inside the writing transaction (the hook
    guarantees it). Only differences are written: the old keys follow from the old facts row
    (keys are a function of the facts), so a customer whose contacts did not change costs
    reads only, and no per-customer index is needed to find a customer's rows."""
    cursor = dbapi_connection.cursor()
    try:
        if cursor.execute(_ANY_PENDING).fetchone() is None:
            return 0
        old = {cid: (name, facts) for cid, name, facts in cursor.execute(_PENDING_OLD)}
        new = _current_rows(cursor)
        stale: set[tuple[str, str]] = set()
        for customer_id, (_, encoded) in old.items():
            if new.get(customer_id, ("", ""))[1] != encoded:
                facts = decode_facts(customer_id, encoded)
                stale.update((key, customer_id) for key in blocking_keys(facts))
        fresh: set[tuple[str, str]] = set()
        for customer_id, (_, encoded, facts) in new.items():
            if old.get(customer_id, ("", ""))[1] != encoded:
                fresh.update((key, customer_id) for key in blocking_keys(facts))
        # Sorted, so the b-tree is walked in order and each page is touched once.
        cursor.executemany(_DELETE_KEY, sorted(stale - fresh))
        cursor.executemany(_INSERT_KEY, sorted(fresh - stale))
        cursor.executemany(_DELETE_FACTS, sorted((c,) for c in old.keys() - new.keys()))
        cursor.executemany(
            _PUT_FACTS,
            sorted(
                (c, name, enc) for c, (name, enc, _) in new.items() if old.get(c) != (name, enc)
            ),
        )
        return cursor.execute("DELETE FROM customer_keys_dirty").rowcount
    finally:
        cursor.close()


def _current_rows(cursor: Any) -> dict[str, tuple[str, str, CustomerFacts]]:
    """Name, encoded facts and facts, as they are now, of the queued customers still active."""
    identities: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for customer_id, channel, external_id in cursor.execute(_PENDING_IDENTITIES):
        identities[customer_id].append((channel, external_id))
    rows: dict[str, tuple[str, str, CustomerFacts]] = {}
    for customer_id, name, attributes in cursor.execute(_PENDING_CUSTOMERS).fetchall():
        contacts = _contact_attributes(attributes)
        facts = facts_of(customer_id, name, contacts, identities.get(customer_id, ()))
        rows[customer_id] = (name or "", encode_facts(facts), facts)
    return rows


def _contact_attributes(stored: str | None) -> dict[str, Any]:
    """The attributes JSON, parsed only when it can hold a contact (most hold none)."""
    if not stored or not any(hint in stored for hint in _ATTRIBUTE_HINTS):
        return {}
    try:
        value = json.loads(stored)
    except ValueError:  # written by hand, not by Desk: no contacts, but the commit goes on
        return {}
    return value if isinstance(value, dict) else {}


def _values(value: Any) -> list[str]:
    if isinstance(value, list | tuple | set | frozenset):
        return [str(v) for v in value if v]
    return [str(value)] if value else []


def facts_of(
    customer_id: str, name: str, attributes: dict[str, Any], identities: Iterable[tuple[str, str]]
) -> CustomerFacts:
    """Where contact facts live: email identities, phone-like identities, and attributes."""
    emails: list[str] = []
    phones: list[str] = []
    devices: list[str] = []
    if attributes:  # most customers have none of these: skip the look-ups
        emails += _values(attributes.get("email"))
        phones += _values(attributes.get("phone")) + _values(attributes.get("phones"))
        devices += _values(attributes.get("device_id")) + _values(attributes.get("devices"))
    for channel, external_id in identities:
        if channel == "email":
            emails.append(external_id)
        elif channel in PHONE_CHANNELS:
            phones.append(external_id)
    return CustomerFacts.build(
        customer_id, name or "", emails=emails, phones=phones, devices=devices
    )
