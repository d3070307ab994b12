"""Named points on the send path where a test can kill the process for real.

``DESK_CRASH_AT=outbox.claimed`` makes the process SIGKILL itself the first time it reaches that
point — no cleanup, no atexit, exactly like a power cut or the OOM killer. Unset (always, outside
tests) it costs one dictionary lookup.
"""

from __future__ import annotations

import os
import signal

ENV = "DESK_CRASH_AT"

POINTS = (
    "reply.before_commit",  # Send pressed, transaction not yet committed
    "reply.committed",  # message + outbox entry committed
    "outbox.claimed",  # entry marked sending, provider not yet called
    "outbox.delivered",  # provider accepted, not yet marked sent
    "outbox.marked",  # marked sent
)


def reached(point: str) -> None:
    if os.environ.get(ENV) == point:
        os.kill(os.getpid(), signal.SIGKILL)
