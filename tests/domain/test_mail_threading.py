"""Mail rules without a server: ids, thread roots, reply headers, synthetic keys, automation."""

from __future__ import annotations

from desk_app.domain.mail_threading import (
    answered_ids,
    classify_automation,
    msgid_list,
    normalize_msgid,
    references_for_reply,
    synthetic_msgid,
    thread_root,
)


def test_message_ids_are_normalized_and_listed_in_order_without_repeats() -> None:
    assert normalize_msgid("  <a@b>  ") == "<a@b>"
    assert normalize_msgid("a@b") == "<a@b>"  # broken mailers drop the brackets
    assert normalize_msgid("") is None and normalize_msgid("garbage") is None
    assert msgid_list("<a@x>, <b@x>\r\n <a@x> (comment) <c@x>") == ["<a@x>", "<b@x>", "<c@x>"]


def test_a_reply_names_its_parent_first_even_with_only_references() -> None:
    assert answered_ids(None, "<root@x> <mid@x> <parent@x>") == (
        "<parent@x>",
        "<mid@x>",
        "<root@x>",
    )
    assert answered_ids("<parent@x>", "<root@x> <parent@x>") == ("<parent@x>", "<root@x>")


def test_thread_root_is_the_oldest_reference() -> None:
    assert thread_root("<me@x>", "<p@x>", "<root@x> <p@x>") == "<root@x>"
    assert thread_root("<me@x>", "<p@x>", None) == "<p@x>"
    assert thread_root("<me@x>", None, None) == "<me@x>"


def test_references_for_a_long_thread_keep_root_and_newest() -> None:
    ids = [f"<m{i}@x>" for i in range(50)]
    refs = references_for_reply(ids, limit=10)
    assert refs[0] == "<m0@x>" and refs[-1] == "<m49@x>" and len(refs) == 10


def test_synthetic_key_is_stable_and_content_sensitive() -> None:
    fields = ["a@x", "b@x", "Mon, 1 Jan 2026", "Hi"]
    assert synthetic_msgid(fields, b"body") == synthetic_msgid(list(fields), b"body")
    assert synthetic_msgid(fields, b"body") != synthetic_msgid(fields, b"other")


def test_machine_written_mail_is_recognized() -> None:
    human = classify_automation({"subject": "Help"}, "text/plain", "ivan@example.ru")
    assert not human.automated
    cases = [
        ({"auto-submitted": "auto-replied"}, "text/plain", "a@x", "auto-reply"),
        ({"auto-submitted": "auto-generated"}, "text/plain", "a@x", "auto-reply"),
        ({"x-autoreply": "yes"}, "text/plain", "a@x", "auto-reply"),
        ({"precedence": "bulk"}, "text/plain", "a@x", "bulk"),
        ({}, "multipart/report; report-type=delivery-status", "a@x", "bounce"),
        ({}, "text/plain", "MAILER-DAEMON@mx.example", "bounce"),
    ]
    for headers, ctype, sender, reason in cases:
        verdict = classify_automation(headers, ctype, sender)
        assert verdict.automated and verdict.reason == reason, headers
    assert not classify_automation({"auto-submitted": "no"}, "text/plain", "a@x").automated
    assert not classify_automation({"precedence": "list"}, "text/plain", "a@x").automated
