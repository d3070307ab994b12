#!/usr/bin/env bash
# Builds the distributable wheel (code + resources/ under share/desk) into dist/.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip wheel --no-deps --wheel-dir dist .
ls -1 dist/*.whl
