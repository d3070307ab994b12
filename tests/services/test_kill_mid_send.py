"""SIGKILL the sending process at every step of the send path, restart it, and count deliveries.

Each reply must reach the (simulated) provider exactly once: never lost, never twice.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from desk_app import crashpoints
from desk_app.channels.simulated import SimulatedRemote
from desk_app.domain.enums import AuthorKind, Channel, DeliveryState, MessageKind
from desk_app.services.context import ServiceContext
from desk_app.services.ingest import ingest_items
from desk_app.store.models import Message, Ticket
from tests.conftest import incoming
from tests.services.send_path_child import reply_text

CHANNELS = (Channel.TELEGRAM, Channel.EMAIL, Channel.GOOGLE_PLAY)
ROOT = Path(__file__).resolve().parents[2]


def run_child(profile: Path, crash_at: str | None) -> int:
    env = {k: v for k, v in os.environ.items() if k != crashpoints.ENV}
    if crash_at:
        env[crashpoints.ENV] = crash_at
    child = subprocess.run(
        [sys.executable, "-m", "tests.services.send_path_child", str(profile)],
        cwd=ROOT,
        env=env,
        timeout=60,
        capture_output=True,
        text=True,
    )
    assert child.returncode in (0, -signal.SIGKILL), child.stderr
    return child.returncode


@pytest.mark.timeout(300)
@pytest.mark.parametrize("nth", [1, 2, 3])
@pytest.mark.parametrize("point", crashpoints.POINTS)
def test_killed_anywhere_on_the_send_path_delivers_each_reply_exactly_once(
    ctx: ServiceContext,
    account_for: Callable[[Channel], str],
    profile_dir: Path,
    point: str,
    nth: int,
) -> None:
    for index, channel in enumerate(CHANNELS):
        item = incoming(f"Вопрос {index}", author=f"c{index}", thread=f"t{index}")
        ingest_items(ctx, account_for(channel), [item])

    # The first run dies at the nth time it reaches the point (1st, 2nd or 3rd reply).
    assert run_child(profile_dir, f"{point}:{nth}") == -signal.SIGKILL
    # Restarted (twice, to prove a second restart changes nothing) it finishes the job.
    assert run_child(profile_dir, None) == 0
    assert run_child(profile_dir, None) == 0

    remote = SimulatedRemote(profile_dir / "simulated_remote.sqlite3")
    delivered = Counter(body for _key, _channel, body in remote.deliveries())
    with ctx.read() as session:
        numbers = session.scalars(select(Ticket.number)).all()
        replies = session.scalars(
            select(Message).where(
                Message.author_kind == AuthorKind.AGENT, Message.kind == MessageKind.MESSAGE
            )
        ).all()
    assert delivered == Counter({reply_text(n): 1 for n in numbers})
    assert len(replies) == len(CHANNELS)
    assert {r.delivery_state for r in replies} == {DeliveryState.SENT}
