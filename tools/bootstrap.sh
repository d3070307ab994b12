# Shared by ./run and ./test: make .venv and install the project into it when needed.
ensure_venv() {
  local extras="$1"
  local stamp=".venv/.installed${extras}"
  if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
  fi
  if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    .venv/bin/python -m pip install -q --upgrade pip
    .venv/bin/python -m pip install -q -e ".${extras}"
    touch "$stamp"
  fi
}
