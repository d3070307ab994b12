"""Named points on the send path where a test can kill the process for real.

``DESK_CRASH_AT=outbox.claimed`` makes the process SIGKILL itself the first time it reaches that
point; ``DESK_CRASH_AT=outbox.claimed:3`` the third time. No cleanup, no atexit — exactly like a
power cut or the OOM killer. Unset (always, outside tests) it costs one dictionary lookup.
"""

from __future__ import annotations

import os
import signal
from collections import Counter

ENV = "DESK_CRASH_AT"

POINTS = (
    "reply.before_commit",  # Send pressed, transaction not yet committed
    "reply.committed",  # message + outbox entry committed
    "outbox.claimed",  # entry marked sending, provider not yet called
    "outbox.delivered",  # provider accepted, not yet marked sent
    "outbox.marked",  # marked sent
)

_hits: Counter[str] = Counter()


def reached(point: str) -> None:
    wanted = os.environ.get(ENV)
    if not wanted:
        return
    name, _, nth = wanted.partition(":")
    if name != point:
        return
    _hits[point] += 1
    if _hits[point] >= int(nth or 1):
        os.kill(os.getpid(), signal.SIGKILL)
