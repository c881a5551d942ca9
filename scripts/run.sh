#!/usr/bin/env bash
# Start Tierplan locally: migrate, make sure a Redis answers, start a Celery worker, serve HTTP and the
# live sessions' WebSockets on $PORT (uvicorn, ASGI). The same Redis carries the channel layer.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
mkdir -p var

"$BIN/python" manage.py migrate --noinput
# The pattern library is read from apps/designs/data/patterns/ (checked by `manage.py check`); show it.
echo "Pattern library:"
"$BIN/python" manage.py tierplan patterns list | sed 's/^/  /'

# Use the broker the environment names; otherwise the local Redis on 6379 ($LOCAL_REDIS_PORT) if it answers, or else a
# private Redis on a port of its own (6390) that lives as long as this command.
started_redis=""
if [ -z "${CELERY_BROKER_URL:-}" ]; then
  LOCAL_REDIS_PORT=${LOCAL_REDIS_PORT:-6379}
  if redis-cli -h 127.0.0.1 -p "$LOCAL_REDIS_PORT" ping >/dev/null 2>&1; then
    export CELERY_BROKER_URL=redis://127.0.0.1:$LOCAL_REDIS_PORT/0
  else
    REDIS_PORT=${REDIS_PORT:-6390}
    if ! redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1; then
      redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no \
        --daemonize yes --pidfile "$PWD/var/redis.pid" --logfile "$PWD/var/redis.log" --dir "$PWD/var"
      started_redis=yes
      for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
    fi
    export CELERY_BROKER_URL=redis://127.0.0.1:$REDIS_PORT/0
  fi
fi

# One worker for both queues, with the beat scheduler embedded (it runs the stale-job sweeper).
"$BIN/celery" -A designer worker -B -s var/celerybeat-schedule -Q fast,slow --loglevel=INFO --concurrency=2 >var/celery.log 2>&1 &
worker_pid=$!

stop() {
  kill "$worker_pid" 2>/dev/null || true
  wait "$worker_pid" 2>/dev/null || true
  if [ -n "$started_redis" ] && [ -f var/redis.pid ]; then kill "$(cat var/redis.pid)" 2>/dev/null || true; fi
}
trap stop EXIT INT TERM

cat <<MSG

  Tierplan is running at http://$HOST:$PORT/
    API docs (Swagger UI):  http://$HOST:$PORT/api/docs/
    Live sessions:          ws://$HOST:$PORT/ws/projects/<id>/
    Broker:                 $CELERY_BROKER_URL   (worker log: var/celery.log, pid $worker_pid)
  To log in, sign up at http://$HOST:$PORT/accounts/signup/
  or create an admin:  .venv/bin/python manage.py createsuperuser
  An API token:        curl -X POST -H 'Content-Type: application/json' \\
                         -d '{"username": "…", "password": "…"}' http://$HOST:$PORT/api/auth/token/
  Stop with Ctrl-C.

MSG
# Django has no lifespan protocol to offer; uvicorn's websockets implementation serves /ws/. Static files
# come from WhiteNoise, which reads them through the finders in the local profile (no collectstatic).
"$BIN/uvicorn" designer.asgi:application --host "$HOST" --port "$PORT" --lifespan off --ws websockets-sansio --ws-max-size 1048576
