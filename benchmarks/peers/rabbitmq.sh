#!/usr/bin/env bash
# RabbitMQ (Debian's rabbitmq-server, a quorum queue) as a peer for side-by-side benchmarks. Idempotent.
#
#   peers/rabbitmq.sh fetch                 copy PerfTest and its dependencies into target/rabbitmq/perf-test-lib
#   peers/rabbitmq.sh start PORT            start a fresh broker on 127.0.0.1:PORT (AMQP), wait until it runs,
#                                           print its PID (the only thing on stdout)
#   peers/rabbitmq.sh load PORT PID ARGS    run PerfTest against it: --producers N --consumers N --seconds S
#                                           --body-bytes B; print one JSON line shaped like SqsLoadGenerator's
#   peers/rabbitmq.sh stop PORT             stop the broker started for PORT (no-op if none)
#
# The load is what the SQS runs do, in AMQP: a quorum queue (replicated log, fsync on), persistent messages,
# publisher confirms with at most 10 unconfirmed per producer (a batch of 10), consumers with prefetch 10 that
# acknowledge every 10th delivery (one DeleteMessageBatch of 10). Needs rabbitmq-server (apt-get install
# rabbitmq-server); PerfTest's version is pinned in peers/rabbitmq/pom.xml.
set -euo pipefail

peers_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=common.sh
source "$peers_dir/common.sh"
work_dir=$(dirname "$peers_dir")/target/rabbitmq
lib_dir=$work_dir/perf-test-lib
fetch_pom=$peers_dir/rabbitmq/pom.xml
server=/usr/lib/rabbitmq/bin/rabbitmq-server
ctl=/usr/lib/rabbitmq/bin/rabbitmqctl
start_limit_seconds=60
queue=bench-e2e

die() { echo "rabbitmq.sh: $*" >&2; exit 1; }

usage() {
  sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

fetch() { fetch_dependencies "$fetch_pom" "$lib_dir" "perf-test-*.jar" || die "fetch failed"; }

check_port() {
  [[ ${1:-} =~ ^[0-9]+$ ]] && (( $1 >= 20001 && $1 <= 65535 )) || die "PORT must be 20001..65535, got '${1:-}'"
}

node_name() { echo "bench$1@localhost"; }

# Everything one broker needs of its own: node name, ports, data, logs, Erlang cookie (in HOME), as `env` arguments.
node_env() {
  local port=$1 base=$work_dir/node-$1
  echo "HOME=$base RABBITMQ_NODENAME=$(node_name "$port") RABBITMQ_NODE_IP_ADDRESS=127.0.0.1" \
    "RABBITMQ_NODE_PORT=$port RABBITMQ_DIST_PORT=$(( port > 45535 ? port - 20000 : port + 20000 )) RABBITMQ_MNESIA_BASE=$base/mnesia" \
    "RABBITMQ_LOG_BASE=$base/log RABBITMQ_ENABLED_PLUGINS_FILE=$base/enabled_plugins RABBITMQ_CONFIG_FILE=$base/rabbitmq" \
    "ERL_CRASH_DUMP=$base/erl_crash.dump"
}

ctl_of() {
  [[ -d $work_dir/node-$1 ]] || return 1
  # shellcheck disable=SC2046 # node_env is a list of NAME=value words without spaces
  env $(node_env "$1") "$ctl" -n "$(node_name "$1")" "${@:2}"
}

# The broker's OS process (its command line does not name the node, so ask the node).
running_pid() {
  ctl_of "$1" eval 'os:getpid().' 2>/dev/null | tr -dc '0-9'
}

start() {
  local port=$1 base=$work_dir/node-$1 pid
  [[ -x $server ]] || die "rabbitmq-server is missing: apt-get install rabbitmq-server"
  pid=$(running_pid "$port") || true
  if [[ -n $pid ]]; then
    echo "$pid"
    return 0
  fi
  rm -rf "$base"
  mkdir -p "$base"
  echo "[]." >"$base/enabled_plugins"
  echo "loopback_users = none" >"$base/rabbitmq.conf"
  # A simple command (no function, no subshell): the server inherits no copy of this script's stdout.
  # shellcheck disable=SC2046
  env -C "$base" $(node_env "$port") setsid "$server" </dev/null >"$base/server.out" 2>&1 &
  for (( waited = 0; waited < start_limit_seconds * 4; waited++ )); do
    if ctl_of "$port" await_startup --timeout 1 >/dev/null 2>&1; then
      running_pid "$port"
      return 0
    fi
    sleep 0.25
  done
  stop "$port"
  die "RabbitMQ did not start on port $port within ${start_limit_seconds}s (log: $base/server.out)"
}

stop() {
  local port=$1 pid
  pid=$(running_pid "$port") || true
  ctl_of "$port" stop >/dev/null 2>&1 || true
  if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid" 2>/dev/null || true
  fi
}

# utime + stime of a process, in clock ticks.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

load() {
  local port=$1 pid=$2 producers=4 consumers=4 seconds=20 body_bytes=200 out
  shift 2
  while (( $# > 0 )); do
    case "$1" in
      --producers) producers=${2:?}; shift 2 ;;
      --consumers) consumers=${2:?}; shift 2 ;;
      --seconds) seconds=${2:?}; shift 2 ;;
      --body-bytes) body_bytes=${2:?}; shift 2 ;;
      *) die "unknown load option $1" ;;
    esac
  done
  fetch
  out=$work_dir/perf-test-$port.log
  local before after
  before=$(cpu_ticks "$pid")
  java -cp "$lib_dir/*" com.rabbitmq.perf.PerfTest --uri "amqp://guest:guest@127.0.0.1:$port" \
    -x "$producers" -y "$consumers" -s "$body_bytes" --quorum-queue --queue "$queue" -f persistent \
    -c 10 -q 10 --multi-ack-every 10 -z "$seconds" -i 5 >"$out" 2>&1 || { cat "$out" >&2; die "PerfTest failed"; }
  after=$(cpu_ticks "$pid")
  grep -E "rate avg|latency min" "$out" >&2
  awk -v ticks=$(( after - before )) -v hz="$(getconf CLK_TCK)" -v seconds="$seconds" '
    /sending rate avg/ { sent = $(NF - 1) }
    /receiving rate avg/ { received = $(NF - 1) }
    /consumer latency min/ { split($NF == "µs" ? $(NF - 1) : $NF, l, "/"); p50 = l[2] / 1000; p99 = l[5] / 1000 }
    END {
      messages = (sent + received) / 2 * seconds
      cpu_ms = ticks * 1000 / hz
      printf "{\"benchmark\":\"amqp-quorum\",\"sentMsgsPerSec\":%.1f,\"receivedDeletedMsgsPerSec\":%.1f,", sent, received
      printf "\"latencyP50Ms\":%.2f,\"latencyP99Ms\":%.2f,\"serverCpuMs\":%.0f,", p50, p99, cpu_ms
      printf "\"serverCpuMsPer1kMsgs\":%s}\n", (messages > 0 ? sprintf("%.2f", cpu_ms * 1000 / messages) : "null")
    }' "$out"
}

mkdir -p "$work_dir"
case "${1:-}" in
  fetch) fetch ;;
  start) check_port "${2:-}"; start "$2" ;;
  load) check_port "${2:-}"; [[ ${3:-} =~ ^[0-9]+$ ]] || die "PID expected"; load "$2" "$3" "${@:4}" ;;
  stop) check_port "${2:-}"; stop "$2" ;;
  *) usage ;;
esac
