# Shell helpers of the bench scripts (sourced). The caller sets: run_dir (a scratch folder, removed on exit),
# started=() (pids to stop on exit, in order) and used_ports=" ".

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# SIGTERM, up to 15 s to stop, then SIGKILL.
stop_pid() {
  local pid="$1"
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then log "pid $pid did not stop in 15 s: SIGKILL"; kill -KILL "$pid" 2>/dev/null || true; fi
  wait "$pid" 2>/dev/null || true
}

# Every process in started, the last started first.
stop_started() {
  local i
  for ((i=${#started[@]}-1; i>=0; i--)); do stop_pid "${started[i]}"; done
}

free_port() {
  local p
  for _ in $(seq 1 500); do
    p=$(( 20000 + RANDOM % 12000 ))   # below Linux' ephemeral range (32768-60999), which outgoing connections take
    [[ "$used_ports" == *" $p "* ]] && continue
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then used_ports+="$p "; echo "$p"; return 0; fi
  done
  log "no free port found"; return 1
}

# A private redis-server on 127.0.0.1 without persistence; extra options as arguments. Sets REDIS_PORT (a free port
# unless set) and redis_pid.
start_redis() {
  REDIS_PORT="${REDIS_PORT:-$(free_port)}"
  used_ports+="$REDIS_PORT "
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --protected-mode yes --save "" --appendonly no \
    --daemonize no --dir "$run_dir" --logfile "$run_dir/redis.log" "$@" &
  redis_pid=$!
  started+=("$redis_pid")
  for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$REDIS_PORT") 2>/dev/null && break
    kill -0 "$redis_pid" 2>/dev/null || { log "redis-server exited; see $run_dir/redis.log"; return 1; }
    sleep 0.1
  done
  log "redis-server $(redis-server --version | grep -o 'v=[0-9.]*') pid $redis_pid on 127.0.0.1:$REDIS_PORT $*"
}

# A private view of a fast-jar folder (symlinks to lib/, app/, quarkus/ and the jar under another name), so that
# nothing that ends "quarkus-run" processes by name on a shared machine ends this one. $1 = the quarkus-app folder,
# $2 = a name; prints the jar to run.
app_view() {
  local dir="$run_dir/app-$2" d
  mkdir -p "$dir"
  for d in app lib quarkus; do ln -sfn "$1/$d" "$dir/$d"; done
  cp "$1/quarkus-run.jar" "$dir/conveyor-bench-$2.jar"
  echo "$dir/conveyor-bench-$2.jar"
}

# A random API key for this run, and a keys file at $1 that lets it in as admin of every queue (only its SHA-256 is
# written, as in production: docs/security.md). Sets api_key; the drivers send it as BENCH_API_KEY, never in their
# arguments.
make_api_key() {
  api_key="cvk_$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')"
  printf '{"keys": [{"name": "bench", "sha256": "%s", "roles": ["admin"], "queues": ["*"]}]}\n' \
    "$(printf %s "$api_key" | sha256sum | cut -d' ' -f1)" >"$1"
}
