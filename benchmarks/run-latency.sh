#!/usr/bin/env bash
# End-to-end latency at a fixed offered load (issue 17, target 3): a fresh single-node Sluice per run
# (fsync on, as always), paced producers and long-polling consumers through the AWS SDK v2, and the
# e2e p50/p99 (send start to receive answer, timestamp in the body). With several --jar, the builds
# alternate run by run (one "same run" per repetition), then Markdown tables of every run and of the
# medians with same-run ratios against the first build.
#
#   benchmarks/run-latency.sh [--jar LABEL=PATH]... [--floor] [--repetitions 3] [--rate 500] [--producers 5]
#       [--consumers 4] [--wait-seconds 5] [--seconds 20] [--warmup-seconds 10]
#
# --floor adds the HTTP floor (issue 17) as one more configuration, labelled "floor", in the rotation at the place
# the option is given (first: the ratios are against the floor): benchmarks' SqsFloorServer, an in-memory SQS
# behind Sluice's own HTTP front, authentication handler and SQS routes, with no Raft, RocksDB or queue engine, so
# the same load's latency and CPU with no durable work; it records the same stage events (no Raft log timings).
# Default: --jar current=broker/target/sluice.jar. Load: SendMessageBatch of 10 x 200 B, paced to --rate
# messages/s over all producers (one batch in flight each); each consumer: ReceiveMessage (10, long poll
# --wait-seconds) then DeleteMessageBatch, one request in flight. Server CPU per 1,000 messages is the
# Sluice process's over the window; after each run, RaftLogTimings prints Ratis's own timers of the
# data group (leader write time, log queueing, fsync; entries by kind). The load average before each
# run is printed: on a shared machine, quote it beside the figures. The server records Sluice's stage events
# (JFR, benchmarks/sluice-stages.jfc); after each run StageTimings prints, per stage of the measured window, its
# count and p50/p90/p99 (thread hops, Raft write, long-poll wake; counts per message do not depend on the load).
# Summary lines: benchmarks/target/latency/results-TIMESTAMP.jsonl.
# Needs benchmarks/target/benchmarks.jar: nice mvn -B -o -q -pl benchmarks,broker -am package -DskipTests
set -euo pipefail

bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=peers/common.sh
source "$bench_dir/peers/common.sh"
load_jar=$bench_dir/target/benchmarks.jar
out_dir=$bench_dir/target/latency
server_ready_seconds=90
run_overhead_seconds=90

die() { echo "run-latency.sh: $*" >&2; exit 1; }

jars=() repetitions=3 rate=500 producers=5 consumers=4 wait_seconds=5 seconds=20 warmup_seconds=10
while (( $# > 0 )); do
  case "$1" in
    --jar) jars+=("${2:?}"); shift 2 ;;
    --floor) jars+=("floor="); shift ;;
    --repetitions) repetitions=${2:?}; shift 2 ;;
    --rate) rate=${2:?}; shift 2 ;;
    --producers) producers=${2:?}; shift 2 ;;
    --consumers) consumers=${2:?}; shift 2 ;;
    --wait-seconds) wait_seconds=${2:?}; shift 2 ;;
    --seconds) seconds=${2:?}; shift 2 ;;
    --warmup-seconds) warmup_seconds=${2:?}; shift 2 ;;
    -h|--help) sed -n '2,24p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done
[[ " ${jars[*]} " == *" floor= "* && ${#jars[@]} == 1 ]] && jars+=("current=$bench_dir/../broker/target/sluice.jar")
(( ${#jars[@]} > 0 )) || jars=("current=$bench_dir/../broker/target/sluice.jar")
[[ $repetitions =~ ^[1-9][0-9]?$ ]] || die "--repetitions must be 1..99: $repetitions"
[[ -f $load_jar ]] || die "missing $load_jar; build: nice mvn -B -o -q -pl benchmarks,broker -am package -DskipTests"
for spec in "${jars[@]}"; do
  [[ $spec == floor= || ( $spec == *=* && -f ${spec#*=} ) ]] || die "--jar must be LABEL=PATH to an existing jar: $spec"
done
mkdir -p "$out_dir"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
results=$out_dir/results-$stamp.jsonl

sluice_pid="" data_dir="" port=""
stop_sluice() {
  if [[ -n $sluice_pid ]] && kill -0 "$sluice_pid" 2>/dev/null; then
    kill "$sluice_pid" 2>/dev/null || true
    wait "$sluice_pid" 2>/dev/null || true
  fi
  sluice_pid=""
  [[ -z $data_dir ]] || rm -rf "$data_dir"
  data_dir=""
}
trap stop_sluice EXIT

# Starts a fresh single-node Sluice from JAR; sets sluice_pid and port; waits for /health/ready.
start_sluice() {
  local jar=$1 name=$2
  port=$(free_port)
  data_dir=$out_dir/data-$name
  rm -rf "$data_dir"
  # Sluice's stage events only (StageTimings reads them after the run); a build without them records nothing.
  java "-XX:StartFlightRecording=name=stages,settings=$bench_dir/sluice-stages.jfc" \
    -jar "$jar" --port "$port" --raft-port "$(free_port)" --data-dir "$data_dir" \
    </dev/null >"$out_dir/$name-server.log" 2>&1 &
  sluice_pid=$!
  for (( waited = 0; ; waited++ )); do
    kill -0 "$sluice_pid" 2>/dev/null || { tail -n 20 "$out_dir/$name-server.log" >&2; die "Sluice exited during start-up"; }
    curl -sf --max-time 2 "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && return 0
    (( waited < server_ready_seconds * 4 )) || die "Sluice was not ready within ${server_ready_seconds}s"
    sleep 0.25
  done
}

# The HTTP floor in place of Sluice, recording the same stage events; sets sluice_pid and port.
start_floor_server() {
  local name=$1
  port=$(free_port)
  start_floor "$load_jar" "$port" "$out_dir/$name-server.log" \
    "-XX:StartFlightRecording=name=stages,settings=$bench_dir/sluice-stages.jfc" || die "the HTTP floor did not start"
  sluice_pid=$floor_pid
}

echo "== $(nproc) cores; $(java -version 2>&1 | head -n1); commit $(git -C "$bench_dir" rev-parse --short HEAD 2>/dev/null || echo unknown)" >&2
failures=0
for (( rep = 1; rep <= repetitions; rep++ )); do
  for spec in "${jars[@]}"; do
    label=${spec%%=*} jar=${spec#*=} name=${spec%%=*}-rep$rep
    echo "-- rep $rep/$repetitions $label: load average before $(cut -d' ' -f1-3 /proc/loadavg)" >&2
    if [[ $spec == floor= ]]; then start_floor_server "$name"; else start_sluice "$jar" "$name"; fi
    measured_from_millis=$(( $(date +%s%3N) + warmup_seconds * 1000 ))
    if timeout $(( seconds + warmup_seconds + run_overhead_seconds )) \
        java -cp "$load_jar" dev.sluice.benchmarks.SqsLoadGenerator \
          --endpoint "http://127.0.0.1:$port" --queue latency --server-pid "$sluice_pid" --label "$label" \
          --repetition "$rep" --producers "$producers" --rate "$rate" --consumers "$consumers" \
          --wait-seconds "$wait_seconds" --seconds "$seconds" --warmup-seconds "$warmup_seconds" \
          --drain-seconds 5 --body-bytes 200 >"$out_dir/$name-load.log" 2>&1; then
      grep -a -m1 '^{"benchmark":"sqs-e2e"' "$out_dir/$name-load.log" | tee -a "$results"
      # Ratis's own timers of the run (its JMX metrics): fsync, log queueing, leader write time per group.
      [[ $spec == floor= ]] || timeout 60 java -cp "$load_jar" dev.sluice.benchmarks.RaftLogTimings "$sluice_pid" | sed "s/^/$label rep $rep: /" >&2 \
        || echo "   (no Raft log timings: attaching to $sluice_pid failed)" >&2
      # Where one request's time goes between threads (HTTP route, hops, Raft write, long-poll wake), measured window only.
      if timeout 60 jcmd "$sluice_pid" JFR.dump name=stages "filename=$out_dir/$name-stages.jfr" >/dev/null 2>&1; then
        java -cp "$load_jar" dev.sluice.benchmarks.StageTimings "$out_dir/$name-stages.jfr" "$label rep $rep" \
          "$measured_from_millis" >&2 || echo "   (no stage timings)" >&2
      else
        echo "   (no stage timings: JFR.dump on $sluice_pid failed)" >&2
      fi
    else
      echo "run failed ($label rep $rep); see $out_dir/$name-load.log" >&2
      failures=$(( failures + 1 ))
    fi
    stop_sluice
  done
done

echo "summary lines: $results" >&2
[[ -s $results ]] && java -cp "$load_jar" dev.sluice.benchmarks.SameRunTable "$results"
(( failures == 0 )) || die "$failures run(s) failed"
