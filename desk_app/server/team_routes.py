"""Shared team resources: canned replies and the SLA policy (leads/admins edit, agents read),
and presence (who is viewing or replying to a ticket). Canned replies and the policy are feed
records, so workstations receive them with their normal pull."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, HTTPException, Request
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from desk_app.server.apply import Actor
from desk_app.server.auth import database_of, managers, production
from desk_app.server.feed import Feed
from desk_app.server.models import Presence, Record, User
from desk_app.server.schemas import (
    CannedReplyIn,
    CannedReplyOut,
    PresenceIn,
    PresenceOut,
    SlaPolicyIn,
)
from desk_app.server.tx import run_write
from desk_app.services.sla_policy import calendar_from_dict
from desk_app.store.types import new_id, utcnow

router = APIRouter(tags=["team"])
PRESENCE_TTL = timedelta(seconds=20)
SLA_ID = "default"


def _write_record(request: Request, kind: str, record_id: str, data: dict[str, Any]) -> None:
    database = database_of(request)

    def work(session: Session) -> int | None:
        feed = Feed(session, database.is_postgres)
        feed.put(kind, record_id, data)
        return feed.commit_seqs()

    request.app.state.waker.bump_threadsafe(run_write(database, work))


# -- canned replies -------------------------------------------------------------------------
@router.get("/canned-replies", response_model=list[CannedReplyOut], responses={401: {}, 403: {}})
def list_canned(
    request: Request, actor: Annotated[Actor, Depends(production)]
) -> list[CannedReplyOut]:
    with database_of(request).reads() as session:
        rows = session.scalars(select(Record).where(Record.kind == "canned_reply"))
        fields = CannedReplyOut.model_fields  # synced replies carry more (folder, shortcut)
        return [
            CannedReplyOut(**{k: v for k, v in r.data.items() if k in fields})
            for r in rows
            if not (r.data.get("deleted") or r.data.get("archived"))
        ]


@router.post(
    "/canned-replies", response_model=CannedReplyOut, status_code=201, responses={401: {}, 403: {}}
)
def create_canned(
    body: CannedReplyIn, request: Request, actor: Annotated[Actor, Depends(managers)]
) -> CannedReplyOut:
    reply = CannedReplyOut(id=new_id(), updated_by=actor.id, **body.model_dump())
    _write_record(request, "canned_reply", reply.id, reply.model_dump(mode="json"))
    return reply


def _existing_canned(request: Request, reply_id: UUID) -> Record:
    with database_of(request).reads() as session:
        record = session.get(Record, ("canned_reply", str(reply_id)))
    if record is None or record.data.get("deleted"):
        raise HTTPException(404, "no such canned reply")
    return record


@router.put(
    "/canned-replies/{reply_id}",
    response_model=CannedReplyOut,
    responses={401: {}, 403: {}, 404: {}},
)
def update_canned(
    reply_id: UUID,
    body: CannedReplyIn,
    request: Request,
    actor: Annotated[Actor, Depends(managers)],
) -> CannedReplyOut:
    _existing_canned(request, reply_id)
    reply = CannedReplyOut(id=str(reply_id), updated_by=actor.id, **body.model_dump())
    _write_record(request, "canned_reply", reply.id, reply.model_dump(mode="json"))
    return reply


@router.delete("/canned-replies/{reply_id}", status_code=204, responses={401: {}, 403: {}, 404: {}})
def delete_canned(
    reply_id: UUID, request: Request, actor: Annotated[Actor, Depends(managers)]
) -> None:
    _existing_canned(request, reply_id)  # a tombstone, so workstations learn of the delete
    _write_record(request, "canned_reply", str(reply_id), {"id": str(reply_id), "deleted": True})


# -- SLA policy -----------------------------------------------------------------------------
@router.get("/sla-policy", response_model=SlaPolicyIn, responses={401: {}, 403: {}})
def get_sla(request: Request, actor: Annotated[Actor, Depends(production)]) -> SlaPolicyIn:
    with database_of(request).reads() as session:
        record = session.get(Record, ("sla_policy", SLA_ID))
    return SlaPolicyIn.model_validate(record.data) if record is not None else SlaPolicyIn()


@router.put("/sla-policy", response_model=SlaPolicyIn, responses={401: {}, 403: {}})
def put_sla(
    body: SlaPolicyIn, request: Request, actor: Annotated[Actor, Depends(managers)]
) -> SlaPolicyIn:
    try:
        calendar_from_dict(body.calendar)  # the same parser the workstations use
    except (ValueError, TypeError, KeyError, AttributeError) as error:
        raise HTTPException(422, f"invalid calendar: {error}") from error
    _write_record(request, "sla_policy", SLA_ID, body.model_dump(mode="json"))
    return body


# -- presence -------------------------------------------------------------------------------
def _others(session: Session, ticket_id: str, me: str) -> list[PresenceOut]:
    rows = session.execute(
        select(Presence, User.display_name)
        .join(User, User.id == Presence.user_id)
        .where(
            Presence.ticket_id == ticket_id,
            Presence.user_id != me,
            Presence.expires_at > utcnow(),
        )
        .order_by(Presence.state.desc(), User.display_name)
    ).all()
    return [
        PresenceOut(user_id=p.user_id, name=name, state=p.state, expires_at=p.expires_at)
        for p, name in rows
    ]


@router.post("/presence", response_model=list[PresenceOut], responses={401: {}, 403: {}})
def heartbeat(
    body: PresenceIn, request: Request, actor: Annotated[Actor, Depends(production)]
) -> list[PresenceOut]:
    """I am viewing/replying to this ticket (renew every ~10 s); answers who else is there."""
    ticket_id = str(body.ticket_id)

    def work(session: Session) -> list[PresenceOut]:
        session.execute(delete(Presence).where(Presence.user_id == actor.id))
        if body.state != "idle":
            session.add(
                Presence(
                    user_id=actor.id,
                    ticket_id=ticket_id,
                    state=body.state,
                    expires_at=utcnow() + PRESENCE_TTL,
                )
            )
        session.flush()
        return _others(session, ticket_id, actor.id)

    return run_write(database_of(request), work)


@router.get("/presence/{ticket_id}", response_model=list[PresenceOut], responses={401: {}, 403: {}})
def who_is_here(
    ticket_id: UUID, request: Request, actor: Annotated[Actor, Depends(production)]
) -> list[PresenceOut]:
    with database_of(request).reads() as session:
        return _others(session, str(ticket_id), actor.id)
