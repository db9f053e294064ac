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

# Waits until redis-cli -p $1 $3... prints a line that matches the pattern $2 (up to 60 s).
await_redis() {
  local port="$1" pattern="$2"; shift 2
  for _ in $(seq 1 600); do
    redis-cli -p "$port" "$@" 2>/dev/null | tr -d '\r' | grep -Eq "$pattern" && return 0
    sleep 0.1
  done
  log "127.0.0.1:$port: no '$pattern' in '$*' within 60 s"; return 1
}

# A replica of the redis-server of start_redis, so that WAIT has someone to answer; returns once it is in sync.
# Sets replica_port and replica_pid.
start_replica() {
  replica_port=$(free_port)
  mkdir -p "$run_dir/replica"
  redis-server --port "$replica_port" --bind 127.0.0.1 --protected-mode yes --save "" --appendonly no \
    --daemonize no --dir "$run_dir/replica" --logfile "$run_dir/redis-replica.log" \
    --replicaof 127.0.0.1 "$REDIS_PORT" "$@" &
  replica_pid=$!
  started+=("$replica_pid")
  await_redis "$REDIS_PORT" '^slave0:.*state=online' info replication
  log "replica pid $replica_pid on 127.0.0.1:$replica_port, in sync with $REDIS_PORT"
}

# A Redis Cluster on 127.0.0.1 without persistence: $1 primaries with $2 replicas each, further redis-server
# options after them. With 3 primaries or more, redis-cli --cluster create makes it, as an operator would; it refuses
# fewer, so 1 or 2 primaries get their share of the slots and meet each other by hand. Sets cluster_hosts
# (redis://... of every node), primary_nodes (127.0.0.1:port of the primaries, comma-separated) and primary_pids.
start_cluster() {
  local primaries="$1" replicas="$2"; shift 2
  local count=$(( primaries * (1 + replicas) )) ports=() pids=() i port dir
  for ((i=0; i<count; i++)); do
    port=$(free_port); dir="$run_dir/node-$port"; mkdir -p "$dir"
    redis-server --port "$port" --bind 127.0.0.1 --protected-mode yes --save "" --appendonly no --daemonize no \
      --dir "$dir" --logfile "$dir/redis.log" --cluster-enabled yes --cluster-config-file nodes.conf "$@" &
    pids+=($!); started+=($!); ports+=("$port")
  done
  for port in "${ports[@]}"; do await_redis "$port" PONG ping; done
  if (( primaries >= 3 )); then
    redis-cli --cluster create $(printf '127.0.0.1:%s ' "${ports[@]}") --cluster-replicas "$replicas" --cluster-yes \
      >"$run_dir/cluster-create.log"
  else
    for ((i=0; i<primaries; i++)); do
      redis-cli -p "${ports[i]}" cluster addslotsrange $(( i * 16384 / primaries )) $(( (i + 1) * 16384 / primaries - 1 ))  >/dev/null
    done
    for port in "${ports[@]:1}"; do redis-cli -p "${ports[0]}" cluster meet 127.0.0.1 "$port" >/dev/null; done
    for ((i=primaries; i<count; i++)); do # replica i follows primary i % primaries
      local id; id=$(redis-cli -p "${ports[i % primaries]}" cluster myid | tr -d '\r')
      await_redis "${ports[i]}" "^$id " cluster nodes
      redis-cli -p "${ports[i]}" cluster replicate "$id" >/dev/null
    done
  fi
  for port in "${ports[@]}"; do
    await_redis "$port" '^cluster_state:ok' cluster info
    await_redis "$port" "^cluster_known_nodes:$count\$" cluster info
  done
  cluster_hosts=""; primary_nodes=""; primary_pids=""
  for ((i=0; i<count; i++)); do
    cluster_hosts+="${cluster_hosts:+,}redis://127.0.0.1:${ports[i]}"
    if redis-cli -p "${ports[i]}" role | head -1 | grep -q master; then
      primary_nodes+="${primary_nodes:+,}127.0.0.1:${ports[i]}"; primary_pids+="${primary_pids:+,}${pids[i]}"
    fi
  done
  log "Redis Cluster $(redis-server --version | grep -o 'v=[0-9.]*'): $primaries primaries ($primary_nodes), $replicas replica(s) each"
}
