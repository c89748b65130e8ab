#!/usr/bin/env bash
# Queues over Raft data groups on one node: the same SQS load against a fresh Sluice per configuration,
# every configuration back to back (one "same run"), the whole series repeated; then Markdown tables of
# every run and of medians with same-run ratios against the first configuration.
#
#   benchmarks/run-group-scaling.sh [--scenario spread|hot-queue|both] [--repetitions 3]
#       [--data-groups "1 2 4"] [--queues 8] [--partitions "1 4"] [--hot-queue-data-groups 4]
#       [--producers 8] [--consumers 16] [--rate 0] [--seconds 20]
#       [--warmup-seconds 10] [--drain-seconds 3] [--sluice-jar broker/target/sluice.jar]
#
# spread:    --queues standard queues, producers and consumers dealt round-robin over them, against
#            `sluice --data-groups N` for each N (label data-groups=N).
# hot-queue: one standard queue under the same producers and consumers, against
#            `sluice --data-groups --hot-queue-data-groups`, for each partition count P (label partitions=P):
#            the queue is created (PUT /v1/queues/hot), spread over P data groups by the operator's
#            PUT /v1/queues/hot/partitions {"count":P} when P > 1, then loaded.
# --rate R paces the producers to R messages/s together (0: each sends its next batch once the last is
# answered, so throughput is what the server sustains); a fixed rate compares CPU per message at equal load.
# Load: SendMessageBatch of 10 x 200 B per producer, ReceiveMessage (10, wait 1 s) + DeleteMessageBatch
# per consumer, one request in flight each; server CPU is the Sluice process's, sampled over the window,
# with a breakdown by server thread. Queues are kept to the end so their placement can be read and printed.
# Data dirs: benchmarks/target/group-scaling/data-* (fresh per run, deleted after). Summary lines go to
# benchmarks/target/group-scaling/results-TIMESTAMP-SCENARIO.jsonl, per-run logs beside them.
# Needs benchmarks/target/benchmarks.jar and broker/target/sluice.jar:
#   nice mvn -B -o -q -pl benchmarks -am package -DskipTests
set -euo pipefail

bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=peers/common.sh
source "$bench_dir/peers/common.sh"
load_jar=$bench_dir/target/benchmarks.jar
out_dir=$bench_dir/target/group-scaling
server_ready_seconds=90
start_attempts=3
# Queue creation, drain and deletion on top of warm-up + window; a run past this is killed.
run_overhead_seconds=90

die() { echo "run-group-scaling.sh: $*" >&2; exit 1; }

scenario=both repetitions=3 data_groups="1 2 4" queues=8 partitions="1 4" hot_queue_data_groups=4
producers=8 consumers=16 rate=0 seconds=20 warmup_seconds=10 drain_seconds=3
sluice_jar=$bench_dir/../broker/target/sluice.jar
while (( $# > 0 )); do
  case "$1" in
    --scenario) scenario=${2:?}; shift 2 ;;
    --repetitions) repetitions=${2:?}; shift 2 ;;
    --data-groups) data_groups=${2:?}; shift 2 ;;
    --queues) queues=${2:?}; shift 2 ;;
    --partitions) partitions=${2:?}; shift 2 ;;
    --hot-queue-data-groups) hot_queue_data_groups=${2:?}; shift 2 ;;
    --producers) producers=${2:?}; shift 2 ;;
    --consumers) consumers=${2:?}; shift 2 ;;
    --rate) rate=${2:?}; shift 2 ;;
    --seconds) seconds=${2:?}; shift 2 ;;
    --warmup-seconds) warmup_seconds=${2:?}; shift 2 ;;
    --drain-seconds) drain_seconds=${2:?}; shift 2 ;;
    --sluice-jar) sluice_jar=${2:?}; shift 2 ;;
    -h|--help) sed -n '2,25p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done
[[ $scenario =~ ^(spread|hot-queue|both)$ ]] || die "--scenario must be spread, hot-queue or both: $scenario"
[[ $repetitions =~ ^[1-9][0-9]?$ ]] || die "--repetitions must be 1..99: $repetitions"
[[ -f $load_jar ]] || die "missing $load_jar; build: nice mvn -B -o -q -pl benchmarks -am package -DskipTests"
[[ -f $sluice_jar ]] || die "missing $sluice_jar; build: nice mvn -B -o -q -pl benchmarks -am package -DskipTests"
for p in $partitions; do
  (( p >= 1 && p <= hot_queue_data_groups )) || die "--partitions must be 1..--hot-queue-data-groups ($hot_queue_data_groups): $p"
done
mkdir -p "$out_dir"
stamp=$(date -u +%Y%m%dT%H%M%SZ)

sluice_pid="" data_dir=""
trap stop_sluice EXIT

# Starts a fresh single-node Sluice with N data groups; sets sluice_pid and port; waits for /health/ready.
# free_port is racy on a shared machine: a server that exits during start-up is retried on new ports.
start_sluice() {
  local groups=$1 name=$2 attempt
  for (( attempt = 1; attempt <= start_attempts; attempt++ )); do
    port=$(free_port)
    data_dir=$out_dir/data-$name
    rm -rf "$data_dir"
    java -jar "$sluice_jar" --port "$port" --raft-port "$(free_port)" --data-dir "$data_dir" --data-groups "$groups" \
      </dev/null >"$out_dir/$name-server.log" 2>&1 &
    sluice_pid=$!
    for (( waited = 0; ; waited++ )); do
      kill -0 "$sluice_pid" 2>/dev/null || break
      curl -sf --max-time 2 "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && return 0
      (( waited < server_ready_seconds * 4 )) || die "Sluice was not ready within ${server_ready_seconds}s"
      sleep 0.25
    done
    echo "   Sluice exited during start-up (attempt $attempt of $start_attempts): $(grep -a -m1 -o 'Failed to bind[^:]*:[0-9]*\|Exception: .*' "$out_dir/$name-server.log" | head -n1)" >&2
    stop_sluice
  done
  tail -n 20 "$out_dir/$name-server.log" >&2
  die "Sluice did not start in $start_attempts attempts"
}

# Which data group holds each queue, as GET /v1/queues/{name} reports it: "name=group ..." (best effort).
placement_of() {
  local name groups
  for name in "$@"; do
    groups=$(curl -sf --max-time 5 "http://127.0.0.1:$port/v1/queues/$name" 2>/dev/null \
      | grep -o '"groups":\[[^]]*\]' | sed 's/"groups":\[\(.*\)\]/\1/; s/"//g') || groups=""
    printf '%s=%s ' "$name" "${groups:-?}"
  done
  echo
}

# Creates queue NAME and, for COUNT > 1, spreads it over COUNT data groups (the operator's REST call).
create_partitioned() {
  local name=$1 count=$2 answer
  curl -sf --max-time 30 -X PUT "http://127.0.0.1:$port/v1/queues/$name" -H 'Content-Type: application/json' -d '{}' \
    >/dev/null || return 1
  if (( count > 1 )); then
    answer=$(curl -sS --max-time 30 -X PUT "http://127.0.0.1:$port/v1/queues/$name/partitions" \
      -H 'Content-Type: application/json' -d "{\"count\":$count}" -w ' HTTP %{http_code}') || return 1
    echo "   partitions: $answer" >&2
    [[ $answer == *' HTTP 200' ]]
  fi
}

# Raft entries the data groups have applied so far, summed (from /metrics); empty if unreadable.
data_entries_applied() {
  curl -sf --max-time 5 "http://127.0.0.1:$port/metrics" 2>/dev/null \
    | awk '/^sluice_raft_applied_index\{/ && /group="data-/ { sum += $NF; seen = 1 } END { if (seen) printf "%.0f\n", sum }' || true
}

# A number from a summary line.
field() { grep -o "\"$2\":[^,}]*" <<<"$1" | head -n1 | cut -d: -f2; }

# One run: fresh server with GROUPS data groups, the load generator with LABEL on QUEUES (names, for the
# placement report) and extra arguments; its summary line is appended to RESULTS. PARTITIONS > 0 first
# creates the one queue named QUEUES over that many partitions.
run_one() {
  local results=$1 groups=$2 label=$3 rep=$4 queue_names=$5 partitions=$6; shift 6
  local name=${label//=/-}-rep$rep log
  log=$out_dir/$name-load.log
  echo "-- rep $rep/$repetitions $label (data groups $groups; load average $(cut -d' ' -f1-3 /proc/loadavg))" >&2
  start_sluice "$groups" "$name"
  if (( partitions > 0 )) && ! create_partitioned "$queue_names" "$partitions"; then
    echo "run failed ($label rep $rep): could not create $queue_names over $partitions partitions" >&2
    failures=$(( failures + 1 ))
    stop_sluice
    return 0
  fi
  entries_before=$(data_entries_applied)
  if timeout $(( seconds + warmup_seconds + run_overhead_seconds )) \
      java -cp "$load_jar" dev.sluice.benchmarks.SqsLoadGenerator \
        --endpoint "http://127.0.0.1:$port" --server-pid "$sluice_pid" --label "$label" --repetition "$rep" \
        --producers "$producers" --rate "$rate" --consumers "$consumers" --seconds "$seconds" --warmup-seconds "$warmup_seconds" \
        --drain-seconds "$drain_seconds" --body-bytes 200 --wait-seconds 1 --keep-queue "$@" >"$log" 2>&1; then
    summary=$(grep -a -m1 '^{"benchmark":"sqs-e2e"' "$log")
    echo "$summary" >>"$results"
    grep -av '^{' "$log" >&2 || true
    entries_after=$(data_entries_applied)
    if [[ -n $entries_before && -n $entries_after ]]; then
      # Whole run (warm-up, window, drain): a send, receive or delete request is one command; requests
      # that meet in the leader's queue share an entry, so fewer entries per message means more batching.
      echo "   data-group Raft entries over the whole run: $(( entries_after - entries_before ))," \
        "$(awk -v e=$(( entries_after - entries_before )) -v m="$(field "$summary" sentTotal)" \
          'BEGIN { if (m > 0) printf "%.1f", 1000 * e / m; else print "n/a" }') per 1,000 messages sent" >&2
    fi
    # shellcheck disable=SC2086
    echo "   placement: $(placement_of $queue_names)" >&2
  else
    echo "run failed ($label rep $rep); see $log:" >&2
    grep -a -m1 '^SqsLoadGenerator failed' "$log" >&2 || tail -n 20 "$log" >&2
    failures=$(( failures + 1 ))
  fi
  stop_sluice
}

echo "== $(nproc) cores; $(java -version 2>&1 | head -n1); commit $(git -C "$bench_dir" rev-parse --short HEAD 2>/dev/null || echo unknown);" \
  "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
failures=0
spread_results=$out_dir/results-$stamp-spread.jsonl
hot_results=$out_dir/results-$stamp-hot-queue.jsonl
for (( rep = 1; rep <= repetitions; rep++ )); do
  if [[ $scenario != hot-queue ]]; then
    for groups in $data_groups; do
      run_one "$spread_results" "$groups" "data-groups=$groups" "$rep" "$(seq -f 'spread-%g' 0 $(( queues - 1 )) | xargs)" 0 \
        --queue spread --queues "$queues"
    done
  fi
  if [[ $scenario != spread ]]; then
    for p in $partitions; do
      run_one "$hot_results" "$hot_queue_data_groups" "partitions=$p" "$rep" hot "$p" --queue hot
    done
  fi
done

for results in "$spread_results" "$hot_results"; do
  [[ -s $results ]] || continue
  echo "summary lines: $results" >&2
  cat "$results"
  echo
  java -cp "$load_jar" dev.sluice.benchmarks.SameRunTable "$results"
  echo
done
(( failures == 0 )) || die "$failures run(s) failed"
