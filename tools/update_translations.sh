#!/usr/bin/env bash
# Refresh the Russian catalogue from the UI sources, then compile it. Translate new entries in
# resources/translations/desk_ru.ts (Qt Linguist: .venv/bin/pyside6-linguist) and run again.
# tests/ui/test_translations.py fails while any UI string has no Russian translation.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/pyside6-lupdate desk_app/ui/*.py -ts resources/translations/desk_ru.ts -no-obsolete
.venv/bin/pyside6-lrelease resources/translations/desk_ru.ts -qm resources/translations/desk_ru.qm
