import pytest

from desk_app.domain.enums import ACTIVE_STATUSES, Priority, TicketStatus
from desk_app.domain.tickets import (
    TransitionError,
    check_transition,
    status_after_agent_reply,
    status_after_customer_message,
)


@pytest.mark.parametrize(
    "before", [TicketStatus.PENDING, TicketStatus.RESOLVED, TicketStatus.CLOSED]
)
def test_customer_reply_reopens(before: TicketStatus) -> None:
    assert status_after_customer_message(before) is TicketStatus.OPEN


def test_customer_reply_keeps_new_and_open() -> None:
    assert status_after_customer_message(TicketStatus.NEW) is TicketStatus.NEW
    assert status_after_customer_message(TicketStatus.OPEN) is TicketStatus.OPEN


def test_auto_reply_never_reopens() -> None:
    assert (
        status_after_customer_message(TicketStatus.RESOLVED, automated=True)
        is TicketStatus.RESOLVED
    )


def test_agent_reply_opens_a_new_ticket_only() -> None:
    assert status_after_agent_reply(TicketStatus.NEW) is TicketStatus.OPEN
    assert status_after_agent_reply(TicketStatus.PENDING) is TicketStatus.PENDING


def test_priority_ordering_puts_urgent_first() -> None:
    shuffled = [Priority.LOW, Priority.URGENT, Priority.NORMAL, Priority.HIGH]
    assert sorted(shuffled) == [Priority.URGENT, Priority.HIGH, Priority.NORMAL, Priority.LOW]
    assert len(Priority) == 4


def test_closed_ticket_cannot_be_set_pending_by_an_operator() -> None:
    with pytest.raises(TransitionError):
        check_transition(TicketStatus.CLOSED, TicketStatus.PENDING)
    check_transition(TicketStatus.RESOLVED, TicketStatus.OPEN)


def test_active_statuses() -> None:
    assert {s for s in TicketStatus if s.is_active} == set(ACTIVE_STATUSES)
    assert not TicketStatus.RESOLVED.is_active
