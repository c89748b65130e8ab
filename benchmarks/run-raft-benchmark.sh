#!/usr/bin/env bash
# raft-store committed writes: runs RaftStoreBenchmark over a matrix of node and client counts and
# prints a Markdown table of medians. Builds nothing.
#
#   benchmarks/run-raft-benchmark.sh [--repetitions 1] [--nodes "1 3"] [--clients "1 16 128"]
#                                    [--seconds 15] [--warmup-seconds 5] [--value-bytes 100]
#
# Every run starts fresh node JVMs with data under benchmarks/target/raft-bench (deleted after a
# successful run). Repetitions are the outer loop, so slow phases of a shared machine spread over
# all cells. Summary lines go to benchmarks/target/raft-bench/results-TIMESTAMP.jsonl.
# Needs benchmarks/target/benchmarks.jar: mvn -B -q -pl benchmarks -am install
set -euo pipefail

bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
jar=$bench_dir/target/benchmarks.jar
data_dir=$bench_dir/target/raft-bench
# Node start-up and leader election (≤ 60 s in the benchmark) plus the drain (≤ request timeout).
run_overhead_seconds=90

die() { echo "run-raft-benchmark.sh: $*" >&2; exit 1; }

repetitions=1 node_counts="1 3" client_counts="1 16 128"
seconds=15 warmup_seconds=5 value_bytes=100
while (( $# > 0 )); do
  case "$1" in
    --repetitions) repetitions=${2:?}; shift 2 ;;
    --nodes) node_counts=${2:?}; shift 2 ;;
    --clients) client_counts=${2:?}; shift 2 ;;
    --seconds) seconds=${2:?}; shift 2 ;;
    --warmup-seconds) warmup_seconds=${2:?}; shift 2 ;;
    --value-bytes) value_bytes=${2:?}; shift 2 ;;
    -h|--help) sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done
[[ -f $jar ]] || die "missing $jar; build it with: mvn -B -q -pl benchmarks -am install"
[[ $repetitions =~ ^[1-9][0-9]?$ ]] || die "--repetitions must be 1..99: $repetitions"
mkdir -p "$data_dir"
results=$data_dir/results-$(date -u +%Y%m%dT%H%M%SZ).jsonl
: >"$results"

echo "== $(nproc) cores; $(java -version 2>&1 | head -n1); load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
failures=0
for (( rep = 1; rep <= repetitions; rep++ )); do
  for nodes in $node_counts; do
    for clients in $client_counts; do
      log=$data_dir/run-${nodes}n-${clients}c-rep${rep}.log
      echo "-- rep $rep/$repetitions: nodes=$nodes clients=$clients (load average $(cut -d' ' -f1 /proc/loadavg))" >&2
      if timeout $(( seconds + warmup_seconds + run_overhead_seconds )) \
          java -cp "$jar" dev.sluice.benchmarks.RaftStoreBenchmark \
            --nodes "$nodes" --clients "$clients" --seconds "$seconds" --warmup-seconds "$warmup_seconds" \
            --value-bytes "$value_bytes" --data-dir "$data_dir" >"$log" 2>&1; then
        grep -a -m1 '^{"benchmark":"raft-commit"' "$log" >>"$results"
        grep -a -m1 '^nodes=' "$log" >&2 || true
      else
        failures=$(( failures + 1 ))
        echo "run failed (nodes=$nodes clients=$clients rep $rep); see $log:" >&2
        tail -n 20 "$log" >&2
      fi
    done
  done
done

echo "summary lines: $results" >&2
cat "$results"
echo
java -cp "$jar" dev.sluice.benchmarks.RaftBenchTable "$results"
(( failures == 0 )) || die "$failures run(s) failed"
