"""Cold start without the cyclic garbage collector.

Importing SQLAlchemy and PySide6 and building the window allocate hundreds of thousands of
long-lived objects; with the collector on, that triggers repeated full collections that find
nothing to free (measured here: 0.25–0.4 s of a ~1.2 s start). The collector is paused from the
first line of ``desk`` until the inbox is painted, then the start-up objects are frozen into the
permanent generation (later collections skip them) and collection resumes.
"""

from __future__ import annotations

import gc

_paused = False


def pause_gc() -> None:
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume_gc() -> None:
    """Idempotent; does nothing unless :func:`pause_gc` paused the collector."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()
