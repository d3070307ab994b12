"""Every UI string has a Russian translation, and the compiled catalogue matches its source."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "translations" / "desk_ru.ts"
BIN = Path(sys.executable).parent


def messages(path: Path) -> dict[tuple[str, str], str | None]:
    found = {}
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            assert translation is not None
            unfinished = translation.get("type") in ("unfinished", "vanished", "obsolete")
            found[(name, message.findtext("source") or "")] = (
                None if unfinished else translation.text
            )
    return found


@pytest.mark.timeout(60)
def test_every_ui_string_is_translated_to_russian(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.ts"
    sources = sorted(str(p) for p in (ROOT / "desk_app" / "ui").glob("*.py"))
    subprocess.run([str(BIN / "pyside6-lupdate"), *sources, "-ts", str(fresh)], check=True,
                   capture_output=True)  # fmt: skip
    wanted = set(messages(fresh))
    shipped = messages(TS)
    missing = sorted(k for k in wanted if not shipped.get(k))
    assert not missing, f"run tools/update_translations.sh and translate: {missing}"


@pytest.mark.timeout(60)
def test_compiled_catalogue_is_current(tmp_path: Path) -> None:
    compiled = tmp_path / "desk_ru.qm"
    subprocess.run([str(BIN / "pyside6-lrelease"), str(TS), "-qm", str(compiled)], check=True,
                   capture_output=True)  # fmt: skip
    assert compiled.read_bytes() == (TS.parent / "desk_ru.qm").read_bytes()
