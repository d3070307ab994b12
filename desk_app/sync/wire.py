"""Turning cache rows into wire documents and back. Shared by the push and pull sides (and the
server imports the field lists, so both ends agree on what a ticket patch may carry)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import DeclarativeBase

from desk_app.store.types import UtcDateTime

SLA_FIELDS = (
    "sla_due_at",
    "due_rank",
    "sla_first_response_due",
    "sla_first_responded_at",
    "sla_resolution_due",
    "sla_resolution_consumed",
    "sla_running_since",
    "sla_resolution_target",
    "sla_stopped",
)
# Per-workstation state that never travels: whether *this* operator has read the ticket.
LOCAL_TICKET_FIELDS = frozenset({"unread"})


def to_json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def row_doc(row: DeclarativeBase, exclude: frozenset[str] = frozenset()) -> dict[str, Any]:
    """Every column of a row as JSON-ready values."""
    return {
        column.key: to_json(getattr(row, column.key))
        for column in row.__table__.columns
        if column.key not in exclude
    }


def from_doc(model: type[DeclarativeBase], data: dict[str, Any]) -> dict[str, Any]:
    """The subset of ``data`` that are columns of ``model``, datetimes parsed back."""
    values: dict[str, Any] = {}
    for column in model.__table__.columns:
        if column.key not in data:
            continue
        value = data[column.key]
        if isinstance(column.type, UtcDateTime) and isinstance(value, str):
            value = datetime.fromisoformat(value)
        values[column.key] = value
    return values
