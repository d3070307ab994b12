"""The demo profile: realistic, complete (all channels, both languages), made by the real rules."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, Select, func, select

from desk_app.channels.simulated import REMOTE_FILE
from desk_app.domain.enums import AuthorKind, Channel, DeliveryState, MessageKind, TicketStatus
from desk_app.services.changes import Changes
from desk_app.services.context import ServiceContext
from desk_app.services.demo import seed_demo
from desk_app.services.demo_script import DEMO_FILE, load_script, parse_duration
from desk_app.services.queries import CURRENT_AGENT_SETTING, current_agent_id
from desk_app.services.sla_policy import load_sla
from desk_app.store.db import open_database
from desk_app.store.models import (
    Agent,
    ChannelAccount,
    Customer,
    CustomerIdentity,
    CustomerNote,
    Draft,
    Message,
    OutboxEntry,
    Setting,
    Ticket,
)

# A Wednesday, 15:00 in Moscow: inside business hours.
SEEDED_AT = datetime(2026, 11, 18, 12, 0, tzinfo=UTC)
CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)


@dataclass
class Seeded:
    ctx: ServiceContext
    profile: Path
    heard: list[Changes]  # what seeding published on the profile's bus


def _seed(profile: Path, moment: datetime) -> tuple[Seeded, Engine]:
    engine, sessions = open_database(profile / "desk.sqlite3")
    ctx = ServiceContext(sessions, now=lambda: moment)
    heard: list[Changes] = []
    unsubscribe = ctx.bus.subscribe(heard.append)
    seed_demo(ctx)
    unsubscribe()
    return Seeded(ctx, profile, heard), engine


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seeded]:
    result, engine = _seed(tmp_path_factory.mktemp("demo"), SEEDED_AT)
    yield result
    engine.dispose()


def _count(seeded: Seeded, statement: Select[int]) -> int:
    with seeded.ctx.read() as session:
        return int(session.scalar(statement) or 0)


def test_every_channel_has_a_simulated_account_and_tickets(seeded: Seeded) -> None:
    with seeded.ctx.read() as session:
        accounts = session.execute(select(ChannelAccount.channel, ChannelAccount.simulated)).all()
        per_channel = dict(
            session.execute(select(Ticket.channel, func.count()).group_by(Ticket.channel)).all()
        )
    assert sorted(c for c, _ in accounts) == sorted(c.value for c in Channel)
    assert all(simulated for _, simulated in accounts)
    assert set(per_channel) == {c.value for c in Channel}
    assert min(per_channel.values()) >= 5
    assert 70 <= sum(per_channel.values()) <= 100


def test_both_languages_are_present_on_most_channels(seeded: Seeded) -> None:
    with seeded.ctx.read() as session:
        rows = session.execute(
            select(Message.channel, Message.body_text).where(
                Message.author_kind == AuthorKind.CUSTOMER
            )
        ).all()
    russian = {c for c, text in rows if CYRILLIC.search(text)}
    english = {c for c, text in rows if not CYRILLIC.search(text) and re.search("[a-z]", text)}
    assert russian == {c.value for c in Channel}
    assert len(english) >= 6


def test_conversations_have_several_messages_notes_and_every_status(seeded: Seeded) -> None:
    with seeded.ctx.read() as session:
        statuses = set(session.scalars(select(Ticket.status).distinct()))
        longest = session.scalar(
            select(func.count())
            .select_from(Message)
            .where(Message.kind != MessageKind.EVENT)
            .group_by(Message.ticket_id)
            .order_by(func.count().desc())
            .limit(1)
        )
        notes = session.scalar(select(func.count()).where(Message.kind == MessageKind.NOTE))
        drafts = session.scalar(select(func.count()).select_from(Draft))
    assert statuses == {s.value for s in TicketStatus}
    assert longest is not None and longest >= 6
    assert notes is not None and notes >= 2
    assert drafts == 1


def test_team_and_current_operator(seeded: Seeded) -> None:
    with seeded.ctx.read() as session:
        agents = {a.id: a for a in session.scalars(select(Agent))}
        current = session.get(Setting, CURRENT_AGENT_SETTING)
        operator = current_agent_id(session)  # what the app reads at start-up
    assert 5 <= len(agents) <= 8
    assert {a.role for a in agents.values()} >= {"agent", "lead", "trainee"}
    assert current is not None and current.value == {"id": operator}
    assert operator in agents


def test_customers_reachable_on_two_channels_and_likely_duplicates(seeded: Seeded) -> None:
    with seeded.ctx.read() as session:
        two_channels = session.scalar(
            select(func.count()).select_from(
                select(CustomerIdentity.customer_id)
                .group_by(CustomerIdentity.customer_id)
                .having(func.count(CustomerIdentity.channel.distinct()) >= 2)
                .subquery()
            )
        )
        ivans = session.execute(
            select(Customer.display_name, CustomerIdentity.channel)
            .join(CustomerIdentity, CustomerIdentity.customer_id == Customer.id)
            .where(Customer.display_name.in_(["Иван Иванов", "Ivan Ivanov"]))
        ).all()
        customers = session.scalar(select(func.count()).select_from(Customer))
        card_notes = session.scalar(select(func.count()).select_from(CustomerNote))
    assert two_channels is not None and two_channels >= 3
    assert ("Иван Иванов", "vk") in ivans and ("Ivan Ivanov", "email") in ivans
    assert customers is not None and 40 <= customers <= 90
    assert card_notes is not None and card_notes >= 3


def test_the_duplicate_scan_finds_the_planted_namesakes(seeded: Seeded) -> None:
    from desk_app.services.customers_merge import CustomerMerger

    pairs = {frozenset((c.a_name, c.b_name)) for c in CustomerMerger(seeded.ctx).scan()}
    assert frozenset(("Иван Иванов", "Ivan Ivanov")) in pairs  # VK and email, both Kazan
    assert frozenset(("Мария Соколова",)) in pairs  # Telegram+email and VK


def test_store_reviews_carry_stars_app_version_and_device(seeded: Seeded) -> None:
    with seeded.ctx.read() as session:
        reviews = session.execute(
            select(Ticket.rating, Message.meta)
            .join(Message, Message.ticket_id == Ticket.id)
            .where(
                Ticket.channel.in_([Channel.GOOGLE_PLAY, Channel.APP_STORE]),
                Message.author_kind == AuthorKind.CUSTOMER,
            )
        ).all()
    assert reviews
    for rating, meta in reviews:
        assert rating in range(1, 6)
        assert meta["rating"] in range(1, 6)
        assert meta["app_version"] and meta["device"]


def test_the_briefs_example_dialogue_is_there(seeded: Seeded) -> None:
    with seeded.ctx.read() as session:
        texts = list(session.scalars(select(Message.body_text)))
    assert any("Android, 134" in t and "фильтр" in t for t in texts)
    assert any("version 134" in t and "filters" in t for t in texts)  # the good first message


def test_every_reply_went_through_the_outbox_and_reached_the_provider_once(
    seeded: Seeded,
) -> None:
    from desk_app.channels.simulated import SimulatedRemote

    with seeded.ctx.read() as session:
        replies = session.execute(
            select(Message.delivery_state, OutboxEntry.state, OutboxEntry.send_key, Message.sent_at)
            .join(OutboxEntry, OutboxEntry.message_id == Message.id, isouter=True)
            .where(Message.author_kind == AuthorKind.AGENT, Message.kind == MessageKind.MESSAGE)
        ).all()
        failed = session.execute(
            select(Message.channel, Message.delivery_error).where(
                Message.delivery_state == DeliveryState.FAILED
            )
        ).all()
        notes_in_outbox = session.scalar(
            select(func.count())
            .select_from(OutboxEntry)
            .join(Message, Message.id == OutboxEntry.message_id)
            .where(Message.kind != MessageKind.MESSAGE)
        )
    assert len(replies) >= 50
    assert all(state == entry_state for state, entry_state, _, _ in replies)  # entry exists
    sent = [key for state, _, key, _ in replies if state == DeliveryState.SENT]
    assert len(sent) == len(replies) - 1
    assert failed == [(Channel.GOOGLE_PLAY, "reply is 411 characters; the limit is 350")]
    assert notes_in_outbox == 0
    delivered = [k for k, _, _ in SimulatedRemote(seeded.profile / REMOTE_FILE).deliveries()]
    assert sorted(delivered) == sorted(sent)  # each sent reply reached the customer once


def test_history_is_backdated_and_nothing_is_in_the_future(seeded: Seeded) -> None:
    with seeded.ctx.read() as session:
        oldest, newest = session.execute(
            select(func.min(Message.sent_at), func.max(Message.sent_at))
        ).one()
        ticket_order = list(session.scalars(select(Ticket.created_at).order_by(Ticket.number)))
    assert newest <= SEEDED_AT
    assert SEEDED_AT - oldest > timedelta(days=30)
    assert ticket_order == sorted(ticket_order)  # numbered in the order customers wrote


def test_sla_calendar_is_moscow_business_hours_with_russian_holidays(seeded: Seeded) -> None:
    with seeded.ctx.read() as session:
        calendar, _ = load_sla(session)
    assert calendar.timezone == "Europe/Moscow"
    assert set(calendar.hours) == {0, 1, 2, 3, 4}
    assert {date(2026, 1, 7), date(2026, 2, 23), date(2026, 11, 4)} <= calendar.holidays


def test_sla_clocks_in_every_state_including_overdue(seeded: Seeded) -> None:
    now_rank = SEEDED_AT.timestamp()
    with seeded.ctx.read() as session:
        active = session.execute(
            select(Ticket.status, Ticket.due_rank, Ticket.sla_running_since).where(
                Ticket.active.is_(True)
            )
        ).all()
        stopped = session.scalar(
            select(func.count()).where(Ticket.active.is_(False), Ticket.sla_stopped.is_(False))
        )
    overdue = [r for r in active if r.due_rank < now_rank]
    running = [r for r in active if r.due_rank >= now_rank and r.sla_running_since is not None]
    paused = [r for r in active if r.status == TicketStatus.PENDING]
    assert len(overdue) >= 5
    assert len(running) >= 5
    assert paused and all(r.sla_running_since is None for r in paused)
    assert stopped == 0  # resolved and closed tickets stopped their clocks


def test_overdue_work_exists_even_when_seeded_in_the_new_year_holidays(tmp_path: Path) -> None:
    holiday = datetime(2027, 1, 8, 9, 0, tzinfo=UTC)  # a non-working Friday in Russia
    result, engine = _seed(tmp_path, holiday)
    try:
        overdue = _count(
            result,
            select(func.count()).where(
                Ticket.active.is_(True), Ticket.due_rank < holiday.timestamp()
            ),
        )
    finally:
        engine.dispose()
    assert overdue >= 1


def test_seeding_again_changes_nothing(seeded: Seeded) -> None:
    heard: list[Changes] = []
    seeded.ctx.bus.subscribe(heard.append)
    before = [
        _count(seeded, select(func.count()).select_from(t))
        for t in (Ticket, Message, Agent, Customer, OutboxEntry)
    ]
    seed_demo(seeded.ctx)
    after = [
        _count(seeded, select(func.count()).select_from(t))
        for t in (Ticket, Message, Agent, Customer, OutboxEntry)
    ]
    assert after == before
    assert heard == []


def test_a_seed_that_fails_halfway_leaves_an_empty_profile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """All or nothing: half a demo would pass the "has tickets" check and stay half forever."""
    from desk_app.services import demo

    played = 0
    real_reply = demo._Player._reply

    def reply_then_fail(self: demo._Player, conversation: object, step: object) -> None:
        nonlocal played
        real_reply(self, conversation, step)  # type: ignore[arg-type]
        played += 1
        if played == 20:
            raise RuntimeError("power cut")

    monkeypatch.setattr(demo._Player, "_reply", reply_then_fail)
    engine, sessions = open_database(tmp_path / "desk.sqlite3")
    ctx = ServiceContext(sessions, now=lambda: SEEDED_AT)
    try:
        with pytest.raises(RuntimeError, match="power cut"):
            seed_demo(ctx)
        assert _count(Seeded(ctx, tmp_path, []), select(func.count()).select_from(Ticket)) == 0
        assert _count(Seeded(ctx, tmp_path, []), select(func.count()).select_from(Agent)) == 0
        monkeypatch.undo()
        seed_demo(ctx)  # the next start seeds the whole demo
        assert _count(Seeded(ctx, tmp_path, []), select(func.count()).select_from(Ticket)) >= 70
    finally:
        engine.dispose()


SEED_IN_A_PROCESS = """
import sys
from pathlib import Path
from desk_app.services.context import ServiceContext
from desk_app.services.demo import seed_demo
from desk_app.store.db import open_database
engine, sessions = open_database(Path(sys.argv[1]) / "desk.sqlite3")
seed_demo(ServiceContext(sessions))
"""


@pytest.mark.timeout(120)
def test_two_desks_starting_together_on_an_empty_profile_seed_once(tmp_path: Path) -> None:
    import subprocess
    import sys

    engine, sessions = open_database(tmp_path / "desk.sqlite3")  # migrated, still empty
    command = [sys.executable, "-c", SEED_IN_A_PROCESS, str(tmp_path)]
    racers = [subprocess.Popen(command) for _ in range(2)]
    assert [r.wait(timeout=100) for r in racers] == [0, 0]
    ctx = ServiceContext(sessions)
    try:
        agents = _count(Seeded(ctx, tmp_path, []), select(func.count()).select_from(Agent))
        tickets = _count(Seeded(ctx, tmp_path, []), select(func.count()).select_from(Ticket))
    finally:
        engine.dispose()
    assert agents == len(load_script(SEEDED_AT).agents)
    assert tickets == len(load_script(SEEDED_AT).conversations)


def test_seeding_publishes_one_change_set(seeded: Seeded) -> None:
    assert len(seeded.heard) == 1
    assert seeded.heard[0].queues and len(seeded.heard[0].tickets) >= 70


# -- the script itself ----------------------------------------------------------------------------


def test_parse_duration() -> None:
    assert parse_duration("2d3h15m") == timedelta(days=2, hours=3, minutes=15)
    assert parse_duration("40m") == timedelta(minutes=40)
    for bad in ("", "3x", "1h 2m", "h"):
        with pytest.raises(ValueError):
            parse_duration(bad)


def _script_with(tmp_path: Path, **changes: object) -> Path:
    data = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    data["conversations"] = [dict(data["conversations"][0], **changes)]
    path = tmp_path / "script.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_script_refuses_steps_in_the_future(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="future"):
        load_script(SEEDED_AT, _script_with(tmp_path, ago="10m"))


def test_script_refuses_unknown_people(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown customer"):
        load_script(SEEDED_AT, _script_with(tmp_path, customer="nobody"))
    with pytest.raises(ValueError, match="unknown agent"):
        load_script(SEEDED_AT, _script_with(tmp_path, assignee="nobody"))


def test_timeline_is_in_time_order_with_triage_after_each_first_message() -> None:
    script = load_script(SEEDED_AT)
    timeline = script.timeline()
    assert [s.at for s in timeline] == sorted(s.at for s in timeline)
    setups = [s for s in timeline if s.kind == "setup"]
    assert len(setups) == len(script.conversations)
