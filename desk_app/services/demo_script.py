"""The demo profile's script: the team, the accounts, the customers and dated conversations, read
from ``resources/demo/demo_conversations.json`` and laid out on one timeline.

Kept apart from the code that plays it (:mod:`desk_app.services.demo`) so the texts stay data a
support lead can edit, and so tests can check the script itself (nothing happens in the future,
every step knows who does it).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from desk_app.domain.enums import Channel, Priority
from desk_app.domain.sla import BusinessCalendar
from desk_app.resources import resource

DEMO_FILE = resource("demo", "demo_conversations.json")

# What a step in a conversation does; "setup" is the lead triaging a new ticket (tags, priority,
# assignee) half a minute after it arrives.
STEP_KINDS = ("customer", "auto", "agent", "note", "status", "draft")
SETUP_DELAY = timedelta(seconds=30)

_DURATION = re.compile(r"(\d+)([dhm])")
_UNITS = {"d": "days", "h": "hours", "m": "minutes"}


def parse_duration(text: str) -> timedelta:
    """``"2d3h15m"`` → timedelta. The script's times are relative, so the demo is always fresh."""
    parts = _DURATION.findall(text)
    if not parts or "".join(n + u for n, u in parts) != text:
        raise ValueError(f"bad duration {text!r} (use e.g. 2d3h15m)")
    return timedelta(**{_UNITS[u]: int(n) for n, u in parts})


@dataclass(frozen=True)
class Step:
    conversation: str
    index: int  # position in its conversation (-1 for the setup step)
    at: datetime
    kind: str  # one of STEP_KINDS or "setup"
    text: str = ""
    by: str | None = None  # agent key for agent actions
    rating: int | None = None
    subject: str | None = None
    meta: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Conversation:
    id: str
    channel: Channel
    customer: str | None  # key into the customers section, or None for an inline author
    author: Mapping[str, str] | None  # {"id", "name", "handle"?} of a stranger writing in
    subject: str
    priority: Priority
    assignee: str | None
    tags: tuple[str, ...]
    meta: Mapping[str, Any]
    steps: tuple[Step, ...]

    @property
    def started_at(self) -> datetime:
        return self.steps[0].at


@dataclass(frozen=True)
class DemoScript:
    calendar: BusinessCalendar
    current_agent: str
    agents: tuple[Mapping[str, Any], ...]
    accounts: tuple[Mapping[str, Any], ...]
    customers: tuple[Mapping[str, Any], ...]
    conversations: tuple[Conversation, ...]

    def timeline(self) -> list[Step]:
        """Every step of every conversation, plus each ticket's triage, in the order it happened."""
        order = {c.id: n for n, c in enumerate(self.conversations)}
        steps = [s for c in self.conversations for s in _with_setup(c)]
        return sorted(steps, key=lambda s: (s.at, order[s.conversation], s.index))


def _with_setup(conversation: Conversation) -> Iterator[Step]:
    first, *rest = conversation.steps
    yield first
    yield Step(conversation.id, -1, first.at + SETUP_DELAY, "setup")
    yield from rest


def load_script(now: datetime, path: Path = DEMO_FILE) -> DemoScript:
    """Read the script and date every step relative to ``now``."""
    data = json.loads(path.read_text(encoding="utf-8"))
    agents = {a["key"] for a in data["agents"]}
    customers = {c["key"] for c in data["customers"]}
    conversations = tuple(
        _conversation(raw, now, agents, customers) for raw in data["conversations"]
    )
    return DemoScript(
        calendar=_calendar(data["calendar"]),
        current_agent=data["current_agent"],
        agents=tuple(data["agents"]),
        accounts=tuple(data["accounts"]),
        customers=tuple(data["customers"]),
        conversations=conversations,
    )


def _calendar(raw: Mapping[str, Any]) -> BusinessCalendar:
    return BusinessCalendar.weekdays(
        start=time.fromisoformat(raw["start"]),
        end=time.fromisoformat(raw["end"]),
        timezone=raw["timezone"],
        holidays=[date.fromisoformat(d) for d in raw["holidays"]],
    )


def _conversation(
    raw: Mapping[str, Any], now: datetime, agents: set[str], customers: set[str]
) -> Conversation:
    cid = raw["id"]
    if (raw.get("customer") is None) == (raw.get("author") is None):
        raise ValueError(f"demo conversation {cid}: give exactly one of customer / author")
    if raw.get("customer") is not None and raw["customer"] not in customers:
        raise ValueError(f"demo conversation {cid}: unknown customer {raw['customer']!r}")
    at = now - parse_duration(raw["ago"])
    steps = []
    for index, step in enumerate(raw["steps"]):
        if index:
            at += parse_duration(step.get("after", "1m"))
        if at > now:
            raise ValueError(f"demo conversation {cid} runs into the future at step {index}")
        kind = next((k for k in STEP_KINDS if k in step), None)
        if kind is None:
            raise ValueError(f"demo conversation {cid} step {index}: unknown kind {step}")
        by = step.get("by", raw.get("assignee"))
        if by is not None and by not in agents:
            raise ValueError(f"demo conversation {cid} step {index}: unknown agent {by!r}")
        steps.append(
            Step(
                conversation=cid,
                index=index,
                at=at,
                kind=kind,
                text=step[kind],
                by=by,
                rating=step.get("rating"),
                subject=step.get("subject"),
                meta=step.get("meta", {}),
            )
        )
    if not steps or steps[0].kind != "customer":
        raise ValueError(f"demo conversation {cid} must open with a customer message")
    return Conversation(
        id=cid,
        channel=Channel(raw["channel"]),
        customer=raw.get("customer"),
        author=raw.get("author"),
        subject=raw.get("subject", ""),
        priority=Priority(raw.get("priority", int(Priority.NORMAL))),
        assignee=raw.get("assignee"),
        tags=tuple(raw.get("tags", ())),
        meta=raw.get("meta", {}),
        steps=tuple(steps),
    )
