"""Duplicate customers: finding them, previewing a merge, merging without loss, undoing.

Finding is an index look-up, not everyone-against-everyone: each customer's blocking keys
(``domain.duplicates.blocking_keys``: emails, phones, devices, name skeleton) live in
``customer_match_keys``, written by the transaction that changed the customer
(``store.match_keys``), and only customers sharing a key are scored.

A merge moves identities, tickets and notes to the surviving customer, fills its empty fields,
keeps every value that lost a conflict under ``attributes["merged_values"]``, marks the other
customer ``merged_into_id`` (the row stays: nothing is deleted) and records exactly what it did,
so undo puts everything back. Merge, undo and "not a duplicate" are sync mutations like every
other change.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from desk_app.domain.duplicates import (
    MAX_BLOCK,
    Candidate,
    Conflict,
    CustomerFacts,
    Evidence,
    blocking_keys,
    candidates_for,
    decode_facts,
    find_candidates_in_blocks,
)
from desk_app.services import mutations
from desk_app.services.changes import Changes
from desk_app.services.context import ServiceContext
from desk_app.store.match_keys import has_pending, rekey_pending
from desk_app.store.models import Customer, CustomerIdentity, CustomerNote, Ticket
from desk_app.store.operator_models import (
    CustomerMatchFacts,
    CustomerMatchKey,
    CustomerMerge,
    DuplicateDismissal,
)
from desk_app.store.types import utcnow

CHUNK = 500
# Fields copied when the survivor has none; when both have different values it is a conflict.
MERGED_FIELDS = ("display_name", "city", "plan", "platform", "app_version", "language")
FAVOURITE = "favourite_agent_id"
MERGED_VALUES = "merged_values"  # attributes key keeping every value that lost a conflict


# Blocks: keys shared by 2..MAX_BLOCK customers, found by one GROUP BY over the key index,
# joined to the facts row of each member. Only customers in some block are read and scored,
# so the cost follows the duplicates. CROSS JOIN keeps SQLite's order: blocks drive.
_BLOCK_ROWS = f"""WITH shared AS (
    SELECT key FROM customer_match_keys GROUP BY key HAVING count(*) BETWEEN 2 AND {MAX_BLOCK}
) SELECT k.key, f.customer_id, f.display_name, f.facts
    FROM shared s CROSS JOIN customer_match_keys k ON k.key = s.key
    CROSS JOIN customer_match_facts f ON f.customer_id = k.customer_id"""


class MergeError(ValueError):
    """The merge or undo cannot be done; the message says why (shown to the operator)."""


@dataclass(frozen=True)
class IdentityInfo:
    channel: str
    external_id: str
    display: str | None


@dataclass(frozen=True)
class CustomerSummary:
    id: str
    display_name: str
    city: str | None
    platform: str | None
    app_version: str | None
    customer_since: datetime | None
    identities: tuple[IdentityInfo, ...]
    ticket_count: int


@dataclass(frozen=True)
class DuplicateCandidate:
    """A pair for the review list; ``a_id < b_id``. Details come from :meth:`preview`."""

    a_id: str
    a_name: str
    b_id: str
    b_name: str
    score: float
    evidence: tuple[Evidence, ...]
    conflicts: tuple[Conflict, ...]


@dataclass(frozen=True)
class FieldConflict:
    field: str
    survivor_value: str
    merged_value: str


@dataclass(frozen=True)
class MergePreview:
    survivor: CustomerSummary
    merged: CustomerSummary
    identities: tuple[IdentityInfo, ...]  # move to the survivor
    tickets: tuple[tuple[int, str], ...]  # (number, subject) move to the survivor
    notes: int  # private notes that move
    filled: tuple[tuple[str, str], ...]  # survivor's empty fields taken from the other
    conflicts: tuple[FieldConflict, ...]  # both set, different: survivor's kept unless taken


@dataclass(frozen=True)
class MergeInfo:
    id: str
    survivor_id: str
    merged_id: str
    merged_name: str
    created_at: datetime
    undone: bool


def _chunks(ids: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _as_text(value: object) -> str:
    return value.isoformat() if isinstance(value, datetime) else str(value)


class CustomerMerger:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    # -- blocking keys -----------------------------------------------------------------------
    def refresh_keys(self) -> int:
        """Key customers still queued; returns how many. Commits key what they change, so this
        finds work only once: the backfill after an upgrade from a profile keyed lazily
        (revision 0005 queues every customer) or rows written by a process without the hook."""
        with self.ctx.read() as session:
            if not has_pending(session.connection()):
                return 0
        with self.ctx.write() as session, _gc_paused():
            return rekey_pending(session.connection().connection.dbapi_connection)

    # -- finding -----------------------------------------------------------------------------
    def scan(self) -> list[DuplicateCandidate]:
        """Every candidate pair among active customers, best first (dismissed pairs skipped).
        One query over the key index: blocks of customers sharing a key, with their facts."""
        self.refresh_keys()
        with self.ctx.read() as session, _gc_paused():
            # A plain DB-API cursor: a hundred thousand rows of strings, no ORM needed.
            cursor = session.connection().connection.cursor()
            known = _Known()
            by_id, names = known.by_id, known.names
            blocks: dict[str, list[CustomerFacts]] = defaultdict(list)
            for key, customer_id, name, encoded in cursor.execute(_BLOCK_ROWS):
                facts = by_id.get(customer_id)  # _Known.facts, inlined: ~50,000 rows
                if facts is None:
                    facts = by_id[customer_id] = decode_facts(customer_id, encoded)
                    names[customer_id] = name
                blocks[key].append(facts)
            cursor.close()
            found = find_candidates_in_blocks(blocks, skip_pairs=_dismissed(session)).candidates
            return _describe(found, known.names)

    def candidates_for(self, customer_id: str) -> list[DuplicateCandidate]:
        """Possible duplicates of one customer (the card's "4 possible duplicates")."""
        self.refresh_keys()
        with self.ctx.read() as session:
            known = _Known()
            own = session.execute(_facts_query([customer_id])).first()
            if own is None:
                return []  # merged away (or unknown): no candidates
            target = known.facts(*own)
            others = (
                select(CustomerMatchKey.customer_id)
                .where(CustomerMatchKey.key.in_(blocking_keys(target)))
                .distinct()
                .limit(MAX_BLOCK * 4)
            )
            rows = session.execute(_facts_query(others)).all()
            facts = [known.facts(*row) for row in rows if row[0] != customer_id]
            dismissed = _dismissed(session)
            found = [c for c in candidates_for(target, facts) if (c.a_id, c.b_id) not in dismissed]
            return _describe(found, known.names)

    def count_for(self, customer_id: str) -> int:
        return len(self.candidates_for(customer_id))

    # -- reviewing ---------------------------------------------------------------------------
    def summary(self, customer_id: str) -> CustomerSummary:
        with self.ctx.read() as session:
            return _summaries(session, [customer_id])[customer_id]

    def preview(self, survivor_id: str, merged_id: str) -> MergePreview:
        with self.ctx.read() as session:
            survivor, merged = _pair(session, survivor_id, merged_id)
            summaries = _summaries(session, [survivor_id, merged_id])
            tickets = session.execute(
                select(Ticket.number, Ticket.subject)
                .where(Ticket.customer_id == merged_id)
                .order_by(Ticket.number)
            ).all()
            notes = session.scalar(
                select(func.count())
                .select_from(CustomerNote)
                .where(CustomerNote.customer_id == merged_id)
            )
            filled, conflicts = _field_plan(survivor, merged)
            return MergePreview(
                survivor=summaries[survivor_id],
                merged=summaries[merged_id],
                identities=summaries[merged_id].identities,
                tickets=tuple((int(n), s or "") for n, s in tickets),
                notes=int(notes or 0),
                filled=tuple((f, _as_text(v)) for f, v in filled.items()),
                conflicts=tuple(conflicts),
            )

    def dismiss(self, a_id: str, b_id: str) -> Changes:
        """ "Not the same person": the pair is not proposed again (on any workstation)."""
        first, second = sorted((a_id, b_id))
        with self.ctx.write() as session:
            exists = session.scalar(
                select(DuplicateDismissal.id).where(
                    DuplicateDismissal.a_id == first, DuplicateDismissal.b_id == second
                )
            )
            if exists is None:
                row = DuplicateDismissal(a_id=first, b_id=second, dismissed_by=self.ctx.agent_id)
                session.add(row)
                session.flush()
                mutations.record(
                    session, "customer.duplicate_dismiss", row.id, a_id=first, b_id=second
                )
        return self._publish(Changes(customers=frozenset({first, second})))

    # -- merging -----------------------------------------------------------------------------
    def merge(self, survivor_id: str, merged_id: str, *, take: Iterable[str] = ()) -> str:
        """Merge ``merged_id`` into ``survivor_id``; ``take`` names conflicting fields whose value
        comes from the merged customer. Returns the merge id (for undo)."""
        take = set(take)
        with self.ctx.write() as session:
            survivor, merged = _pair(session, survivor_id, merged_id)
            before = {
                f: _as_text(v) if (v := getattr(survivor, f)) is not None else None
                for f in (*MERGED_FIELDS, FAVOURITE, "customer_since")
            }
            attributes_before = dict(survivor.attributes or {})
            filled, conflicts = _field_plan(survivor, merged)
            kept: dict[str, list[str]] = {
                k: list(v) for k, v in attributes_before.get(MERGED_VALUES, {}).items()
            }
            for field, value in filled.items():
                setattr(survivor, field, value)
            for conflict in conflicts:
                if conflict.field in take:
                    setattr(survivor, conflict.field, getattr(merged, conflict.field))
                    lost = conflict.survivor_value
                else:
                    lost = conflict.merged_value
                kept.setdefault(conflict.field, [])
                if lost not in kept[conflict.field]:
                    kept[conflict.field].append(lost)
            attributes = _merged_attributes(attributes_before, merged.attributes or {}, kept)
            survivor.attributes = attributes
            moved = {
                "identities": _move(session, CustomerIdentity, merged_id, survivor_id),
                "tickets": _move(session, Ticket, merged_id, survivor_id),
                "notes": _move(session, CustomerNote, merged_id, survivor_id),
            }
            merged.merged_into_id = survivor_id
            after = {
                f: _as_text(v) if (v := getattr(survivor, f)) is not None else None for f in before
            }
            record = CustomerMerge(
                survivor_id=survivor_id,
                merged_id=merged_id,
                merged_by=self.ctx.agent_id,
                undo={
                    **moved,
                    "fields_before": before,
                    "fields_after": after,
                    "attributes_before": attributes_before,
                    "attributes_after": attributes,
                },
            )
            session.add(record)
            session.flush()
            mutations.record(
                session,
                "customer.merge",
                record.id,
                survivor_id=survivor_id,
                merged_id=merged_id,
                take=sorted(take),
            )
            merge_id, tickets = record.id, moved["tickets"]
        self._publish(
            Changes(
                customers=frozenset({survivor_id, merged_id}),
                tickets=frozenset(tickets),
                queues=bool(tickets),
            )
        )
        return merge_id

    def undo(self, merge_id: str) -> Changes:
        """Put back exactly what the merge moved and changed (later changes stay)."""
        with self.ctx.write() as session:
            record = session.get(CustomerMerge, merge_id)
            if record is None:
                raise MergeError("no such merge")
            if record.undone_at is not None:
                raise MergeError("this merge was already undone")
            survivor = session.get(Customer, record.survivor_id)
            merged = session.get(Customer, record.merged_id)
            assert survivor is not None and merged is not None
            if survivor.merged_into_id is not None:
                raise MergeError("the customer was merged again later: undo that merge first")
            undo = record.undo
            _reassign(session, CustomerIdentity, undo["identities"], survivor.id, merged.id)
            tickets = _reassign(session, Ticket, undo["tickets"], survivor.id, merged.id)
            _reassign(session, CustomerNote, undo["notes"], survivor.id, merged.id)
            _restore_fields(survivor, undo["fields_before"], undo["fields_after"])
            survivor.attributes = _restore_dict(
                survivor.attributes or {}, undo["attributes_before"], undo["attributes_after"]
            )
            merged.merged_into_id = None
            merged.updated_at = utcnow()
            record.undone_at = self.ctx.now()
            mutations.record(
                session,
                "customer.unmerge",
                record.id,
                survivor_id=survivor.id,
                merged_id=merged.id,
            )
            customers = frozenset({survivor.id, merged.id})
        return self._publish(Changes(customers=customers, tickets=frozenset(tickets), queues=True))

    def merges(self, customer_id: str | None = None, limit: int = 20) -> list[MergeInfo]:
        """Recent merges (of one customer, or all), newest first, for the undo list."""
        with self.ctx.read() as session:
            query = select(CustomerMerge, Customer.display_name).join(
                Customer, Customer.id == CustomerMerge.merged_id
            )
            if customer_id is not None:
                query = query.where(
                    or_(
                        CustomerMerge.survivor_id == customer_id,
                        CustomerMerge.merged_id == customer_id,
                    )
                )
            rows = session.execute(query.order_by(CustomerMerge.created_at.desc()).limit(limit))
            return [
                MergeInfo(
                    m.id, m.survivor_id, m.merged_id, name, m.created_at, m.undone_at is not None
                )
                for m, name in rows
            ]

    # -- helpers -----------------------------------------------------------------------------
    def _publish(self, changes: Changes) -> Changes:
        self.ctx.bus.publish(changes)
        return changes


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Tens of thousands of small acyclic objects in a burst: without this, the cyclic garbage
    collector re-walks every object the process holds (a whole UI) several times per scan."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _pair(session: Session, survivor_id: str, merged_id: str) -> tuple[Customer, Customer]:
    if survivor_id == merged_id:
        raise MergeError("a customer cannot be merged with itself")
    survivor = session.get(Customer, survivor_id)
    merged = session.get(Customer, merged_id)
    if survivor is None or merged is None:
        raise MergeError("customer not found")
    if survivor.merged_into_id or merged.merged_into_id:
        raise MergeError("one of the customers was already merged into another")
    return survivor, merged


def _field_plan(survivor: Customer, merged: Customer) -> tuple[dict[str, Any], list[FieldConflict]]:
    """Which fields the survivor gets from the other customer, and which ones conflict."""
    filled: dict[str, Any] = {}
    conflicts: list[FieldConflict] = []
    for field in (*MERGED_FIELDS, FAVOURITE):
        mine, theirs = getattr(survivor, field), getattr(merged, field)
        if theirs in (None, ""):
            continue
        if mine in (None, ""):
            filled[field] = theirs
        elif mine != theirs:
            conflicts.append(FieldConflict(field, str(mine), str(theirs)))
    if merged.customer_since is not None and (
        survivor.customer_since is None or merged.customer_since < survivor.customer_since
    ):
        filled["customer_since"] = merged.customer_since  # the earlier first contact is true
    return filled, conflicts


def _merged_attributes(
    mine: dict[str, Any], theirs: dict[str, Any], kept: dict[str, list[str]]
) -> dict[str, Any]:
    result = {k: v for k, v in mine.items() if k != MERGED_VALUES}
    for key, value in theirs.items():
        if key == MERGED_VALUES:
            for field, values in value.items():
                kept.setdefault(field, []).extend(v for v in values if v not in kept[field])
        elif key not in result or result[key] in (None, "", [], {}):
            result[key] = value
        elif result[key] != value:
            kept.setdefault(key, [])
            if _as_text(value) not in kept[key]:
                kept[key].append(value if isinstance(value, str) else _as_text(value))
    if kept:
        result[MERGED_VALUES] = kept
    return result


def _move(session: Session, model: Any, from_id: str, to_id: str) -> list[str]:
    ids = list(session.scalars(select(model.id).where(model.customer_id == from_id)))
    return _reassign(session, model, ids, from_id, to_id)


def _reassign(session: Session, model: Any, ids: list[str], from_id: str, to_id: str) -> list[str]:
    """Rows among ``ids`` still owned by ``from_id`` move to ``to_id``; returns those moved."""
    moved: list[str] = []
    for chunk in _chunks(ids):
        present = list(
            session.scalars(
                select(model.id).where(model.id.in_(chunk), model.customer_id == from_id)
            )
        )
        if present:
            session.execute(
                update(model)
                .where(model.id.in_(present))
                .values(customer_id=to_id, updated_at=utcnow())
                .execution_options(synchronize_session=False)
            )
        moved.extend(present)
    return moved


def _restore_fields(customer: Customer, before: dict[str, Any], after: dict[str, Any]) -> None:
    """Each field goes back to its pre-merge value unless someone changed it since the merge."""
    for field, old in before.items():
        current = getattr(customer, field)
        current_text = _as_text(current) if current is not None else None
        if current_text != after.get(field):
            continue
        if old is not None and field == "customer_since":
            old = datetime.fromisoformat(old)
        setattr(customer, field, old)


def _restore_dict(
    current: dict[str, Any], before: dict[str, Any], after: dict[str, Any]
) -> dict[str, Any]:
    result = dict(current)
    for key in set(before) | set(after):
        if result.get(key) != after.get(key):
            continue  # changed since the merge: keep the newer value
        if key in before:
            result[key] = before[key]
        else:
            result.pop(key, None)
    return result


def _facts_query(ids: Any) -> Any:
    """Facts rows (id, name, encoded facts) of ``ids`` (a list or a subquery of ids)."""
    return select(
        CustomerMatchFacts.customer_id, CustomerMatchFacts.display_name, CustomerMatchFacts.facts
    ).where(CustomerMatchFacts.customer_id.in_(ids))


class _Known:
    """Facts and names of the customers read from the index, each decoded once (a customer
    appears in one row per key it shares)."""

    def __init__(self) -> None:
        self.by_id: dict[str, CustomerFacts] = {}
        self.names: dict[str, str] = {}

    def facts(self, customer_id: str, name: str, encoded: str) -> CustomerFacts:
        found = self.by_id.get(customer_id)
        if found is None:
            found = self.by_id[customer_id] = decode_facts(customer_id, encoded)
            self.names[customer_id] = name
        return found


def _describe(found: Sequence[Candidate], names: dict[str, str]) -> list[DuplicateCandidate]:
    return [
        DuplicateCandidate(
            c.a_id, names[c.a_id], c.b_id, names[c.b_id], c.score, c.evidence, c.conflicts
        )
        for c in found
    ]


def _dismissed(session: Session) -> frozenset[tuple[str, str]]:
    return frozenset(
        (a, b) for a, b in session.execute(select(DuplicateDismissal.a_id, DuplicateDismissal.b_id))
    )


def _summaries(session: Session, ids: Sequence[str]) -> dict[str, CustomerSummary]:
    identities: dict[str, list[IdentityInfo]] = defaultdict(list)
    counts: dict[str, int] = {}
    customers: dict[str, Customer] = {}
    for chunk in _chunks(list(ids)):
        for identity in session.scalars(
            select(CustomerIdentity)
            .where(CustomerIdentity.customer_id.in_(chunk))
            .order_by(CustomerIdentity.channel, CustomerIdentity.external_id)
        ):
            identities[identity.customer_id].append(
                IdentityInfo(identity.channel, identity.external_id, identity.display)
            )
        counts.update(
            session.execute(
                select(Ticket.customer_id, func.count())
                .where(Ticket.customer_id.in_(chunk))
                .group_by(Ticket.customer_id)
            ).all()
        )
        customers.update(
            (c.id, c) for c in session.scalars(select(Customer).where(Customer.id.in_(chunk)))
        )
    return {
        cid: CustomerSummary(
            id=cid,
            display_name=c.display_name,
            city=c.city,
            platform=c.platform,
            app_version=c.app_version,
            customer_since=c.customer_since,
            identities=tuple(identities[cid]),
            ticket_count=counts.get(cid, 0),
        )
        for cid, c in customers.items()
    }
