#!/usr/bin/env bash
# Installs a built wheel for the current user: a private venv, the `desk` command on PATH and a
# desktop menu entry. Usage: installer/linux/install-user.sh dist/desk_app-*.whl
set -euo pipefail
wheel="$1"
prefix="${XDG_DATA_HOME:-$HOME/.local/share}/desk/venv"
python3 -m venv "$prefix"
"$prefix/bin/pip" install -q "$wheel"
mkdir -p "$HOME/.local/bin" "${XDG_DATA_HOME:-$HOME/.local/share}/applications"
ln -sf "$prefix/bin/desk" "$HOME/.local/bin/desk"
install -m 644 "$(dirname "$0")/desk.desktop" "${XDG_DATA_HOME:-$HOME/.local/share}/applications/desk.desktop"
echo "Desk installed: run 'desk' or pick it from the applications menu."
