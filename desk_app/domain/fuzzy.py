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
        for j, char_b in enumerate(b, 1):
            cost = 0 if char_a == char_b else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            current.append(value)
            best = min(best, value)
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
