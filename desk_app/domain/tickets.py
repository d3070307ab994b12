"""Ticket life-cycle rules: which status a ticket moves to, and why."""

from __future__ import annotations

from desk_app.domain.enums import TicketStatus


def status_after_customer_message(
    current: TicketStatus, *, automated: bool = False
) -> TicketStatus:
    """A customer writing again reopens pending, resolved and closed tickets.

    Auto-replies and bounces (``automated``) never reopen: an out-of-office must not undo a
    resolution.
    """
    if automated:
        return current
    if current in (TicketStatus.PENDING, TicketStatus.RESOLVED, TicketStatus.CLOSED):
        return TicketStatus.OPEN
    return current


def status_after_agent_reply(current: TicketStatus) -> TicketStatus:
    """Answering a new ticket makes it open; other states are the operator's explicit choice."""
    if current is TicketStatus.NEW:
        return TicketStatus.OPEN
    return current


ALLOWED_TRANSITIONS: dict[TicketStatus, frozenset[TicketStatus]] = {
    TicketStatus.NEW: frozenset(
        {TicketStatus.OPEN, TicketStatus.PENDING, TicketStatus.RESOLVED, TicketStatus.CLOSED}
    ),
    TicketStatus.OPEN: frozenset(
        {TicketStatus.PENDING, TicketStatus.RESOLVED, TicketStatus.CLOSED}
    ),
    TicketStatus.PENDING: frozenset(
        {TicketStatus.OPEN, TicketStatus.RESOLVED, TicketStatus.CLOSED}
    ),
    TicketStatus.RESOLVED: frozenset({TicketStatus.OPEN, TicketStatus.CLOSED}),
    # Closed is final for the operator; only a new customer message (or a lead's rework) reopens.
    TicketStatus.CLOSED: frozenset({TicketStatus.OPEN}),
}


class TransitionError(ValueError):
    """Raised for a status change the life-cycle does not allow."""


def check_transition(current: TicketStatus, target: TicketStatus) -> None:
    if current == target:
        return
    if target not in ALLOWED_TRANSITIONS[current]:
        raise TransitionError(f"cannot move a ticket from {current.value} to {target.value}")
