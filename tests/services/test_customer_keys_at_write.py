"""Duplicate keys are written by the transaction that changes a customer, whatever wrote it:
ORM, Core bulk insert, a later identity, merge and undo, a profile upgraded from lazy keying.
Real migrated SQLite profiles, no mocks."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import Connection, delete, event, insert, select

from desk_app.domain.duplicates import decode_facts
from desk_app.services.context import ServiceContext
from desk_app.services.customers_merge import CustomerMerger
from desk_app.store.db import _alembic_config, make_engine, make_session_factory, migrate
from desk_app.store.models import Customer, CustomerIdentity, Setting
from desk_app.store.operator_models import CustomerKeysDirty, CustomerMatchFacts, CustomerMatchKey
from desk_app.store.types import new_id, utcnow


def keys_of(ctx: ServiceContext, customer_id: str) -> set[str]:
    with ctx.read() as session:
        rows = session.scalars(
            select(CustomerMatchKey.key).where(CustomerMatchKey.customer_id == customer_id)
        )
        return set(rows)


def emails_in_facts(ctx: ServiceContext, customer_id: str) -> frozenset[str]:
    with ctx.read() as session:
        row = session.get(CustomerMatchFacts, customer_id)
        assert row is not None
        return decode_facts(customer_id, row.facts).emails


def queued(connection: Connection) -> set[str]:
    return set(connection.execute(select(CustomerKeysDirty.customer_id)).scalars())


def queue_after_commit(ctx: ServiceContext) -> set[str]:
    with ctx.read() as session:
        return queued(session.connection())


def customer_rows(count: int, name: str = "Иван Иванов") -> list[dict[str, Any]]:
    now = utcnow()
    return [
        {
            "id": new_id(),
            "display_name": name,
            "attributes": {"phone": f"8 (916) 000-00-0{n}"},
            "created_at": now,
            "updated_at": now,
        }
        for n in range(count)
    ]


def test_core_bulk_insert_in_a_write_transaction_is_keyed_at_commit(ctx: ServiceContext) -> None:
    rows = customer_rows(3)
    with ctx.write() as session:
        session.connection().execute(insert(Customer), rows)
        assert queued(session.connection()) == {r["id"] for r in rows}  # the triggers saw it
    for n, row in enumerate(rows):
        keys = keys_of(ctx, row["id"])
        assert f"p:+791600000{n:02d}" in keys
        assert any(k.startswith("n:") for k in keys)
    assert queue_after_commit(ctx) == set()


def test_core_insert_outside_any_session_is_keyed_too(ctx: ServiceContext) -> None:
    row = customer_rows(1, name="Пётр Сидоров")[0]
    engine = ctx.sessions.kw["bind"]
    with engine.begin() as connection:  # plain Core, no ORM session at all
        connection.execute(insert(Customer), [row])
    assert "p:+79160000000" in keys_of(ctx, row["id"])


def test_orm_customer_and_an_identity_added_later(ctx: ServiceContext) -> None:
    with ctx.write() as session:
        customer = Customer(display_name="Ivan Ivanov")
        session.add(customer)
        session.flush()
        customer_id = customer.id
    assert any(k.startswith("n:") for k in keys_of(ctx, customer_id))
    assert emails_in_facts(ctx, customer_id) == frozenset()

    with ctx.write() as session:
        session.add(
            CustomerIdentity(customer_id=customer_id, channel="email", external_id="Ivan@Mail.ru")
        )
    keys = keys_of(ctx, customer_id)
    assert "e:ivan@mail.ru" in keys
    assert emails_in_facts(ctx, customer_id) == {"ivan@mail.ru"}

    with ctx.write() as session:
        session.execute(delete(CustomerIdentity).where(CustomerIdentity.customer_id == customer_id))
    assert "e:ivan@mail.ru" not in keys_of(ctx, customer_id)
    assert queue_after_commit(ctx) == set()


def test_renaming_re_keys_and_deleting_drops_the_keys(ctx: ServiceContext) -> None:
    with ctx.write() as session:
        customer = Customer(display_name="Ivan Ivanov", attributes={"email": "a@b.example"})
        session.add(customer)
        session.flush()
        customer_id = customer.id
    before = keys_of(ctx, customer_id)
    with ctx.write() as session:
        found = session.get(Customer, customer_id)
        assert found is not None
        found.display_name = "Мария Петрова"
    after = keys_of(ctx, customer_id)
    assert "e:a@b.example" in after and after != before
    with ctx.write() as session:
        session.execute(delete(Customer).where(Customer.id == customer_id))
    assert keys_of(ctx, customer_id) == set()
    with ctx.read() as session:
        assert session.get(CustomerMatchFacts, customer_id) is None


@pytest.fixture
def statements(ctx: ServiceContext) -> Iterator[list[str]]:
    """Every SQL statement SQLite runs for this profile (its trace callback on each pooled
    connection as it is checked out), the hook's raw statements included."""
    engine = ctx.sessions.kw["bind"]
    seen: list[str] = []

    def trace(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        dbapi_connection.set_trace_callback(seen.append)

    event.listen(engine, "checkout", trace)
    yield seen
    event.remove(engine, "checkout", trace)
    engine.dispose()  # the traced connections go


def test_a_write_touching_no_keyed_fact_leaves_the_queue_alone(
    ctx: ServiceContext, statements: list[str]
) -> None:
    with ctx.write() as session:
        customer = Customer(display_name="Ivan Ivanov")
        session.add(customer)
        session.flush()
        customer_id = customer.id
    statements.clear()
    with ctx.write() as session:
        session.merge(Setting(key="ui.theme", value={"name": "dark"}))
        found = session.get(Customer, customer_id)
        assert found is not None
        found.city = "Kazan"  # not a keyed fact: the update trigger's WHEN says no
        session.add(  # not a contact channel: its identity is no keyed fact either
            CustomerIdentity(customer_id=customer_id, channel="telegram", external_id="tg-7")
        )
        session.flush()
        assert queued(session.connection()) == set()
    keyed = [s for s in statements if "customer_keys_dirty" in s or "customer_match_" in s]
    assert keyed == [s for s in keyed if s.startswith("SELECT")]  # probes only, no writes
    assert any("customer_keys_dirty" in s for s in keyed)  # the commit did look


def test_merge_and_undo_are_keyed_when_they_commit(ctx: ServiceContext) -> None:
    with ctx.write() as session:
        a = Customer(display_name="Иван Иванов")
        b = Customer(display_name="Ivan Ivanov")
        session.add_all([a, b])
        session.flush()
        session.add(CustomerIdentity(customer_id=b.id, channel="email", external_id="iv@x.example"))
        a_id, b_id = a.id, b.id
    merger = CustomerMerger(ctx)
    merge_id = merger.merge(a_id, b_id)
    assert keys_of(ctx, b_id) == set()  # merged away: in no block
    assert emails_in_facts(ctx, a_id) == {"iv@x.example"}
    assert "e:iv@x.example" in keys_of(ctx, a_id)  # the identity moved to the survivor
    merger.undo(merge_id)
    assert "e:iv@x.example" in keys_of(ctx, b_id)
    assert "e:iv@x.example" not in keys_of(ctx, a_id)
    assert {(c.a_id, c.b_id) for c in merger.scan()} == {tuple(sorted((a_id, b_id)))}


def test_upgrade_from_lazy_keying_backfills_once(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    command.upgrade(_alembic_config(engine), "0004")
    rows = customer_rows(2) + customer_rows(1, name="Ivan Ivanov")
    with engine.begin() as connection:
        connection.execute(insert(Customer), rows)
    migrate(engine)  # 0005: every existing customer queued
    ctx = ServiceContext(make_session_factory(engine))
    assert queue_after_commit(ctx) == {r["id"] for r in rows}
    merger = CustomerMerger(ctx)
    assert merger.refresh_keys() == 3
    assert queue_after_commit(ctx) == set()
    same_phone = tuple(sorted((rows[0]["id"], rows[2]["id"])))  # +79160000000, two scripts
    assert [(c.a_id, c.b_id) for c in merger.scan()] == [same_phone]
    assert merger.refresh_keys() == 0
    engine.dispose()


def test_unreadable_attributes_do_not_block_the_commit(ctx: ServiceContext) -> None:
    customer_id, now = new_id(), utcnow().isoformat(sep=" ")
    with ctx.write() as session:  # a hand-made row: attributes that are not JSON
        session.connection().exec_driver_sql(
            "INSERT INTO customers(id, display_name, attributes, created_at, updated_at) "
            "VALUES (?, 'Ivan Ivanov', '{\"email\": broken', ?, ?)",
            (customer_id, now, now),
        )
    assert [k for k in keys_of(ctx, customer_id) if k.startswith("e:")] == []
    assert any(k.startswith("n:") for k in keys_of(ctx, customer_id))
