#!/usr/bin/env bash
# Redis CPU per job over its whole life (enqueue, claim, complete), for Conveyor and for the BullMQ peer on the same
# machine, from Redis' own counters (INFO cpu: used_cpu_sys + used_cpu_user; INFO commandstats). Prints a table and
# writes bench/results/capacity-*.  The method and the figures: docs/capacity.md.
#
#   Conveyor: bench/run.sh's e2e scenario (N jobs enqueued in batches of 1000, then claimed and completed by one
#             worker); LoadGen reads INFO around the enqueue and around the processing.
#   BullMQ:   ../shared/peers/bullmq/run.sh --only e2e (addBulk of 1000, then one worker), unchanged; LoadGen's
#             redis-segments watches its redis-server and cuts the run at each FLUSHALL, which the peer's driver sends
#             before each rep: one segment = one rep = N jobs, enqueue to done (with the worker's start and stop).
#
# Usage: bench/capacity.sh
# Environment: N=20000  REPS=3  ONLY=conveyor,bullmq  SKIP_BUILD=1 (passed to run.sh)  WARMUP_JOBS=60000 (run.sh)
#              RESULTS_TAG= (appended to the names of the result files, e.g. -2 for a second pair)
#              and any other setting of bench/run.sh (REDIS_MODE, QUEUES, APP_ENV...) for the Conveyor half.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
N="${N:-20000}"
REPS="${REPS:-3}"
ONLY="${ONLY:-conveyor,bullmq}"
peer="${BULLMQ_PEER:-$root/../shared/peers/bullmq}"
results="$here/results"
run_dir="$(mktemp -d "${TMPDIR:-/tmp}/conveyor-capacity.XXXXXX")"
started=()
used_ports=" "
source "$here/lib.sh"
has() { [[ ",$ONLY," == *",$1,"* ]]; }
trap 'rc=$?; stop_started; rm -rf "$run_dir"; exit $rc' EXIT
trap 'exit 130' INT TERM
mkdir -p "$results"

if has conveyor; then
  log "Conveyor: bench/run.sh e2e, N=$N, REPS=$REPS (load: $(uptime | sed 's/.*average: //'))"
  N="$N" REPS="$REPS" ONLY=e2e RESULTS_NAME="capacity-conveyor${RESULTS_TAG:-}" PEER_RAW=/nonexistent \
    "$here/run.sh" >&2
fi

libs="$root/target/api/quarkus-app/lib/main/*"
mkdir -p "$run_dir/classes"
javac -cp "$libs" -d "$run_dir/classes" "$here/LoadGen.java"
loadgen() { java -XX:+UseSerialGC -cp "$run_dir/classes:$libs" LoadGen "$@"; }

if has bullmq; then
  # The peer's driver runs three configurations of REPS reps each, in this order, each rep after a FLUSHALL.
  labels=()
  for config in "concurrency=50" "concurrency=1" "concurrency=50 removeOnComplete"; do
    for rep in $(seq 1 "$REPS"); do labels+=("$config"); done
  done
  port=$(free_port)
  work="$run_dir/bullmq" # its own folder and port: nothing shared with another run of the peer
  mkdir -p "$work"
  [[ -d "${XDG_CACHE_HOME:-$HOME/.cache}/bullmq-baseline/node_modules/bullmq" ]] \
    && cp -r "${XDG_CACHE_HOME:-$HOME/.cache}/bullmq-baseline/node_modules" "$work/"
  rm -f "$results/capacity-bullmq${RESULTS_TAG:-}-segments.jsonl"
  log "BullMQ: $peer/run.sh --only e2e --reps $REPS --n $N on port $port (load: $(uptime | sed 's/.*average: //'))"
  loadgen redis-segments --redis-port "$port" --n "$N" --labels "$(IFS=,; echo "${labels[*]}")" \
    --out "$results/capacity-bullmq${RESULTS_TAG:-}-segments.jsonl" 2>"$run_dir/segments.log" &
  sampler=$!
  started+=("$sampler")
  for _ in $(seq 1 300); do grep -q "waiting for" "$run_dir/segments.log" && break; sleep 0.1; done # its JVM is up
  REDIS_PORT="$port" BULLMQ_BENCH_DIR="$work" "$peer/run.sh" --only e2e --reps "$REPS" --n "$N" >&2
  wait "$sampler" || { cat "$run_dir/segments.log" >&2; exit 1; }
  cp "$work/results/raw.jsonl" "$results/capacity-bullmq${RESULTS_TAG:-}-raw.jsonl"
fi

loadgen capacity --conveyor "$results/capacity-conveyor${RESULTS_TAG:-}-raw.jsonl" \
  --bullmq "$results/capacity-bullmq${RESULTS_TAG:-}-raw.jsonl" --segments "$results/capacity-bullmq${RESULTS_TAG:-}-segments.jsonl" \
  | tee "$results/capacity-table${RESULTS_TAG:-}.txt"
echo "load after: $(uptime)" | tee -a "$results/capacity-table${RESULTS_TAG:-}.txt"
