#!/usr/bin/env bash
# Fault drill: MiitWiki on gunicorn + PostgreSQL + Redis under a read/write load,
# while (a) PostgreSQL restarts, (b) Redis stops for a while, (c) a gunicorn
# worker is killed. Passes when the site recovers by itself, the only errors are
# clean 503s during the database outage (at most one cut-off request when the
# worker dies), no request hangs, and every save acknowledged before, during or
# after the faults is in the database. About a minute; see docs/reliability.md.
#
# Then the replica drill, on a primary and a standby of its own: (d) the standby
# stops for 10 s (>= 99 % of reads 200, p95 < 250 ms) and (e) its replay pauses
# for 20 s; same pass rules, and no editor's next page misses their own save.
#
#   bench/faults.sh            # PORT=8401 DB=miitwiki_faults REDIS_DB=5 WORKERS=3
#   DRILLS=replicas bench/faults.sh    # only the replica drill (leaves 5432 alone)
#
# PostgreSQL and Redis are shared: the script waits (up to QUIET_WAIT seconds) for
# other test databases to go idle before restarting PostgreSQL, keeps each outage
# short, and its exit trap starts both again whatever happens.
set -euo pipefail
source "$(dirname "$0")/stack.sh"
trap cleanup EXIT
: "${QUIET_WAIT:=120}" "${REDIS_DOWN:=8}" "${DRILLS:=main replicas}"
LOAD_LIMIT=240  # seconds; the load is stopped 10 s after the last fault, long before

wait_for_quiet_postgres() {
  local busy
  for _ in $(seq "$QUIET_WAIT"); do
    # A test run keeps its connections to its test_* database until it ends.
    busy=$(psql_ -d postgres -c "SELECT count(*) FROM pg_stat_activity WHERE datname LIKE 'test%'")
    [ "$busy" = 0 ] && return 0
    sleep 1
  done
  say "other test runs are still busy; restarting PostgreSQL anyway"
}

event() { echo "$1 $2 $3 $4" >>"$WORK/events.txt"; }
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

restart_postgres() {
  local start end back
  wait_for_quiet_postgres
  say "(a) restarting PostgreSQL"
  start=$(now)
  pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" main restart
  end=$(now)
  wait_healthy 60
  back=$(now)
  event postgres-restart "$start" "$end" status=503
  say "    PostgreSQL down for $(seconds "$start" "$end") s; site healthy $(seconds "$end" "$back") s later"
}

stop_redis() {
  local start end
  say "(b) stopping Redis for $REDIS_DOWN s"
  start=$(now)
  redis-cli -p 6379 shutdown nosave >/dev/null 2>&1 || true
  sleep "$REDIS_DOWN"
  start_redis
  end=$(now)
  event redis-stop "$start" "$end" none
  say "    Redis back"
}

kill_worker() {
  local victim start end workers
  victim=$(pgrep -P "$MASTER_PID" | head -n 1)
  say "(c) killing gunicorn worker $victim"
  start=$(now)
  kill -KILL "$victim"
  for _ in $(seq 100); do
    workers=$(pgrep -P "$MASTER_PID" | grep -vc "^$victim\$" || true)
    [ "$workers" -ge "$WORKERS" ] && break
    sleep 0.1
  done
  end=$(now)
  [ "$workers" -ge "$WORKERS" ] || { say "    the master did not replace the worker"; return 1; }
  event worker-kill "$start" "$end" max=1
  say "    replaced in $(seconds "$start" "$end") s ($workers workers)"
}

stop_standby() {
  local start end
  say "(d) stopping the standby for 10 s"
  start=$(now)
  pg_stop "$WORK/standby"
  sleep 10
  pg_start "$WORK/standby" "$STANDBY_PORT"
  end=$(now)
  event standby-stop "$start" "$end" fast=250
  say "    standby back"
}

pause_replay() {
  local start end
  say "(e) pausing the standby's replay for 20 s"
  start=$(now)
  psql_ -p "$STANDBY_PORT" -d "$DB" -c "SELECT pg_wal_replay_pause()" >/dev/null
  sleep 20
  psql_ -p "$STANDBY_PORT" -d "$DB" -c "SELECT pg_wal_replay_resume()" >/dev/null
  end=$(now)
  event replay-pause "$start" "$end" none
  say "    replay resumed"
}

summarize() {
  stop_load
  dump_revision_comments
  say "summary"
  "$PY" "$ROOT/bench/load.py" report "$WORK/load.jsonl" --events "$WORK/events.txt" \
    --comments "$WORK/comments.txt"
}

main_drill() {
  say "setting up $DB and gunicorn on 127.0.0.1:$PORT ($WORKERS workers)"
  setup_site
  start_gunicorn
  wait_for_quiet_postgres
  : >"$WORK/events.txt"
  start_load "$LOAD_LIMIT" --readers 6 --writers 2
  sleep 10
  restart_postgres
  sleep 10
  stop_redis
  sleep 8
  kill_worker
  sleep 10
  summarize
  stop_gunicorn
  drop_database
}

replicas_drill() {
  say "setting up a primary and a standby of their own, $DB and gunicorn over both"
  start_primary
  setup_site
  start_standby
  start_gunicorn
  : >"$WORK/events.txt"
  start_load "$LOAD_LIMIT" --readers 6 --writers 2
  sleep 10
  stop_standby
  sleep 8
  pause_replay
  sleep 10
  summarize
}

for drill in $DRILLS; do
  "${drill}_drill"
done
