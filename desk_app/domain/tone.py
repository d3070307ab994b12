"""Tone check before Send: bureaucratese, aggressive wording, promises of future releases.

The rules are data (``resources/tone/<lang>.json``, editable by leads without a release): each
has a regular expression, a category, a short reason and a suggestion. This module only
compiles and applies them; reading the files is the service's job.

Rule file shape::

    {"language": "ru", "rules": [{"id": "...", "category": "bureaucratese",
      "pattern": "...", "reason": "...", "suggestion": "..."}]}

Patterns are case-insensitive Python regular expressions; ``\\b`` works for Cyrillic too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class ToneCategory(StrEnum):
    BUREAUCRATESE = "bureaucratese"  # канцелярит: "в связи с вышеизложенным"
    AGGRESSIVE = "aggressive"  # "как я уже писал", "read the FAQ"
    PROMISE = "promise"  # "скоро исправим", "fixed in the next update"


class RuleError(ValueError):
    """A rule in a rule file is malformed; the message names it."""


@dataclass(frozen=True)
class ToneRule:
    id: str
    category: ToneCategory
    pattern: re.Pattern[str]
    reason: str
    suggestion: str
    language: str


@dataclass(frozen=True)
class ToneHit:
    start: int
    end: int
    fragment: str
    rule_id: str
    category: ToneCategory
    reason: str
    suggestion: str
    language: str = ""


def parse_rules(data: Mapping[str, Any]) -> list[ToneRule]:
    """Rules from one decoded rule file; raises RuleError naming the bad rule."""
    language = str(data.get("language", ""))
    rules: list[ToneRule] = []
    for number, raw in enumerate(data.get("rules", []), 1):
        rule_id = str(raw.get("id") or f"{language}-{number}")
        try:
            rules.append(
                ToneRule(
                    id=rule_id,
                    category=ToneCategory(raw["category"]),
                    pattern=re.compile(raw["pattern"], re.IGNORECASE | re.UNICODE),
                    reason=str(raw["reason"]),
                    suggestion=str(raw.get("suggestion", "")),
                    language=language,
                )
            )
        except (KeyError, ValueError, re.error) as error:
            raise RuleError(f"tone rule {rule_id!r} ({language}): {error}") from error
    return rules


class ToneChecker:
    """Applies all loaded rules (every language: the patterns themselves are language-specific,
    and a reply may mix Russian and English)."""

    def __init__(self, rules: Iterable[ToneRule]) -> None:
        self.rules = list(rules)

    def check(self, text: str) -> list[ToneHit]:
        hits: list[ToneHit] = []
        for rule in self.rules:
            for match in rule.pattern.finditer(text):
                if match.end() == match.start():
                    continue
                hits.append(
                    ToneHit(
                        start=match.start(),
                        end=match.end(),
                        fragment=match.group(),
                        rule_id=rule.id,
                        category=rule.category,
                        reason=rule.reason,
                        suggestion=rule.suggestion,
                        language=rule.language,
                    )
                )
        return _without_overlaps(hits, text_language(text))


_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
_LATIN = re.compile(r"[a-z]", re.IGNORECASE)


def text_language(text: str) -> str:
    """ru or en, by which alphabet dominates the text."""
    return "ru" if len(_CYRILLIC.findall(text)) >= len(_LATIN.findall(text)) else "en"


def _without_overlaps(hits: list[ToneHit], language: str) -> list[ToneHit]:
    """One hit per place: when rules overlap, the longer match wins, and for the same match
    (punctuation, capitals) the rule in the reply's language, so its reason reads in it."""
    ordered = sorted(hits, key=lambda h: (h.start, -(h.end - h.start), h.language != language))
    kept: list[ToneHit] = []
    for hit in ordered:
        if kept and hit.start < kept[-1].end:
            continue
        kept.append(hit)
    return kept
