"""Loads the editable tone rules (``resources/tone/*.json``) and checks a reply before Send."""

from __future__ import annotations

import json
from pathlib import Path

from desk_app.domain.tone import ToneChecker, ToneHit, ToneRule, parse_rules
from desk_app.resources import resource


def load_rules(directory: Path) -> list[ToneRule]:
    rules: list[ToneRule] = []
    for path in sorted(directory.glob("*.json")):
        rules.extend(parse_rules(json.loads(path.read_text(encoding="utf-8"))))
    return rules


class ToneService:
    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory or resource("tone")
        self.checker = ToneChecker(load_rules(self.directory))

    def reload(self) -> None:
        """Pick up edited rule files without restarting."""
        self.checker = ToneChecker(load_rules(self.directory))

    def check(self, text: str) -> list[ToneHit]:
        return self.checker.check(text)
