"""Group commit for pushes: the pushes waiting in one server process go to the database together.

One committer thread per process takes every push that arrived while it was busy and applies
them in one transaction (``push.push_group``): one lookup of idempotency keys, one locking read,
one seq range, one WAL flush and one ``NOTIFY``, instead of one of each per request — and no
pool of request threads queueing on the counter row. Each request still gets its own outcomes.

A crash mid-commit loses the whole group's transaction and nothing else: no request was
answered, so every workstation pushes again with the same idempotency keys. If a group fails
for a reason other than a race (which ``run_write`` retries), its pushes are retried one by
one so a bad request fails alone.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from desk_app import crashpoints
from desk_app.server.apply import Actor
from desk_app.server.db import Database
from desk_app.server.push import Push, push_group
from desk_app.server.schemas import PushRequest
from desk_app.server.tx import run_write

MAX_GROUP_MUTATIONS = 2_000  # bounds one transaction (a push carries at most 500)


@dataclass
class _Waiting:
    request: PushRequest
    actor: Actor
    answer: asyncio.Future[bytes]


class GroupCommitter:
    def __init__(self, database: Database, committed: Callable[[int], None]) -> None:
        self.database = database
        self.committed = committed  # called with the new head after each commit (any thread)
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="desk-committer")
        self._waiting: list[_Waiting] = []
        self._busy = False
        self._drainer: asyncio.Task[None] | None = None

    async def push(self, request: PushRequest, actor: Actor) -> bytes:
        """Apply one push (with whatever else is waiting); its ``PushResponse`` as JSON."""
        loop = asyncio.get_running_loop()
        waiting = _Waiting(request, actor, loop.create_future())
        self._waiting.append(waiting)
        if not self._busy:
            self._busy = True
            self._drainer = loop.create_task(self._drain())
        return await waiting.answer

    def close(self) -> None:
        self._executor.shutdown(wait=True)

    def _take(self) -> list[_Waiting]:
        group: list[_Waiting] = []
        size = 0
        while self._waiting and (not group or size < MAX_GROUP_MUTATIONS):
            group.append(self._waiting.pop(0))
            size += len(group[-1].request.mutations)
        return group

    async def _drain(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            while self._waiting:
                group = self._take()
                pushes = [(w.request, w.actor) for w in group]
                try:
                    answers = await loop.run_in_executor(self._executor, self._commit, pushes)
                except BaseException as error:  # the executor itself failed (shutting down)
                    answers = [error] * len(group)
                for waiting, answer in zip(group, answers, strict=True):
                    if waiting.answer.done():  # the client went away; its push still counts
                        continue
                    if isinstance(answer, BaseException):
                        waiting.answer.set_exception(answer)
                    else:
                        waiting.answer.set_result(answer)
        finally:
            self._busy = False

    def _commit(self, pushes: list[Push]) -> list[bytes | BaseException]:
        """In the committer thread: one transaction for the group, or one per push if the
        group failed."""
        postgres = self.database.is_postgres
        try:
            head, answers = run_write(self.database, lambda s: push_group(s, pushes, postgres))
        except Exception as error:
            if len(pushes) == 1:
                return [error]
            return [answer for push in pushes for answer in self._commit([push])]
        crashpoints.reached("server.push.committed")
        self.committed(head)
        return list(answers)
