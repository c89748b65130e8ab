#!/usr/bin/env bash
# SNS publish fanout, before and after in the same run: for each fanout, a fresh single-node Sluice from each of two
# jars in turn (alternating), the same SnsLoadGenerator against both (queue subscribers, raw delivery as the
# generator sets it). Prints the load average before each run and the generator's JSON line.
#
#   benchmarks/run-fanout-pairs.sh BEFORE_SLUICE_JAR AFTER_SLUICE_JAR [--fanouts "1 10 100"]
#       [--seconds 15] [--warmup-seconds 20] [--in-flight 8] [--after-first]
#
# --after-first runs each pair in the other order (the load on a shared machine drifts: compare both orders).
#
# Needs benchmarks/target/benchmarks.jar (the generator used for both): nice mvn -B -o -q -pl benchmarks -am package -DskipTests
# Data dirs: benchmarks/target/fanout-pairs/data-* (fresh per run, deleted after); server logs beside them.
set -euo pipefail

bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=peers/common.sh
source "$bench_dir/peers/common.sh"
load_jar=$bench_dir/target/benchmarks.jar
out_dir=$bench_dir/target/fanout-pairs
die() { echo "run-fanout-pairs.sh: $*" >&2; exit 1; }

(( $# >= 2 )) || die "usage: run-fanout-pairs.sh BEFORE_SLUICE_JAR AFTER_SLUICE_JAR [options]"
before_jar=$1 after_jar=$2
shift 2
fanouts="1 10 100" seconds=15 warmup_seconds=20 in_flight=8 after_first=false
while (( $# > 0 )); do
  case "$1" in
    --fanouts) fanouts=${2:?}; shift 2 ;;
    --seconds) seconds=${2:?}; shift 2 ;;
    --warmup-seconds) warmup_seconds=${2:?}; shift 2 ;;
    --in-flight) in_flight=${2:?}; shift 2 ;;
    --after-first) after_first=true; shift ;;
    *) die "unknown option $1" ;;
  esac
done
for jar in "$before_jar" "$after_jar" "$load_jar"; do
  [[ -f $jar ]] || die "missing $jar"
done
mkdir -p "$out_dir"

sluice_pid="" data_dir=""
trap stop_sluice EXIT

run_one() {
  local label=$1 jar=$2 fanout=$3 waited
  port=$(free_port)
  data_dir=$out_dir/data-$label-$fanout
  rm -rf "$data_dir"
  java -Xmx1g -jar "$jar" --port "$port" --raft-port "$(free_port)" --data-dir "$data_dir" \
    </dev/null >"$out_dir/$label-$fanout-server.log" 2>&1 &
  sluice_pid=$!
  for (( waited = 0; ; waited++ )); do
    kill -0 "$sluice_pid" 2>/dev/null || die "Sluice ($label) exited during start-up; see $out_dir/$label-$fanout-server.log"
    curl -sf --max-time 2 "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break
    (( waited < 360 )) || die "Sluice ($label) was not ready within 90 s"
    sleep 0.25
  done
  echo "# $(date -u +%H:%M:%S) $label fanout $fanout, loadavg $(cut -d' ' -f1-3 /proc/loadavg)"
  java -cp "$load_jar" dev.sluice.benchmarks.SnsLoadGenerator --endpoint "http://127.0.0.1:$port" \
    --fanout "$fanout" --subscriber queue --in-flight "$in_flight" --seconds "$seconds" \
    --warmup-seconds "$warmup_seconds" --body-bytes 200 --server-pid "$sluice_pid" 2>>"$out_dir/$label-$fanout-generator.log" \
    | sed "s/^{/{\"build\":\"$label\",/"
  stop_sluice
}

for fanout in $fanouts; do
  if $after_first; then
    run_one after "$after_jar" "$fanout"
    run_one before "$before_jar" "$fanout"
  else
    run_one before "$before_jar" "$fanout"
    run_one after "$after_jar" "$fanout"
  fi
done
