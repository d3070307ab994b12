"""Rules of the training sandbox: scenarios a trainee works through, and how a reply is judged.

A scenario is a customer with an opening message and steps. Each step lists what a good reply
must touch (word stems, any of them) and what the customer answers when it does or does not; the
lesson explains the step to the trainee and their supervisor.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Step:
    expect_any: tuple[str, ...]
    reply: str  # the customer's answer to a good reply ("" = the conversation ends)
    miss_reply: str  # the customer's answer when the reply misses the point ("" = silence)
    lesson: Mapping[str, str]  # language -> text


@dataclass(frozen=True)
class Scenario:
    id: str
    title: Mapping[str, str]
    channel: str
    language: str
    customer_id: str
    customer_name: str
    opening: str
    steps: tuple[Step, ...]


def _fold(text: str) -> str:
    return text.casefold().replace("ё", "е")


def reply_hits(step: Step, reply: str) -> bool:
    """A reply is on target when it contains any expected stem (case and ё/е folded)."""
    folded = _fold(reply)
    return any(_fold(stem) in folded for stem in step.expect_any)


def scenarios_from_json(data: Mapping[str, Any]) -> list[Scenario]:
    return [
        Scenario(
            id=raw["id"],
            title=raw["title"],
            channel=raw["channel"],
            language=raw["language"],
            customer_id=raw["customer"]["id"],
            customer_name=raw["customer"]["name"],
            opening=raw["opening"],
            steps=tuple(
                Step(
                    expect_any=tuple(step["expect_any"]),
                    reply=step["reply"],
                    miss_reply=step["miss_reply"],
                    lesson=step["lesson"],
                )
                for step in raw["steps"]
            ),
        )
        for raw in data["scenarios"]
    ]


@dataclass(frozen=True)
class Feedback:
    """One judged reply, for the trainee and the supervisor."""

    scenario_id: str
    step: int
    reply: str
    on_target: bool
    lesson: str
    seconds_to_reply: float


def summary(feedback: Sequence[Feedback]) -> dict[str, float]:
    """Figures a supervisor looks at: replies judged, share on target, median time to reply."""
    if not feedback:
        return {"replies": 0, "on_target_share": 0.0, "median_seconds_to_reply": 0.0}
    times = sorted(f.seconds_to_reply for f in feedback)
    middle = len(times) // 2
    median = times[middle] if len(times) % 2 else (times[middle - 1] + times[middle]) / 2
    return {
        "replies": len(feedback),
        "on_target_share": sum(f.on_target for f in feedback) / len(feedback),
        "median_seconds_to_reply": median,
    }
