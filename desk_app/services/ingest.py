"""Turning what a channel delivered into customers, tickets and messages.

Used by every fetcher (email, stores, messengers, the sandbox) and by sync, so dedupe, threading
and reopening follow one set of rules whatever the source. A batch is one transaction, and the
same code serves one item and ten thousand: a first sync ingests thousands, so a batch looks up
everything its items may need (known ids, identities, the tickets they answer, thread and
customer tickets) in a few set-wise queries, places each item in memory on plain records, and
writes customers, identities, tickets, messages (FTS rows follow by trigger) and sync mutations
with one multi-row statement per table. Only a ticket an item reopens goes through the ORM (its
SLA clock moves), which is rare.
"""

from __future__ import annotations

import functools
import itertools
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    Connection,
    Dialect,
    Table,
    UpdateBase,
    bindparam,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import Insert

from desk_app.channels.base import IncomingItem
from desk_app.domain.enums import AuthorKind, MessageKind, Priority, TicketStatus
from desk_app.domain.platform_facts import stated_facts
from desk_app.domain.tickets import status_after_customer_message
from desk_app.services import ticket_sla
from desk_app.services.changes import Changes
from desk_app.services.context import ServiceContext
from desk_app.services.tickets import snippet_of
from desk_app.store.models import (
    ChannelAccount,
    Customer,
    CustomerIdentity,
    Message,
    Mutation,
    Ticket,
)
from desk_app.store.types import id_stream, utcnow


@dataclass(frozen=True)
class IngestResult:
    changes: Changes
    stored: int
    duplicates: int


def next_ticket_number(session: Session) -> int:
    return int(session.scalar(select(func.coalesce(func.max(Ticket.number), 1000))) or 1000) + 1


# The batch's look-ups, built once (a statement built per batch cost more than running it on a
# small batch); Core, as they read columns, not objects.
_CUSTOMERS, _IDS = Customer.__table__.c, CustomerIdentity.__table__.c
_MESSAGES, _TICKETS = Message.__table__.c, Ticket.__table__.c
_IDENTITIES = (
    select(_IDS.external_id, _CUSTOMERS.id, _CUSTOMERS.merged_into_id)
    .add_columns(_CUSTOMERS.platform, _CUSTOMERS.app_version)
    .join_from(CustomerIdentity.__table__, Customer.__table__)
    .where(
        _IDS.channel == bindparam("channel"), _IDS.external_id.in_(bindparam("ids", expanding=True))
    )
)
_KNOWN = select(_MESSAGES.external_id).where(
    _MESSAGES.channel == bindparam("channel"),
    _MESSAGES.account_id == bindparam("account"),  # the full unique index serves this
    _MESSAGES.external_id.in_(bindparam("ids", expanding=True)),
)
_ANSWERED = _KNOWN.add_columns(_MESSAGES.ticket_id)
_TICKET_FIELDS = select(
    _TICKETS.id,
    _TICKETS.customer_id,
    _TICKETS.status,
    _TICKETS.active,
    _TICKETS.external_thread_key,
    _TICKETS.last_message_at,
)
_BY_THREAD = _TICKET_FIELDS.where(
    _TICKETS.account_id == bindparam("account"),
    _TICKETS.external_thread_key.in_(bindparam("ids", expanding=True)),
)
_ACTIVE = _TICKET_FIELDS.where(
    _TICKETS.account_id == bindparam("account"),
    _TICKETS.active.is_(True),
    _TICKETS.customer_id.in_(bindparam("ids", expanding=True)),
)
_BY_ID = _TICKET_FIELDS.where(_TICKETS.id.in_(bindparam("ids", expanding=True)))
_SET_FACTS = (
    update(Customer)
    .where(_CUSTOMERS.id == bindparam("b_id"))
    .values(
        platform=bindparam("b_platform"),
        app_version=bindparam("b_version"),
        updated_at=bindparam("b_now"),
    )
)
_TOUCH_TICKETS = (  # only what items change; an auto-reply leaves unread and snippet alone
    update(Ticket)
    .where(_TICKETS.id == bindparam("b_id"))
    .values(
        unread=func.coalesce(bindparam("b_unread"), _TICKETS.unread),
        last_message_at=bindparam("b_last"),
        snippet=func.coalesce(bindparam("b_snippet"), _TICKETS.snippet),
        rating=func.coalesce(bindparam("b_rating"), _TICKETS.rating),
        updated_at=bindparam("b_now"),
    )
)


@dataclass(slots=True)
class _Person:
    """A customer as placing items needs it; ``row`` is set when this batch creates it."""

    id: str
    platform: str | None
    app_version: str | None
    row: dict[str, Any] | None = None  # the customers row, when this batch creates it
    identity: dict[str, Any] | None = None  # and its identity row
    facts_changed: bool = False


class _NewTicket:
    """The columns of a ticket this batch creates, as a plain object. ``ticket_sla`` sets the
    clock columns on it as on a :class:`Ticket` (it only reads and assigns those attributes);
    a transient ORM object did the same with per-attribute bookkeeping that cost ~0.2 ms per
    new ticket in a first sync."""

    def __init__(self, **columns: Any) -> None:
        self.__dict__.update(columns)

    def __getattr__(self, name: str) -> Any:  # for mypy: the attributes are the columns
        raise AttributeError(name)


@dataclass(slots=True)
class _Thread:
    """A ticket as placing items needs it. ``row`` holds the columns of a ticket this batch
    creates (its SLA clock set by ``ticket_sla``), inserted set-wise; a stored ticket is
    written back with one multi-row UPDATE of the columns items change."""

    id: str
    customer_id: str
    status: TicketStatus
    active: bool
    thread_key: str | None
    last_message_at: datetime
    unread: bool | None = None  # True once an item (not an auto-reply) arrived
    snippet: str | None = None  # set when an item became the newest message
    rating: int | None = None
    row: _NewTicket | None = None
    touched: bool = False


class _Batch:
    """One account's batch: what it looked up, and what it is about to write."""

    def __init__(self, session: Session, account: ChannelAccount) -> None:
        self.session = session
        self.account_id = account.id
        self.channel = account.channel
        self.customers: dict[str, _Person] = {}  # author external id -> customer
        self.ticket_of_external: dict[str, str] = {}  # message external id -> ticket id
        self.tickets: dict[str, _Thread] = {}
        self.by_thread: dict[str, _Thread] = {}
        self.active_by_customer: dict[str, _Thread] = {}
        self.messages: list[dict[str, Any]] = []
        self.mutations: list[dict[str, Any]] = []
        self.next_number: int | None = None
        self.now = utcnow()
        self.new_id = id_stream().__next__  # one stream per batch: no lock per id

    # -- look-ups, set-wise -----------------------------------------------------------------
    def preload(self, items: Sequence[IncomingItem]) -> None:
        run = self.session.connection().execute
        where = {"channel": self.channel, "account": self.account_id}
        people: dict[str, _Person] = {}  # two identities of one customer share the record
        for external_id, customer_id, merged_into, platform, app_version in run(
            _IDENTITIES, where | {"ids": list({i.author.external_id for i in items})}
        ):
            if merged_into:
                customer_id, platform, app_version = _surviving(self.session, merged_into)
            person = people.setdefault(customer_id, _Person(customer_id, platform, app_version))
            self.customers[external_id] = person
        # ``thread_ticket`` takes the first reference that names a stored message, and the
        # first one (the parent) usually does: the others are looked up only for items whose
        # first is not stored (a mail answers five on average; a look-up each cost ~5 us).
        parents = {i.in_reply_to[0] for i in items if i.in_reply_to}
        self._answered(parents)
        self._answered(
            {
                ref
                for i in items
                if i.in_reply_to and i.in_reply_to[0] not in self.ticket_of_external
                for ref in i.in_reply_to[1:]
            }
        )
        threads = list({i.thread_key for i in items if i.thread_key})
        customer_ids = list({c.id for c in self.customers.values()})
        found: dict[str, Any] = {}
        if threads:
            found.update((row.id, row) for row in run(_BY_THREAD, where | {"ids": threads}))
        if customer_ids:
            found.update((row.id, row) for row in run(_ACTIVE, where | {"ids": customer_ids}))
        wanted = list(set(self.ticket_of_external.values()) - found.keys())
        if wanted:
            found.update((row.id, row) for row in run(_BY_ID, {"ids": wanted}))
        for row in sorted(found.values(), key=lambda r: r.last_message_at):
            self._remember(
                _Thread(
                    id=row.id,
                    customer_id=row.customer_id,
                    status=TicketStatus(row.status),
                    active=bool(row.active),
                    thread_key=row.external_thread_key,
                    last_message_at=row.last_message_at,
                )
            )

    def _answered(self, referenced: set[str]) -> None:
        """Which tickets hold the stored messages among ``referenced``."""
        if referenced:
            where = {"channel": self.channel, "account": self.account_id, "ids": list(referenced)}
            for referenced_id, ticket_id in self.session.connection().execute(_ANSWERED, where):
                self.ticket_of_external[referenced_id] = ticket_id

    def _remember(self, ticket: _Thread) -> None:
        """Later (newer) tickets win the thread and active-customer slots."""
        self.tickets[ticket.id] = ticket
        if ticket.thread_key:
            self.by_thread[ticket.thread_key] = ticket
        if ticket.active:
            self.active_by_customer[ticket.customer_id] = ticket

    # -- placing items ----------------------------------------------------------------------
    def customer_for(self, item: IncomingItem) -> _Person:
        known = self.customers.get(item.author.external_id)
        if known is not None:
            return known
        customer_id = self.new_id()
        person = _Person(customer_id, item.meta.get("platform"), item.meta.get("app_version"))
        person.row = {
            "id": customer_id,
            "created_at": self.now,
            "updated_at": self.now,
            "display_name": item.author.display_name or item.author.external_id,
            "customer_since": item.sent_at,
            "language": item.meta.get("language"),
            "attributes": {},
        }
        person.identity = {
            "id": self.new_id(),
            "created_at": self.now,
            "updated_at": self.now,
            "customer_id": customer_id,
            "channel": self.channel,
            "external_id": item.author.external_id,
            "display": item.author.handle or item.author.display_name,
        }
        self.customers[item.author.external_id] = person
        return person

    def thread_ticket(self, customer: _Person, item: IncomingItem) -> _Thread | None:
        """What the item answers, then its channel thread, then the customer's active ticket."""
        for ref in item.in_reply_to:
            ticket_id = self.ticket_of_external.get(ref)
            if ticket_id is not None and ticket_id in self.tickets:
                return self.tickets[ticket_id]
        if item.thread_key and item.thread_key in self.by_thread:
            return self.by_thread[item.thread_key]
        return self.active_by_customer.get(customer.id)

    def new_ticket(self, customer: _Person, item: IncomingItem) -> _Thread:
        if self.next_number is None:
            self.next_number = next_ticket_number(self.session)
        ticket = _NewTicket(
            id=self.new_id(),
            created_at=item.sent_at,
            updated_at=self.now,
            number=self.next_number,
            customer_id=customer.id,
            channel=self.channel,
            account_id=self.account_id,
            subject=item.subject or "",
            snippet="",
            status=TicketStatus.NEW.value,
            active=True,
            priority=int(Priority.NORMAL),
            assignee_id=None,
            unread=True,
            external_thread_key=item.thread_key,
            last_message_at=item.sent_at,
            rating=item.rating,
        )
        self.next_number += 1
        ticket_sla.start_clock(self.session, cast(Ticket, ticket), item.sent_at)
        self.mutation("ticket.create", ticket.id, customer_id=customer.id)
        thread = _Thread(
            id=ticket.id,
            customer_id=customer.id,
            status=TicketStatus.NEW,
            active=True,
            thread_key=item.thread_key,
            last_message_at=item.sent_at,
            unread=True,
            snippet="",
            rating=item.rating,
            row=ticket,
        )
        self._remember(thread)
        return thread

    def reopen(self, ticket: _Thread, status: TicketStatus, at: datetime) -> None:
        """A customer wrote again: the ORM row changes status and its SLA clock resumes."""
        stored = self.session.get(Ticket, ticket.id)
        assert stored is not None
        stored.status = status
        stored.active = status.is_active
        ticket_sla.follow_status(self.session, stored, status, at)
        ticket.status, ticket.active = status, status.is_active
        self._remember(ticket)

    def mutation(self, mutation: str, entity_id: str, **payload: Any) -> None:
        """Same rows ``services.mutations.record`` writes, collected for one bulk insert."""
        self.mutations.append(
            {
                "id": self.new_id(),
                "created_at": self.now,
                "kind": mutation,
                "entity_id": entity_id,
                "payload": payload,
                "state": "pending",
            }
        )

    # -- writing ----------------------------------------------------------------------------
    def write(self) -> None:
        """Parents first (customers, identities, tickets), then messages and mutations. A
        reopened ticket's ORM changes are flushed first; the set-wise UPDATE touches other
        columns."""
        self.session.flush()
        connection = self.session.connection()
        people = list(self.customers.values())
        _insert_rows(
            connection,
            Customer.__table__,
            [
                p.row | {"platform": p.platform, "app_version": p.app_version}
                for p in people
                if p.row
            ],
        )
        _insert_rows(
            connection, CustomerIdentity.__table__, [p.identity for p in people if p.identity]
        )
        changed = [p for p in people if p.row is None and p.facts_changed]
        if changed:
            _run_many(
                connection,
                _SET_FACTS,
                [
                    {"b_id": p.id, "b_platform": p.platform, "b_version": p.app_version}
                    | {"b_now": self.now}
                    for p in changed
                ],
            )
        touched = [t for t in self.tickets.values() if t.touched]
        _insert_rows(connection, Ticket.__table__, [_ticket_row(t) for t in touched if t.row])
        stored = [t for t in touched if t.row is None]
        if stored:
            _run_many(
                connection,
                _TOUCH_TICKETS,
                [
                    {
                        "b_id": t.id,
                        "b_unread": t.unread,
                        "b_last": t.last_message_at,
                        "b_snippet": t.snippet,
                        "b_rating": t.rating,
                        "b_now": self.now,
                    }
                    for t in stored
                ],
            )
        _insert_rows(connection, Message.__table__, self.messages)
        _insert_rows(connection, Mutation.__table__, self.mutations)


def _surviving(session: Session, customer_id: str) -> tuple[str, str | None, str | None]:
    """Follow merges to the customer that absorbed this one: its id, platform, app version."""
    while True:
        row = session.execute(
            select(Customer.merged_into_id, Customer.platform, Customer.app_version).where(
                Customer.id == customer_id
            )
        ).one()
        if not row.merged_into_id:
            return customer_id, row.platform, row.app_version
        customer_id = row.merged_into_id


_TICKET_COLUMNS = tuple(c.key for c in Ticket.__table__.columns)


def _ticket_row(ticket: _Thread) -> dict[str, Any]:
    """The insert row of a ticket this batch made: its columns (every one set at construction
    or by the SLA clock; a missing one fails loudly here) with what later items changed."""
    row = {key: getattr(ticket.row, key) for key in _TICKET_COLUMNS}
    row["unread"] = bool(ticket.unread)
    row["last_message_at"] = ticket.last_message_at
    row["snippet"] = ticket.snippet or ""
    row["rating"] = ticket.rating
    return row


def _insert_rows(connection: Connection, table: Any, rows: Sequence[dict[str, Any]]) -> None:
    """One multi-row INSERT of ``rows`` (all with the same keys)."""
    if rows:
        assert isinstance(table, Table)
        _run_many(connection, _insert_of(table, tuple(rows[0])), rows)


@functools.cache
def _insert_of(table: Table, keys: tuple[str, ...]) -> UpdateBase:
    """The INSERT of exactly ``keys``, built once per table and column set."""
    return insert(table).values({key: bindparam(key) for key in keys})


@dataclass(frozen=True)
class _DriverForm:
    """A statement as the DB-API runs it: its SQL, and each parameter's name and bind
    processor (None where the value goes as it is)."""

    sql: str  # for an INSERT, up to " VALUES"; ``values`` holds one row's "(?, ...)"
    params: tuple[tuple[str, Callable[[Any], Any] | None], ...]
    values: str | None = None


@functools.lru_cache(maxsize=64)  # per dialect: an app has one, a test run many
def _driver_form(statement: UpdateBase, dialect: Dialect) -> _DriverForm:
    compiled = statement.compile(dialect=dialect)
    assert compiled.positiontup is not None  # SQLite's paramstyle is positional
    sql, values = compiled.string, None
    if isinstance(statement, Insert):
        sql, values = sql.rsplit(" VALUES ", 1)
    return _DriverForm(
        sql,
        tuple(
            (name, compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect))
            for name in compiled.positiontup
        ),
        values,
    )


def _run_many(
    connection: Connection, statement: UpdateBase, rows: Sequence[dict[str, Any]]
) -> None:
    """``statement`` once per row of ``rows`` (keyed by its parameter names). On SQLite the
    statement is compiled once and each type's bind processor runs once per value
    (SQLAlchemy's own executemany re-built the parameters of every row, which cost more than
    the writes themselves in a first sync); an INSERT goes as multi-row VALUES, anything else
    as the DB-API's executemany. Other databases take the ordinary Core path."""
    if not rows:
        return
    dialect = connection.dialect
    if dialect.name != "sqlite":
        connection.execute(statement, list(rows))
        return
    form = _driver_form(statement, dialect)
    names = [name for name, _ in form.params]
    processors = [(i, process) for i, (_, process) in enumerate(form.params) if process]
    params = []
    # The batch's own timestamp recurs in every row: its bound form is made once per column.
    last: dict[int, tuple[Any, Any]] = {}
    for row in rows:
        values = [row[name] for name in names]  # a missing one fails loudly here
        for index, processor in processors:
            value = values[index]
            seen = last.get(index)
            if seen is not None and seen[0] is value:
                values[index] = seen[1]
            else:
                values[index] = bound = processor(value)
                last[index] = (value, bound)
        params.append(tuple(values))
    if not form.values:
        connection.exec_driver_sql(form.sql, params)
        return
    # An INSERT goes as multi-row VALUES: one statement, one step of SQLite's C code (with the
    # GIL released throughout), instead of a step and a statement reset per row.
    per_statement = max(1, _variable_limit(connection) // len(names))
    for start in range(0, len(params), per_statement):
        group = params[start : start + per_statement]
        sql = f"{form.sql} VALUES {', '.join([form.values] * len(group))}"
        connection.exec_driver_sql(sql, tuple(itertools.chain.from_iterable(group)))


def _variable_limit(connection: Connection) -> int:
    """How many parameters one statement may have (SQLite builds differ: 999 up to 250,000)."""
    dbapi = connection.connection.dbapi_connection
    limit = getattr(dbapi, "getlimit", None)
    return min(limit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER), 32_766) if limit else 999


def ingest_items(
    ctx: ServiceContext, account_id: str, items: Sequence[IncomingItem]
) -> IngestResult:
    """Store new items in one transaction; already-known external ids are skipped."""
    touched: set[str] = set()
    customers: set[str] = set()
    with ctx.write() as session:
        account = session.get(ChannelAccount, account_id)
        if account is None:
            raise LookupError(f"no channel account {account_id}")
        fresh = _unknown(session, account, items)
        if fresh:
            batch = _Batch(session, account)
            with session.no_autoflush:
                batch.preload(fresh)
                for item in fresh:
                    ticket = _place(batch, item)
                    touched.add(ticket.id)
                    customers.add(ticket.customer_id)
            batch.write()
    changes = Changes(
        tickets=frozenset(touched), customers=frozenset(customers), queues=bool(touched)
    )
    ctx.bus.publish(changes)
    return IngestResult(changes=changes, stored=len(fresh), duplicates=len(items) - len(fresh))


def _unknown(
    session: Session, account: ChannelAccount, items: Iterable[IncomingItem]
) -> list[IncomingItem]:
    """Items not stored yet, first occurrence only (the same mail delivered twice is one)."""
    items = list(items)
    known = set(
        session.connection().scalars(
            _KNOWN,
            {
                "channel": account.channel,
                "account": account.id,
                "ids": list({i.external_id for i in items}),
            },
        )
    )
    fresh = []
    for item in items:
        if item.external_id not in known:
            known.add(item.external_id)
            fresh.append(item)
    return fresh


def _place(batch: _Batch, item: IncomingItem) -> _Thread:
    customer = batch.customer_for(item)
    _update_customer_facts(customer, item)
    ticket = batch.thread_ticket(customer, item)
    if ticket is None:
        ticket = batch.new_ticket(customer, item)
    else:
        if item.rating is not None:  # an edited store review carries its new rating
            ticket.rating = item.rating
        before = ticket.status
        after = status_after_customer_message(before, automated=item.automated)
        if after != before:
            batch.reopen(ticket, after, item.sent_at)
    ticket.touched = True
    message_id = batch.new_id()
    batch.messages.append(
        {
            "id": message_id,
            "created_at": batch.now,
            "updated_at": batch.now,
            "ticket_id": ticket.id,
            "kind": MessageKind.MESSAGE.value,
            "author_kind": AuthorKind.CUSTOMER.value,
            "author_agent_id": None,
            "channel": batch.channel,
            "account_id": batch.account_id,
            "external_id": item.external_id,
            "sent_at": item.sent_at,
            "subject": item.subject,
            "body_text": item.body_text,
            "body_html": item.body_html,
            "delivery_state": None,
            "delivery_error": None,
            "automated": item.automated,
            "meta": dict(item.meta) | ({"rating": item.rating} if item.rating is not None else {}),
        }
    )
    batch.ticket_of_external[item.external_id] = ticket.id
    if not item.automated:
        ticket.unread = True
        if item.sent_at >= ticket.last_message_at:
            ticket.last_message_at = item.sent_at
            ticket.snippet = snippet_of(item.body_text)
    batch.mutation("message.add", message_id, ticket_id=ticket.id, kind="incoming")
    return ticket


def _update_customer_facts(customer: _Person, item: IncomingItem) -> None:
    """Platform and app version from store metadata or parsed text: newest wins."""
    parsed = item.facts  # None: the connector did not read them
    if parsed is None:
        parsed = stated_facts(item.body_text, automated=item.automated)
    for attr in ("platform", "app_version"):
        value = item.meta.get(attr) or getattr(parsed, attr)
        if value and getattr(customer, attr) != str(value):  # an unchanged set costs events
            setattr(customer, attr, str(value))
            customer.facts_changed = True
