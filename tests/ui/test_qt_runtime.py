"""The Qt binding the UI runs on keeps Python's reference counts straight.

PySide6 6.12.0's ``SignalInstance.emit()`` returns ``True`` without taking a reference, so every
emit from Python drops one reference to ``True`` until the interpreter aborts
("bool_dealloc") — after a few thousand signals, i.e. minutes into a working day. pyproject
excludes that release; this test catches it (or a relapse) before an operator does."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    ping = Signal(object)


def test_emitting_from_python_keeps_the_refcount_of_true() -> None:
    emitter = _Emitter()
    emitter.ping.connect(lambda _value: None)
    before = sys.getrefcount(True)
    for _ in range(200):
        emitter.ping.emit(1)
    assert sys.getrefcount(True) >= before
