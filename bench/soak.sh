#!/usr/bin/env bash
# Conveyor soak: does memory stay bounded under sustained load? Starts its own redis-server (maxmemory 256mb,
# noeviction, no persistence) on a free loopback port and one all-role process (target/quarkus-app: API and worker)
# with the shipped JVM options, then:
#   1. sizing: Redis memory per waiting job and per finished job kept, measured with SIZING_JOBS echo jobs;
#   2. soak: batches of BATCH echo jobs from CLIENTS client threads, each batch sent when the previous one is answered,
#      for DURATION, while the process runs them. The clients hold off while more than BACKLOG jobs wait, so they
#      enqueue at the rate the process finishes jobs: the highest rate the machine sustains.
# Prints a line a minute (jobs accepted and finished, 503s, other 5xx, waiting jobs, Redis used_memory, the JVM's
# RSS), waits for every accepted job to finish, and prints a verdict for each promise: no 5xx, Redis memory levelled
# off under the budget, RSS levelled off, every accepted job finished, the last minute's throughput at least 90 % of
# the first's. Writes bench/results/soak-latest.txt; exits 1 when a verdict fails. How to read it:
# docs/performance.md#memory-under-sustained-load.
#
# Usage: bench/soak.sh                       (from the project root or anywhere)
# Environment:
#   DURATION=10m        how long the clients enqueue (e.g. 90s, 2m; rounded up to whole minutes)
#   SKIP_BUILD=1        use target/quarkus-app as it is (else ./mvnw -q package -DskipTests, the all-role build only)
#   MAXMEMORY=256mb     the Redis' maxmemory, Conveyor's memory budget
#   CLIENTS=2  BATCH=500  BACKLOG=20000  SIZING_JOBS=10000
#   WORKER_CONCURRENCY=50
#   JVM_OPTIONS=src/main/jvm/worker.options   (the all-role process runs the worker loop; the API's options only
#                                              allow a larger heap)
#   JAVA=java
#   CONVEYOR_*          settings of the Conveyor process (e.g. CONVEYOR_RETENTION_SUCCEEDED=10s), named in the results
# Access control is on, as shipped: a random key of the run, admin of every queue, sent on every request.
# Needs: a JDK 17+, redis-server (installed with apt-get if missing).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
DURATION="${DURATION:-10m}"
MAXMEMORY="${MAXMEMORY:-256mb}"
CLIENTS="${CLIENTS:-2}"
BATCH="${BATCH:-500}"
BACKLOG="${BACKLOG:-20000}"
SIZING_JOBS="${SIZING_JOBS:-10000}"
WORKER_CONCURRENCY="${WORKER_CONCURRENCY:-50}"
JVM_OPTIONS="$(realpath "${JVM_OPTIONS:-$root/src/main/jvm/worker.options}")"
JAVA="${JAVA:-java}"
results="$here/results"
run_dir="$(mktemp -d "${TMPDIR:-/tmp}/conveyor-soak.XXXXXX")"
out="$run_dir/soak.txt"
started=()   # pids of every process this script started, stopped on exit
used_ports=" "
source "$here/lib.sh"

case "$DURATION" in
  *m) duration_s=$(( ${DURATION%m} * 60 )) ;;
  *s) duration_s=${DURATION%s} ;;
  *) duration_s=$DURATION ;;
esac

cleanup() {
  local rc=$?
  set +e
  stop_started
  mkdir -p "$results/logs"
  cp "$run_dir/app.log" "$results/logs/soak-app.log" 2>/dev/null
  cp "$run_dir/redis.log" "$results/logs/soak-redis.log" 2>/dev/null
  [[ -f "$out" ]] && cp "$out" "$results/soak-latest.txt" && log "wrote $results/soak-latest.txt"
  rm -rf "$run_dir"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ------------------------------------------------------------------ build and tools
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  log "building the all-role jar (./mvnw -q package -DskipTests -DskipRoleApi -DskipRoleWorker)"
  (cd "$root" && ./mvnw -q package -DskipTests -DskipRoleApi=true -DskipRoleWorker=true)
fi
app="$root/target/quarkus-app"
[[ -f "$app/quarkus-run.jar" ]] || { log "missing $app/quarkus-run.jar: run without SKIP_BUILD=1"; exit 1; }
command -v redis-server >/dev/null || { apt-get update -qq && apt-get install -y -qq redis-server redis-tools >/dev/null; }
# The drivers use the app's own libraries (the Vert.x Redis client); compiled once.
libs="$app/lib/main/*"
mkdir -p "$results" "$run_dir/classes"
javac -cp "$libs" -d "$run_dir/classes" "$here/LoadGen.java" "$here/Soak.java"
# Access control is on as shipped: a key of this run, sent on every request.
make_api_key "$run_dir/keys.json"
loadgen() { BENCH_API_KEY="$api_key" "$JAVA" -XX:+UseSerialGC -cp "$run_dir/classes:$libs" LoadGen "$@"; }
soak() { BENCH_API_KEY="$api_key" "$JAVA" -XX:+UseSerialGC -cp "$run_dir/classes:$libs" Soak "$@"; }

# ------------------------------------------------------------------ redis-server and Conveyor
start_redis --maxmemory "$MAXMEMORY" --maxmemory-policy noeviction
http_port=$(free_port); mgmt_port=$(free_port)
env QUARKUS_REDIS_HOSTS="redis://127.0.0.1:$REDIS_PORT" QUARKUS_HTTP_PORT="$http_port" \
  QUARKUS_MANAGEMENT_PORT="$mgmt_port" CONVEYOR_WORKER_CONCURRENCY="$WORKER_CONCURRENCY" \
  CONVEYOR_AUTH_KEYS_FILE="$run_dir/keys.json" \
  "$JAVA" @"$JVM_OPTIONS" -jar "$(app_view "$app" all)" >"$run_dir/app.log" 2>&1 &
app_pid=$!
started+=("$app_pid")
api="http://127.0.0.1:$http_port"
loadgen wait-ready --url "http://127.0.0.1:$mgmt_port/q/health/ready" --pid "$app_pid" --timeout-s 90
log "Conveyor (all roles) pid $app_pid on $api (management $mgmt_port)"
common=(--api "$api" --redis-port "$REDIS_PORT" --app-pid "$app_pid")

# ------------------------------------------------------------------ the runs
commit="$(cd "$root" && git rev-parse --short HEAD 2>/dev/null || echo unknown)"
[[ "$(cd "$root" && git status --porcelain -- src pom.xml 2>/dev/null | wc -l)" == 0 ]] || commit+=" (src modified)"
{
  echo "Conveyor soak, $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $commit, $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "redis-server $(redis-server --version | grep -o 'v=[0-9.]*') maxmemory $MAXMEMORY noeviction;" \
    "$("$JAVA" -version 2>&1 | head -1); JVM options: $(grep -v '^#' "$JVM_OPTIONS" | tr '\n' ' ')"
  overrides="$(env | grep '^CONVEYOR_' | sort | tr '\n' ' ' || true)"
  echo "worker concurrency $WORKER_CONCURRENCY; settings as shipped (application.properties)${overrides:+ except $overrides}"
  echo
} | tee "$out"
log "sizing: $SIZING_JOBS jobs waiting, then finished"
soak sizing "${common[@]}" --n "$SIZING_JOBS" --batch "$BATCH" | tee -a "$out"
echo | tee -a "$out"
log "soak: $DURATION"
rc=0
soak soak "${common[@]}" --duration-s "$duration_s" --clients "$CLIENTS" --batch "$BATCH" --backlog "$BACKLOG" \
  | tee -a "$out" || rc=$?
# what Conveyor itself exports (docs/operations.md#metrics)
echo "Conveyor's gauges at the end: $(curl -s "http://127.0.0.1:$mgmt_port/q/metrics" \
  | grep -E '^conveyor_redis_memory_(used|budget)_bytes ' | tr '\n' ' ')" | tee -a "$out"
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out"
exit "$rc"
