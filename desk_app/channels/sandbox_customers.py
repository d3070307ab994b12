"""The customers of the training sandbox, living on the simulated provider's side.

They open conversations from the scenarios, read what the trainee sent (the simulated remote's
deliveries), answer back according to the scenario, and keep a judged feedback trail for the
supervisor. Their state lives in the simulated remote's database, and each answer is posted in the
same transaction that advances the scenario, so a crash never makes a customer answer twice.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from desk_app.channels.base import IncomingAuthor, IncomingItem
from desk_app.channels.simulated import Delivery, SimulatedRemote
from desk_app.domain.enums import Channel
from desk_app.domain.training import Feedback, Scenario, reply_hits, scenarios_from_json

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sandbox_progress (
    scenario_id TEXT PRIMARY KEY,
    step INTEGER NOT NULL,
    last_customer_at TEXT NOT NULL,
    turn INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS sandbox_cursor (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER);
CREATE TABLE IF NOT EXISTS sandbox_feedback (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    scenario_id TEXT NOT NULL,
    step INTEGER NOT NULL,
    reply TEXT NOT NULL,
    on_target INTEGER NOT NULL,
    lesson TEXT NOT NULL,
    seconds_to_reply REAL NOT NULL
);
"""


def load_scenarios(path: Path) -> list[Scenario]:
    return scenarios_from_json(json.loads(path.read_text(encoding="utf-8")))


class SandboxCustomers:
    def __init__(
        self,
        remote: SimulatedRemote,
        scenarios: Sequence[Scenario],
        *,
        language: str = "en",
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.remote = remote
        self.scenarios = {s.id: s for s in scenarios}
        self.by_customer = {s.customer_id: s for s in scenarios}
        self.language = language
        self.now = now
        with remote.transaction() as db:
            for statement in filter(str.strip, _SCHEMA.split(";")):
                db.execute(statement)

    def _say(self, db: sqlite3.Connection, scenario: Scenario, text: str, turn: int) -> None:
        self.remote.post_incoming(
            Channel(scenario.channel),
            IncomingItem(
                external_id=f"sandbox-{scenario.id}-{turn}",
                author=IncomingAuthor(scenario.customer_id, scenario.customer_name),
                sent_at=self.now(),
                body_text=text,
                subject=scenario.title.get(scenario.language)
                if scenario.channel == "email"
                else None,
                thread_key=f"sandbox-{scenario.id}",
                meta={"language": scenario.language, "sandbox": True},
            ),
            db,
        )

    def open_conversations(self) -> int:
        """Post every scenario's opening message once; returns how many were opened now."""
        opened = 0
        with self.remote.transaction() as db:
            started = {r[0] for r in db.execute("SELECT scenario_id FROM sandbox_progress")}
            for scenario in self.scenarios.values():
                if scenario.id in started:
                    continue
                self._say(db, scenario, scenario.opening, 0)
                db.execute(
                    "INSERT INTO sandbox_progress(scenario_id, step, last_customer_at, turn)"
                    " VALUES (?, 0, ?, 0)",
                    (scenario.id, self.now().isoformat()),
                )
                opened += 1
        return opened

    def answer_new_replies(self) -> list[Feedback]:
        """Judge what the trainee sent since last time and let each customer answer back."""
        judged: list[Feedback] = []
        with self.remote.transaction() as db:
            row = db.execute("SELECT seq FROM sandbox_cursor WHERE id = 1").fetchone()
            after = int(row[0]) if row and row[0] is not None else 0
            deliveries = self._deliveries_after(db, after)
            for delivery in deliveries:
                feedback = self._answer(db, delivery)
                if feedback is not None:
                    judged.append(feedback)
            if deliveries:
                db.execute(
                    "INSERT OR REPLACE INTO sandbox_cursor(id, seq) VALUES (1, ?)",
                    (deliveries[-1].seq,),
                )
        return judged

    @staticmethod
    def _deliveries_after(db: sqlite3.Connection, after: int) -> list[Delivery]:
        rows = db.execute(
            "SELECT seq, send_key, channel, recipient, body, delivered_at FROM deliveries"
            " WHERE seq > ? ORDER BY seq",
            (after,),
        ).fetchall()
        return [
            Delivery(int(q), str(k), Channel(c), str(r), str(b), datetime.fromisoformat(t))
            for q, k, c, r, b, t in rows
        ]

    def _answer(self, db: sqlite3.Connection, delivery: Delivery) -> Feedback | None:
        scenario = self.by_customer.get(delivery.recipient)
        if scenario is None:
            return None
        progress = db.execute(
            "SELECT step, last_customer_at, turn FROM sandbox_progress WHERE scenario_id = ?",
            (scenario.id,),
        ).fetchone()
        if progress is None or progress[0] >= len(scenario.steps):
            return None
        index, last_customer_at, turn = int(progress[0]), progress[1], int(progress[2])
        step = scenario.steps[index]
        on_target = reply_hits(step, delivery.body)
        waited = (delivery.delivered_at - datetime.fromisoformat(last_customer_at)).total_seconds()
        feedback = Feedback(
            scenario_id=scenario.id,
            step=index,
            reply=delivery.body,
            on_target=on_target,
            lesson=step.lesson.get(self.language) or step.lesson.get("en", ""),
            seconds_to_reply=max(waited, 0.0),
        )
        db.execute(
            "INSERT INTO sandbox_feedback(scenario_id, step, reply, on_target, lesson,"
            " seconds_to_reply) VALUES (?, ?, ?, ?, ?, ?)",
            (
                scenario.id,
                index,
                delivery.body,
                int(on_target),
                feedback.lesson,
                feedback.seconds_to_reply,
            ),
        )
        answer = step.reply if on_target else step.miss_reply
        if answer:
            self._say(db, scenario, answer, turn + 1)
        db.execute(
            "UPDATE sandbox_progress SET step = ?, last_customer_at = ?, turn = ?"
            " WHERE scenario_id = ?",
            (index + 1 if on_target else index, self.now().isoformat(), turn + 1, scenario.id),
        )
        return feedback

    def feedback(self) -> list[Feedback]:
        """Everything judged so far, oldest first: what the supervisor reviews."""
        with self.remote.transaction() as db:
            rows = db.execute(
                "SELECT scenario_id, step, reply, on_target, lesson, seconds_to_reply"
                " FROM sandbox_feedback ORDER BY seq"
            ).fetchall()
        return [Feedback(s, int(i), r, bool(o), lesson, float(t)) for s, i, r, o, lesson, t in rows]
