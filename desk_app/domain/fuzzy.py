"""Small string-distance tools shared by duplicate scoring and knowledge-base typo tolerance.

Names and words are short, so a plain dynamic-programming edit distance with an early exit is
fast enough and keeps the project free of a compiled dependency.
"""

from __future__ import annotations


def edit_distance(a: str, b: str, limit: int | None = None) -> int:
    """Levenshtein distance; with ``limit`` returns ``limit + 1`` as soon as it is exceeded."""
    if a == b:
        return 0
    if len(a) < len(b):
        a, b = b, a
    if limit is not None and len(a) - len(b) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        best = i
        left = i
        for j, char_b in enumerate(b, 1):
            value = previous[j - 1] if char_a == char_b else previous[j - 1] + 1
            up = previous[j] + 1
            if up < value:
                value = up
            if left + 1 < value:
                value = left + 1
            current.append(value)
            left = value
            if value < best:
                best = value
        if limit is not None and best > limit:
            return limit + 1
        previous = current
    return previous[-1]


def similarity(a: str, b: str) -> float:
    """1.0 for equal strings, falling linearly with the edit distance over the longer length."""
    if not a and not b:
        return 1.0
    longest = max(len(a), len(b))
    return 1.0 - edit_distance(a, b) / longest


def similar(a: str, b: str, at_least: float) -> bool:
    """``similarity(a, b) >= at_least``, stopping early once the distance is too large."""
    longest = max(len(a), len(b))
    if longest == 0:
        return True
    limit = int(longest * (1.0 - at_least) + 1e-9)
    return edit_distance(a, b, limit) <= limit


def trigrams(word: str) -> set[str]:
    """Character trigrams of a word padded at both ends (so short words still get some)."""
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def allowed_typos(word: str) -> int:
    """How many edits still count as the same word: none for short words, more for long."""
    if len(word) <= 3:
        return 0
    if len(word) <= 7:
        return 1
    return 2
