#!/usr/bin/env bash
# Usage: PORT=<free port> bench/callback-field.sh   (redis-server and redis-cli on the PATH; N=1000000 HMGETs per run)
# In-script cost of reading one more (absent) field in the HMGET of complete-and-claim: N HMGETs of a job hash inside
# one EVAL, timed with Redis' TIME, with the 3 fields read before and the 4 read now; pairs back to back, both orders.
set -euo pipefail
PORT=${PORT:-6399}  # a free loopback port; N=${N:-1000000}
redis-server --port $PORT --bind 127.0.0.1 --save '' --appendonly no --daemonize yes --logfile /tmp/conveyor-callback-field-redis.log
trap 'redis-cli -p $PORT shutdown nosave >/dev/null 2>&1 || true' EXIT
for _ in $(seq 100); do redis-cli -p $PORT ping >/dev/null 2>&1 && break; sleep 0.05; done
redis-cli -p $PORT HSET job type echo status running priority 5 payload '{"n":1}' attempts 1 maxAttempts 3 createdAt 1 runAt 1 timeout 0 backoffInitial 0 backoffMax 0 token abc cancel 0 >/dev/null
SCRIPT="local t0 = redis.call('TIME'); for i = 1, tonumber(ARGV[1]) do local f = redis.call('HMGET', KEYS[1], unpack(ARGV, 2)) end; local t1 = redis.call('TIME'); return (t1[1] - t0[1]) * 1000000 + (t1[2] - t0[2])"
run() { redis-cli -p $PORT EVAL "$SCRIPT" 1 job $N "$@"; }
for rep in 1 2 3; do
  a=$(run token type cancel); b=$(run token type cancel callback)
  c=$(run token type cancel callback); d=$(run token type cancel)
  echo "rep $rep: 3 fields ${a} us, 4 fields ${b} us | 4 fields ${c} us, 3 fields ${d} us  (per HMGET: $(( (a+d)*1000/(2*N) )) ns vs $(( (b+c)*1000/(2*N) )) ns)"
done
