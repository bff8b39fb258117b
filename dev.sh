#!/usr/bin/env bash
# Damanat developer entry point.
#   ./dev.sh demo    install, migrate, load the demo site and serve http://127.0.0.1:8080,
#                    with light simulated traffic at the gates (./dev.sh demo --no-traffic: none)
#   ./dev.sh test    install and run the whole test suite (extra args go to pytest)
set -euo pipefail
cd "$(dirname "$0")"

VENV="${VENV:-.venv}"
PY="$VENV/bin/python"

ensure_venv() {
  if [ ! -x "$PY" ]; then
    python3 -m venv "$VENV"
  fi
  local stamp="$VENV/.requirements.sha256"
  local want
  want=$(sha256sum requirements.txt | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    "$PY" -m pip install --quiet --upgrade pip
    "$PY" -m pip install --quiet -r requirements.txt
    echo "$want" > "$stamp"
  fi
}

demo() {
  local traffic=1
  [ "${1:-}" = "--no-traffic" ] && traffic=0
  ensure_venv
  mkdir -p var/logs
  "$PY" manage.py migrate --noinput
  "$PY" manage.py collectstatic --noinput --verbosity 0
  "$PY" manage.py load_demo
  "$VENV/bin/celery" -A damanat worker --beat --pool=threads --concurrency=2 --loglevel=INFO \
      --schedule var/celerybeat-schedule > var/logs/celery.log 2>&1 &
  local pids=$!
  echo "Celery worker and beat running (log: var/logs/celery.log)"
  if [ "$traffic" = 1 ]; then
    "$PY" manage.py simulate_traffic --url "http://127.0.0.1:${PORT:-8080}/api/v1/events/camera" \
        > var/logs/traffic.log 2>&1 &
    pids="$pids $!"
    echo "Simulated traffic running (log: var/logs/traffic.log; ./dev.sh demo --no-traffic to turn it off)"
  fi
  trap 'kill $pids 2>/dev/null || true' EXIT INT TERM
  echo "Damanat is at http://127.0.0.1:${PORT:-8080}/  (admin: /admin/, API docs: /api/docs)"
  "$VENV/bin/uvicorn" damanat.asgi:application --host 127.0.0.1 --port "${PORT:-8080}" --log-level warning
}

case "${1:-}" in
  demo) shift; demo "$@" ;;
  test) shift; ensure_venv; exec "$VENV/bin/pytest" "$@" ;;
  *) echo "usage: $0 demo|test [pytest args]" >&2; exit 2 ;;
esac
