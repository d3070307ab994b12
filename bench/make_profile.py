"""Generate a big Desk profile for the benchmarks.

    .venv/bin/python bench/make_profile.py /tmp/desk-big            # 200k tickets, 1M messages
    .venv/bin/python bench/make_profile.py /tmp/desk-small --tickets 2000 --messages 10000

The schema comes from the real migrations (``open_database``); rows are then written with
``executemany`` on the raw sqlite3 connection, one transaction per chunk, with the FTS triggers
and secondary indexes lifted during the load and rebuilt once at the end (the exact SQL read
back from ``sqlite_master``, so nothing here restates the schema's DDL).

Every row is valid per the models: UUID ids, UTC timestamps in SQLAlchemy's SQLite format,
``active`` following ``status``, SLA columns made by the domain's ``SlaClock`` on the profile's
business calendar and written through ``ticket_sla.store_clock`` (so ``due_rank`` always equals
``sla_due_at``), every agent reply with its ``sent`` outbox entry, every ticket's customer
reachable on the ticket's channel. Active tickets are recent (the last two weeks), so queues
hold a realistic mix of overdue, running and paused clocks.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import shutil
import sqlite3
import sys
import time
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.texts import DEVICES, NAMES_EN, NAMES_RU, SURNAMES_EN, SURNAMES_RU, TextMaker, words
from desk_app.channels.keys import send_key_for
from desk_app.domain.enums import Channel, Priority, TicketStatus
from desk_app.domain.sla import DEFAULT_TARGETS, BusinessCalendar, SlaClock
from desk_app.services.demo_script import load_script
from desk_app.services.sla_policy import save_sla
from desk_app.services.ticket_sla import store_clock
from desk_app.services.tickets import snippet_of
from desk_app.store.db import open_database
from desk_app.store.match_keys import rekey_pending
from desk_app.store.models import Agent, ChannelAccount, Setting, Tag

DATABASE_FILE = "desk.sqlite3"
MAIL_DOMAIN = "lavka.example"
CHANNEL_WEIGHTS = {
    Channel.EMAIL: 30,
    Channel.GOOGLE_PLAY: 15,
    Channel.APP_STORE: 10,
    Channel.TELEGRAM: 15,
    Channel.FACEBOOK: 6,
    Channel.YOUTUBE: 5,
    Channel.X: 6,
    Channel.VK: 13,
}
CHAT_CHANNELS = {Channel.TELEGRAM, Channel.VK, Channel.FACEBOOK}
STORE_CHANNELS = {Channel.GOOGLE_PLAY, Channel.APP_STORE}
PRIORITY_WEIGHTS = {Priority.URGENT: 3, Priority.HIGH: 15, Priority.NORMAL: 70, Priority.LOW: 12}
ACTIVE_SHARE = 0.12  # of all tickets: the working queues
ACTIVE_MIX = {TicketStatus.NEW: 35, TicketStatus.OPEN: 45, TicketStatus.PENDING: 20}
DONE_MIX = {TicketStatus.RESOLVED: 30, TicketStatus.CLOSED: 70}
TAGS = words(
    "billing|bug|login|filters|payment|delivery|refund|account|listing|moderation|fraud|"
    "notifications|feature-request|praise|spam|ads|feedback|pro-seller|safe-deal|promo"
)
HISTORY_DAYS = 730
ACTIVE_DAYS = 14


_DAYS: dict[int, str] = {}


def columns(names: str) -> tuple[str, ...]:
    """A table's column list, in the order its rows' tuples are built."""
    return tuple(names.split())


def row(columns: Sequence[str], **values: Any) -> tuple[Any, ...]:
    """One row tuple in ``columns`` order; columns not given are NULL."""
    unknown = values.keys() - set(columns)
    if unknown:
        raise KeyError(f"no such columns: {sorted(unknown)}")
    return tuple(values.get(c) for c in columns)


def stamp(moment: float | datetime) -> str:
    """A UTC moment as SQLAlchemy stores DateTime in SQLite (what UtcDateTime reads back).

    Whole seconds, formatted by hand with a per-day cache: a million of these must be cheap."""
    if isinstance(moment, datetime):
        moment = moment.timestamp()
    seconds = int(moment)
    day, in_day = divmod(seconds, 86400)
    date = _DAYS.get(day)
    if date is None:
        date = _DAYS[day] = f"{datetime.fromtimestamp(day * 86400, UTC):%Y-%m-%d}"
    hours, rest = divmod(in_day, 3600)
    return f"{date} {hours:02d}:{rest // 60:02d}:{rest % 60:02d}.000000"


def maybe_stamp(moment: datetime | None) -> str | None:
    return None if moment is None else stamp(moment)


def new_uuid(rng: random.Random) -> str:
    """A random (version 4) UUID from the seeded generator, so a profile is reproducible."""
    h = f"{rng.getrandbits(128):032x}"
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) & 3]}{h[17:20]}-{h[20:]}"


@dataclass
class Sizes:
    tickets: int
    messages: int
    customers: int
    agents: int = 30
    chunk: int = 10_000


@dataclass
class Reference:
    """What the ticket generator draws from: rows already written in the first transaction."""

    agent_ids: list[str]
    current_agent: str
    account_ids: dict[Channel, str]
    tag_ids: list[str]
    # channel -> (customer id, external id, english, first name) of customers reachable there
    reachable: dict[Channel, list[tuple[str, str, bool, str]]] = field(default_factory=dict)


# -- the first transaction: team, accounts, tags, SLA policy (through the models) -------------


def write_team(
    sessions: Any, rng: random.Random, sizes: Sizes, calendar: BusinessCalendar
) -> Reference:
    with sessions.begin() as session:
        save_sla(session, calendar, DEFAULT_TARGETS)
        agents = [
            Agent(
                id=new_uuid(rng),
                name=f"{rng.choice(NAMES_RU)} {rng.choice(SURNAMES_RU)}а"
                if n % 3
                else f"{rng.choice(NAMES_EN)} {rng.choice(SURNAMES_EN)}",
                email=f"agent{n}@{MAIL_DOMAIN}",
                role="lead" if n % 10 == 1 else "agent",
            )
            for n in range(sizes.agents)
        ]
        accounts = {
            c: ChannelAccount(id=new_uuid(rng), channel=c, name=f"{c} (bench)", simulated=True)
            for c in Channel
        }
        accounts[Channel.EMAIL].config = {"mail_domain": MAIL_DOMAIN}
        tags = [Tag(id=new_uuid(rng), name=name) for name in TAGS]
        session.add_all([*agents, *accounts.values(), *tags])
        session.merge(Setting(key="current_agent", value={"id": agents[0].id}))
    return Reference(
        agent_ids=[a.id for a in agents],
        current_agent=agents[0].id,
        account_ids={c: a.id for c, a in accounts.items()},
        tag_ids=[t.id for t in tags],
    )


# -- customers ---------------------------------------------------------------------------------

CUSTOMER_COLUMNS = columns(
    "id display_name city plan customer_since platform app_version language "
    "favourite_agent_id merged_into_id attributes created_at updated_at"
)
IDENTITY_COLUMNS = columns("id customer_id channel external_id display created_at updated_at")


def _external_id(channel: Channel, n: int) -> str:
    match channel:
        case Channel.EMAIL:
            return f"customer{n}@mail.example"
        case Channel.TELEGRAM:
            return str(10_000_000 + n)
        case Channel.VK:
            return f"id{20_000_000 + n}"
        case Channel.FACEBOOK:
            return str(7_000_000_000 + n)
        case Channel.X:
            return str(1_400_000_000 + n)
        case Channel.YOUTUBE:
            return f"UCbench{n:08d}"
        case _:
            return f"{channel}-user-{n}"


def customer_rows(
    rng: random.Random, sizes: Sizes, ref: Reference, now: float
) -> Iterator[tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]]:
    """Chunks of (customer rows, identity rows). Surnames repeat on purpose: duplicates exist."""
    channels = list(CHANNEL_WEIGHTS)
    weights = list(CHANNEL_WEIGHTS.values())
    customers: list[tuple[Any, ...]] = []
    identities: list[tuple[Any, ...]] = []
    for n in range(sizes.customers):
        english = rng.random() < 0.3
        first = rng.choice(NAMES_EN if english else NAMES_RU)
        last = rng.choice(SURNAMES_EN if english else SURNAMES_RU)
        since = now - rng.uniform(30, 3000) * 86400
        customer_id = new_uuid(rng)
        created = stamp(since)
        name = f"{first} {last}"
        customers.append(
            row(CUSTOMER_COLUMNS, id=customer_id, display_name=name,
                city=rng.choice(("Москва", "Казань", "Тверь", "Almaty", "Minsk", None)),
                plan=rng.choice(("Бесплатный", "Про", "Free", None)), customer_since=created,
                platform="Android" if rng.random() < 0.6 else "iOS",
                app_version=f"{rng.randint(130, 141)}.{rng.randint(0, 3)}",
                language="en" if english else "ru", attributes="{}", created_at=created,
                updated_at=created)
        )  # fmt: skip
        reach = [rng.choices(channels, weights)[0]]
        if rng.random() < 0.15:  # reachable on a second channel too
            reach.append(rng.choices(channels, weights)[0])
        for channel in dict.fromkeys(reach):
            external = _external_id(channel, n)
            identities.append(
                row(IDENTITY_COLUMNS, id=new_uuid(rng), customer_id=customer_id,
                    channel=channel.value, external_id=external, display=name,
                    created_at=created, updated_at=created)
            )  # fmt: skip
            ref.reachable.setdefault(channel, []).append((customer_id, external, english, first))
        if len(customers) >= sizes.chunk:
            yield customers, identities
            customers, identities = [], []
    if customers:
        yield customers, identities


# -- tickets and their conversations -----------------------------------------------------------

TICKET_COLUMNS = columns(
    "id number customer_id channel account_id subject snippet status active priority "
    "assignee_id unread external_thread_key last_message_at rating sla_due_at due_rank "
    "sla_first_response_due sla_first_responded_at sla_resolution_due sla_resolution_consumed "
    "sla_running_since sla_resolution_target sla_stopped created_at updated_at"
)
MESSAGE_COLUMNS = columns(
    "id created_at updated_at ticket_id kind author_kind author_agent_id channel account_id "
    "external_id sent_at subject body_text body_html delivery_state delivery_error automated "
    "meta"
)
OUTBOX_COLUMNS = columns(
    "id message_id ticket_id channel account_id send_key state attempts next_attempt_at "
    "last_error external_id sent_at created_at updated_at"
)
TAG_COLUMNS = ("ticket_id", "tag_id")


@dataclass
class Plan:
    """One ticket decided before its rows are made."""

    number: int
    created: float
    status: TicketStatus
    messages: int


def plan_tickets(rng: random.Random, sizes: Sizes, now: float) -> list[Plan]:
    """Creation times, statuses and message counts; message counts add up to sizes.messages.

    Active tickets (the working queues) arrived in the last two weeks; finished ones over two
    years, recent ones included."""
    active = int(sizes.tickets * ACTIVE_SHARE)
    moments = [(int(now - rng.uniform(0, ACTIVE_DAYS * 86400)), True) for _ in range(active)]
    moments += [
        (int(now - rng.uniform(1, HISTORY_DAYS) * 86400), False)
        for _ in range(sizes.tickets - active)
    ]
    moments.sort()
    plans = []
    for n, (moment, is_active) in enumerate(moments):
        mix = ACTIVE_MIX if is_active else DONE_MIX
        status = rng.choices(list(mix), list(mix.values()))[0]
        plans.append(Plan(1001 + n, moment, status, 0))
    _share_messages(rng, plans, sizes.messages)
    return plans


def _share_messages(rng: random.Random, plans: list[Plan], total: int) -> None:
    """Each ticket gets 1..16 messages (new ones 1..2), adding up to ``total``."""
    mean = max(1.0, total / max(1, len(plans)))
    for plan in plans:
        if plan.status is TicketStatus.NEW:
            plan.messages = rng.choice((1, 1, 1, 2))
        else:
            plan.messages = max(2, min(16, round(rng.expovariate(1 / (mean - 1.5)) + 1.5)))
    grow = [p for p in plans if p.status is not TicketStatus.NEW]
    diff = total - sum(p.messages for p in plans)
    while diff and grow:
        plan = rng.choice(grow)
        if diff > 0 and plan.messages < 16:
            plan.messages += 1
            diff -= 1
        elif diff < 0 and plan.messages > 2:
            plan.messages -= 1
            diff += 1


@dataclass
class Rows:
    tickets: list[tuple[Any, ...]] = field(default_factory=list)
    messages: list[tuple[Any, ...]] = field(default_factory=list)
    outbox: list[tuple[Any, ...]] = field(default_factory=list)
    tags: list[tuple[Any, ...]] = field(default_factory=list)


class TicketMaker:
    def __init__(
        self, rng: random.Random, ref: Reference, calendar: BusinessCalendar, now: float
    ) -> None:
        self.rng = rng
        self.ref = ref
        self.calendar = calendar
        self.now = now
        self.text = TextMaker(rng)
        self.channels = list(CHANNEL_WEIGHTS)
        self.channel_weights = list(CHANNEL_WEIGHTS.values())
        self.priorities = list(PRIORITY_WEIGHTS)
        self.priority_weights = list(PRIORITY_WEIGHTS.values())

    def _customer(self, channel: Channel) -> tuple[str, str, bool, str]:
        pool = self.ref.reachable[channel]
        # Skewed: a few customers write again and again, most write once or twice.
        return pool[int(len(pool) * self.rng.random() ** 2)]

    def make(self, plan: Plan, rows: Rows) -> None:
        rng = self.rng
        channel = rng.choices(self.channels, self.channel_weights)[0]
        customer_id, author, english, _ = self._customer(channel)
        priority = rng.choices(self.priorities, self.priority_weights)[0]
        status = plan.status
        assignee = (
            None if status.is_active and rng.random() < 0.25 else rng.choice(self.ref.agent_ids)
        )
        ticket_id = new_uuid(rng)
        account = self.ref.account_ids[channel]
        subject = self.text.subject(english) if channel is Channel.EMAIL else ""
        times = self._times(plan)
        kinds = self._kinds(plan)
        meta = self._review_meta(channel) if channel in STORE_CHANNELS else {}
        last_public = plan.created
        first_reply: float | None = None
        last_agent: float | None = None
        snippet = ""
        for i, (kind, at) in enumerate(zip(kinds, times, strict=True)):
            message_id = new_uuid(rng)
            sent = stamp(at)
            common = dict(
                id=message_id,
                created_at=sent,
                updated_at=sent,
                ticket_id=ticket_id,
                channel=channel.value,
                sent_at=sent,
                automated=0,
                meta="{}",
            )
            if kind == "note":  # private: no account, no external id, never sent
                agent = assignee or self.ref.current_agent
                body = self.text.note()
                rows.messages.append(
                    row(MESSAGE_COLUMNS, **common, kind="note", author_kind="agent",
                        author_agent_id=agent, body_text=body)
                )  # fmt: skip
                continue
            if kind == "customer":
                if i == 0:
                    body = self.text.customer_first(english)
                else:
                    body = self.text.customer_followup(english)
                external = (
                    f"<{message_id}@mail.example>"
                    if channel is Channel.EMAIL
                    else f"{channel}:{plan.number}:{i}"
                )
                rows.messages.append(
                    row(MESSAGE_COLUMNS, **common | {"meta": _json(meta)}, kind="message",
                        author_kind="customer", account_id=account, external_id=external,
                        subject=_msg_subject(subject, i), body_text=body)
                )  # fmt: skip
            else:  # an agent reply, delivered through the outbox
                body = self.text.agent_reply(english)
                key = send_key_for(channel, message_id, MAIL_DOMAIN)
                rows.messages.append(
                    row(MESSAGE_COLUMNS, **common, kind="message", author_kind="agent",
                        author_agent_id=assignee or self.ref.current_agent, account_id=account,
                        external_id=key if channel is Channel.EMAIL else f"sim-{key}",
                        subject=_msg_subject(subject, i), body_text=body, delivery_state="sent")
                )  # fmt: skip
                rows.outbox.append(
                    row(OUTBOX_COLUMNS, id=new_uuid(rng), message_id=message_id,
                        ticket_id=ticket_id, channel=channel.value, account_id=account,
                        send_key=key, state="sent", attempts=1, next_attempt_at=sent,
                        external_id=f"sim-{key}", sent_at=sent, created_at=sent, updated_at=sent)
                )  # fmt: skip
                first_reply = first_reply or at
                last_agent = at
            last_public = at
            snippet = snippet_of(body)
        sla = SimpleNamespace()
        clock = self._clock(plan, priority, first_reply, last_agent, times[-1])
        store_clock(sla, clock)  # type: ignore[arg-type]  # duck-typed: only attributes
        waiting_on_us = kinds[-1] == "customer" or "agent" not in kinds
        rows.tickets.append(
            row(TICKET_COLUMNS, id=ticket_id, number=plan.number, customer_id=customer_id,
                channel=channel.value, account_id=account, subject=subject, snippet=snippet,
                status=status.value, active=int(status.is_active), priority=int(priority),
                assignee_id=assignee, unread=int(status.is_active and waiting_on_us),
                external_thread_key=self._thread_key(channel, author, plan.number),
                last_message_at=stamp(last_public), rating=meta.get("rating"),
                sla_due_at=maybe_stamp(sla.sla_due_at), due_rank=sla.due_rank,
                sla_first_response_due=maybe_stamp(sla.sla_first_response_due),
                sla_first_responded_at=maybe_stamp(sla.sla_first_responded_at),
                sla_resolution_due=maybe_stamp(sla.sla_resolution_due),
                sla_resolution_consumed=sla.sla_resolution_consumed,
                sla_running_since=maybe_stamp(sla.sla_running_since),
                sla_resolution_target=sla.sla_resolution_target,
                sla_stopped=int(sla.sla_stopped), created_at=stamp(plan.created),
                updated_at=stamp(times[-1]))
        )  # fmt: skip
        for tag in rng.sample(self.ref.tag_ids, rng.choice((0, 1, 1, 1, 2, 2, 3))):
            rows.tags.append((ticket_id, tag))

    def _thread_key(self, channel: Channel, author: str, number: int) -> str:
        if channel is Channel.EMAIL:
            return f"<bench.{number}@mail.example>"
        if channel in CHAT_CHANNELS:
            return f"{channel}:{author}"
        return f"{channel}:{number}"

    def _review_meta(self, channel: Channel) -> dict[str, Any]:
        rng = self.rng
        return {
            "rating": rng.choices((1, 2, 3, 4, 5), (25, 10, 10, 15, 40))[0],
            "app_version": f"{rng.randint(130, 141)}.{rng.randint(0, 3)}",
            "device": rng.choice(DEVICES),
            "platform": "Android" if channel is Channel.GOOGLE_PLAY else "iOS",
        }

    def _times(self, plan: Plan) -> list[float]:
        """Message times after creation; an active ticket's conversation stays in the past."""
        limit = self.now - 60
        moments = [plan.created]
        for _ in range(plan.messages - 1):
            moments.append(min(limit, moments[-1] + int(self.rng.expovariate(1 / 5400)) + 60))
        return moments

    def _kinds(self, plan: Plan) -> list[str]:
        """Customer first; then agent and customer take turns, with the odd private note.
        New tickets have no reply; pending ones end with the agent's question."""
        if plan.status is TicketStatus.NEW:
            return ["customer"] * plan.messages
        kinds = ["customer"]
        speaker = "agent"
        for _ in range(plan.messages - 1):
            if self.rng.random() < 0.05:
                kinds.append("note")
                continue
            kinds.append(speaker)
            speaker = "customer" if speaker == "agent" else "agent"
        if "agent" not in kinds:
            kinds[1] = "agent"
        if plan.status is TicketStatus.PENDING and kinds[-1] != "agent":
            kinds[-1] = "agent"
        return kinds

    def _clock(
        self,
        plan: Plan,
        priority: Priority,
        first_reply: float | None,
        last_agent: float | None,
        end: float,
    ) -> SlaClock:
        calendar = self.calendar
        start = datetime.fromtimestamp(plan.created, UTC)
        clock = SlaClock.start(start, DEFAULT_TARGETS[priority], calendar)
        if first_reply is not None:
            clock = clock.record_first_response(datetime.fromtimestamp(first_reply, UTC))
        if plan.status is TicketStatus.PENDING:
            assert last_agent is not None
            clock = clock.pause(datetime.fromtimestamp(last_agent, UTC), calendar)
        elif not plan.status.is_active:
            clock = clock.stop(datetime.fromtimestamp(end, UTC), calendar)
        return clock


def _json(meta: dict[str, Any]) -> str:
    return json.dumps(meta, ensure_ascii=False) if meta else "{}"


def _msg_subject(subject: str, index: int) -> str | None:
    if not subject:
        return None
    return subject if index == 0 else f"Re: {subject}"


# -- writing -----------------------------------------------------------------------------------


def insert(
    db: sqlite3.Connection, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]
) -> None:
    if rows:
        marks = ", ".join("?" * len(columns))
        db.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)


def check_columns(db: sqlite3.Connection, table: str, columns: Sequence[str]) -> None:
    """Fail loudly if a later migration added a required column this generator does not fill."""
    info = db.execute(f"PRAGMA table_info({table})").fetchall()
    missing = [
        name
        for _, name, _, notnull, default, pk in info
        if notnull and default is None and not pk and name not in columns
    ]
    if missing:
        raise SystemExit(f"make_profile: {table} has new required columns {missing}")


_LIFTED_TABLES = ("messages", "tickets", "customer_identities", "ticket_tags", "outbox")


def lift_indexes(db: sqlite3.Connection) -> list[str]:
    """Drop the FTS triggers and secondary indexes of the bulk tables; return SQL to restore."""
    saved = db.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND ("
        " (type = 'trigger' AND tbl_name = 'messages') OR"
        f" (type = 'index' AND tbl_name IN ({', '.join('?' * len(_LIFTED_TABLES))})))",
        _LIFTED_TABLES,
    ).fetchall()
    for kind, name, _ in saved:
        db.execute(f'DROP {kind.upper()} "{name}"')
    # Indexes first, triggers last (after the FTS rebuild).
    return [sql for kind, _, sql in saved if kind == "index"] + [
        sql for kind, _, sql in saved if kind == "trigger"
    ]


_MAKER: TicketMaker | None = None  # the forked workers' copy (see _ticket_chunks)
# Making rows is the bottleneck (writing a chunk takes a tenth of making it): one worker per core.
WORKERS = max(1, min(4, os.cpu_count() or 1))


def _make_chunk(seed: int, index: int, plans: list[Plan]) -> Rows:
    """One chunk's rows, from its own seeded generator: the same profile whichever process
    makes it."""
    maker = _MAKER
    assert maker is not None
    maker.rng.seed(f"{seed}:{index}")  # reseeded in place: TextMaker shares this generator
    rows = Rows()
    for plan in plans:
        maker.make(plan, rows)
    rows.messages.sort(key=lambda r: r[MESSAGE_COLUMNS.index("sent_at")])  # seq follows time
    return rows


def _ticket_chunks(maker: TicketMaker, seed: int, chunks: list[list[Plan]]) -> Iterator[Rows]:
    """Rows chunk by chunk, in order, made ahead by forked workers while the caller writes."""
    global _MAKER
    _MAKER = maker  # inherited by the fork: customers, agents, calendar without pickling
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=WORKERS, mp_context=context) as pool:
        ahead: deque[Future[Rows]] = deque()
        for index, plans in enumerate(chunks):
            ahead.append(pool.submit(_make_chunk, seed, index, plans))
            if len(ahead) > 2 * WORKERS:
                yield ahead.popleft().result()
        while ahead:
            yield ahead.popleft().result()


def generate(
    out: Path, sizes: Sizes, seed: int, now: datetime, log: Any = print
) -> dict[str, float]:
    started = time.perf_counter()
    timings: dict[str, float] = {}
    rng = random.Random(seed)
    path = out / DATABASE_FILE
    engine, sessions = open_database(path)
    calendar = load_script(now).calendar  # the demo team's Moscow business calendar
    ref = write_team(sessions, rng, sizes, calendar)
    engine.dispose()

    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=OFF")
    db.execute("PRAGMA synchronous=OFF")
    db.execute("PRAGMA cache_size=-524288")
    db.execute("PRAGMA temp_store=MEMORY")
    for table, columns in (
        ("customers", CUSTOMER_COLUMNS),
        ("customer_identities", IDENTITY_COLUMNS),
        ("tickets", TICKET_COLUMNS),
        ("messages", MESSAGE_COLUMNS),
        ("outbox", OUTBOX_COLUMNS),
    ):
        check_columns(db, table, columns)
    restore = lift_indexes(db)
    epoch = float(int(now.timestamp()))  # whole seconds: stamps and due_rank agree exactly

    for customers, identities in customer_rows(rng, sizes, ref, epoch):
        db.execute("BEGIN")
        insert(db, "customers", CUSTOMER_COLUMNS, customers)
        insert(db, "customer_identities", IDENTITY_COLUMNS, identities)
        db.execute("COMMIT")
    db.execute("BEGIN")  # duplicate keys, as the product's commit hook writes them (rev. 0005)
    rekey_pending(db)
    db.execute("COMMIT")
    timings["customers"] = time.perf_counter() - started
    log(f"customers: {sizes.customers} in {timings['customers']:.1f} s")

    plans = plan_tickets(rng, sizes, epoch)
    chunks = [plans[i : i + sizes.chunk] for i in range(0, len(plans), sizes.chunk)]
    made = 0
    for rows in _ticket_chunks(TicketMaker(rng, ref, calendar, epoch), seed, chunks):
        db.execute("BEGIN")
        insert(db, "tickets", TICKET_COLUMNS, rows.tickets)
        insert(db, "messages", MESSAGE_COLUMNS, rows.messages)
        insert(db, "outbox", OUTBOX_COLUMNS, rows.outbox)
        insert(db, "ticket_tags", TAG_COLUMNS, rows.tags)
        db.execute("COMMIT")
        made += len(rows.tickets)
        log(f"tickets: {made}/{len(plans)}  ({time.perf_counter() - started:.0f} s)")
    timings["rows"] = time.perf_counter() - started

    db.execute("BEGIN")
    for sql in restore:
        if sql.upper().startswith("CREATE TRIGGER"):
            continue
        db.execute(sql)
    db.execute("COMMIT")
    timings["indexes"] = time.perf_counter() - started
    log(f"indexes rebuilt ({timings['indexes']:.0f} s)")
    db.execute("INSERT INTO messages_fts(messages_fts) VALUES ('rebuild')")
    db.execute("BEGIN")
    for sql in restore:
        if sql.upper().startswith("CREATE TRIGGER"):
            db.execute(sql)
    db.execute("COMMIT")
    timings["fts"] = time.perf_counter() - started
    log(f"full-text index rebuilt ({timings['fts']:.0f} s)")
    db.execute("PRAGMA journal_mode=WAL")
    db.close()
    timings["total"] = time.perf_counter() - started
    return timings


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("out", type=Path, help="profile directory to create (DESK_APP_HOME style)")
    parser.add_argument("--tickets", type=int, default=200_000)
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--agents", type=int, default=30)
    parser.add_argument("--chunk", type=int, default=10_000, help="tickets per transaction")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--force", action="store_true", help="replace an existing profile")
    args = parser.parse_args(argv)
    if (args.out / DATABASE_FILE).exists():
        if not args.force:
            parser.error(f"{args.out} already holds a profile (use --force to replace it)")
        shutil.rmtree(args.out)
    args.out.mkdir(parents=True, exist_ok=True)
    sizes = Sizes(args.tickets, args.messages, args.customers, args.agents, args.chunk)
    timings = generate(args.out, sizes, args.seed, datetime.now(UTC))
    print(
        f"profile {args.out}: {sizes.tickets} tickets, {sizes.messages} messages,"
        f" {sizes.customers} customers in {timings['total']:.1f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
