"""Counted phrases ("3 possible duplicates") in both languages.

Sources are written "%n possible duplicate(s)" and translated with Qt's numerus forms, which
give Russian its three plural forms. English has no catalogue (it is the source language), so
the "(s)" is resolved here: dropped for one, "s" otherwise.
"""

from __future__ import annotations


def counted(translated: str, n: int) -> str:
    """``translated`` is ``self.tr("%n thing(s)", "", n)``: Qt already put the number in."""
    return translated.replace("(s)", "" if n == 1 else "s")
