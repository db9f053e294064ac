#!/usr/bin/env bash
# The dashboard's overview with 100 queues and a million jobs in Redis: how long its API calls take (p50/p95/max of
# REPS calls each, with Redis' own time and commands per call from INFO commandstats), and how long the page takes to
# render in a headless Chromium (p50/p95 of PAGE_LOADS loads, when the API serves /ui). Figures and how to read them:
# docs/performance.md, "Dashboard".
#
# Usage: bench/dashboard.sh   (from anywhere; on a busy 2-core machine filling takes 7 to 10 minutes, measuring 2 more
#                              per build)
# Environment:
#   QUEUES=100 PER_QUEUE=10000   queues q00..q99 with 10000 jobs each: of every 100, 86 succeeded, 10 failed,
#                       1 retrying (its next attempt hours away), 1 scheduled (6 h ahead) and 2 queued
#   REPS=50             measured calls of each endpoint (after 10 unmeasured)
#   PAGE_LOADS=20       page loads in Chromium (after 3 unmeasured); 0 skips the page
#   WORKERS=2           worker processes that finish the jobs (concurrency WORKER_CONCURRENCY=50 each)
#   RESULTS_NAME=dashboard-latest   the figures go to bench/results/$RESULTS_NAME.txt
#   APP_DIR=target      where the api/ and worker/ fast-jars are
#   COMPARE_DIR=        another build's fast-jar folder (holding api/): its API is measured too, on the same data,
#                       right after this build's, ROUNDS times in turn (before and after a change, back to back)
#   ROUNDS=1
#   SKIP_BUILD=1        use the jars already in target/ (else ./mvnw -q package -DskipTests)
#   CHROMIUM=chromium   the browser puppeteer-core drives
#   JAVA=java
# The jobs go in through the real API (POST /jobs/batch, 1000 a call) and the real workers finish them, so the keys in
# Redis are exactly those of a live installation, indexes and counters included. Once they are done the workers stop
# and the queued jobs go in, so that they stay queued; one worker then runs for GET /workers, serving a queue
# nobody enqueues to. Finished jobs are kept by count (the retention counts are raised for the run).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
QUEUES="${QUEUES:-100}"
PER_QUEUE="${PER_QUEUE:-10000}"
REPS="${REPS:-50}"
PAGE_LOADS="${PAGE_LOADS:-20}"
WORKERS="${WORKERS:-2}"
WORKER_CONCURRENCY="${WORKER_CONCURRENCY:-50}"
RESULTS_NAME="${RESULTS_NAME:-dashboard-latest}"
APP_DIR="${APP_DIR:-$root/target}"
COMPARE_DIR="${COMPARE_DIR:-}"
ROUNDS="${ROUNDS:-1}"
CHROMIUM="${CHROMIUM:-chromium}"
JAVA="${JAVA:-java}"
results="$here/results"
run_dir="$(mktemp -d "${TMPDIR:-/tmp}/conveyor-dashboard.XXXXXX")"
out="$run_dir/figures.txt"
started=()   # pids of every process this script started, stopped on exit
used_ports=" "

source "$here/lib.sh"

cleanup() {
  local rc=$?
  set +e
  stop_started
  if [[ -d "$run_dir" ]]; then
    mkdir -p "$results/logs"
    for f in "$run_dir"/*.log; do [[ -f "$f" ]] && cp "$f" "$results/logs/dashboard-$(basename "$f")"; done
    rm -rf "$run_dir"
  fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  log "building the jars (./mvnw -q package -DskipTests)"
  (cd "$root" && ./mvnw -q package -DskipTests)
fi
for jar in api/quarkus-app/quarkus-run.jar worker/quarkus-app/quarkus-run.jar; do
  [[ -f "$APP_DIR/$jar" ]] || { log "missing $APP_DIR/$jar: run without SKIP_BUILD=1"; exit 1; }
done
[[ -z "$COMPARE_DIR" || -f "$COMPARE_DIR/api/quarkus-app/quarkus-run.jar" ]] \
  || { log "missing $COMPARE_DIR/api/quarkus-app/quarkus-run.jar"; exit 1; }
mkdir -p "$results" "$run_dir/classes"
javac -d "$run_dir/classes" "$here/Dashboard.java"
dashboard() { BENCH_API_KEY="$api_key" "$JAVA" -XX:+UseSerialGC -cp "$run_dir/classes" Dashboard "$@"; }
make_api_key "$run_dir/keys.json"

start_redis --maxmemory-policy noeviction
# Finished jobs are kept by count and age: both high enough that the run keeps every one. The filling shares a busy
# 2-core machine with a JIT warming up: Redis' answers may take longer than the 2 s a live installation waits.
app_env=(QUARKUS_REDIS_HOSTS="redis://127.0.0.1:$REDIS_PORT" CONVEYOR_QUEUE_REDIS_TIMEOUT=10s CONVEYOR_RETENTION_SUCCEEDED=24h
  CONVEYOR_RETENTION_SUCCEEDED_COUNT=$((PER_QUEUE * 2)) CONVEYOR_RETENTION_FAILED_COUNT=$((PER_QUEUE * 2)))

worker_jar="$(app_view "$APP_DIR/worker/quarkus-app" worker)"

await_ready() { # $1 = management port, $2 = pid
  for _ in $(seq 1 900); do
    curl -sf "http://127.0.0.1:$1/q/health/ready" >/dev/null 2>&1 && return 0
    kill -0 "$2" 2>/dev/null || { log "pid $2 exited"; return 1; }
    sleep 0.1
  done
  log "pid $2 not ready within 90 s"; return 1
}

start_api() { # $1 = a fast-jar folder holding api/, $2 = a name; sets api (its URL)
  local port mgmt jar pid; port=$(free_port); mgmt=$(free_port); jar="$(app_view "$1/api/quarkus-app" "$2")"
  env "${app_env[@]}" QUARKUS_HTTP_PORT="$port" QUARKUS_MANAGEMENT_PORT="$mgmt" \
    CONVEYOR_AUTH_KEYS_FILE="$run_dir/keys.json" "$JAVA" @"$root/src/main/jvm/api.options" -jar "$jar" \
    >"$run_dir/$2.log" 2>&1 &
  pid=$!
  started+=("$pid")
  await_ready "$mgmt" "$pid"
  api="http://127.0.0.1:$port"
  log "API ($2, $1) pid $pid on $api"
}
start_api "$APP_DIR" api
main_api="$api"

worker_pids=()
start_worker() { # $1 = the queues it serves (empty: every queue)
  local mgmt http; mgmt=$(free_port); http=$(free_port)
  env "${app_env[@]}" QUARKUS_HTTP_PORT="$http" QUARKUS_MANAGEMENT_PORT="$mgmt" \
    CONVEYOR_WORKER_CONCURRENCY="$WORKER_CONCURRENCY" ${1:+CONVEYOR_WORKER_QUEUES="$1"} \
    "$JAVA" @"$root/src/main/jvm/worker.options" -jar "$worker_jar" >"$run_dir/worker-${#worker_pids[@]}.log" 2>&1 &
  worker_pids+=($!); started+=($!)
  await_ready "$mgmt" "$!"
}

# ------------------------------------------------------------------ fill
total=$((QUEUES * PER_QUEUE))
fill_start=$(date +%s)
log "filling $QUEUES queues with $total jobs: $WORKERS worker(s) finish them as they come"
for ((i=0; i<WORKERS; i++)); do start_worker ""; done
dashboard fill --api "$main_api" --queues "$QUEUES" --per-queue "$PER_QUEUE" --part finished
dashboard settled --api "$main_api" --timeout-s 900
for pid in "${worker_pids[@]}"; do stop_pid "$pid"; done
worker_pids=()
dashboard fill --api "$main_api" --queues "$QUEUES" --per-queue "$PER_QUEUE" --part queued
fill_seconds=$(( $(date +%s) - fill_start ))
start_worker idle   # a live worker for GET /workers; nobody enqueues to "idle"
log "filled in $fill_seconds s; Redis: $(redis-cli -p "$REDIS_PORT" dbsize) keys, $(redis-cli -p "$REDIS_PORT" info memory | grep -o 'used_memory_human:[^[:space:]]*')"

compare_api=""
if [[ -n "$COMPARE_DIR" ]]; then start_api "$COMPARE_DIR" api-compare; compare_api="$api"; fi
{
  echo "Dashboard overview: $QUEUES queues, $total jobs; tree $(cd "$root" && git rev-parse --short HEAD)$( (cd "$root" && git status --porcelain -- src | grep -q .) && echo ' (src modified)'); $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "jobs by status: $(curl -s -H "Authorization: Bearer $api_key" "$main_api/queues" | grep -oE '"(scheduled|queued|running|retrying|succeeded|failed|cancelled)":[0-9]+' | awk -F: '{gsub(/"/,"",$1); s[$1]+=$2} END {for (k in s) printf "%s=%d ", k, s[k]}')"
  echo "Redis: $(redis-cli -p "$REDIS_PORT" dbsize) keys, $(redis-cli -p "$REDIS_PORT" info memory | grep -o 'used_memory_human:[^[:space:]]*'); filled in $fill_seconds s ($WORKERS workers)"
  echo "load: $(uptime | sed 's/.*average: //')"
} | tee "$out"

[[ "$PAGE_LOADS" -gt 0 ]] && (cd "$here/dashboard" && npm ci --silent --no-audit --no-fund >"$run_dir/npm.log" 2>&1)

measure() { # $1 = the API's URL, $2 = what it runs
  local paths=(--path /queues --path "/stats?minutes=60" --path "/stats?minutes=1") extra code
  for extra in /me /workers; do
    code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $api_key" "$1$extra")
    [[ "$code" == 200 ]] && paths+=(--path "$extra")
  done
  { echo; echo "$2: API, $REPS calls each, one at a time (redis ms and commands: per call, from INFO commandstats)"; } | tee -a "$out"
  dashboard measure --api "$1" --redis-port "$REDIS_PORT" --reps "$REPS" "${paths[@]}" | tee -a "$out"
  [[ "$PAGE_LOADS" -gt 0 ]] || return 0
  if [[ "$(curl -s -o /dev/null -w '%{http_code}' "$1/ui")" =~ ^(200|30[12378])$ ]]; then
    echo "$2: page /ui in headless Chromium, $PAGE_LOADS loads (after 3 unmeasured), HTTP cache off" | tee -a "$out"
    BENCH_API_KEY="$api_key" node "$here/dashboard/render.mjs" --url "$1/ui" --rows "$QUEUES" \
      --loads "$PAGE_LOADS" --chromium "$(command -v "$CHROMIUM")" | tee -a "$out" \
      || echo "$2: the page measurement failed" | tee -a "$out"
  else
    echo "$2: no /ui in this build, the page is not measured" | tee -a "$out"
  fi
}
for round in $(seq 1 "$ROUNDS"); do
  measure "$main_api" "round $round, $APP_DIR"
  [[ -z "$compare_api" ]] || measure "$compare_api" "round $round, $COMPARE_DIR"
done
echo "load after: $(uptime | sed 's/.*average: //')" | tee -a "$out"
cp "$out" "$results/$RESULTS_NAME.txt"
log "wrote $results/$RESULTS_NAME.txt"
