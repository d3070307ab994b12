"""Operator tools through the sync path: customer merge and its undo, canned replies and their
usage, knowledge-base drafts and publishing, with role checks — two or three real workstations
against the real server (SQLite and PostgreSQL backends)."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from desk_app.services.canned import CannedLibrary, CannedPermissionError
from desk_app.services.customers import CustomerActions
from desk_app.services.customers_merge import CustomerMerger
from desk_app.services.kb import ARCHIVED, DRAFT, PUBLISHED, KnowledgeBase
from desk_app.store.models import Agent, Customer, CustomerIdentity, CustomerNote, Ticket
from desk_app.store.operator_models import CustomerMerge
from desk_app.sync.client import Forbidden
from tests.sync.test_scenarios import MakeStation, station  # noqa: F401 (the fixture)
from tests.sync.workstation import Workstation

pytestmark = pytest.mark.timeout(120)


def _owner_of(ws: Workstation, ticket_id: str) -> str:
    with ws.sessions() as session:
        ticket = session.get(Ticket, ticket_id)
        assert ticket is not None
        return ticket.customer_id


def _links(ws: Workstation, customer_id: str) -> tuple[str | None, set[str], set[str], set[str]]:
    """(merged_into_id, identity ids, ticket ids, note ids) of a customer in ws's cache."""
    with ws.sessions() as session:
        customer = session.get(Customer, customer_id)
        assert customer is not None
        return (
            customer.merged_into_id,
            set(
                session.scalars(
                    select(CustomerIdentity.id).where(CustomerIdentity.customer_id == customer_id)
                )
            ),
            set(session.scalars(select(Ticket.id).where(Ticket.customer_id == customer_id))),
            set(
                session.scalars(
                    select(CustomerNote.id).where(CustomerNote.customer_id == customer_id)
                )
            ),
        )


def _uses(ws: Workstation, reply_id: str) -> int:
    return next(r.uses for r in CannedLibrary(ws.ctx).replies() if r.id == reply_id)


def test_merge_and_undo_propagate(station: MakeStation) -> None:  # noqa: F811
    lena, anna, boris = (station(n) for n in ("lena", "anna", "boris"))
    t1, t2 = lena.ingest("crash on start", "where is my refund")
    lena.sync()
    survivor, merged = _owner_of(lena, t1), _owner_of(lena, t2)
    CustomerActions(lena.ctx).add_note(merged, "Paid by card, asked twice")
    lena.sync()
    anna.sync()
    boris.sync()
    before = _links(boris, merged)
    assert before[0] is None and t2 in before[2] and len(before[1]) == len(before[3]) == 1

    merge_id = CustomerMerger(anna.ctx).merge(survivor, merged)
    anna.sync()
    boris.pull()
    assert anna.mutation_states().get("rejected", 0) == 0
    into, identities, tickets, notes = _links(boris, merged)
    assert into == survivor and not identities and not tickets and not notes
    moved = _links(boris, survivor)
    assert before[1] <= moved[1] and t2 in moved[2] and before[3] <= moved[3]
    with boris.sessions() as session:
        record = session.get(CustomerMerge, merge_id)
        assert record is not None and record.undone_at is None
        assert t2 in record.undo["tickets"]

    CustomerMerger(anna.ctx).undo(merge_id)
    anna.sync()
    boris.pull()
    assert _links(boris, merged) == before
    assert t2 not in _links(boris, survivor)[2]
    assert _links(anna, merged) == before
    with boris.sessions() as session:
        record = session.get(CustomerMerge, merge_id)
        assert record is not None and record.undone_at is not None
    assert not anna.rejections


def test_trainee_merge_is_refused(station: MakeStation) -> None:  # noqa: F811
    tom, anna = station("tom"), station("anna")
    t1, t2 = tom.ingest("first", "second")
    CustomerMerger(tom.ctx).merge(_owner_of(tom, t1), _owner_of(tom, t2))
    with pytest.raises(Forbidden):
        tom.push()
    assert tom.pending() > 0  # kept locally, never applied on the server
    anna.sync()
    with anna.sessions() as session:
        assert session.scalars(select(CustomerMerge)).first() is None
        assert session.scalars(select(Ticket)).first() is None


def test_canned_reply_and_usage_counts_add_up(station: MakeStation) -> None:  # noqa: F811
    lena, anna = station("lena"), station("anna")
    lena.sync()
    anna.sync()
    library = CannedLibrary(lena.ctx)
    folder = library.save_folder("Payments")
    reply = library.save_reply(
        title="Refund on the way",
        body="Hello {customer.first_name}, your refund is on the way.",
        language="en",
        folder_id=folder,
        keywords="refund money",
        shortcut="refund",
    )
    lena.sync()
    anna.pull()
    found = CannedLibrary(anna.ctx).by_shortcut("refund", language="en")
    assert found is not None and found.id == reply and found.folder == "Payments"

    CannedLibrary(anna.ctx).record_use(reply, None)
    CannedLibrary(anna.ctx).record_use(reply, None)
    library.record_use(reply, None)
    anna.sync()
    lena.sync()
    anna.pull()
    assert _uses(anna, reply) == _uses(lena, reply) == 3

    library.archive(reply)
    lena.sync()
    anna.pull()
    assert CannedLibrary(anna.ctx).by_shortcut("refund", language="en") is None

    # An agent cannot change the shared library: her workstation refuses at once, and with a
    # stale (or tampered with) cached role the server still does, and says why.
    with pytest.raises(CannedPermissionError):
        CannedLibrary(anna.ctx).save_reply(title="Mine", body="Hi", language="en")
    with anna.ctx.write() as session:
        session.execute(update(Agent).where(Agent.id == anna.ctx.agent_id).values(role="lead"))
    CannedLibrary(anna.ctx).save_reply(title="Mine", body="Hi", language="en")
    anna.push()
    assert [r.kind for r in anna.rejections] == ["canned.save"]
    assert "lead or an admin" in anna.rejections[0].reason
    lena.pull()
    assert all(r.title != "Mine" for r in CannedLibrary(lena.ctx).replies())


def test_kb_draft_by_agent_published_by_lead(station: MakeStation) -> None:  # noqa: F811
    lena, anna = station("lena"), station("anna")
    lena.sync()
    anna.sync()
    draft = KnowledgeBase(anna.ctx).save_article(
        title="Notifications do not arrive",
        body="Open **Settings → Notifications** and allow them.",
        language="en",
        category="Android",
    )
    anna.sync()
    lena.pull()
    assert KnowledgeBase(lena.ctx).get(draft).status == DRAFT
    assert not anna.rejections

    KnowledgeBase(lena.ctx).publish(draft)
    lena.sync()
    anna.pull()
    assert KnowledgeBase(anna.ctx).get(draft).status == PUBLISHED
    hits = KnowledgeBase(anna.ctx).search("notifications arrive", language="en").results
    assert [h.article.id for h in hits] == [draft]


def test_discarded_draft_is_archived_everywhere(station: MakeStation) -> None:  # noqa: F811
    lena, anna = station("lena"), station("anna")
    anna.sync()
    draft = KnowledgeBase(anna.ctx).save_article(title="Wrong idea", body="No.", language="en")
    anna.sync()
    lena.pull()
    KnowledgeBase(lena.ctx).discard(draft)
    lena.sync()
    anna.pull()
    assert not lena.rejections
    assert KnowledgeBase(anna.ctx).get(draft).status == ARCHIVED
    assert KnowledgeBase(anna.ctx).drafts() == []


def test_agent_publish_is_rejected_with_a_reason(station: MakeStation) -> None:  # noqa: F811
    lena, anna = station("lena"), station("anna")
    anna.sync()
    kb = KnowledgeBase(anna.ctx)
    draft = kb.save_article(title="Refund times", body="Five days.", language="en")
    anna.push()
    # A workstation whose cached role is stale (or tampered with) still cannot publish.
    with anna.ctx.write() as session:
        session.execute(update(Agent).where(Agent.id == anna.ctx.agent_id).values(role="lead"))
    kb.publish(draft)
    anna.push()
    assert [(r.kind, r.reason) for r in anna.rejections] == [
        ("kb.article.publish", "only a lead or an admin can publish articles")
    ]
    lena.pull()
    assert KnowledgeBase(lena.ctx).get(draft).status == DRAFT


def test_duplicate_review_follows_synced_merges_and_dismissals(station: MakeStation) -> None:  # noqa: F811
    lena, anna, boris = (station(n) for n in ("lena", "anna", "boris"))
    t1, t2, t3 = lena.ingest("Ivan Ivanov", "Иван Иванов", "Ivan  IVANOV")
    with lena.ctx.write() as session:  # one phone number on all three: strong evidence
        session.execute(update(Customer).values(attributes={"phone": "+7 999 123-45-67"}))
    lena.sync()
    anna.sync()
    boris.sync()
    c1, c2, c3 = (_owner_of(boris, t) for t in (t1, t2, t3))
    pairs = {frozenset((c.a_id, c.b_id)) for c in CustomerMerger(boris.ctx).scan()}
    assert {frozenset((c1, c2)), frozenset((c1, c3))} <= pairs  # boris keyed them all

    CustomerMerger(anna.ctx).merge(c1, c2)
    CustomerMerger(anna.ctx).dismiss(c1, c3)
    anna.sync()
    CustomerMerger(boris.ctx).scan()  # boris refreshes his index after the merge, before pulling
    boris.pull()
    left = {frozenset((c.a_id, c.b_id)) for c in CustomerMerger(boris.ctx).scan()}
    assert not any(c2 in pair for pair in left)  # merged away on another workstation
    assert frozenset((c1, c3)) not in left  # "not the same person", said on another workstation
