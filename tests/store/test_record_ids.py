"""Record ids: UUID version 7, unique, and in the order they were made (index locality)."""

from __future__ import annotations

import itertools
import threading
import uuid

import pytest

from desk_app.store import types
from desk_app.store.types import id_stream, new_id


def test_ids_are_version_7_uuids_in_the_order_made() -> None:
    stream = id_stream()
    made = [next(stream) for _ in range(20_000)]  # many share a millisecond: the counter orders
    assert made == sorted(made)
    assert len(set(made)) == len(made)
    parsed = uuid.UUID(made[0])
    assert (parsed.version, parsed.variant) == (7, uuid.RFC_4122)
    assert str(parsed) == made[0]


def test_a_clock_going_back_or_a_full_millisecond_keeps_the_order(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    instants = itertools.chain([5_000_000_000] * 5000, [4_000_000_000] * 10)  # ns; then back
    monkeypatch.setattr(types.time, "time_ns", lambda: next(instants))
    stream = id_stream()
    made = [next(stream) for _ in range(5010)]  # > 4096 in one millisecond, then the past
    assert made == sorted(made) and len(set(made)) == len(made)
    assert made[-1][:8] == "00000000" and made[-1][9:13] == "1389"  # 5,001 ms: carried over


def test_new_id_is_safe_from_many_threads() -> None:
    found: list[list[str]] = [[] for _ in range(4)]
    threads = [
        threading.Thread(target=lambda out=out: out.extend(new_id() for _ in range(2000)))
        for out in found
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    every = [i for ids in found for i in ids]
    assert len(set(every)) == 8000
    assert all(ids == sorted(ids) for ids in found)
