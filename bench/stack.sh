# Sourced by bench/faults.sh and bench/load.sh: a throwaway MiitWiki on gunicorn,
# PostgreSQL and Redis, production-like (DEBUG off, pooled connections, Redis
# cache), with its own database, and the cleanup that removes it again.

: "${PORT:=8401}" "${DB:=miitwiki_faults}" "${REDIS_DB:=5}" "${WORKERS:=3}"
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PY=$ROOT/.venv/bin/python
PG_VERSION=$(ls /etc/postgresql)
WORK=$(mktemp -d /tmp/miitwiki-bench.XXXXXX)
EDITOR_PASSWORD=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
MASTER_PID=""
LOAD_PID=""
PG_BIN=/usr/lib/postgresql/$PG_VERSION/bin
PRIMARY_PORT=""
STANDBY_PORT=""
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB"
export REDIS_URL="redis://127.0.0.1:6379/$REDIS_DB"
export DEBUG=0 SECRET_KEY="bench-$EDITOR_PASSWORD" ALLOWED_HOSTS=127.0.0.1 LOG_LEVEL=ERROR
# Static files are not part of the load; skip collectstatic and its manifest.
export STATIC_MANIFEST=0 DJANGO_SETTINGS_MODULE=miitwiki.settings

say() { printf '%s %s\n' "$(date +%T)" "$*"; }
now() { date +%s.%N; }
psql_() { psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -qAt "$@"; }
drop_database() { PGOPTIONS="-c client_min_messages=warning" dropdb -h 127.0.0.1 -U postgres --if-exists --force "$DB"; }

ensure_postgres() {
  if ! pg_isready -q -h 127.0.0.1 -p 5432; then
    pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" main start || true
  fi
  for _ in $(seq 60); do pg_isready -q -h 127.0.0.1 -p 5432 && return 0; sleep 0.5; done
  return 1
}

start_redis() {
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  for _ in $(seq 40); do redis-cli -p 6379 ping >/dev/null 2>&1 && return 0; sleep 0.25; done
  return 1
}

ensure_redis() { redis-cli -p 6379 ping >/dev/null 2>&1 || start_redis; }

stop_gunicorn() {
  if [ -n "$MASTER_PID" ] && kill -0 "$MASTER_PID" 2>/dev/null; then
    kill -TERM "$MASTER_PID"
    for _ in $(seq 40); do kill -0 "$MASTER_PID" 2>/dev/null || break; sleep 0.25; done
    kill -KILL "$MASTER_PID" 2>/dev/null
  fi
  MASTER_PID=""
}

# A primary and a streaming standby of it, in $WORK on ports of their own, as the
# postgres user (the replica drill; the shared server is left alone). Afterwards
# DATABASE_URL, PGPORT (psql_, createdb, dropdb) and DATABASE_REPLICA_URLS point at them.
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
free_port() { "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
pg_start() {  # folder port
  as_postgres "$PG_BIN/pg_ctl" -D "$1" -l "$1/log" -w -t 30 \
    -o "-p $2 -k $WORK -c listen_addresses=127.0.0.1" start >/dev/null
}
pg_stop() { as_postgres "$PG_BIN/pg_ctl" -D "$1" -m fast -w -t 30 stop >/dev/null; }

start_primary() {
  chown postgres "$WORK"
  PRIMARY_PORT=$(free_port)
  as_postgres "$PG_BIN/initdb" -D "$WORK/primary" -U postgres --auth=trust -E UTF8 \
    --locale=C.UTF-8 --no-sync >/dev/null
  pg_start "$WORK/primary" "$PRIMARY_PORT"
  export PGPORT=$PRIMARY_PORT DATABASE_URL="postgres://postgres@127.0.0.1:$PRIMARY_PORT/$DB"
}

start_standby() {  # a copy of the primary as it is now, streaming from it
  STANDBY_PORT=$(free_port)
  as_postgres "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres \
    -D "$WORK/standby" -R -X stream -c fast
  pg_start "$WORK/standby" "$STANDBY_PORT"
  export DATABASE_REPLICA_URLS="postgres://postgres@127.0.0.1:$STANDBY_PORT/$DB"
}

stop_own_postgres() {
  local folder
  for folder in "$WORK/standby" "$WORK/primary"; do
    [ -f "$folder/postmaster.pid" ] && pg_stop "$folder"
  done
  return 0
}

# Every step runs whatever failed before it: PostgreSQL and Redis must be up again
# for everyone else however this script ends.
cleanup() {
  local status=$?
  set +e
  [ -n "$LOAD_PID" ] && kill "$LOAD_PID" 2>/dev/null
  stop_gunicorn
  ensure_postgres || echo "WARNING: PostgreSQL did not come back; start it by hand" >&2
  ensure_redis || echo "WARNING: Redis did not come back; start it by hand" >&2
  redis-cli -p 6379 -n "$REDIS_DB" flushdb >/dev/null
  drop_database
  stop_own_postgres
  rm -rf "$WORK"
  exit "$status"
}

setup_site() {
  ensure_postgres
  ensure_redis
  drop_database
  createdb -h 127.0.0.1 -U postgres "$DB"
  redis-cli -p 6379 -n "$REDIS_DB" flushdb >/dev/null
  cd "$ROOT"
  "$PY" manage.py migrate --noinput -v 0
  "$PY" manage.py loaddata miit -v 0
  "$PY" manage.py createinitialrevisions --comment "Initial version from fixtures" -v 0
  DJANGO_SUPERUSER_PASSWORD="$EDITOR_PASSWORD" "$PY" manage.py createsuperuser --noinput \
    --username loadeditor --email loadeditor@example.org >/dev/null
}

start_gunicorn() {
  cd "$ROOT"
  "$ROOT/.venv/bin/gunicorn" miitwiki.wsgi --workers "$WORKERS" --bind "127.0.0.1:$PORT" \
    --timeout 30 --graceful-timeout 5 --log-level warning >"$WORK/gunicorn.log" 2>&1 &
  MASTER_PID=$!
  wait_healthy 30 || { cat "$WORK/gunicorn.log" >&2; return 1; }
}

# Seconds (at most $1) until /healthz answers 200.
wait_healthy() {
  local deadline=$(( $(date +%s) + $1 ))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    [ "$(curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:$PORT/healthz")" = 200 ] \
      && return 0
    sleep 0.1
  done
  return 1
}

start_load() {  # seconds, then extra arguments for bench/load.py run
  local seconds=$1
  shift
  "$PY" "$ROOT/bench/load.py" run --base "http://127.0.0.1:$PORT" --slug miit \
    --user loadeditor --password "$EDITOR_PASSWORD" --duration "$seconds" \
    --log "$WORK/load.jsonl" "$@" &
  LOAD_PID=$!
}

wait_load() {
  wait "$LOAD_PID"
  LOAD_PID=""
}

stop_load() {  # the generator finishes its requests in flight and writes its log
  kill -TERM "$LOAD_PID"
  wait_load
}

dump_revision_comments() {
  psql_ -d "$DB" -c "SELECT comment FROM reversion_revision" >"$WORK/comments.txt"
}
