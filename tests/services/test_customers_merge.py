"""Duplicates and merge against a real migrated profile database: nothing lost, undo exact."""

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from desk_app.domain.duplicates import Evidence
from desk_app.domain.enums import Channel
from desk_app.services.changes import Changes
from desk_app.services.context import ServiceContext
from desk_app.services.customers import CustomerActions
from desk_app.services.customers_merge import CustomerMerger, MergeError
from desk_app.services.ingest import ingest_items
from desk_app.store.models import Customer, CustomerIdentity, CustomerNote, Mutation, Ticket
from tests.conftest import incoming


def customer_of(ctx: ServiceContext, ticket_ids: frozenset[str]) -> str:
    with ctx.read() as session:
        return session.scalars(select(Ticket.customer_id).where(Ticket.id.in_(ticket_ids))).one()


@pytest.fixture
def two_ivans(ctx: ServiceContext, account_for: Callable[[Channel], str]) -> tuple[str, str]:
    """The same Ivan writing from Telegram (Cyrillic) and by email (Latin)."""
    telegram = ingest_items(
        ctx,
        account_for(Channel.TELEGRAM),
        [incoming("Android, версия 134: нет фильтров", author="tg-1", name="Иван Иванов")],
    )
    mail = ingest_items(
        ctx,
        account_for(Channel.EMAIL),
        [
            incoming(
                "Filters are gone",
                author="ivan@mail.ru",
                name="Ivan Ivanov",
                thread="mail-1",
                at=datetime(2025, 1, 5, tzinfo=UTC),
            )
        ],
    )
    tg_id = customer_of(ctx, telegram.changes.tickets)
    mail_id = customer_of(ctx, mail.changes.tickets)
    with ctx.write() as session:
        tg = session.get(Customer, tg_id)
        em = session.get(Customer, mail_id)
        assert tg is not None and em is not None
        tg.city, tg.platform, tg.app_version = "Казань", "Android", "134"
        tg.attributes = {"device_id": "dev-1", "segment": "seller"}
        em.city, em.plan = "Kazan", "pro"
        em.attributes = {"segment": "buyer", "newsletter": True}
    CustomerActions(ctx).add_note(mail_id, "Prefers email, VIP seller")
    return tg_id, mail_id


def test_scan_and_card_count_find_the_cross_channel_duplicate(
    ctx: ServiceContext, two_ivans: tuple[str, str]
) -> None:
    merger = CustomerMerger(ctx)
    found = merger.scan()
    assert len(found) == 1
    assert {found[0].a_id, found[0].b_id} == set(two_ivans)
    assert Evidence.SAME_NAME in found[0].evidence
    assert merger.count_for(two_ivans[0]) == 1
    assert merger.count_for(two_ivans[1]) == 1


def test_keys_refresh_incrementally_for_new_customers(
    ctx: ServiceContext, two_ivans: tuple[str, str], account_for: Callable[[Channel], str]
) -> None:
    merger = CustomerMerger(ctx)
    assert merger.count_for(two_ivans[0]) == 1
    ingest_items(
        ctx,
        account_for(Channel.GOOGLE_PLAY),
        [incoming("5 звёзд", author="gp-9", name="IVANOV IVAN", thread="r-9")],
    )
    assert merger.count_for(two_ivans[0]) == 2


def test_preview_shows_what_moves_and_the_conflicts(
    ctx: ServiceContext, two_ivans: tuple[str, str]
) -> None:
    tg_id, mail_id = two_ivans
    preview = CustomerMerger(ctx).preview(tg_id, mail_id)
    assert [(i.channel, i.external_id) for i in preview.identities] == [("email", "ivan@mail.ru")]
    assert len(preview.tickets) == 1
    assert preview.notes == 1
    assert ("plan", "pro") in preview.filled
    conflicts = {c.field: (c.survivor_value, c.merged_value) for c in preview.conflicts}
    assert conflicts["city"] == ("Казань", "Kazan")
    assert conflicts["display_name"] == ("Иван Иванов", "Ivan Ivanov")


def test_merge_loses_nothing_and_goes_through_sync(
    ctx: ServiceContext, two_ivans: tuple[str, str]
) -> None:
    tg_id, mail_id = two_ivans
    published: list[Changes] = []
    ctx.bus.subscribe(published.append)
    merger = CustomerMerger(ctx)
    merge_id = merger.merge(tg_id, mail_id, take={"city"})
    with ctx.read() as session:
        survivor = session.get(Customer, tg_id)
        merged = session.get(Customer, mail_id)
        assert survivor is not None and merged is not None
        assert merged.merged_into_id == tg_id
        assert merged.display_name == "Ivan Ivanov"  # the merged row is kept as it was
        identities = set(
            session.scalars(
                select(CustomerIdentity.external_id).where(CustomerIdentity.customer_id == tg_id)
            )
        )
        assert identities == {"tg-1", "ivan@mail.ru"}
        tickets = session.scalar(select(func.count()).where(Ticket.customer_id == tg_id))
        assert tickets == 2
        notes = session.scalars(select(CustomerNote.body).where(CustomerNote.customer_id == tg_id))
        assert list(notes) == ["Prefers email, VIP seller"]
        assert survivor.city == "Kazan"  # taken from the merged customer, as asked
        assert survivor.plan == "pro"  # empty on the survivor: filled
        assert survivor.customer_since == datetime(2025, 1, 5, tzinfo=UTC)  # earliest contact
        kept = survivor.attributes["merged_values"]
        assert kept["city"] == ["Казань"] and kept["display_name"] == ["Ivan Ivanov"]
        assert kept["segment"] == ["buyer"]
        assert survivor.attributes["newsletter"] is True
        kinds = [m.kind for m in session.scalars(select(Mutation).order_by(Mutation.seq))]
        assert kinds[-1] == "customer.merge"
    assert published[-1].customers == {tg_id, mail_id}
    assert merger.scan() == []  # merged customers are no longer candidates
    assert merger.merges(tg_id)[0].id == merge_id


def test_undo_puts_everything_back_exactly(ctx: ServiceContext, two_ivans: tuple[str, str]) -> None:
    tg_id, mail_id = two_ivans
    merger = CustomerMerger(ctx)

    def snapshot() -> dict:
        with ctx.read() as session:
            customers = {
                c.id: (
                    c.display_name,
                    c.city,
                    c.plan,
                    c.customer_since,
                    c.attributes,
                    c.merged_into_id,
                )
                for c in session.scalars(select(Customer))
            }
            owners = {
                "identities": sorted(
                    session.execute(select(CustomerIdentity.id, CustomerIdentity.customer_id)).all()
                ),
                "tickets": sorted(session.execute(select(Ticket.id, Ticket.customer_id)).all()),
                "notes": sorted(
                    session.execute(select(CustomerNote.id, CustomerNote.customer_id)).all()
                ),
            }
            return {"customers": customers, **owners}

    before = snapshot()
    merge_id = merger.merge(tg_id, mail_id)
    assert snapshot() != before
    merger.undo(merge_id)
    assert snapshot() == before
    assert merger.count_for(tg_id) == 1  # a candidate again after undo
    with ctx.read() as session:
        assert (
            session.scalars(select(Mutation.kind).order_by(Mutation.seq.desc())).first()
            == "customer.unmerge"
        )
    with pytest.raises(MergeError, match="already undone"):
        merger.undo(merge_id)


def test_undo_keeps_changes_made_after_the_merge(
    ctx: ServiceContext, two_ivans: tuple[str, str]
) -> None:
    tg_id, mail_id = two_ivans
    merger = CustomerMerger(ctx)
    merge_id = merger.merge(tg_id, mail_id)
    with ctx.write() as session:
        survivor = session.get(Customer, tg_id)
        assert survivor is not None
        survivor.plan = "business"  # an operator edits the card after the merge
    merger.undo(merge_id)
    with ctx.read() as session:
        survivor = session.get(Customer, tg_id)
        assert survivor is not None and survivor.plan == "business"


def test_dismissed_pairs_are_not_proposed_again(
    ctx: ServiceContext, two_ivans: tuple[str, str]
) -> None:
    merger = CustomerMerger(ctx)
    merger.dismiss(*two_ivans)
    assert merger.scan() == []
    assert merger.count_for(two_ivans[0]) == 0


def test_bad_merges_are_refused(ctx: ServiceContext, two_ivans: tuple[str, str]) -> None:
    merger = CustomerMerger(ctx)
    with pytest.raises(MergeError):
        merger.merge(two_ivans[0], two_ivans[0])
    merger.merge(*two_ivans)
    with pytest.raises(MergeError, match="already merged"):
        merger.merge(*two_ivans)
