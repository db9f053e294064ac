#!/usr/bin/env bash
# Conveyor benchmark: the scenarios of the BullMQ peer benchmark (../shared/peers/bullmq), against Conveyor's API
# and worker processes and a private redis-server. Prints a table (median and min..max of REPS runs) and writes
# bench/results/latest.json (medians), latest-raw.jsonl (every run) and latest-table.txt.
# What each scenario measures, and today's figures next to the peers: docs/performance.md.
#
# Usage: bench/run.sh                       (from the project root or anywhere)
# Environment:
#   N=20000             jobs per run (enqueue and end-to-end scenarios)
#   REPS=3              runs of each scenario
#   REDIS_PORT=         port of the private redis-server (default: a free loopback port)
#   REDIS_MODE=single   single: one redis-server; replica: one primary with one replica in sync (so that WAIT has
#                       someone to answer); cluster: a local Redis Cluster (the app runs with client-type=cluster)
#   CLUSTER_PRIMARIES=3 CLUSTER_REPLICAS=0   the cluster's shape (REDIS_MODE=cluster)
#   QUEUES=             e2e and pickup over this many queues q0..q<QUEUES-1> (the jobs of e2e spread evenly, a pickup
#                       job goes to q0, every worker serves them all); unset: the one queue "default"
#   APP_ENV=            extra environment of the API and the workers, e.g. "CONVEYOR_QUEUE_REPLICA_ACKS=1 FOO=bar"
#   RESULTS_NAME=latest the stem of the files written into bench/results/
#   LISTENERS=0         1: an SSE client follows the queues' events during the runs (the cost of events being recorded)
#   SKIP_BUILD=1        use the jars already in target/ (else ./mvnw -q package -DskipTests)
#   ONLY=enqueue,e2e,e2e2,pickup   which scenarios
#   PICKUP_SAMPLES=500  samples per pickup-latency run
#   WARMUP_ROUNDS=20    API warm-up before the measurements: rounds of 5 batches of 1000 and 5000 single enqueues
#   WARMUP_JOBS=60000   e2e: after the fresh-JVM run, the same workers process this many jobs (not measured) before
#                       the "warm" run of N jobs: the JIT's steady state, which a fresh JVM does not reach in N jobs
#   WORKER_CONCURRENCY=50
#   JFR_DIR=            if set: the API and every worker record a JFR profile into this folder
#   JFR_SETTINGS=profile   JFR settings (a name or a .jfc file; bench/profile-1ms.jfc samples every millisecond)
#   PEER_RAW=           the BullMQ peer's results/raw.jsonl to compare with (default: where its run.sh puts it)
#   JAVA=java           the java launcher
#   WORKER_JVM_OPTIONS=src/main/jvm/worker.options   API_JVM_OPTIONS=src/main/jvm/api.options   (java @argfiles)
# The API runs with access control on, as shipped: the script makes a random key, starts the API with a keys file
# holding its hash (admin of every queue), and LoadGen sends it on every request.
# Needs: a JDK 17+, redis-server (installed with apt-get if missing).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
N="${N:-20000}"
REPS="${REPS:-3}"
ONLY="${ONLY:-enqueue,e2e,e2e2,pickup}"
PICKUP_SAMPLES="${PICKUP_SAMPLES:-500}"
WARMUP_JOBS="${WARMUP_JOBS:-60000}"
WORKER_CONCURRENCY="${WORKER_CONCURRENCY:-50}"
REDIS_MODE="${REDIS_MODE:-single}"
CLUSTER_PRIMARIES="${CLUSTER_PRIMARIES:-3}"
CLUSTER_REPLICAS="${CLUSTER_REPLICAS:-0}"
RESULTS_NAME="${RESULTS_NAME:-latest}"
read -ra app_env <<<"${APP_ENV:-}"
queue_list=default
if [[ -n "${QUEUES:-}" ]]; then queue_list="$(seq -s, -f 'q%g' 0 $((QUEUES - 1)))"; fi
JAVA="${JAVA:-java}"
JFR_DIR="${JFR_DIR:-}"
WORKER_JVM_OPTIONS="$(realpath "${WORKER_JVM_OPTIONS:-$root/src/main/jvm/worker.options}")"
API_JVM_OPTIONS="$(realpath "${API_JVM_OPTIONS:-$root/src/main/jvm/api.options}")"
results="$here/results"
run_dir="$(mktemp -d "${TMPDIR:-/tmp}/conveyor-bench.XXXXXX")"
raw="$run_dir/raw.jsonl"
started=()   # pids of every process this script started, stopped on exit
used_ports=" "

source "$here/lib.sh"
has() { [[ ",$ONLY," == *",$1,"* ]]; }

cleanup() {
  local rc=$?
  set +e
  stop_started
  if [[ -d "$run_dir" ]]; then
    mkdir -p "$results/logs"
    cp "$run_dir"/*.log "$results/logs/" 2>/dev/null
    [[ $rc == 0 ]] || cp "$raw" "$results/failed-run-raw.jsonl" 2>/dev/null
    rm -rf "$run_dir"
  fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ------------------------------------------------------------------ build and tools
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  log "building the jars (./mvnw -q package -DskipTests)"
  (cd "$root" && ./mvnw -q package -DskipTests)
fi
for jar in target/api/quarkus-app/quarkus-run.jar target/worker/quarkus-app/quarkus-run.jar; do
  [[ -f "$root/$jar" ]] || { log "missing $root/$jar: run without SKIP_BUILD=1"; exit 1; }
done
command -v redis-server >/dev/null || { apt-get update -qq && apt-get install -y -qq redis-server redis-tools >/dev/null; }
mkdir -p "$results" "$run_dir/classes"
# The load generator is a single-file program (java -cp "$libs" bench/LoadGen.java ... works too); compiled once here
# so that each of its many short runs does not compile it again. It reads Redis with the app's own Redis client.
libs="$root/target/api/quarkus-app/lib/main/*"
javac -cp "$libs" -d "$run_dir/classes" "$here/LoadGen.java"
# Access control is on in the API as shipped: a key of this run, sent on every request (only the header is added).
make_api_key "$run_dir/keys.json"
loadgen() { BENCH_API_KEY="$api_key" "$JAVA" -XX:+UseSerialGC -cp "$run_dir/classes:$libs" LoadGen "$@"; }

# ------------------------------------------------------------------ redis-server
case "$REDIS_MODE" in
  single | replica)
    start_redis --maxmemory-policy noeviction
    [[ "$REDIS_MODE" == replica ]] && start_replica --maxmemory-policy noeviction
    redis_env=(QUARKUS_REDIS_HOSTS="redis://127.0.0.1:$REDIS_PORT")
    redis_args=(--redis-port "$REDIS_PORT" --redis-pid "$redis_pid") ;;
  cluster)
    start_cluster "$CLUSTER_PRIMARIES" "$CLUSTER_REPLICAS" --maxmemory-policy noeviction
    redis_env=(QUARKUS_REDIS_CLIENT_TYPE=cluster QUARKUS_REDIS_HOSTS="$cluster_hosts") # the blocking client follows
    redis_args=(--redis-nodes "$primary_nodes" --redis-pid "$primary_pids") ;;
  *) log "REDIS_MODE must be single, replica or cluster"; exit 2 ;;
esac

# Each role runs from a private view of its fast-jar (lib.sh's app_view).
api_jar="$(app_view "$root/target/api/quarkus-app" api)"
worker_jar="$(app_view "$root/target/worker/quarkus-app" worker)"

jfr_opt() { # $1 = file name stem
  [[ -n "$JFR_DIR" ]] || return 0
  mkdir -p "$JFR_DIR"
  echo "-XX:FlightRecorderOptions=stackdepth=256 -XX:StartFlightRecording=filename=$JFR_DIR/$1.jfr,settings=${JFR_SETTINGS:-profile},dumponexit=true"
}

# ------------------------------------------------------------------ API
api_port=$(free_port); api_mgmt=$(free_port)
env "${redis_env[@]}" "${app_env[@]}" QUARKUS_HTTP_PORT="$api_port" QUARKUS_MANAGEMENT_PORT="$api_mgmt" \
  CONVEYOR_AUTH_KEYS_FILE="$run_dir/keys.json" "$JAVA" @"$API_JVM_OPTIONS" $(jfr_opt api) -jar "$api_jar" \
  >"$run_dir/api.log" 2>&1 &
api_pid=$!
started+=("$api_pid")
api="http://127.0.0.1:$api_port"
loadgen wait-ready --url "http://127.0.0.1:$api_mgmt/q/health/ready" --pid "$api_pid" --timeout-s 90
log "API pid $api_pid on $api (management $api_mgmt)"
common=(--api "$api" "${redis_args[@]}" --out "$raw" --api-pid "$api_pid")

# LISTENERS=1: an SSE client follows the queues' events through every run, so the scripts record them in Redis
if [[ "${LISTENERS:-0}" == "1" ]]; then
  # reconnecting as a browser's EventSource does, should the API drop it
  (while kill -0 "$api_pid" 2>/dev/null; do
     curl -sN -H "Authorization: Bearer $api_key" "$api/events?queue=${queue_list:-default}" >/dev/null
   done) &
  started+=("$!")
  log "an SSE client follows the events of ${queue_list:-default}"
fi

# ------------------------------------------------------------------ workers
worker_pids=()
worker_seq=0
start_workers() { # $1 = how many; sets worker_pids. All start at once; one that fails to start is tried again.
  worker_pids=()
  local mgmt=() i pid attempt
  for ((i=0; i<$1; i++)); do start_worker; worker_pids+=("$new_pid"); mgmt+=("$new_mgmt"); done
  for ((i=0; i<$1; i++)); do
    for attempt in 1 2 3; do
      if loadgen wait-ready --url "http://127.0.0.1:${mgmt[i]}/q/health/ready" --pid "${worker_pids[i]}" --timeout-s 90; then
        break
      fi
      [[ $attempt == 3 ]] && { log "worker did not start 3 times: see $run_dir/worker-$worker_seq.log"; return 1; }
      log "worker ${worker_pids[i]} did not start (port taken?); starting another"
      stop_pid "${worker_pids[i]}"
      start_worker; worker_pids[i]="$new_pid"; mgmt[i]="$new_mgmt"
    done
  done
}
start_worker() { # sets new_pid and new_mgmt
  worker_seq=$((worker_seq + 1))
  new_mgmt=$(free_port)
  local http; http=$(free_port) # serves nothing, but port 0 trips a metrics registration error in Quarkus
  env "${redis_env[@]}" "${app_env[@]}" QUARKUS_HTTP_PORT="$http" QUARKUS_MANAGEMENT_PORT="$new_mgmt" \
    CONVEYOR_WORKER_CONCURRENCY="$WORKER_CONCURRENCY" CONVEYOR_WORKER_QUEUES="$queue_list" \
    "$JAVA" @"$WORKER_JVM_OPTIONS" $(jfr_opt "worker-$worker_seq") \
    -jar "$worker_jar" >"$run_dir/worker-$worker_seq.log" 2>&1 &
  new_pid=$!
  started+=("$new_pid")
}
stop_workers() {
  local pid
  for pid in "${worker_pids[@]}"; do stop_pid "$pid"; done
  worker_pids=()
}
joined() { local IFS=,; echo "$*"; }

# ------------------------------------------------------------------ scenarios
load_before="$(uptime)"
log "load before: $load_before"
log "warm-up of the API: ${WARMUP_ROUNDS:-20} x (5 batches + 5000 single enqueues), not measured"
loadgen warmup "${common[@]}" --rounds "${WARMUP_ROUNDS:-20}"

if has enqueue; then
  for rep in $(seq 1 "$REPS"); do
    log "enqueue batch, rep $rep/$REPS (N=$N, POST /jobs/batch x1000, one client)"
    loadgen enqueue "${common[@]}" --mode batch --n "$N" --rep "$rep"
  done
  for rep in $(seq 1 "$REPS"); do
    log "enqueue single, rep $rep/$REPS (N=$N, POST /jobs from 64 connections)"
    loadgen enqueue "${common[@]}" --mode single --conns 64 --n "$N" --rep "$rep"
  done
fi

e2e() { # $1 = number of worker processes
  local k="$1" rep
  for rep in $(seq 1 "$REPS"); do
    log "e2e, $k worker(s) at concurrency $WORKER_CONCURRENCY, rep $rep/$REPS: pre-fill $N jobs (queue paused, no worker)"
    loadgen flush "${redis_args[@]}"
    loadgen prefill "${common[@]}" --queues "$queue_list" --n "$N" --state "$run_dir/state"
    start_workers "$k"
    log "  workers $(joined "${worker_pids[@]}") ready: resume and time until $N succeeded"
    loadgen drain "${common[@]}" --queues "$queue_list" --state "$run_dir/state" --pids "$(joined "${worker_pids[@]}")" --test "e2e_${k}w" --rep "$rep"
    if [[ "$WARMUP_JOBS" -gt 0 ]]; then
      log "  same workers: $WARMUP_JOBS more jobs to warm the JIT up (not in the table)"
      loadgen flush "${redis_args[@]}"
      loadgen prefill "${common[@]}" --queues "$queue_list" --n "$WARMUP_JOBS" --state "$run_dir/state"
      loadgen drain "${common[@]}" --queues "$queue_list" --state "$run_dir/state" --pids "$(joined "${worker_pids[@]}")" --test "e2e_${k}w_warmup" --rep "$rep"
    fi
    log "  same workers, warm: $N jobs again"
    loadgen flush "${redis_args[@]}"
    loadgen prefill "${common[@]}" --queues "$queue_list" --n "$N" --state "$run_dir/state"
    loadgen drain "${common[@]}" --queues "$queue_list" --state "$run_dir/state" --pids "$(joined "${worker_pids[@]}")" --test "e2e_${k}w_warm" --rep "$rep"
    stop_workers
  done
}
has e2e && e2e 1
has e2e2 && e2e 2

if has pickup; then
  for rep in $(seq 1 "$REPS"); do
    log "pickup latency, rep $rep/$REPS: idle worker, $PICKUP_SAMPLES jobs one at a time (after 50 unmeasured)"
    start_workers 1
    sleep 1.5
    loadgen pickup "${common[@]}" --queue "${queue_list%%,*}" --samples "$PICKUP_SAMPLES" --pids "$(joined "${worker_pids[@]}")" --rep "$rep"
    stop_workers
  done
fi

load_after="$(uptime)"
log "load after: $load_after"

# ------------------------------------------------------------------ summary
commit="$(cd "$root" && git rev-parse --short HEAD 2>/dev/null || echo unknown)"
dirty="$(cd "$root" && git status --porcelain -- src pom.xml 2>/dev/null | wc -l)"
[[ "$dirty" == 0 ]] || commit+=" (src modified)"
meta="date=$(date -u +%Y-%m-%dT%H:%M:%SZ);commit=$commit;n=$N;reps=$REPS"
meta+=";warmup_jobs=$WARMUP_JOBS;pickup_samples=$PICKUP_SAMPLES;worker_concurrency=$WORKER_CONCURRENCY;java=$("$JAVA" -version 2>&1 | head -1)"
meta+=";redis_mode=$REDIS_MODE;queues=$queue_list;app_env=${APP_ENV:-}"
[[ "$REDIS_MODE" == cluster ]] && meta+=";cluster=$CLUSTER_PRIMARIES primaries, $CLUSTER_REPLICAS replicas each"
meta+=";redis=$(redis-server --version | grep -o 'v=[0-9.]*');cpus=$(nproc)"
meta+=";worker_jvm_options=$(grep -v '^#' "$WORKER_JVM_OPTIONS" | tr '\n' ' ')"
meta+=";api_jvm_options=$(grep -v '^#' "$API_JVM_OPTIONS" | tr '\n' ' ')"
meta+=";load_before=${load_before##*average: };load_after=${load_after##*average: }"
cp "$raw" "$results/$RESULTS_NAME-raw.jsonl"
loadgen summarize --raw "$raw" --json "$results/$RESULTS_NAME.json" --meta "$meta" | tee "$results/$RESULTS_NAME-table.txt"
echo "load before: $load_before" | tee -a "$results/$RESULTS_NAME-table.txt"
echo "load after:  $load_after" | tee -a "$results/$RESULTS_NAME-table.txt"
log "wrote $results/$RESULTS_NAME.json"

# Side by side with the BullMQ peer, when its results are there (../shared/peers/bullmq/run.sh --reps 3, run right
# before or after this script on the same machine).
peer_raw="${PEER_RAW:-${BULLMQ_BENCH_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/bullmq-baseline}/results/raw.jsonl}"
if [[ -f "$peer_raw" ]]; then
  echo
  echo "Against BullMQ ($peer_raw, written $(date -u -r "$peer_raw" +%Y-%m-%dT%H:%M:%SZ)):"
  loadgen compare --json "$results/$RESULTS_NAME.json" --peer "$peer_raw" | tee "$results/$RESULTS_NAME-compare.txt"
fi
