"""The sync protocol: push mutations (each applied once), pull changes since a cursor (long-poll).

A cursor is ``<epoch>-<seq>``. The epoch is made when the database is created; a cursor from
another epoch, or one ahead of the server (restored from an older backup), gets 410 with
``reset: true`` and the workstation re-fetches from scratch (Zulip's BAD_EVENT_QUEUE_ID).
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import cached_property, partial
from typing import Annotated
from typing import cast as cast_type

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from sqlalchemy import Table, Text, cast, select
from sqlalchemy.orm import Session

from desk_app import crashpoints
from desk_app.server.apply import (
    MANAGERS,
    Actor,
    Applier,
    Outcome,
    dedupe_key_for_message,
    visible_records,
)
from desk_app.server.auth import database_of, production
from desk_app.server.bulk import insert_rows
from desk_app.server.db import Database
from desk_app.server.feed import Doc, Feed, read_counter
from desk_app.server.models import AppliedMutation, Record
from desk_app.server.schemas import (
    ChangesResponse,
    MutationIn,
    MutationResult,
    PushRequest,
    PushResponse,
    RecordOut,
    ResetResponse,
)
from desk_app.server.tx import run_write
from desk_app.store.types import utcnow

router = APIRouter(prefix="/sync", tags=["sync"])
APPLIED = cast_type(Table, AppliedMutation.__table__)
MAX_WAIT = 60.0
COALESCE_SECONDS = 0.1


def record_out(record: Record | Doc) -> RecordOut:
    return RecordOut(kind=record.kind, id=record.id, seq=record.seq, data=record.data)


def _stored(applied: AppliedMutation, actor: Actor, session: Session) -> MutationResult:
    if applied.user_id != actor.id:
        return MutationResult(
            id=applied.key, outcome="rejected", reason="idempotency key already used"
        )
    current = []
    if applied.kind.startswith("ticket."):
        ticket = session.get(Record, ("ticket", applied.entity_id))
        current = [record_out(ticket)] if ticket is not None else []
    return MutationResult(
        id=applied.key,
        outcome=applied.outcome,  # type: ignore[arg-type]
        reason=applied.reason,
        result=applied.result,
        duplicate=True,
        current=current,
    )


def _apply_one(
    session: Session,
    applier: Applier,
    actor: Actor,
    mutation: MutationIn,
    known: dict[str, AppliedMutation],
    outcomes: list[tuple[str, Outcome | MutationResult]],
    fresh: list[AppliedMutation],
) -> None:
    key = str(mutation.id)
    if key in known:
        outcomes.append((key, _stored(known[key], actor, session)))
        return
    outcome = applier.apply(mutation)
    applied = AppliedMutation(
        key=key,
        user_id=actor.id,
        kind=mutation.kind,
        entity_id=str(mutation.entity_id),
        outcome=outcome.outcome,
        reason=outcome.reason,
        result=outcome.result,
        applied_at=utcnow(),
    )
    known[key] = applied
    fresh.append(applied)
    outcomes.append((key, outcome))


REFERENCE_KEYS = ("id", "ticket_id", "customer_id", "account_id")


def referenced(request: PushRequest) -> tuple[set[str], set[str]]:
    """Record ids (and message dedupe keys) a push will look at, to load them in one query."""
    ids: set[str] = set()
    dedupe: set[str] = set()
    for mutation in request.mutations:
        ids.add(str(mutation.entity_id))
        for value in mutation.payload.values():
            if not isinstance(value, dict):
                continue
            ids.update(
                v for k in REFERENCE_KEYS if isinstance(v := value.get(k), str) and len(v) <= 64
            )
            if mutation.kind == "message.add" and isinstance(value.get("external_id"), str):
                channel, account = value.get("channel"), value.get("account_id")
                dedupe.add(
                    dedupe_key_for_message(
                        str(channel),
                        account if isinstance(account, str) else None,
                        value["external_id"],
                    )
                )
    return ids, dedupe


def push_in(session: Session, request: PushRequest, actor: Actor, postgres: bool) -> PushResponse:
    feed = Feed(session, postgres)
    # Locks: the records this push reads are locked up front in one query, in id order (two
    # pushes over the same tickets wait for each other instead of deadlocking); the sequence
    # counter is locked last, in commit_seqs, so pushes on different tickets overlap and only
    # their final writes are serialized — in seq order. Reads and long-polls never wait.
    keys = [str(m.id) for m in request.mutations]
    known = {
        a.key: a
        for a in session.scalars(select(AppliedMutation).where(AppliedMutation.key.in_(keys)))
    }
    outcomes: list[tuple[str, Outcome | MutationResult]] = []
    applier = Applier(feed, actor)
    feed.prefetch(*referenced(request))
    fresh: list[AppliedMutation] = []
    for mutation in request.mutations:
        _apply_one(session, applier, actor, mutation, known, outcomes, fresh)
    if fresh:  # the idempotency log, in one statement
        insert_rows(
            session, APPLIED, [{c.key: getattr(a, c.key) for c in APPLIED.columns} for a in fresh]
        )
    crashpoints.reached("server.push.before_commit")
    last = feed.commit_seqs(commit=True)  # on PostgreSQL: committed here, one round trip
    results = [
        result
        if isinstance(result, MutationResult)
        else MutationResult(
            id=key,
            outcome=result.outcome,  # type: ignore[arg-type]
            reason=result.reason,
            result=result.result,
            current=[record_out(r) for r in result.current],
        )
        for key, result in outcomes
    ]
    return PushResponse(
        results=results, cursor_hint=last if last is not None else read_counter(session, "seq")
    )


@router.post("/push", response_model=PushResponse)
def push(
    body: PushRequest, request: Request, actor: Annotated[Actor, Depends(production)]
) -> PushResponse:
    """Apply mutations in order, each at most once (by its idempotency key), in one transaction.
    Each gets an outcome: applied, merged, or rejected with a reason to show the operator."""
    database = database_of(request)
    response = run_write(
        database, lambda session: push_in(session, body, actor, database.is_postgres)
    )
    crashpoints.reached("server.push.committed")
    request.app.state.waker.bump_threadsafe(response.cursor_hint)
    return response


def parse_cursor(cursor: str, epoch: int) -> int | None:
    """The seq in a cursor of this epoch; None when it must be reset. "" means from scratch."""
    if cursor == "":
        return 0
    head, sep, tail = cursor.partition("-")
    if not sep or head != str(epoch) or not tail.isdigit() or len(tail) > 18:
        return None
    return int(tail)


@dataclass(frozen=True)
class Page:
    """One answer to a pull, kept as JSON text: records are stored as JSON and go out as
    stored, never parsed and re-serialized (that would dominate the server's CPU under load)."""

    cursor: str
    more: bool
    records: list[str]

    @cached_property
    def body(self) -> bytes:
        """Built once: the same page answers every workstation waiting on the same range."""
        head = json.dumps({"cursor": self.cursor, "more": self.more})[:-1]
        return f'{head}, "changes": [{", ".join(self.records)}]}}'.encode()


def read_changes(
    session: Session, actor: Actor, after: int, head: int, limit: int, epoch: int
) -> Page | None:
    """Records visible to ``actor`` with ``after < seq <= head``. Everything at or below
    ``head`` is committed (feed.py), so nothing is skipped."""
    if after > head:
        head = read_counter(session, "seq")  # this process may not have heard of it yet
        if after > head:
            return None
    rows = session.execute(
        visible_records(actor)
        .with_only_columns(Record.kind, Record.id, Record.seq, cast(Record.data, Text))
        .where(Record.seq > after, Record.seq <= head)
        .order_by(Record.seq)
        .limit(limit + 1)
    ).all()
    more = len(rows) > limit
    rows = rows[:limit]
    last = rows[-1][2] if more else head
    records = [
        f'{{"kind": {json.dumps(kind)}, "id": {json.dumps(rid)}, "seq": {seq}, "data": {data}}}'
        for kind, rid, seq, data in rows
    ]
    return Page(cursor=f"{epoch}-{last}", more=more, records=records)


class PageCache:
    """Single-flight reads for long-polls. After a change, every waiting workstation asks for the
    same range (they were all caught up); one query answers all of them. A page for
    (scope, after, head, limit) stays correct: a record moved past ``head`` by a later change
    is sent again with its new seq."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._pages: OrderedDict[tuple[object, ...], asyncio.Future[Page | None]] = OrderedDict()

    async def get(
        self, key: tuple[object, ...], load: Callable[[], Awaitable[Page | None]]
    ) -> Page | None:
        future = self._pages.get(key)
        if future is None:
            future = asyncio.get_running_loop().create_future()
            self._pages[key] = future
            while len(self._pages) > self.size:
                self._pages.popitem(last=False)
            try:
                future.set_result(await load())
            except Exception as error:
                self._pages.pop(key, None)
                future.set_exception(error)
                raise
        return await asyncio.shield(future)


def scope_of(actor: Actor) -> str | None:
    return "*" if actor.role in MANAGERS else actor.team_id


@router.get(
    "/changes",
    response_model=None,
    responses={
        200: {"model": ChangesResponse, "description": "Changes after the cursor"},
        410: {"model": ResetResponse, "description": "Cursor unusable: re-fetch"},
    },
)
async def changes(
    request: Request,
    actor: Annotated[Actor, Depends(production)],
    cursor: Annotated[str, Query(max_length=64)] = "",
    limit: Annotated[int, Query(ge=1, le=2000)] = 500,
    wait: Annotated[float, Query(ge=0, le=MAX_WAIT, allow_inf_nan=False)] = 0.0,
) -> Response:
    """Changes after ``cursor`` in seq order, in chunks (``more``). With ``wait`` > 0 this is a
    long-poll: it answers as soon as a change arrives, or empty when the wait ends."""
    database = database_of(request)
    epoch: int = request.app.state.epoch
    after = parse_cursor(cursor, epoch)
    if after is None:
        return _reset("cursor is from another server database")
    deadline = time.monotonic() + wait
    waker = request.app.state.waker
    pages: PageCache = request.app.state.pages
    while True:
        seen = head = waker.latest
        load = partial(run_in_threadpool, _read, database, actor, after, head, limit, epoch)
        result = await pages.get((scope_of(actor), after, head, limit), load)
        if result is None:
            return _reset("cursor is ahead of the server; the server lost changes")
        remaining = deadline - time.monotonic()
        if result.records or remaining <= 0 or await request.is_disconnected():
            return Response(result.body, media_type="application/json")
        after = int(result.cursor.rpartition("-")[2])  # skip what this actor cannot see
        # Nothing visible yet: sleep until the sequence moves (or the wait ends), then re-read.
        if await waker.wait_beyond(max(seen, after), min(remaining, 5.0)):
            await asyncio.sleep(COALESCE_SECONDS)  # let a burst of pushes land together


def _read(
    database: Database, actor: Actor, after: int, head: int, limit: int, epoch: int
) -> Page | None:
    with database.reads() as session:
        return read_changes(session, actor, after, head, limit, epoch)


def _reset(detail: str) -> JSONResponse:
    return JSONResponse(ResetResponse(detail=detail).model_dump(), status_code=410)
