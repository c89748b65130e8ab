#!/usr/bin/env bash
# What an idle single-node Sluice costs (issue 17, target 4): QUEUES queues, CONSUMERS long polls (20 s) always waiting
# on them, TOPICS topics with an sqs subscription each (their fanout workers poll too); over SECONDS it prints the
# server's CPU ms, disk KiB written and Raft entries applied per minute.
#
#   benchmarks/run-idle-cost.sh --sluice-jar broker/target/sluice.jar [--queues 1000] [--consumers 1000] [--topics 10]
#                               [--seconds 60]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/peers/common.sh"
die() { echo "run-idle-cost: $*" >&2; exit 1; }

sluice_jar="" queues=1000 consumers=1000 topics=10 seconds=60
while [[ $# -gt 0 ]]; do
  case $1 in
    --sluice-jar) sluice_jar=${2:?}; shift 2 ;;
    --queues) queues=${2:?}; shift 2 ;;
    --consumers) consumers=${2:?}; shift 2 ;;
    --topics) topics=${2:?}; shift 2 ;;
    --seconds) seconds=${2:?}; shift 2 ;;
    -h|--help) sed -n '2,7p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done
load_jar=$here/target/benchmarks.jar
[[ -f $load_jar ]] || die "missing $load_jar; build it with: mvn -B -q -pl broker,benchmarks -am package -DskipTests"
[[ -f $sluice_jar ]] || die "no such Sluice jar: $sluice_jar"
log_dir=$here/target/idle-cost
mkdir -p "$log_dir"
data=$log_dir/data-$$
sluice_pid=""
cleanup() {
  if [[ -n $sluice_pid ]] && kill -0 "$sluice_pid" 2>/dev/null; then kill "$sluice_pid"; wait "$sluice_pid" || true; fi
  rm -rf "$data"
}
trap cleanup EXIT

port=$(free_port)
java -jar "$sluice_jar" --port "$port" --raft-port "$(free_port)" --data-dir "$data" </dev/null >"$log_dir/server.log" 2>&1 &
sluice_pid=$!
for _ in $(seq 1 120); do answers_sqs_json "$port" && break; sleep 0.5; done
answers_sqs_json "$port" || die "Sluice did not answer on port $port; see $log_dir/server.log"
echo "commit $(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo '?'); load before: $(cat /proc/loadavg)"
java -cp "$load_jar" dev.sluice.benchmarks.IdleCost --endpoint "http://127.0.0.1:$port" --server-pid "$sluice_pid" \
  --queues "$queues" --consumers "$consumers" --topics "$topics" --seconds "$seconds"
echo "load after: $(cat /proc/loadavg)"
