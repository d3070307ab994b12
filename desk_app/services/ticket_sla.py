"""Moving a ticket's SLA clock between its columns and the pure domain SlaClock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from sqlalchemy.orm import Session

from desk_app.domain.enums import Priority, TicketStatus
from desk_app.domain.sla import BusinessCalendar, SlaClock
from desk_app.services.sla_policy import load_sla
from desk_app.store.models import NO_DUE, Ticket


def clock_of(ticket: Ticket) -> SlaClock:
    return SlaClock(
        first_response_due=ticket.sla_first_response_due,
        first_responded_at=ticket.sla_first_responded_at,
        resolution_due=ticket.sla_resolution_due,
        resolution_consumed=ticket.sla_resolution_consumed or 0.0,
        running_since=ticket.sla_running_since,
        resolution_target=ticket.sla_resolution_target or 0.0,
        stopped=bool(ticket.sla_stopped),
    )


def store_clock(ticket: Ticket, clock: SlaClock) -> None:
    ticket.sla_first_response_due = clock.first_response_due
    ticket.sla_first_responded_at = clock.first_responded_at
    ticket.sla_resolution_due = clock.resolution_due
    ticket.sla_resolution_consumed = clock.resolution_consumed
    ticket.sla_running_since = clock.running_since
    ticket.sla_resolution_target = clock.resolution_target
    ticket.sla_stopped = clock.stopped
    due = clock.next_due
    ticket.sla_due_at = due
    ticket.due_rank = due.timestamp() if due is not None else NO_DUE


def start_clock(session: Session, ticket: Ticket, now: datetime) -> None:
    calendar, targets = load_sla(session)
    store_clock(ticket, SlaClock.start(now, targets[Priority(ticket.priority)], calendar))


def update_clock(
    session: Session, ticket: Ticket, change: Callable[[SlaClock, BusinessCalendar], SlaClock]
) -> None:
    calendar, _ = load_sla(session)
    store_clock(ticket, change(clock_of(ticket), calendar))


def follow_status(session: Session, ticket: Ticket, status: TicketStatus, now: datetime) -> None:
    """Pending pauses the clocks, resolved/closed stop them, active states run them."""
    if status is TicketStatus.PENDING:
        update_clock(session, ticket, lambda c, cal: c.pause(now, cal))
    elif status in (TicketStatus.RESOLVED, TicketStatus.CLOSED):
        update_clock(session, ticket, lambda c, cal: c.stop(now, cal))
    else:
        update_clock(session, ticket, lambda c, cal: c.resume(now, cal))


def retarget(session: Session, ticket: Ticket, now: datetime) -> None:
    """A new priority brings new targets; time already spent still counts."""
    calendar, targets = load_sla(session)
    target = targets[Priority(ticket.priority)]
    clock = clock_of(ticket)
    first_due = clock.first_response_due
    if clock.first_responded_at is None and not clock.stopped:
        first_due = calendar.add(ticket.created_at, target.first_response_minutes * 60.0)
    clock = replace(
        clock, resolution_target=target.resolution_minutes * 60.0, first_response_due=first_due
    )
    if clock.running_since is not None:
        clock = clock.pause(now, calendar).resume(now, calendar)
    store_clock(ticket, clock)
