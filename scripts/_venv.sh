# Shared by scripts/lab, scripts/test and scripts/bench: make sure .venv exists and holds the
# project. Usage: VENV_EXTRAS=test source scripts/_venv.sh   (sets VENV and VENV_PY)
# (A variable, not an argument: a sourced file without arguments sees the caller's "$@".)
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
EXTRAS="${VENV_EXTRAS:-}"
PYTHON="${PYTHON:-python3}"
if [ ! -x "$VENV/bin/python" ]; then
  echo "creating $VENV" >&2
  "$PYTHON" -m venv "$VENV"
fi
VENV_PY="$VENV/bin/python"
STAMP="$VENV/.installed${EXTRAS:+-$EXTRAS}"
if [ ! -f "$STAMP" ] || [ "$ROOT/pyproject.toml" -nt "$STAMP" ]; then
  echo "installing redis-lab${EXTRAS:+[$EXTRAS]} into $VENV" >&2
  "$VENV_PY" -m pip install -q --disable-pip-version-check -e "$ROOT${EXTRAS:+[$EXTRAS]}" >&2
  touch "$STAMP"
fi
