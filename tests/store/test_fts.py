from collections.abc import Callable

from sqlalchemy import text

from desk_app.domain.enums import Channel
from desk_app.services.context import ServiceContext
from desk_app.services.ingest import ingest_items
from desk_app.store.fts import match_expression
from desk_app.store.models import Message
from tests.conftest import incoming


def search(ctx: ServiceContext, query: str) -> list[str]:
    expression = match_expression(query)
    with ctx.read() as session:
        rows = session.execute(
            text(
                "SELECT m.body_text FROM messages_fts f JOIN messages m ON m.seq = f.rowid"
                " WHERE messages_fts MATCH :q ORDER BY m.seq"
            ),
            {"q": expression},
        )
        return [r[0] for r in rows]


def test_index_follows_insert_update_delete(
    ctx: ServiceContext, account_for: Callable[[Channel], str]
) -> None:
    account = account_for(Channel.TELEGRAM)
    ingest_items(ctx, account, [incoming("Не работают ФИЛЬТРЫ в приложении")])
    ingest_items(ctx, account, [incoming("Payment failed twice", author="c2", thread="t2")])
    assert search(ctx, "фильтры") == ["Не работают ФИЛЬТРЫ в приложении"]
    assert search(ctx, "paym") == ["Payment failed twice"]  # prefix, as you type
    with ctx.write() as session:
        message = session.query(Message).filter(Message.body_text.like("Payment%")).one()
        message.body_text = "Refund arrived"
    assert search(ctx, "payment") == []
    assert search(ctx, "refund") == ["Refund arrived"]
    with ctx.write() as session:
        session.query(Message).filter(Message.body_text == "Refund arrived").delete()
    assert search(ctx, "refund") == []


def test_user_input_cannot_inject_fts_syntax() -> None:
    assert match_expression('foo" OR bar NEAR(') == '"foo" "OR" "bar" "NEAR"*'
    assert match_expression("  ***  ") is None
