"""Recording local changes for the sync outbox, in the caller's transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from desk_app.store.models import Mutation


def record(session: Session, mutation: str, entity_id: str, **payload: Any) -> None:
    """Queue a mutation for the central server. Same transaction as the change: both or neither."""
    session.add(Mutation(kind=mutation, entity_id=entity_id, payload=payload))
