"""Channel icons (small SVGs in resources/icons), loaded once."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QIcon

from desk_app.resources import resource


@cache
def icon(name: str) -> QIcon:
    path = resource("icons", f"{name}.svg")
    return QIcon(str(path)) if path.exists() else QIcon()


def channel_icon(channel: str) -> QIcon:
    return icon(channel)
