"""Signing in and out, users and teams. Only leads and admins manage users; only admins make
admins or teams; a lead cannot touch an admin account."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Request
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from desk_app.domain.enums import Role
from desk_app.server.apply import Actor, publish_user
from desk_app.server.auth import (
    TOKEN_LIFETIME,
    admins,
    bearer,
    current_actor,
    database_of,
    managers,
    production,
)
from desk_app.server.feed import Feed
from desk_app.server.models import SessionToken, Team, User
from desk_app.server.schemas import (
    LoginRequest,
    LoginResponse,
    TeamCreate,
    TeamOut,
    UserCreate,
    UserOut,
    UserPatch,
)
from desk_app.server.security import (
    dummy_hash,
    hash_password,
    new_token,
    token_hash,
    verify_password,
)
from desk_app.server.tx import run_write
from desk_app.store.types import utcnow

router = APIRouter(tags=["accounts"])
UserId = Annotated[str, Path(pattern=r"^[0-9a-fA-F-]{36}$")]


def user_out(user: User) -> UserOut:
    return UserOut(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        email=user.email,
        role=Role(user.role),
        team_id=user.team_id,
        active=user.active,
    )


@router.post("/auth/login", response_model=LoginResponse, responses={401: {}})
def login(body: LoginRequest, request: Request) -> LoginResponse:
    database = database_of(request)
    with database.reads() as session:
        user = session.scalars(select(User).where(User.username == body.username)).first()
    if user is None or not user.active:
        verify_password(dummy_hash(), body.password)  # same time as a wrong password
        raise HTTPException(401, "wrong username or password")
    if not verify_password(user.password_hash, body.password):
        raise HTTPException(401, "wrong username or password")
    token = new_token()

    def store(session: Session) -> None:
        session.add(
            SessionToken(
                token_hash=token_hash(token), user_id=user.id, expires_at=utcnow() + TOKEN_LIFETIME
            )
        )

    run_write(database, store)
    return LoginResponse(token=token, user=user_out(user))


@router.post("/auth/logout", status_code=204, responses={401: {}})
def logout(
    request: Request,
    actor: Annotated[Actor, Depends(current_actor)],
    credentials: Annotated[object, Depends(bearer)],
) -> None:
    key = token_hash(getattr(credentials, "credentials", ""))
    run_write(
        database_of(request),
        lambda s: s.execute(delete(SessionToken).where(SessionToken.token_hash == key)),
    )
    request.app.state.tokens.drop(key)


@router.get("/me", response_model=UserOut, responses={401: {}})
def me(request: Request, actor: Annotated[Actor, Depends(current_actor)]) -> UserOut:
    with database_of(request).reads() as session:
        user = session.get(User, actor.id)
        if user is None:
            raise HTTPException(401, "unknown user")
        return user_out(user)


# -- users ----------------------------------------------------------------------------------
@router.get("/users", response_model=list[UserOut], responses={401: {}, 403: {}})
def list_users(request: Request, actor: Annotated[Actor, Depends(managers)]) -> list[UserOut]:
    with database_of(request).reads() as session:
        return [user_out(u) for u in session.scalars(select(User).order_by(User.username))]


def _check_grant(actor: Actor, role: Role | None, target: User | None = None) -> None:
    if actor.role is Role.ADMIN:
        return
    if role is Role.ADMIN or (target is not None and target.role == Role.ADMIN):
        raise HTTPException(403, "only an admin can manage admin accounts")


def _check_team(session: Session, team_id: str | None) -> None:
    if team_id is not None and session.get(Team, team_id) is None:
        raise HTTPException(404, "no such team")


def create_user_in(session: Session, body: UserCreate, postgres: bool) -> User:
    if session.scalars(select(User).where(User.username == body.username)).first():
        raise HTTPException(409, "username taken")
    team_id = str(body.team_id) if body.team_id else None
    _check_team(session, team_id)
    user = User(
        username=body.username,
        display_name=body.display_name,
        email=body.email,
        role=body.role.value,
        team_id=team_id,
        password_hash=hash_password(body.password),
    )
    session.add(user)
    session.flush()
    feed = Feed(session, postgres)
    publish_user(feed, user)
    feed.commit_seqs()
    return user


@router.post(
    "/users",
    response_model=UserOut,
    status_code=201,
    responses={401: {}, 403: {}, 404: {}, 409: {}},
)
def create_user(
    body: UserCreate, request: Request, actor: Annotated[Actor, Depends(managers)]
) -> UserOut:
    _check_grant(actor, body.role)
    database = database_of(request)
    return user_out(run_write(database, lambda s: create_user_in(s, body, database.is_postgres)))


@router.patch("/users/{user_id}", response_model=UserOut, responses={401: {}, 403: {}, 404: {}})
def update_user(
    user_id: UserId, body: UserPatch, request: Request, actor: Annotated[Actor, Depends(managers)]
) -> UserOut:
    database = database_of(request)

    def work(session: Session) -> User:
        user = session.get(User, user_id)
        if user is None:
            raise HTTPException(404, "no such user")
        _check_grant(actor, body.role, user)
        changes = body.model_dump(exclude_unset=True)
        if "team_id" in changes:
            changes["team_id"] = str(body.team_id) if body.team_id else None
            _check_team(session, changes["team_id"])
        if "role" in changes and body.role is not None:
            changes["role"] = body.role.value
        password = changes.pop("password", None)
        if password:
            user.password_hash = hash_password(password)
        for name, value in changes.items():
            if value is not None or name in ("email", "team_id"):
                setattr(user, name, value)
        if user.active is False or password:
            session.execute(delete(SessionToken).where(SessionToken.user_id == user.id))
        feed = Feed(session, database.is_postgres)
        publish_user(feed, user)
        feed.commit_seqs()
        return user

    return user_out(run_write(database, work))


# -- teams ----------------------------------------------------------------------------------
@router.get("/teams", response_model=list[TeamOut], responses={401: {}, 403: {}})
def list_teams(request: Request, actor: Annotated[Actor, Depends(production)]) -> list[TeamOut]:
    with database_of(request).reads() as session:
        return [TeamOut(id=t.id, name=t.name) for t in session.scalars(select(Team))]


@router.post(
    "/teams", response_model=TeamOut, status_code=201, responses={401: {}, 403: {}, 409: {}}
)
def create_team(
    body: TeamCreate, request: Request, actor: Annotated[Actor, Depends(admins)]
) -> TeamOut:
    def work(session: Session) -> TeamOut:
        if session.scalars(select(Team).where(Team.name == body.name)).first():
            raise HTTPException(409, "team exists")
        team = Team(name=body.name)
        session.add(team)
        session.flush()
        return TeamOut(id=team.id, name=team.name)

    return run_write(database_of(request), work)
