"""Applying pushes: each mutation at most once (by its idempotency key), with its outcome.

Several pushes (from several workstations) can be applied in one transaction
(:func:`push_group`, used by the group committer in ``committer.py``): they share one lookup of
idempotency keys, one locking read of the records they touch, one seq range and one commit, and
each still gets its own per-mutation outcomes, exactly as if it had been applied alone in
arrival order.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any
from typing import cast as cast_type

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from desk_app import crashpoints
from desk_app.server.apply import (
    Actor,
    Applier,
    Outcome,
    dedupe_key_for_message,
)
from desk_app.server.bulk import insert_rows
from desk_app.server.feed import Doc, Feed, read_counter
from desk_app.server.models import AppliedMutation, Record
from desk_app.server.schemas import (
    MutationIn,
    PushRequest,
)
from desk_app.store.types import utcnow

APPLIED = cast_type(Table, AppliedMutation.__table__)
REFERENCE_KEYS = ("id", "ticket_id", "customer_id", "account_id")
Push = tuple[PushRequest, Actor]


@dataclass(slots=True)
class Logged:
    """One row of the idempotency log (``AppliedMutation``), as plain data."""

    key: str
    user_id: str
    kind: str
    entity_id: str
    outcome: str
    reason: str | None
    result: dict[str, Any]
    applied_at: datetime


LOGGED = tuple(f.name for f in fields(Logged))


def _stored(logged: Logged, actor: Actor, session: Session) -> dict[str, Any]:
    if logged.user_id != actor.id:
        return _answer(logged.key, "rejected", "idempotency key already used")
    current = []
    if logged.kind.startswith("ticket."):
        ticket = session.get(Record, ("ticket", logged.entity_id))
        current = [ticket] if ticket is not None else []
    return _answer(
        logged.key, logged.outcome, logged.reason, logged.result, current, duplicate=True
    )


def _answer(
    key: str,
    outcome: str,
    reason: str | None = None,
    result: dict[str, Any] | None = None,
    current: Sequence[Record | Doc] = (),
    *,
    duplicate: bool = False,
) -> dict[str, Any]:
    """A ``MutationResult`` as plain JSON data (every field, as the model would write it)."""
    return {
        "id": key,
        "outcome": outcome,
        "reason": reason,
        "result": result or {},
        "duplicate": duplicate,
        "current": [{"kind": r.kind, "id": r.id, "seq": r.seq, "data": r.data} for r in current],
    }


def _apply_one(
    session: Session,
    applier: Applier,
    actor: Actor,
    mutation: MutationIn,
    known: dict[str, Logged],
    outcomes: list[tuple[str, Outcome | dict[str, Any]]],
    fresh: list[Logged],
) -> None:
    key = str(mutation.id)
    if key in known:
        outcomes.append((key, _stored(known[key], actor, session)))
        return
    outcome = applier.apply(mutation)
    logged = Logged(
        key=key,
        user_id=actor.id,
        kind=mutation.kind,
        entity_id=str(mutation.entity_id),
        outcome=outcome.outcome,
        reason=outcome.reason,
        result=outcome.result,
        applied_at=utcnow(),
    )
    known[key] = logged
    fresh.append(logged)
    outcomes.append((key, outcome))


def referenced(request: PushRequest) -> tuple[set[str], set[str]]:
    """Record ids (and message dedupe keys) a push will look at, to load them in one query."""
    ids: set[str] = set()
    dedupe: set[str] = set()
    for mutation in request.mutations:
        ids.add(str(mutation.entity_id))
        for value in mutation.payload.values():
            if not isinstance(value, dict):
                continue
            ids.update(
                v for k in REFERENCE_KEYS if isinstance(v := value.get(k), str) and len(v) <= 64
            )
            if mutation.kind == "message.add" and isinstance(value.get("external_id"), str):
                channel, account = value.get("channel"), value.get("account_id")
                dedupe.add(
                    dedupe_key_for_message(
                        str(channel),
                        account if isinstance(account, str) else None,
                        value["external_id"],
                    )
                )
    return ids, dedupe


def _encode(hint: int, outcomes: list[tuple[str, Outcome | dict[str, Any]]]) -> bytes:
    """The ``PushResponse`` JSON, written directly from server data (no model validation)."""
    results = [
        r if isinstance(r, dict) else _answer(key, r.outcome, r.reason, r.result, r.current)
        for key, r in outcomes
    ]
    return json.dumps({"results": results, "cursor_hint": hint}).encode()


def push_group(session: Session, pushes: Sequence[Push], postgres: bool) -> tuple[int, list[bytes]]:
    """Apply ``pushes`` in order in this transaction and commit (on PostgreSQL in the same
    round trip as the writes); the new head and each push's ``PushResponse`` as JSON. Locks:
    the records the pushes read are locked up front in one query, in (kind, id) order (two
    groups over the same tickets wait for each other instead of deadlocking); the sequence
    counter is locked last, in commit_seqs, so only the final write is serialized — in seq
    order. Reads and long-polls never wait."""
    feed = Feed(session, postgres)
    keys = [str(m.id) for request, _ in pushes for m in request.mutations]
    known = {
        row.key: Logged(**row._mapping)
        for row in session.execute(select(*APPLIED.columns).where(APPLIED.c.key.in_(keys)))
    }
    ids: set[str] = set()
    dedupe: set[str] = set()
    for request, _ in pushes:
        more_ids, more_dedupe = referenced(request)
        ids |= more_ids
        dedupe |= more_dedupe
    feed.prefetch(ids, dedupe)
    fresh: list[Logged] = []
    outcomes: list[list[tuple[str, Outcome | dict[str, Any]]]] = []
    for request, actor in pushes:
        applier = Applier(feed, actor)
        outcomes.append([])
        for mutation in request.mutations:
            _apply_one(session, applier, actor, mutation, known, outcomes[-1], fresh)
    if fresh:  # the idempotency log, in one statement
        insert_rows(session, APPLIED, [{f: getattr(a, f) for f in LOGGED} for a in fresh])
    crashpoints.reached("server.push.before_commit")
    last = feed.commit_seqs(commit=True)  # on PostgreSQL: committed here, one round trip
    hint = last if last is not None else read_counter(session, "seq")
    return hint, [_encode(hint, each) for each in outcomes]
