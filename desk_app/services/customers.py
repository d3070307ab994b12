"""What an operator writes on a customer card: private notes (never sent to the customer)."""

from __future__ import annotations

from desk_app.services import mutations
from desk_app.services.changes import Changes
from desk_app.services.context import ServiceContext
from desk_app.store.models import Customer, CustomerNote


class CustomerActions:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def add_note(self, customer_id: str, body: str) -> str:
        """One transaction: the note and its sync mutation. Returns the note id."""
        text = body.strip()
        if not text:
            raise ValueError("an empty note cannot be saved")
        with self.ctx.write() as session:
            if session.get(Customer, customer_id) is None:
                raise LookupError(f"no customer {customer_id}")
            note = CustomerNote(customer_id=customer_id, author_id=self.ctx.agent_id, body=text)
            session.add(note)
            session.flush()
            mutations.record(session, "customer.note", note.id, customer_id=customer_id)
            note_id = note.id
        self.ctx.bus.publish(Changes(customers=frozenset([customer_id])))
        return note_id
