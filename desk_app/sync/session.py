"""Connecting a profile to a server: sign in once (token to the keyring), remember the server and
who we are in ``sync_state``, and make the signed-in user this profile's operator."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from desk_app.store.models import Agent, Setting
from desk_app.store.sync_models import SYNC_STATE_ID, SyncState
from desk_app.sync.client import NotSignedIn, SyncClient
from desk_app.sync.tokens import load_token, save_token

CURRENT_AGENT_SETTING = "current_agent"  # read by services.queries.current_agent_id


@dataclass(frozen=True)
class Connection:
    server_url: str
    username: str
    user_id: str | None


def sign_in(
    sessions: sessionmaker[Session], server_url: str, username: str, password: str
) -> Connection:
    """Log in, keep the token only in the OS keyring, link this profile to the server."""
    client = SyncClient(server_url)
    try:
        body = client.login(username, password)
    finally:
        client.close()
    save_token(server_url, username, body["token"])
    user = body["user"]
    with sessions.begin() as session:
        state = session.get(SyncState, SYNC_STATE_ID)
        if state is None or state.server_url != server_url or state.username != username:
            if state is not None:
                session.delete(state)
                session.flush()
            state = SyncState(id=SYNC_STATE_ID, server_url=server_url, username=username, cursor="")
            session.add(state)
        state.user_id = user["id"]
        if session.get(Agent, user["id"]) is None:
            session.add(Agent(id=user["id"], name=user["display_name"], email=user["email"]))
        session.merge(Setting(key=CURRENT_AGENT_SETTING, value={"id": user["id"]}))
    return Connection(server_url, username, user["id"])


def connection(sessions: sessionmaker[Session]) -> Connection | None:
    with sessions() as session:
        state = session.get(SyncState, SYNC_STATE_ID)
        if state is None:
            return None
        return Connection(state.server_url, state.username, state.user_id)


def client_for(link: Connection) -> SyncClient:
    """A client carrying the stored token (raises NotSignedIn when the keyring has none)."""
    token = load_token(link.server_url, link.username)
    if not token:
        raise NotSignedIn("no saved session: sign in again")
    return SyncClient(link.server_url, token)
