#!/usr/bin/env bash
# Damanat developer entry point.
#   ./dev.sh demo    install, migrate, load the demo site and serve http://127.0.0.1:8080,
#                    with light simulated traffic at the gates (./dev.sh demo --no-traffic: none)
#   ./dev.sh test    install and run the whole test suite (extra args go to pytest)
#   ./dev.sh lint    ruff: the lint rules and the formatting (pyproject.toml)
#   ./dev.sh layers  check that apps import only the layers below them (import-linter)
#   ./dev.sh types   install and type-check the apps with mypy (config in pyproject.toml)
set -euo pipefail
cd "$(dirname "$0")"

VENV="${VENV:-.venv}"
PY="$VENV/bin/python"

# ensure_venv FILE: the virtualenv has FILE's requirements (requirements.txt: runtime only;
# requirements-test.txt: runtime plus tests and lint, enough for the demo too).
stamp_of() { cat requirements.txt "$1" | sha256sum | cut -d' ' -f1; }

ensure_venv() {
  local wanted="${1:-requirements.txt}"
  if [ ! -x "$PY" ]; then
    python3 -m venv "$VENV"
  fi
  local stamp="$VENV/.requirements.sha256"
  if [ -f "$stamp" ] && { grep -qx "$(stamp_of "$wanted")" "$stamp" \
                          || grep -qx "$(stamp_of requirements-test.txt)" "$stamp"; }; then
    return
  fi
  "$PY" -m pip install --quiet --upgrade pip
  "$PY" -m pip install --quiet -r "$wanted"
  stamp_of "$wanted" >> "$stamp"
}

# Everything the demo started is stopped however it ends: Ctrl-C, kill, or one of them exiting.
DEMO_PIDS=()
stop_demo() {
  trap - EXIT INT TERM
  local pid
  for pid in "${DEMO_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${DEMO_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
}

demo() {
  local traffic=1
  [ "${1:-}" = "--no-traffic" ] && traffic=0
  ensure_venv
  mkdir -p var/logs
  "$PY" manage.py migrate --noinput
  "$PY" manage.py collectstatic --noinput --verbosity 0
  "$PY" manage.py load_demo
  trap stop_demo EXIT
  trap 'stop_demo; exit 130' INT TERM
  "$VENV/bin/celery" -A damanat worker --beat --pool=threads --concurrency=2 --loglevel=INFO \
      --schedule var/celerybeat-schedule > var/logs/celery.log 2>&1 &
  DEMO_PIDS+=("$!")
  echo "Celery worker and beat running (log: var/logs/celery.log)"
  if [ "$traffic" = 1 ]; then
    "$PY" manage.py simulate_traffic --url "http://127.0.0.1:${PORT:-8080}/api/v1/events/camera" \
        > var/logs/traffic.log 2>&1 &
    DEMO_PIDS+=("$!")
    echo "Simulated traffic running (log: var/logs/traffic.log; ./dev.sh demo --no-traffic to turn it off)"
  fi
  echo "Damanat is at http://127.0.0.1:${PORT:-8080}/  (admin: /admin/, API docs: /api/docs)"
  "$VENV/bin/uvicorn" damanat.asgi:application --host 127.0.0.1 --port "${PORT:-8080}" --log-level warning &
  DEMO_PIDS+=("$!")
  # Until either stops (or Ctrl-C); then the trap stops the other.
  wait -n "${DEMO_PIDS[@]}" || true
}

case "${1:-}" in
  demo) shift; demo "$@" ;;
  test) shift; ensure_venv requirements-test.txt; exec "$VENV/bin/pytest" "$@" ;;
  lint) ensure_venv requirements-test.txt; "$VENV/bin/ruff" check . && exec "$VENV/bin/ruff" format --check . ;;
  layers) ensure_venv requirements-test.txt; exec "$VENV/bin/lint-imports" ;;
  types) shift; ensure_venv requirements-test.txt; exec "$VENV/bin/mypy" "$@" ;;
  *) echo "usage: $0 demo|test [pytest args]|lint|layers|types [mypy args]" >&2; exit 2 ;;
esac
