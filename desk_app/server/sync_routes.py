"""The sync protocol: push mutations (each applied once), pull changes since a cursor (long-poll).

A cursor is ``<epoch>-<seq>``. The epoch is made when the database is created; a cursor from
another epoch, or one ahead of the server (restored from an older backup), gets 410 with
``reset: true`` and the workstation re-fetches from scratch (Zulip's BAD_EVENT_QUEUE_ID).

Both routes are the hot path (every workstation, all the time), so they stay in the event loop
and answer with bytes built once: a push is applied by the process's group committer
(``committer.py``) and comes back as encoded JSON; a pull is answered from the process's change
ring (``ring.py``) or, for an old cursor, from the database (``pages.py``). The response models
stay declared, so the published OpenAPI schema describes exactly these bytes.
"""

from __future__ import annotations

import asyncio
import os
import time
from functools import partial
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response

from desk_app.server.apply import Actor
from desk_app.server.auth import database_of, production
from desk_app.server.committer import GroupCommitter
from desk_app.server.db import Database
from desk_app.server.pages import Page, PageCache, read_changes, scope_of
from desk_app.server.ring import ChangeRing
from desk_app.server.schemas import ChangesResponse, PushRequest, PushResponse, ResetResponse
from desk_app.server.waker import Waker

router = APIRouter(prefix="/sync", tags=["sync"])
MAX_WAIT = 60.0
# After a wake, a long-poll waits this long so the pushes landing together go out in one answer
# (fewer, fuller polls); short against the 300 ms goal for change -> arrival.
CATCH_UP_SECONDS = 0.5
COALESCE_SECONDS = float(os.environ.get("DESK_SYNC_COALESCE_MS", "80")) / 1000


@router.post("/push", response_model=PushResponse)
async def push(
    body: PushRequest, request: Request, actor: Annotated[Actor, Depends(production)]
) -> Response:
    """Apply mutations in order, each at most once (by its idempotency key), in one transaction.
    Each gets an outcome: applied, merged, or rejected with a reason to show the operator."""
    committer: GroupCommitter = request.app.state.committer
    return Response(await committer.push(body, actor), media_type="application/json")


def parse_cursor(cursor: str, epoch: int) -> int | None:
    """The seq in a cursor of this epoch; None when it must be reset. "" means from scratch."""
    if cursor == "":
        return 0
    head, sep, tail = cursor.partition("-")
    if not sep or head != str(epoch) or not tail.isdigit() or len(tail) > 18:
        return None
    return int(tail)


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
    epoch: int = request.app.state.epoch
    after = parse_cursor(cursor, epoch)
    if after is None:
        return _reset("cursor is from another server database")
    deadline = time.monotonic() + wait
    ring: ChangeRing = request.app.state.ring
    waker: Waker = request.app.state.waker
    while True:
        # What this process knows is committed (a push answered before this pull began) must be
        # in the answer: give the ring a moment to read it, else take the database path.
        if ring.head < waker.latest and ring.covers(after):
            await ring.wait_beyond(waker.latest - 1, CATCH_UP_SECONDS)
        if ring.covers(after) and ring.head >= waker.latest:
            page = ring.page(actor, after, limit, epoch)
        else:
            found = await _from_database(request, actor, after, limit, epoch)
            if found is None:
                return _reset("cursor is ahead of the server; the server lost changes")
            page = found
        remaining = deadline - time.monotonic()
        if page.records or remaining <= 0 or await request.is_disconnected():
            return Response(page.body, media_type="application/json")
        after = int(page.cursor.rpartition("-")[2])  # skip what this actor cannot see
        # Nothing visible yet: sleep until the ring moves (or the wait ends), then look again.
        if await ring.wait_beyond(after, min(remaining, 5.0)):
            await asyncio.sleep(COALESCE_SECONDS)  # let a burst of pushes land together


async def _from_database(
    request: Request, actor: Actor, after: int, limit: int, epoch: int
) -> Page | None:
    head: int = request.app.state.waker.latest
    load = partial(run_in_threadpool, _read, database_of(request), actor, after, head, limit, epoch)
    pages: PageCache = request.app.state.pages
    return await pages.get((scope_of(actor), after, head, limit), load)


def _read(
    database: Database, actor: Actor, after: int, head: int, limit: int, epoch: int
) -> Page | None:
    with database.reads() as session:
        return read_changes(session, actor, after, head, limit, epoch)


def _reset(detail: str) -> JSONResponse:
    return JSONResponse(ResetResponse(detail=detail).model_dump(), status_code=410)
