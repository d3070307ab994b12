"""The sync protocol: push mutations (each applied once), pull changes since a cursor (long-poll).

A cursor is ``<epoch>-<seq>``. The epoch is made when the database is created; a cursor from
another epoch, or one ahead of the server (restored from an older backup), gets 410 with
``reset: true`` and the workstation re-fetches from scratch (Zulip's BAD_EVENT_QUEUE_ID).
"""

from __future__ import annotations

import asyncio
import time
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from desk_app import crashpoints
from desk_app.server.apply import Actor, Applier, Outcome, visible_records
from desk_app.server.auth import database_of, production
from desk_app.server.db import Database
from desk_app.server.feed import Feed, read_counter
from desk_app.server.models import AppliedMutation, Record
from desk_app.server.schemas import (
    ChangesResponse,
    MutationResult,
    PushRequest,
    PushResponse,
    RecordOut,
    ResetResponse,
)
from desk_app.server.tx import run_write

router = APIRouter(prefix="/sync", tags=["sync"])
MAX_WAIT = 60.0


def record_out(record: Record) -> RecordOut:
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


def push_in(session: Session, request: PushRequest, actor: Actor, postgres: bool) -> PushResponse:
    feed = Feed(session, postgres)
    keys = [str(m.id) for m in request.mutations]
    known = {
        a.key: a
        for a in session.scalars(select(AppliedMutation).where(AppliedMutation.key.in_(keys)))
    }
    outcomes: list[tuple[str, Outcome | MutationResult]] = []
    applier = Applier(feed, actor)
    for mutation in request.mutations:
        key = str(mutation.id)
        if key in known:
            outcomes.append((key, _stored(known[key], actor, session)))
            continue
        outcome = applier.apply(mutation)
        applied = AppliedMutation(
            key=key,
            user_id=actor.id,
            kind=mutation.kind,
            entity_id=str(mutation.entity_id),
            outcome=outcome.outcome,
            reason=outcome.reason,
            result=outcome.result,
        )
        session.add(applied)
        known[key] = applied
        outcomes.append((key, outcome))
    crashpoints.reached("server.push.before_commit")
    last = feed.commit_seqs()
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


def read_changes(
    database_reads: Session, actor: Actor, after: int, limit: int, epoch: int
) -> ChangesResponse | None:
    session = database_reads
    head = read_counter(session, "seq")  # everything at or below is committed (feed.py)
    if after > head:
        return None
    rows = list(
        session.scalars(
            visible_records(actor)
            .where(Record.seq > after, Record.seq <= head)
            .order_by(Record.seq)
            .limit(limit + 1)
        )
    )
    more = len(rows) > limit
    rows = rows[:limit]
    last = rows[-1].seq if more else head
    return ChangesResponse(
        cursor=f"{epoch}-{last}", more=more, changes=[record_out(r) for r in rows]
    )


@router.get(
    "/changes",
    response_model=ChangesResponse,
    responses={410: {"model": ResetResponse, "description": "Cursor unusable: re-fetch"}},
)
async def changes(
    request: Request,
    actor: Annotated[Actor, Depends(production)],
    cursor: Annotated[str, Query(max_length=64)] = "",
    limit: Annotated[int, Query(ge=1, le=2000)] = 500,
    wait: Annotated[float, Query(ge=0, le=MAX_WAIT, allow_inf_nan=False)] = 0.0,
) -> ChangesResponse | JSONResponse:
    """Changes after ``cursor`` in seq order, in chunks (``more``). With ``wait`` > 0 this is a
    long-poll: it answers as soon as a change arrives, or empty when the wait ends."""
    database = database_of(request)
    epoch: int = request.app.state.epoch
    after = parse_cursor(cursor, epoch)
    if after is None:
        return _reset("cursor is from another server database")
    deadline = time.monotonic() + wait
    waker = request.app.state.waker
    while True:
        seen = waker.latest
        result = await run_in_threadpool(_read, database, actor, after, limit, epoch)
        if result is None:
            return _reset("cursor is ahead of the server; the server lost changes")
        remaining = deadline - time.monotonic()
        if result.changes or remaining <= 0 or await request.is_disconnected():
            return result
        after = int(result.cursor.rpartition("-")[2])  # skip what this actor cannot see
        # Nothing visible yet: sleep until the sequence moves (or the wait ends), then re-read.
        await waker.wait_beyond(max(seen, after), min(remaining, 5.0))
        await asyncio.sleep(0)


def _read(
    database: Database, actor: Actor, after: int, limit: int, epoch: int
) -> ChangesResponse | None:
    with database.reads() as session:
        return read_changes(session, actor, after, limit, epoch)


def _reset(detail: str) -> JSONResponse:
    return JSONResponse(ResetResponse(detail=detail).model_dump(), status_code=410)
