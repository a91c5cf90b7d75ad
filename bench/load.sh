#!/usr/bin/env bash
# Mixed load benchmark: MiitWiki on gunicorn + PostgreSQL + Redis, its own
# database, SECONDS_OF_LOAD (60) seconds of readers (article, history, diffs, old
# revisions, search, index) and admin writers (CSRF, base_revision), loopback only.
# Prints throughput and p50/p95/p99 latency per page; fails on any 5xx or failed
# request, or on an acknowledged save missing from the database.
#
#   bench/load.sh             # PORT=8401 DB=miitwiki_load READERS=6 WRITERS=2
set -euo pipefail
: "${DB:=miitwiki_load}" "${SECONDS_OF_LOAD:=60}" "${READERS:=6}" "${WRITERS:=2}"
source "$(dirname "$0")/stack.sh"
trap cleanup EXIT

say "setting up $DB and gunicorn on 127.0.0.1:$PORT ($WORKERS workers)"
setup_site
start_gunicorn
say "$SECONDS_OF_LOAD s of load: $READERS readers, $WRITERS writers"
start_load "$SECONDS_OF_LOAD" --readers "$READERS" --writers "$WRITERS"
wait_load
dump_revision_comments
"$PY" "$ROOT/bench/load.py" report "$WORK/load.jsonl" --comments "$WORK/comments.txt" --no-5xx
