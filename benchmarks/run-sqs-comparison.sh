#!/usr/bin/env bash
# Side-by-side end-to-end load: ElasticMQ, RabbitMQ (a quorum queue over AMQP, when rabbitmq-server is
# installed), the HTTP floor, then (with --sluice-jar) Sluice; the SQS servers get the same client and load,
# RabbitMQ the same shape in AMQP (peers/rabbitmq.sh: persistent messages, confirms and acks in tens).
#
#   benchmarks/run-sqs-comparison.sh [--sluice-jar PATH] [--producers 4] [--consumers 4]
#                                    [--seconds 20] [--warmup-seconds 5] [--drain-seconds 5]
#                                    [--fifo] [--groups G] [--body-bytes 200] [--wait-seconds 1]
#                                    [--repetitions 1]
#
# --repetitions N runs RabbitMQ and Sluice N times, alternating (ElasticMQ and the floor once): this machine's speed
# drifts by tens of per cent within minutes, so one pair can mislead. Each repetition prints its own Sluice/RabbitMQ
# ratio; the ratio lines at the end come from the repetition whose Sluice/RabbitMQ CPU ratio is the median.
# Each server starts fresh on a free 127.0.0.1 port and is stopped afterwards. Prints one summary
# line (JSON) per server, prefixed with its name, then the Sluice/ElasticMQ, Sluice/RabbitMQ and Sluice/floor ratios.
# The floor (issue 17): benchmarks' SqsFloorServer, an in-memory SQS served through Sluice's own HTTP front,
# authentication handler and SQS routes (codec, validation), with no Raft, RocksDB or queue engine: what the same
# load costs through the same HTTP stack and client when the server does no durable work (standard queues only:
# skipped with --fifo). Its CPU is measured as the others' (--server-pid).
# Needs benchmarks/target/benchmarks.jar: nice mvn -B -o -q -pl benchmarks,broker -am package -DskipTests
# Sluice runs as: java -jar PATH --port N --raft-port M --data-dir benchmarks/target/sqs-comparison/sluice-data-PID
# (not under /tmp: Sluice refuses temporary data directories)
set -euo pipefail

bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=peers/common.sh
source "$bench_dir/peers/common.sh"
load_jar=$bench_dir/target/benchmarks.jar
log_dir=$bench_dir/target/sqs-comparison
server_ready_seconds=60
queue=bench-e2e

die() { echo "run-sqs-comparison.sh: $*" >&2; exit 1; }

sluice_jar=""
producers=4 consumers=4 seconds=20 warmup_seconds=5 drain_seconds=5
body_bytes=200 wait_seconds=1 fifo_args=() repetitions=1
while (( $# > 0 )); do
  case "$1" in
    --sluice-jar) sluice_jar=${2:?}; shift 2 ;;
    --producers) producers=${2:?}; shift 2 ;;
    --consumers) consumers=${2:?}; shift 2 ;;
    --seconds) seconds=${2:?}; shift 2 ;;
    --warmup-seconds) warmup_seconds=${2:?}; shift 2 ;;
    --drain-seconds) drain_seconds=${2:?}; shift 2 ;;
    --body-bytes) body_bytes=${2:?}; shift 2 ;;
    --wait-seconds) wait_seconds=${2:?}; shift 2 ;;
    --fifo) fifo_args+=(--fifo); shift ;;
    --groups) fifo_args+=(--groups "${2:?}"); shift 2 ;;
    --repetitions) repetitions=${2:?}; shift 2 ;;
    -h|--help) sed -n '2,23p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done
[[ $repetitions =~ ^[1-9]$ ]] || die "--repetitions must be 1..9: $repetitions"
[[ -f $load_jar ]] || die "missing $load_jar; build it with: mvn -B -q -pl benchmarks -am install"
[[ -z $sluice_jar || -f $sluice_jar ]] || die "no such Sluice jar: $sluice_jar"
mkdir -p "$log_dir"

# Runs the load generator against 127.0.0.1:PORT, charging server CPU to PID; prints its JSON line.
run_load() {
  local name=$1 port=$2 pid=$3 out=$log_dir/$1-load.log
  echo "== $name: $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
  if ! java -cp "$load_jar" dev.sluice.benchmarks.SqsLoadGenerator \
      --endpoint "http://127.0.0.1:$port" --queue "$queue" --server-pid "$pid" \
      --producers "$producers" --consumers "$consumers" --seconds "$seconds" \
      --warmup-seconds "$warmup_seconds" --drain-seconds "$drain_seconds" \
      --body-bytes "$body_bytes" --wait-seconds "$wait_seconds" "${fifo_args[@]}" >"$out" 2>&1; then
    cat "$out" >&2
    return 1
  fi
  grep -v '^{' "$out" >&2 || true
  grep -m1 '^{"benchmark":"sqs-e2e"' "$out"
}

# A number from a summary line; "null" when the load generator could not measure it.
field() { grep -o "\"$2\":[^,}]*" <<<"$1" | head -n1 | cut -d: -f2; }
# KEY NUMERATOR'S-LINE DENOMINATOR'S-LINE [DENOMINATOR'S KEY]: their quotient, two decimals ("n/a" without both).
field_ratio() {
  local a b
  a=$(field "$2" "$1") b=$(field "$3" "${4:-$1}")
  awk -v a="$a" -v b="$b" 'BEGIN { if (a == "" || b == "" || a == "null" || b == "null" || b + 0 == 0) print "n/a"; else printf "%.2f", a / b }'
}

elasticmq_port="" rabbitmq_port="" floor_pid="" sluice_pid="" sluice_data=""
declare -a rabbitmq_jsons=() sluice_jsons=()
cleanup() {
  if [[ -n $floor_pid ]] && kill -0 "$floor_pid" 2>/dev/null; then
    kill "$floor_pid" 2>/dev/null || true
    wait "$floor_pid" 2>/dev/null || true
  fi
  if [[ -n $elasticmq_port ]]; then
    "$bench_dir/peers/elasticmq.sh" stop "$elasticmq_port" || true
  fi
  if [[ -n $rabbitmq_port ]]; then
    "$bench_dir/peers/rabbitmq.sh" stop "$rabbitmq_port" || true
  fi
  if [[ -n $sluice_pid ]] && kill -0 "$sluice_pid" 2>/dev/null; then
    kill "$sluice_pid" 2>/dev/null || true
    wait "$sluice_pid" 2>/dev/null || true
  fi
  if [[ -n $sluice_data ]]; then
    rm -rf "$sluice_data"
  fi
}
trap cleanup EXIT

elasticmq_port=$(free_port)
elasticmq_pid=$("$bench_dir/peers/elasticmq.sh" start "$elasticmq_port")
elasticmq_json=$(run_load elasticmq "$elasticmq_port" "$elasticmq_pid")
"$bench_dir/peers/elasticmq.sh" stop "$elasticmq_port"
elasticmq_port=""
echo "elasticmq $elasticmq_json"

# Starts RabbitMQ, runs PerfTest against it, stops it; PerfTest's summary line into rabbit_rep (here, not in a
# subshell: the EXIT trap must know the port to stop it).
run_rabbitmq() {
  rabbitmq_port=$(free_port)
  echo "== rabbitmq: $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
  local pid
  pid=$("$bench_dir/peers/rabbitmq.sh" start "$rabbitmq_port")
  rabbit_rep=$("$bench_dir/peers/rabbitmq.sh" load "$rabbitmq_port" "$pid" --producers "$producers" \
    --consumers "$consumers" --seconds "$seconds" --body-bytes "$body_bytes")
  "$bench_dir/peers/rabbitmq.sh" stop "$rabbitmq_port"
  rabbitmq_port=""
}
with_rabbitmq=false
if [[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ]] && (( ${#fifo_args[@]} == 0 )); then
  with_rabbitmq=true
else
  echo "rabbitmq skipped: rabbitmq-server is not installed (apt-get install rabbitmq-server), or --fifo"
fi

floor_json=""
if (( ${#fifo_args[@]} == 0 )); then
  floor_port=$(free_port)
  start_floor "$load_jar" "$floor_port" "$log_dir/floor-server.log" || die "the HTTP floor did not start"
  floor_json=$(run_load floor "$floor_port" "$floor_pid")
  kill "$floor_pid" && wait "$floor_pid" 2>/dev/null || true
  floor_pid=""
  echo "floor $floor_json"
else
  echo "floor skipped: it serves standard queues only (--fifo)"
fi

# Starts Sluice on a fresh data directory, runs the load against it, stops it; the load's summary line into
# sluice_rep (not in a subshell, as run_rabbitmq).
run_sluice() {
  local port waited
  port=$(free_port)
  sluice_data=$log_dir/sluice-data-$$
  rm -rf "$sluice_data"
  java -jar "$sluice_jar" --port "$port" --raft-port "$(free_port)" --data-dir "$sluice_data" \
    </dev/null >"$log_dir/sluice-server.log" 2>&1 &
  sluice_pid=$!
  for (( waited = 0; ; waited++ )); do
    kill -0 "$sluice_pid" 2>/dev/null || { tail -n 20 "$log_dir/sluice-server.log" >&2; die "Sluice exited during start-up"; }
    answers_sqs_json "$port" && break
    (( waited < server_ready_seconds * 4 )) || die "Sluice did not answer SQS JSON 1.0 within ${server_ready_seconds}s"
    sleep 0.25
  done
  sluice_rep=$(run_load sluice "$port" "$sluice_pid")
  kill "$sluice_pid" 2>/dev/null && wait "$sluice_pid" 2>/dev/null || true
  sluice_pid=""
  rm -rf "$sluice_data"
  sluice_data=""
}

rabbitmq_json="" sluice_json="" runs=()
for (( rep = 1; rep <= repetitions; rep++ )); do
  rabbit_rep=""
  if $with_rabbitmq; then
    run_rabbitmq
    echo "rabbitmq $rabbit_rep"
  fi
  [[ -n $sluice_jar ]] || break
  run_sluice
  echo "sluice $sluice_rep"
  if [[ -n $rabbit_rep ]]; then
    runs+=("$(field_ratio serverCpuMsPer1kMsgs "$sluice_rep" "$rabbit_rep") $rep")
    echo "repetition $rep: sluice/rabbitmq server CPU per 1k msgs $(field_ratio serverCpuMsPer1kMsgs "$sluice_rep" \
      "$rabbit_rep")x, without Sluice's JIT $(field_ratio serverCpuMsPer1kMsgsWithoutJit "$sluice_rep" "$rabbit_rep" \
      serverCpuMsPer1kMsgs)x"
  fi
  rabbitmq_jsons[rep]=$rabbit_rep sluice_jsons[rep]=$sluice_rep
done
if [[ -z $sluice_jar ]]; then
  rabbitmq_json=${rabbit_rep:-}
  echo "sluice skipped: no --sluice-jar given"
  exit 0
fi
# The repetition whose Sluice/RabbitMQ CPU ratio is the median (the last one without RabbitMQ).
median_rep=$repetitions
if (( ${#runs[@]} > 0 )); then
  median_rep=$(printf '%s\n' "${runs[@]}" | sort -g | awk '{ reps[NR] = $2 } END { print reps[int((NR + 1) / 2)] }')
  (( repetitions == 1 )) || echo "median repetition: $median_rep (its lines below)"
fi
rabbitmq_json=${rabbitmq_jsons[median_rep]} sluice_json=${sluice_jsons[median_rep]}

# KEY [PEER's line (default ElasticMQ's)] [numerator's line (default Sluice's)]
ratio() {
  local quotient
  quotient=$(field_ratio "$1" "${3:-$sluice_json}" "${2:-$elasticmq_json}")
  [[ $quotient == n/a ]] && echo n/a || echo "${quotient}x"
}
echo "ratio sluice/elasticmq: sent $(ratio sentMsgsPerSec), received+deleted $(ratio receivedDeletedMsgsPerSec)," \
  "p50 $(ratio latencyP50Ms), p99 $(ratio latencyP99Ms), server CPU per 1k msgs $(ratio serverCpuMsPer1kMsgs)" \
  "(above 1 is better for throughput, below 1 is better for latency and CPU)"
if [[ -n $rabbitmq_json ]]; then
  echo "ratio sluice/rabbitmq: sent $(ratio sentMsgsPerSec "$rabbitmq_json"), received+deleted" \
    "$(ratio receivedDeletedMsgsPerSec "$rabbitmq_json"), p50 $(ratio latencyP50Ms "$rabbitmq_json")," \
    "p99 $(ratio latencyP99Ms "$rabbitmq_json"), server CPU per 1k msgs $(ratio serverCpuMsPer1kMsgs "$rabbitmq_json")"
fi
if [[ -n $floor_json ]]; then
  echo "ratio sluice/floor: sent $(ratio sentMsgsPerSec "$floor_json"), received+deleted" \
    "$(ratio receivedDeletedMsgsPerSec "$floor_json"), p50 $(ratio latencyP50Ms "$floor_json")," \
    "p99 $(ratio latencyP99Ms "$floor_json"), server CPU per 1k msgs $(ratio serverCpuMsPer1kMsgs "$floor_json")" \
    "(the floor: the same HTTP stack with no durable work)"
  if [[ -n $rabbitmq_json ]]; then
    echo "ratio floor/rabbitmq: server CPU per 1k msgs $(ratio serverCpuMsPer1kMsgs "$rabbitmq_json" "$floor_json")" \
      "(above 1: even without durable work this HTTP stack costs more than RabbitMQ)"
  fi
fi
