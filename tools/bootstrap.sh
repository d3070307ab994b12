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

# Byte-compile the sources as pip does when it installs a wheel: an editable install is not
# compiled, and where PYTHONDONTWRITEBYTECODE is set Python would compile every module again on
# every start (~0.13 s of Desk's cold start). Incremental: only changed files are compiled.
compile_sources() {
  .venv/bin/python -m compileall -q desk_app >/dev/null
}
