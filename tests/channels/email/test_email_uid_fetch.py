"""Reading a UID FETCH answer: the usual shape by the fast path, any other by imapclient's own
parser (checked against a real Dovecot in the fetch tests; here the shapes it must refuse)."""

from __future__ import annotations

from datetime import UTC, datetime

from desk_app.channels.email.uid_fetch import _internaldate, _read_usual

DATE = b'INTERNALDATE "18-Nov-2026 10:00:00 +0130"'


def test_usual_shape_with_items_before_or_after_the_body() -> None:
    data: list[object] = [
        (b"1 (UID 7 " + DATE + b" BODY[] {5}", b"hello"),
        b")",
        (b"2 (BODY[] {3}", b"bye"),
        b" UID 9 " + DATE + b")",
    ]
    found = _read_usual(data)
    at = datetime(2026, 11, 18, 8, 30, tzinfo=UTC)
    assert found == {7: (b"hello", at), 9: (b"bye", at)}


def test_other_shapes_are_left_to_imapclient() -> None:
    flags = b"1 (UID 7 FLAGS (\\Seen) BODY[] {5}"
    assert _read_usual([(flags, b"hello"), b")"]) is None  # an item the fast path does not know
    assert _read_usual([b"3 (FLAGS (\\Seen) UID 4)"]) is None  # an unsolicited FLAGS answer
    assert _read_usual([(b"1 (UID 7 BODY[] {5}", b"hello")]) is None  # no rest of the line
    assert _read_usual([(b"1 (BODY[] {5}", b"hello"), b")"]) is None  # no UID


def test_internaldate_in_any_locale_and_bad_ones() -> None:
    assert _internaldate(b" 8-Nov-2026 23:59:59 -0500") == datetime(
        2026, 11, 9, 4, 59, 59, tzinfo=UTC
    )
    assert _internaldate(b"31-Feb-2026 10:00:00 +0000") is None
    assert _internaldate(b"18-Foo-2026 10:00:00 +0000") is None
    assert _internaldate(None) is None
