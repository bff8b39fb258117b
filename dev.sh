#!/usr/bin/env bash
# Damanat developer entry point.
#   ./dev.sh demo    install, migrate, load the demo site and serve http://127.0.0.1:8080
#   ./dev.sh test    install and run the whole test suite (extra args go to pytest)
set -euo pipefail
cd "$(dirname "$0")"

VENV="${VENV:-.venv}"
PY="$VENV/bin/python"

# ensure_venv FILE: the virtualenv has FILE's requirements (requirements.txt: runtime only;
# requirements-test.txt: runtime plus tests and lint).
ensure_venv() {
  local wanted="${1:-requirements.txt}"
  if [ ! -x "$PY" ]; then
    python3 -m venv "$VENV"
  fi
  local stamp="$VENV/.requirements.sha256"
  local want
  want=$(cat requirements.txt "$wanted" | sha256sum | cut -d' ' -f1)
  if [ -f "$stamp" ] && grep -qx "$want" "$stamp"; then
    return
  fi
  "$PY" -m pip install --quiet --upgrade pip
  "$PY" -m pip install --quiet -r "$wanted"
  echo "$want" >> "$stamp"
}

demo() {
  ensure_venv
  mkdir -p var/logs
  "$PY" manage.py migrate --noinput
  "$PY" manage.py collectstatic --noinput --verbosity 0
  "$PY" manage.py load_demo
  "$VENV/bin/celery" -A damanat worker --beat --pool=threads --concurrency=2 --loglevel=INFO \
      --schedule var/celerybeat-schedule > var/logs/celery.log 2>&1 &
  local celery_pid=$!
  trap 'kill $celery_pid 2>/dev/null || true' EXIT INT TERM
  echo "Celery worker and beat running (log: var/logs/celery.log)"
  echo "Damanat is at http://127.0.0.1:${PORT:-8080}/  (admin: /admin/, API docs: /api/docs)"
  "$VENV/bin/uvicorn" damanat.asgi:application --host 127.0.0.1 --port "${PORT:-8080}" --log-level warning
}

case "${1:-}" in
  demo) shift; demo "$@" ;;
  test) shift; ensure_venv requirements-test.txt; exec "$VENV/bin/pytest" "$@" ;;
  *) echo "usage: $0 demo|test [pytest args]" >&2; exit 2 ;;
esac
