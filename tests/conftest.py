"""Shared fixtures: a fresh profile database and helpers to put conversations in it."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from desk_app.channels.base import IncomingAuthor, IncomingItem
from desk_app.domain.enums import Channel
from desk_app.services.context import ServiceContext
from desk_app.store.db import open_database
from desk_app.store.models import Agent, ChannelAccount


class FakeClock:
    """A controllable clock for SLA tests; starts on a Monday morning UTC."""

    def __init__(self, start: datetime | None = None) -> None:
        self.moment = start or datetime(2026, 11, 16, 10, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, **delta: float) -> None:
        self.moment += timedelta(**delta)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def profile_dir(tmp_path: Path) -> Path:
    return tmp_path / "profile"


@pytest.fixture
def ctx(profile_dir: Path, clock: FakeClock) -> ServiceContext:
    engine, sessions = open_database(profile_dir / "desk.sqlite3")
    context = ServiceContext(sessions, now=clock)
    with context.write() as session:
        agent = Agent(name="Anna Operator", email="anna@example.test")
        session.add(agent)
        session.flush()
        context.agent_id = agent.id
    yield context
    engine.dispose()


@pytest.fixture
def account_for(ctx: ServiceContext) -> Callable[[Channel], str]:
    """Creates (once per channel) a simulated account and returns its id."""
    made: dict[Channel, str] = {}

    def make(channel: Channel) -> str:
        if channel not in made:
            with ctx.write() as session:
                account = ChannelAccount(channel=channel, name=f"{channel} test", simulated=True)
                session.add(account)
                session.flush()
                made[channel] = account.id
        return made[channel]

    return make


_ids = itertools.count(1)


def incoming(
    text: str,
    *,
    author: str = "cust-1",
    name: str = "Иван Петров",
    at: datetime | None = None,
    thread: str | None = "thread-1",
    automated: bool = False,
    external_id: str | None = None,
    in_reply_to: tuple[str, ...] = (),
) -> IncomingItem:
    return IncomingItem(
        external_id=external_id or f"ext-{next(_ids)}",
        author=IncomingAuthor(external_id=author, display_name=name),
        sent_at=at or datetime(2026, 11, 16, 10, 0, tzinfo=UTC),
        body_text=text,
        thread_key=thread,
        automated=automated,
        in_reply_to=in_reply_to,
    )
